-- 004_api_upstream_tls_verify.sql: per-API opt-out of the gateway's backend
-- certificate check (AM_API.upstream_tls_verify, 1 = verify, the default; thrift
-- Api.upstreamTlsVerify). Idempotent on MariaDB 10.11 and MySQL 8: the column is
-- added only when information_schema does not list it yet.
SET @tollgate_004 = (
  SELECT IF(COUNT(*) = 0,
    'ALTER TABLE apimgtdb.AM_API ADD COLUMN upstream_tls_verify TINYINT(1) NOT NULL DEFAULT 1 AFTER is_default_version',
    'DO 0')
  FROM information_schema.columns
  WHERE table_schema = 'apimgtdb' AND table_name = 'AM_API'
    AND column_name = 'upstream_tls_verify');
PREPARE tollgate_004 FROM @tollgate_004;
EXECUTE tollgate_004;
DEALLOCATE PREPARE tollgate_004;
INSERT INTO apimgtdb.AM_SCHEMA_VERSION (component, version) VALUES ('apimgtdb', 4)
  ON DUPLICATE KEY UPDATE version = GREATEST(version, 4);
