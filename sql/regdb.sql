-- regdb.sql: the registry (API documentation). Documents are keyed by the
-- API's context and version, not its id, so they survive in their own database.
CREATE DATABASE IF NOT EXISTS regdb CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE regdb;

CREATE TABLE IF NOT EXISTS REG_SCHEMA_VERSION (
  component VARCHAR(32) NOT NULL PRIMARY KEY,
  version INT NOT NULL,
  applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT IGNORE INTO REG_SCHEMA_VERSION (component, version) VALUES ('regdb', 1);

CREATE TABLE IF NOT EXISTS REG_DOCUMENT (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  api_context VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  api_version VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  name VARCHAR(255) NOT NULL,
  type VARCHAR(32) NULL,
  summary VARCHAR(1024) NULL,
  source_type VARCHAR(16) NULL,          -- INLINE | URL
  content MEDIUMTEXT NULL,
  source_url VARCHAR(2048) NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at BIGINT NOT NULL,            -- unix seconds
  KEY idx_document_api (api_context, api_version, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
