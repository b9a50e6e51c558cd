-- 005_sessions_scopes.sql: per-user session cut-off (userdb.UM_SESSION_EPOCH: sessions
-- issued before valid_from_ms are refused, written by deleteUser, setUserRoles and a
-- password change; keyvalidator/session.c) and the scopes an API declares with the roles
-- allowed to hold each (apimgtdb.AM_API_SCOPE; keyvalidator/store_apis.c), and the
-- application a SUBSCRIPTION_CHANGED row is about (AM_GATEWAY_CHANGE.application_id), so
-- caches evict that application's entries only. Also in the base schemas (userdb.sql,
-- apimgtdb.sql); idempotent (the column is added only when information_schema lacks it).
CREATE TABLE IF NOT EXISTS userdb.UM_SESSION_EPOCH (
  user_name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  valid_from_ms BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO userdb.UM_SCHEMA_VERSION (component, version) VALUES ('userdb', 5)
  ON DUPLICATE KEY UPDATE version = GREATEST(version, 5);

CREATE TABLE IF NOT EXISTS apimgtdb.AM_API_SCOPE (
  api_id BIGINT NOT NULL,
  name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  description VARCHAR(1024) NOT NULL DEFAULT '',
  roles VARCHAR(255) NOT NULL DEFAULT '',
  PRIMARY KEY (api_id, name),
  KEY idx_api_scope_name (name),
  CONSTRAINT fk_api_scope_api FOREIGN KEY (api_id) REFERENCES apimgtdb.AM_API (api_id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
SET @tollgate_005 = (
  SELECT IF(COUNT(*) = 0,
    'ALTER TABLE apimgtdb.AM_GATEWAY_CHANGE ADD COLUMN application_id BIGINT NULL AFTER subject',
    'DO 0')
  FROM information_schema.columns
  WHERE table_schema = 'apimgtdb' AND table_name = 'AM_GATEWAY_CHANGE'
    AND column_name = 'application_id');
PREPARE tollgate_005 FROM @tollgate_005;
EXECUTE tollgate_005;
DEALLOCATE PREPARE tollgate_005;
INSERT INTO apimgtdb.AM_SCHEMA_VERSION (component, version) VALUES ('apimgtdb', 5)
  ON DUPLICATE KEY UPDATE version = GREATEST(version, 5);
