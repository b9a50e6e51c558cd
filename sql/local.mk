# sql/local.mk: the hub's schemas, loaded in this order by the launcher
# (apimgtdb, userdb, regdb, statdb, then sql/migrations/*.sql in name order).
# Every script is idempotent: loading twice changes nothing.
EXTRA_DIST += sql/apimgtdb.sql sql/userdb.sql sql/regdb.sql sql/statdb.sql
EXTRA_DIST += sql/migrations/002_docs_usage.sql sql/migrations/003_token_revoked_at.sql \
	sql/migrations/004_api_upstream_tls_verify.sql \
	sql/migrations/005_sessions_scopes.sql \
	sql/migrations/008_throttle.sql \
	sql/migrations/009_portal.sql \
	sql/migrations/010_custom_policies.sql \
	sql/migrations/011_portal_sessions.sql \
	sql/migrations/012_search.sql
