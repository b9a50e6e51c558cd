-- userdb.sql: the hub's user store (users, roles, logged-out and ended sessions).
-- Passwords are PBKDF2-HMAC-SHA256 strings from tg_password_hash. Idempotent.
CREATE DATABASE IF NOT EXISTS userdb CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE userdb;

CREATE TABLE IF NOT EXISTS UM_SCHEMA_VERSION (
  component VARCHAR(32) NOT NULL PRIMARY KEY,
  version INT NOT NULL,
  applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT IGNORE INTO UM_SCHEMA_VERSION (component, version) VALUES ('userdb', 1);

CREATE TABLE IF NOT EXISTS UM_USER (
  user_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  password_hash VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE KEY uk_user_name (user_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS UM_USER_ROLE (
  user_id BIGINT NOT NULL,
  role_name VARCHAR(32) NOT NULL,        -- admin publisher subscriber gateway
  PRIMARY KEY (user_id, role_name),
  CONSTRAINT fk_role_user FOREIGN KEY (user_id) REFERENCES UM_USER (user_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Logged-out sessions: SHA-256 hex of the session id, kept until it would have expired.
CREATE TABLE IF NOT EXISTS UM_REVOKED_SESSION (
  session_hash CHAR(64) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  expires_at BIGINT NOT NULL,
  KEY idx_revoked_expiry (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Sessions of a user issued before valid_from_ms are refused (deleteUser, setUserRoles and a
-- password change end every session of that user, on every hub). Kept after the user is
-- deleted, so a new account of the same name does not revive old sessions.
CREATE TABLE IF NOT EXISTS UM_SESSION_EPOCH (
  user_name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  valid_from_ms BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Portal sessions (issue 15): the SHA-256 of a portal cookie or bearer token (a hub session
-- id) with its idle and absolute limits, so every portal shares them and a restart keeps them.
CREATE TABLE IF NOT EXISTS UM_PORTAL_SESSION (
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
