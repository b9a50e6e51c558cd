-- 010_custom_policies.sql: traffic management, the rest of issue 14: custom policies
-- (AM_CUSTOM_POLICY: a request count and/or bytes per second, minute, hour or day, keyed by
-- user, application, API, client IP or a header value, optionally for one API context).
-- Bandwidth tiers and sliding windows need no new column (AM_TIER.bytes_count and .sliding
-- came with 008); a sliding window's ledger rows are its slots in AM_THROTTLE_LEDGER.
-- Idempotent: CREATE TABLE IF NOT EXISTS only.
CREATE TABLE IF NOT EXISTS apimgtdb.AM_CUSTOM_POLICY (
  policy_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  key_by VARCHAR(16) NOT NULL,                  -- USER | APPLICATION | API | IP | HEADER
  header_name VARCHAR(128) NOT NULL DEFAULT '', -- key_by HEADER: lower-case header name
  request_count BIGINT NOT NULL DEFAULT 0,      -- 0: no request limit
  bytes_count BIGINT NOT NULL DEFAULT 0,        -- 0: no bandwidth limit
  unit_time_s INT NOT NULL,                     -- 1 | 60 | 3600 | 86400
  sliding TINYINT(1) NOT NULL DEFAULT 0,
  api_context VARCHAR(255) COLLATE utf8mb4_bin NOT NULL DEFAULT '', -- '' every API
  description VARCHAR(255) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  UNIQUE KEY uk_custom_policy_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO apimgtdb.AM_SCHEMA_VERSION (component, version) VALUES ('apimgtdb', 10)
  ON DUPLICATE KEY UPDATE version = GREATEST(version, 10);
