-- statdb.sql: usage statistics. One row per second, gateway, API, resource,
-- verb, application, key type and status; gateways' batches upsert into it
-- (the UNIQUE key) so replays add up instead of duplicating rows.
CREATE DATABASE IF NOT EXISTS statdb CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE statdb;

CREATE TABLE IF NOT EXISTS STAT_SCHEMA_VERSION (
  component VARCHAR(32) NOT NULL PRIMARY KEY,
  version INT NOT NULL,
  applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT IGNORE INTO STAT_SCHEMA_VERSION (component, version) VALUES ('statdb', 1);

CREATE TABLE IF NOT EXISTS STAT_API_USAGE (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ts BIGINT NOT NULL,                                    -- unix second
  gateway_id VARCHAR(128) COLLATE utf8mb4_bin NOT NULL,
  api_context VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  api_version VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  resource VARCHAR(512) COLLATE utf8mb4_bin NOT NULL,
  verb VARCHAR(10) NOT NULL,
  application_id VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  subscriber VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  key_type VARCHAR(16) NOT NULL,
  status INT NOT NULL,
  count BIGINT NOT NULL DEFAULT 0,
  latency_ms_total BIGINT NOT NULL DEFAULT 0,
  latency_ms_max BIGINT NOT NULL DEFAULT 0,
  bytes_in BIGINT NOT NULL DEFAULT 0,
  bytes_out BIGINT NOT NULL DEFAULT 0,
  UNIQUE KEY uk_usage (ts, gateway_id, api_context, api_version, resource(191), verb,
                       application_id, key_type, status),
  KEY idx_usage_api (api_context, api_version, ts)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Batch ids of publishUsage calls stored (keyvalidator/usage.c), so a batch sent again
-- after its answer was lost is not counted twice; the hubs delete ids older than a day.
CREATE TABLE IF NOT EXISTS STAT_USAGE_BATCH (
  batch_id VARCHAR(128) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  received_at BIGINT NOT NULL,                           -- unix second
  KEY idx_usage_batch_received (received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One row per minute, API and application: what a chart needs, summed over gateways.
-- h0..h12: calls per latency bucket (upper bounds 1 2 5 10 20 50 100 200 500 1000 2000
-- 5000 ms, then slower), as UsageRecord.latencyHistogram.
CREATE TABLE IF NOT EXISTS STAT_USAGE_MINUTE (
  minute BIGINT NOT NULL,                             -- unix second, a multiple of 60
  api_context VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  api_version VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  application_id VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  c2xx BIGINT NOT NULL DEFAULT 0, c3xx BIGINT NOT NULL DEFAULT 0,
  c4xx BIGINT NOT NULL DEFAULT 0, c5xx BIGINT NOT NULL DEFAULT 0,
  throttled BIGINT NOT NULL DEFAULT 0, over_quota BIGINT NOT NULL DEFAULT 0,
  bytes_in BIGINT NOT NULL DEFAULT 0, bytes_out BIGINT NOT NULL DEFAULT 0,
  h0 BIGINT NOT NULL DEFAULT 0, h1 BIGINT NOT NULL DEFAULT 0, h2 BIGINT NOT NULL DEFAULT 0,
  h3 BIGINT NOT NULL DEFAULT 0, h4 BIGINT NOT NULL DEFAULT 0, h5 BIGINT NOT NULL DEFAULT 0,
  h6 BIGINT NOT NULL DEFAULT 0, h7 BIGINT NOT NULL DEFAULT 0, h8 BIGINT NOT NULL DEFAULT 0,
  h9 BIGINT NOT NULL DEFAULT 0, h10 BIGINT NOT NULL DEFAULT 0, h11 BIGINT NOT NULL DEFAULT 0,
  h12 BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (api_context, api_version, application_id, minute),
  KEY idx_usage_minute_app (application_id, minute),
  KEY idx_usage_minute_api (api_context, api_version, minute)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
