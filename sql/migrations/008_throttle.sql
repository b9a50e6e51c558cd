-- 008_throttle.sql: traffic management (issue 14). AM_TIER gains bandwidth, burst,
-- sliding-window and fail-mode columns and the API level; the credit ledger
-- (AM_THROTTLE_LEDGER: sum granted <= limit per key and window, keyvalidator/store_throttle.c),
-- the ids of credit reports already counted, the gateways seen lately, and the blocking
-- conditions. Idempotent on MariaDB 10.11 and MySQL 8: columns are added only when
-- information_schema does not list them yet.
SET @tollgate_008 = (
  SELECT IF(COUNT(*) = 0,
    'ALTER TABLE apimgtdb.AM_TIER
       ADD COLUMN bytes_count BIGINT NOT NULL DEFAULT 0,
       ADD COLUMN burst_count BIGINT NOT NULL DEFAULT 0,
       ADD COLUMN burst_unit_s INT NOT NULL DEFAULT 0,
       ADD COLUMN sliding TINYINT(1) NOT NULL DEFAULT 0,
       ADD COLUMN fail_mode VARCHAR(8) NOT NULL DEFAULT ''static''',
    'DO 0')
  FROM information_schema.columns
  WHERE table_schema = 'apimgtdb' AND table_name = 'AM_TIER' AND column_name = 'burst_count');
PREPARE tollgate_008 FROM @tollgate_008;
EXECUTE tollgate_008;
DEALLOCATE PREPARE tollgate_008;
SET @tollgate_008_hard = (
  SELECT IF(COUNT(*) = 0,
    'ALTER TABLE apimgtdb.AM_API ADD COLUMN hard_limit VARCHAR(32) NOT NULL DEFAULT '''' AFTER is_default_version',
    'DO 0')
  FROM information_schema.columns
  WHERE table_schema = 'apimgtdb' AND table_name = 'AM_API' AND column_name = 'hard_limit');
PREPARE tollgate_008_hard FROM @tollgate_008_hard;
EXECUTE tollgate_008_hard;
DEALLOCATE PREPARE tollgate_008_hard;
INSERT IGNORE INTO apimgtdb.AM_TIER (name, level, request_count, unit_time_s, stop_on_quota, description)
  VALUES ('Unlimited', 'API', 0, 60, 0, 'Allows unlimited requests');

CREATE TABLE IF NOT EXISTS apimgtdb.AM_THROTTLE_LEDGER (
  throttle_key VARCHAR(512) COLLATE utf8mb4_bin NOT NULL,
  window_start_ms BIGINT NOT NULL,
  limit_count BIGINT NOT NULL,
  granted BIGINT NOT NULL DEFAULT 0,
  used BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (throttle_key, window_start_ms),
  KEY idx_ledger_window (window_start_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS apimgtdb.AM_THROTTLE_REPORT_BATCH (
  batch_id VARCHAR(128) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  received_at BIGINT NOT NULL,
  KEY idx_report_batch_received (received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS apimgtdb.AM_THROTTLE_GATEWAY (
  gateway_id VARCHAR(128) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  last_seen_ms BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- kind: API ("/ctx:VERSION"), APPLICATION ("OWNER:NAME"), USER, IP ("ADDR[/PREFIX]")
CREATE TABLE IF NOT EXISTS apimgtdb.AM_BLOCK_CONDITION (
  condition_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(16) NOT NULL,
  value VARCHAR(512) COLLATE utf8mb4_bin NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE KEY uk_block_condition (kind, value)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO apimgtdb.AM_SCHEMA_VERSION (component, version) VALUES ('apimgtdb', 8)
  ON DUPLICATE KEY UPDATE version = GREATEST(version, 8);
