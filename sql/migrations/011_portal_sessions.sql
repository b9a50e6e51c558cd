-- 011_portal_sessions.sql: portal sessions kept by the hubs (userdb.UM_PORTAL_SESSION;
-- keyvalidator/store/store_portal_sessions.c): every portal shares them and a portal restart
-- keeps them. Also in the base schema (userdb.sql); idempotent (CREATE TABLE IF NOT EXISTS).
CREATE TABLE IF NOT EXISTS userdb.UM_PORTAL_SESSION (
  session_hash CHAR(64) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY, -- SHA-256 hex, never the id
  user_name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  kind VARCHAR(8) NOT NULL,                 -- cookie | bearer
  created_at BIGINT NOT NULL,               -- unix seconds
  last_seen BIGINT NOT NULL,                -- refreshed at most every min(60, idle_s / 4) s
  idle_s INT NOT NULL,                      -- 0: no idle end (bearer)
  expires_at BIGINT NOT NULL,               -- the absolute end
  client_address VARCHAR(64) NOT NULL DEFAULT '',
  user_agent VARCHAR(200) NOT NULL DEFAULT '',
  KEY idx_portal_session_user (user_name, created_at),
  KEY idx_portal_session_expiry (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO userdb.UM_SCHEMA_VERSION (component, version) VALUES ('userdb', 11)
  ON DUPLICATE KEY UPDATE version = GREATEST(version, 11);
