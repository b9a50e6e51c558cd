-- 009_portal.sql: the hub side of the portal (issue 15). API tags and the search words
-- (AM_API_TAG, AM_API_WORD: searchApis answers from these and from AM_API's name index,
-- never a full scan), the subscription tier that needs approval (AM_TIER.requires_approval),
-- the previous consumer secret's hash kept for a grace period (AM_APPLICATION_KEY), portal
-- settings (AM_SETTING), the audit log (AM_AUDIT), and per-minute usage with latency
-- histograms for charts (statdb.STAT_USAGE_MINUTE). Also in the base schemas; idempotent:
-- columns and indexes are added only when information_schema does not list them yet.
SET @tollgate_009_name = (
  SELECT IF(COUNT(*) = 0, 'ALTER TABLE apimgtdb.AM_API ADD KEY idx_api_name (name, api_id)', 'DO 0')
  FROM information_schema.statistics
  WHERE table_schema = 'apimgtdb' AND table_name = 'AM_API' AND index_name = 'idx_api_name');
PREPARE tollgate_009_name FROM @tollgate_009_name;
EXECUTE tollgate_009_name;
DEALLOCATE PREPARE tollgate_009_name;
SET @tollgate_009_tier = (
  SELECT IF(COUNT(*) = 0,
    'ALTER TABLE apimgtdb.AM_TIER ADD COLUMN requires_approval TINYINT(1) NOT NULL DEFAULT 0',
    'DO 0')
  FROM information_schema.columns
  WHERE table_schema = 'apimgtdb' AND table_name = 'AM_TIER' AND column_name = 'requires_approval');
PREPARE tollgate_009_tier FROM @tollgate_009_tier;
EXECUTE tollgate_009_tier;
DEALLOCATE PREPARE tollgate_009_tier;
SET @tollgate_009_key = (
  SELECT IF(COUNT(*) = 0,
    'ALTER TABLE apimgtdb.AM_APPLICATION_KEY
       ADD COLUMN previous_secret_hash CHAR(64) COLLATE utf8mb4_bin NULL,
       ADD COLUMN previous_valid_until BIGINT NOT NULL DEFAULT 0',
    'DO 0')
  FROM information_schema.columns
  WHERE table_schema = 'apimgtdb' AND table_name = 'AM_APPLICATION_KEY'
    AND column_name = 'previous_secret_hash');
PREPARE tollgate_009_key FROM @tollgate_009_key;
EXECUTE tollgate_009_key;
DEALLOCATE PREPARE tollgate_009_key;

CREATE TABLE IF NOT EXISTS apimgtdb.AM_API_TAG (
  api_id BIGINT NOT NULL,
  tag VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,      -- lower case
  PRIMARY KEY (api_id, tag),
  KEY idx_api_tag (tag, api_id),
  CONSTRAINT fk_api_tag_api FOREIGN KEY (api_id) REFERENCES apimgtdb.AM_API (api_id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The lower-case words of an API's name, context and tags: a search word is a prefix of one.
CREATE TABLE IF NOT EXISTS apimgtdb.AM_API_WORD (
  word VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  api_id BIGINT NOT NULL,
  PRIMARY KEY (word, api_id),
  KEY idx_api_word_api (api_id),
  CONSTRAINT fk_api_word_api FOREIGN KEY (api_id) REFERENCES apimgtdb.AM_API (api_id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS apimgtdb.AM_SETTING (
  name VARCHAR(64) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  value VARCHAR(1024) NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by VARCHAR(255) COLLATE utf8mb4_bin NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every publisher and admin action; newest first by audit_id.
CREATE TABLE IF NOT EXISTS apimgtdb.AM_AUDIT (
  audit_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at BIGINT NOT NULL,                                 -- unix second
  actor VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  action VARCHAR(64) NOT NULL,
  subject VARCHAR(512) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  client_address VARCHAR(64) NOT NULL DEFAULT '',
  detail VARCHAR(1024) NOT NULL DEFAULT '',
  KEY idx_audit_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One row per minute, API and application: what a chart needs, summed over gateways.
-- h0..h12: calls per latency bucket (upper bounds 1 2 5 10 20 50 100 200 500 1000 2000
-- 5000 ms, then slower), as UsageRecord.latencyHistogram.
CREATE TABLE IF NOT EXISTS statdb.STAT_USAGE_MINUTE (
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

INSERT INTO apimgtdb.AM_SCHEMA_VERSION (component, version) VALUES ('apimgtdb', 9)
  ON DUPLICATE KEY UPDATE version = GREATEST(version, 9);
