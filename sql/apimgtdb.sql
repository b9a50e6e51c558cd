-- apimgtdb.sql: the API manager database (APIs, resources, tiers, applications,
-- subscriptions, consumer keys, access tokens, gateway change feed), in the
-- spirit of WSO2's AM_* tables. Idempotent: loading it twice changes nothing.
-- Secrets are stored only as SHA-256 hex. utf8mb4_bin where case matters.
CREATE DATABASE IF NOT EXISTS apimgtdb CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE apimgtdb;

CREATE TABLE IF NOT EXISTS AM_SCHEMA_VERSION (
  component VARCHAR(32) NOT NULL PRIMARY KEY,
  version INT NOT NULL,
  applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT IGNORE INTO AM_SCHEMA_VERSION (component, version) VALUES ('apimgtdb', 1);

CREATE TABLE IF NOT EXISTS AM_TIER (
  name VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  level VARCHAR(16) NOT NULL,              -- SUBSCRIPTION | APPLICATION | API | RESOURCE
  request_count BIGINT NOT NULL DEFAULT 0, -- 0 = unlimited
  unit_time_s INT NOT NULL DEFAULT 60,
  stop_on_quota TINYINT(1) NOT NULL DEFAULT 1,
  description VARCHAR(255) NOT NULL DEFAULT '',
  bytes_count BIGINT NOT NULL DEFAULT 0,       -- bandwidth per unit; 0 = none
  burst_count BIGINT NOT NULL DEFAULT 0,       -- spike arrest per burst_unit_s; 0 = none
  burst_unit_s INT NOT NULL DEFAULT 0,
  sliding TINYINT(1) NOT NULL DEFAULT 0,
  fail_mode VARCHAR(8) NOT NULL DEFAULT 'static', -- static | closed | open (hubs unreachable)
  requires_approval TINYINT(1) NOT NULL DEFAULT 0, -- SUBSCRIPTION: new subscriptions ON_HOLD
  PRIMARY KEY (name, level)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT IGNORE INTO AM_TIER (name, level, request_count, unit_time_s, stop_on_quota, description) VALUES
  ('Gold', 'SUBSCRIPTION', 5000, 60, 1, 'Allows 5000 requests per minute'),
  ('Silver', 'SUBSCRIPTION', 2000, 60, 1, 'Allows 2000 requests per minute'),
  ('Bronze', 'SUBSCRIPTION', 1000, 60, 1, 'Allows 1000 requests per minute'),
  ('Unlimited', 'SUBSCRIPTION', 0, 60, 0, 'Allows unlimited requests'),
  ('50PerMin', 'APPLICATION', 50, 60, 1, 'Allows 50 requests per minute'),
  ('20PerMin', 'APPLICATION', 20, 60, 1, 'Allows 20 requests per minute'),
  ('10PerMin', 'APPLICATION', 10, 60, 1, 'Allows 10 requests per minute'),
  ('Unlimited', 'APPLICATION', 0, 60, 0, 'Allows unlimited requests'),
  ('Unlimited', 'RESOURCE', 0, 60, 0, 'Allows unlimited requests'),
  ('Unlimited', 'API', 0, 60, 0, 'Allows unlimited requests');

CREATE TABLE IF NOT EXISTS AM_API (
  api_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  context VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  version VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  name VARCHAR(255) NOT NULL,
  provider VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  description TEXT,
  status VARCHAR(16) NOT NULL DEFAULT 'CREATED', -- CREATED PUBLISHED DEPRECATED RETIRED BLOCKED
  production_endpoint VARCHAR(2048) NOT NULL DEFAULT '',
  sandbox_endpoint VARCHAR(2048) NOT NULL DEFAULT '',
  api_tier VARCHAR(64) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  is_default_version TINYINT(1) NOT NULL DEFAULT 0,
  upstream_tls_verify TINYINT(1) NOT NULL DEFAULT 1, -- 0: the gateway skips certificate checks
  hard_limit VARCHAR(32) NOT NULL DEFAULT '',     -- "N/second" | "N/minute": backend protection
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE KEY uk_api_context_version (context, version),
  KEY idx_api_status (status),
  KEY idx_api_provider (provider),
  KEY idx_api_name (name, api_id)                 -- searchApis: pages by name
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS AM_API_URL_MAPPING (
  url_mapping_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  api_id BIGINT NOT NULL,
  http_method VARCHAR(10) NOT NULL,
  url_pattern VARCHAR(512) COLLATE utf8mb4_bin NOT NULL,
  auth_scheme VARCHAR(32) NOT NULL DEFAULT 'Any',  -- Any Application Application_User None
  throttling_tier VARCHAR(64) COLLATE utf8mb4_bin NOT NULL DEFAULT 'Unlimited',
  scope VARCHAR(255) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  UNIQUE KEY uk_url_mapping (api_id, http_method, url_pattern),
  CONSTRAINT fk_url_mapping_api FOREIGN KEY (api_id) REFERENCES AM_API (api_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS AM_API_SUBSCRIPTION_TIER (
  api_id BIGINT NOT NULL,
  tier_name VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  PRIMARY KEY (api_id, tier_name),
  CONSTRAINT fk_api_tier_api FOREIGN KEY (api_id) REFERENCES AM_API (api_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The scopes an API declares and the roles allowed to hold each (space-separated role
-- names; empty: anyone). A token is granted a declared scope only when its user holds a
-- role every declaration of that name allows (keyvalidator/scope_grant.c).
CREATE TABLE IF NOT EXISTS AM_API_SCOPE (
  api_id BIGINT NOT NULL,
  name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  description VARCHAR(1024) NOT NULL DEFAULT '',
  roles VARCHAR(255) NOT NULL DEFAULT '',
  PRIMARY KEY (api_id, name),
  KEY idx_api_scope_name (name),
  CONSTRAINT fk_api_scope_api FOREIGN KEY (api_id) REFERENCES AM_API (api_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS AM_APPLICATION (
  application_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  owner VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,        -- the subscriber (UM_USER name)
  tier VARCHAR(64) COLLATE utf8mb4_bin NOT NULL DEFAULT 'Unlimited',
  description TEXT,
  callback_url VARCHAR(2048) NOT NULL DEFAULT '',
  allowed_domains VARCHAR(2048) NOT NULL DEFAULT 'ALL',   -- comma-separated, or ALL
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE KEY uk_app_owner_name (owner, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS AM_SUBSCRIPTION (
  subscription_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  api_id BIGINT NOT NULL,
  application_id BIGINT NOT NULL,
  tier VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  status VARCHAR(20) NOT NULL DEFAULT 'UNBLOCKED', -- UNBLOCKED BLOCKED PROD_ONLY_BLOCKED ON_HOLD
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE KEY uk_subscription (application_id, api_id),
  KEY idx_subscription_api (api_id),
  CONSTRAINT fk_subscription_api FOREIGN KEY (api_id) REFERENCES AM_API (api_id),
  CONSTRAINT fk_subscription_app FOREIGN KEY (application_id)
    REFERENCES AM_APPLICATION (application_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS AM_APPLICATION_KEY (
  consumer_key VARCHAR(64) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  consumer_secret_hash CHAR(64) COLLATE utf8mb4_bin NOT NULL,  -- SHA-256 hex
  application_id BIGINT NOT NULL,
  key_type VARCHAR(16) NOT NULL,                               -- PRODUCTION | SANDBOX
  created_at BIGINT NOT NULL,
  previous_secret_hash CHAR(64) COLLATE utf8mb4_bin NULL,      -- regenerated: the old one
  previous_valid_until BIGINT NOT NULL DEFAULT 0,              -- until then (unix s)
  UNIQUE KEY uk_app_key_type (application_id, key_type),
  CONSTRAINT fk_app_key_app FOREIGN KEY (application_id)
    REFERENCES AM_APPLICATION (application_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS AM_ACCESS_TOKEN (
  token_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  access_token_hash CHAR(64) COLLATE utf8mb4_bin NOT NULL,     -- SHA-256 hex
  refresh_token_hash CHAR(64) COLLATE utf8mb4_bin NULL,        -- SHA-256 hex
  consumer_key VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  application_id BIGINT NOT NULL,
  key_type VARCHAR(16) NOT NULL,
  end_user VARCHAR(255) COLLATE utf8mb4_bin NOT NULL DEFAULT '', -- '' = application token
  scopes VARCHAR(1024) COLLATE utf8mb4_bin NOT NULL DEFAULT '',  -- space-separated
  issued_at_ms BIGINT NOT NULL,
  validity_s BIGINT NOT NULL,                                    -- <= 0: never expires
  refresh_validity_s BIGINT NOT NULL DEFAULT 0,
  state VARCHAR(16) NOT NULL DEFAULT 'ACTIVE',                   -- ACTIVE REVOKED EXPIRED
  revoked_at_ms BIGINT NULL,                                     -- set with state REVOKED
  UNIQUE KEY uk_access_token (access_token_hash),
  UNIQUE KEY uk_refresh_token (refresh_token_hash),
  KEY idx_token_app (application_id, token_id),                  -- listTokens: newest first
  KEY idx_token_consumer (consumer_key),
  CONSTRAINT fk_token_key FOREIGN KEY (consumer_key)
    REFERENCES AM_APPLICATION_KEY (consumer_key) ON DELETE CASCADE,
  CONSTRAINT fk_token_app FOREIGN KEY (application_id)
    REFERENCES AM_APPLICATION (application_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every change gateways enforce, in the same transaction as the change.
-- kind: API_CHANGED ("context:version"), TOKEN_REVOKED (token hash),
-- SUBSCRIPTION_CHANGED ("context:version"), APPLICATION_CHANGED (application id).
CREATE TABLE IF NOT EXISTS AM_GATEWAY_CHANGE (
  revision BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(32) NOT NULL,
  subject VARCHAR(512) COLLATE utf8mb4_bin NOT NULL,
  application_id BIGINT NULL,                  -- SUBSCRIPTION_CHANGED: whose subscription
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY idx_change_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Traffic management (migration 008): the credit ledger, report batch ids, gateways
-- seen, blocking conditions.
CREATE TABLE IF NOT EXISTS AM_THROTTLE_LEDGER (
  throttle_key VARCHAR(512) COLLATE utf8mb4_bin NOT NULL,
  window_start_ms BIGINT NOT NULL,
  limit_count BIGINT NOT NULL,
  granted BIGINT NOT NULL DEFAULT 0,
  used BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (throttle_key, window_start_ms),
  KEY idx_ledger_window (window_start_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS AM_THROTTLE_REPORT_BATCH (
  batch_id VARCHAR(128) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  received_at BIGINT NOT NULL,
  KEY idx_report_batch_received (received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS AM_THROTTLE_GATEWAY (
  gateway_id VARCHAR(128) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  last_seen_ms BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- kind: API ("/ctx:VERSION"), APPLICATION ("OWNER:NAME"), USER, IP ("ADDR[/PREFIX]")
CREATE TABLE IF NOT EXISTS AM_BLOCK_CONDITION (
  condition_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(16) NOT NULL,
  value VARCHAR(512) COLLATE utf8mb4_bin NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE KEY uk_block_condition (kind, value)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The portal (migration 009): API tags and search words, settings, the audit log.
-- name: a copy of AM_API.name (the same type and the table's default collation, as AM_API's),
-- so idx_api_tag_name gives a tag's APIs in the store's page order (migration 012).
CREATE TABLE IF NOT EXISTS AM_API_TAG (
  api_id BIGINT NOT NULL,
  tag VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,      -- lower case
  name VARCHAR(255) NOT NULL DEFAULT '',
  PRIMARY KEY (api_id, tag),
  KEY idx_api_tag_name (tag, name, api_id),
  CONSTRAINT fk_api_tag_api FOREIGN KEY (api_id) REFERENCES AM_API (api_id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The lower-case words of an API's name, context and tags: a search word is a prefix of one.
CREATE TABLE IF NOT EXISTS AM_API_WORD (
  word VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  api_id BIGINT NOT NULL,
  PRIMARY KEY (word, api_id),
  KEY idx_api_word_api (api_id),
  CONSTRAINT fk_api_word_api FOREIGN KEY (api_id) REFERENCES AM_API (api_id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS AM_SETTING (
  name VARCHAR(64) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  value VARCHAR(1024) NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by VARCHAR(255) COLLATE utf8mb4_bin NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every publisher and admin action; newest first by audit_id.
CREATE TABLE IF NOT EXISTS AM_AUDIT (
  audit_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at BIGINT NOT NULL,                                 -- unix second
  actor VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  action VARCHAR(64) NOT NULL,
  subject VARCHAR(512) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  client_address VARCHAR(64) NOT NULL DEFAULT '',
  detail VARCHAR(1024) NOT NULL DEFAULT '',
  KEY idx_audit_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
-- Custom policies (migration 010): a request count and/or bytes per window, keyed by
-- USER | APPLICATION | API | IP | HEADER (header_name), optionally for one API context.
CREATE TABLE IF NOT EXISTS AM_CUSTOM_POLICY (
  policy_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  key_by VARCHAR(16) NOT NULL,
  header_name VARCHAR(128) NOT NULL DEFAULT '',
  request_count BIGINT NOT NULL DEFAULT 0,
  bytes_count BIGINT NOT NULL DEFAULT 0,
  unit_time_s INT NOT NULL,
  sliding TINYINT(1) NOT NULL DEFAULT 0,
  api_context VARCHAR(255) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  description VARCHAR(255) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  UNIQUE KEY uk_custom_policy_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

