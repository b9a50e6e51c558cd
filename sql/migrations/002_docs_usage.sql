-- 002_docs_usage.sql: the columns keyvalidator/docs.c and keyvalidator/usage.c use.
-- Creates the tables only when the base schemas (regdb.sql, statdb.sql) did not;
-- idempotent. If the base schema defines these tables with other column names,
-- the base schema wins here and docs.c / usage.c must follow it.

CREATE TABLE IF NOT EXISTS regdb.REG_DOCUMENT (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  api_context VARCHAR(256) NOT NULL,
  api_version VARCHAR(256) NOT NULL,
  name VARCHAR(256) NOT NULL,
  type VARCHAR(32) NOT NULL,
  summary VARCHAR(1024) NULL,
  source_type VARCHAR(8) NOT NULL,
  content MEDIUMTEXT NULL,
  source_url VARCHAR(2048) NULL,
  updated_at BIGINT NOT NULL,
  KEY reg_document_api (api_context(191), api_version(64))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS statdb.STAT_API_USAGE (
  ts BIGINT NOT NULL,
  gateway_id VARCHAR(256) NOT NULL,
  api_context VARCHAR(256) NOT NULL,
  api_version VARCHAR(256) NOT NULL,
  resource VARCHAR(1024) NOT NULL,
  verb VARCHAR(16) NOT NULL,
  application_id VARCHAR(256) NOT NULL,
  subscriber VARCHAR(256) NOT NULL,
  key_type VARCHAR(32) NOT NULL,
  status INT NOT NULL,
  count BIGINT NOT NULL,
  latency_ms_total BIGINT NOT NULL,
  latency_ms_max BIGINT NOT NULL,
  bytes_in BIGINT NOT NULL,
  bytes_out BIGINT NOT NULL,
  UNIQUE KEY stat_api_usage_bucket (ts, gateway_id(64), api_context(128), api_version(32),
                                    resource(191), verb, application_id(64), key_type, status),
  KEY stat_api_usage_api (api_context(128), api_version(32), ts)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
