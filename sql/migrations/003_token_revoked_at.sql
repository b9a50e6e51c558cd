-- 003_token_revoked_at.sql: when a token was revoked (AM_ACCESS_TOKEN.revoked_at_ms),
-- so the hub's pruning can delete a revoked token that never expires once it has
-- been revoked longer than expired_token_retention (keyvalidator/store_tokens.c).
-- Idempotent on MariaDB 10.11 and MySQL 8 (neither needs ADD COLUMN IF NOT EXISTS):
-- the column is added only when information_schema does not list it yet.
SET @tollgate_003 = (
  SELECT IF(COUNT(*) = 0,
    'ALTER TABLE apimgtdb.AM_ACCESS_TOKEN ADD COLUMN revoked_at_ms BIGINT NULL AFTER state',
    'DO 0')
  FROM information_schema.columns
  WHERE table_schema = 'apimgtdb' AND table_name = 'AM_ACCESS_TOKEN'
    AND column_name = 'revoked_at_ms');
PREPARE tollgate_003 FROM @tollgate_003;
EXECUTE tollgate_003;
DEALLOCATE PREPARE tollgate_003;
-- tokens revoked before the column existed count as revoked now
UPDATE apimgtdb.AM_ACCESS_TOKEN SET revoked_at_ms = UNIX_TIMESTAMP() * 1000
  WHERE state = 'REVOKED' AND revoked_at_ms IS NULL;
INSERT INTO apimgtdb.AM_SCHEMA_VERSION (component, version) VALUES ('apimgtdb', 3)
  ON DUPLICATE KEY UPDATE version = GREATEST(version, 3);
