-- 012_search.sql: the store search in page order (issue 15). AM_API_TAG gets a copy of the
-- API's name and the key (tag, name, api_id) in place of (tag, api_id), so a search led by a
-- tag reads the tag's rows in the page's order and stops at the page's end instead of
-- sorting every match. Also in the base schema; idempotent: the column and key are added and
-- the old key dropped only when information_schema says so, and names are copied only where
-- they differ. Search words for APIs from before 009 (AM_API_WORD) are not made here: they
-- need the hub's tokenisation (api_words.c), so each hub fills them at start.
SET @tollgate_012_name = (
  SELECT IF(COUNT(*) = 0,
    'ALTER TABLE apimgtdb.AM_API_TAG ADD COLUMN name VARCHAR(255) NOT NULL DEFAULT '''' AFTER tag',
    'DO 0')
  FROM information_schema.columns
  WHERE table_schema = 'apimgtdb' AND table_name = 'AM_API_TAG' AND column_name = 'name');
PREPARE tollgate_012_name FROM @tollgate_012_name;
EXECUTE tollgate_012_name;
DEALLOCATE PREPARE tollgate_012_name;
SET @tollgate_012_key = (
  SELECT IF(COUNT(*) = 0,
    'ALTER TABLE apimgtdb.AM_API_TAG ADD KEY idx_api_tag_name (tag, name, api_id)', 'DO 0')
  FROM information_schema.statistics
  WHERE table_schema = 'apimgtdb' AND table_name = 'AM_API_TAG'
    AND index_name = 'idx_api_tag_name');
PREPARE tollgate_012_key FROM @tollgate_012_key;
EXECUTE tollgate_012_key;
DEALLOCATE PREPARE tollgate_012_key;
SET @tollgate_012_old = (
  SELECT IF(COUNT(*) > 0, 'ALTER TABLE apimgtdb.AM_API_TAG DROP KEY idx_api_tag', 'DO 0')
  FROM information_schema.statistics
  WHERE table_schema = 'apimgtdb' AND table_name = 'AM_API_TAG' AND index_name = 'idx_api_tag');
PREPARE tollgate_012_old FROM @tollgate_012_old;
EXECUTE tollgate_012_old;
DEALLOCATE PREPARE tollgate_012_old;

UPDATE apimgtdb.AM_API_TAG t JOIN apimgtdb.AM_API a ON a.api_id = t.api_id
  SET t.name = a.name
  WHERE CAST(t.name AS BINARY) <> CAST(a.name AS BINARY);

INSERT INTO apimgtdb.AM_SCHEMA_VERSION (component, version) VALUES ('apimgtdb', 12)
  ON DUPLICATE KEY UPDATE version = GREATEST(version, 12);
