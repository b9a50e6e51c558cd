# keyvalidator/store/local.mk: the database pool (db.c, db_cluster.c) and every
# SQL statement of the hub, one file per table family.
libhub_a_SOURCES += \
	keyvalidator/store/store.h \
	keyvalidator/store/db.c keyvalidator/store/db.h \
	keyvalidator/store/db_cluster.c keyvalidator/store/db_cluster.h \
	keyvalidator/store/roles.c keyvalidator/store/roles.h \
	keyvalidator/store/app_domains.c keyvalidator/store/app_domains.h \
	keyvalidator/store/store_apis.c keyvalidator/store/store_apis.h \
	keyvalidator/store/store_apps.c keyvalidator/store/store_apps.h \
	keyvalidator/store/store_keys.c keyvalidator/store/store_keys.h \
	keyvalidator/store/store_tokens.c keyvalidator/store/store_tokens.h \
	keyvalidator/store/store_users.c keyvalidator/store/store_users.h \
	keyvalidator/store/store_sessions.c keyvalidator/store/store_sessions.h \
	keyvalidator/store/store_portal_sessions.c keyvalidator/store/store_portal_sessions.h \
	keyvalidator/store/store_throttle.c keyvalidator/store/store_throttle.h \
	keyvalidator/store/store_policy.c keyvalidator/store/store_policy.h \
	keyvalidator/store/store_docs.c keyvalidator/store/store_docs.h \
	keyvalidator/store/store_feed.c keyvalidator/store/store_feed.h \
	keyvalidator/store/store_usage.c keyvalidator/store/store_usage.h \
	keyvalidator/store/api_words.c keyvalidator/store/api_words.h \
	keyvalidator/store/store_search.c keyvalidator/store/store_search.h \
	keyvalidator/store/store_settings.c keyvalidator/store/store_settings.h \
	keyvalidator/store/store_audit.c keyvalidator/store/store_audit.h \
	keyvalidator/store/store_tier_approval.c keyvalidator/store/store_tier_approval.h \
	keyvalidator/store/store_usage_minute.c keyvalidator/store/store_usage_minute.h

# The searches' shapes, and no handler slot left NULL (a NULL vfunc crashes the hub when a
# client calls it); `--print-sql` feeds test_hub_portal's EXPLAIN check.
check_PROGRAMS += tests/unit/test_store_search
TESTS += tests/unit/test_store_search
tests_unit_test_store_search_SOURCES = tests/unit/test_store_search.c
tests_unit_test_store_search_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_store_search_LDADD = $(HUB_LIBS)

# The node health rule and the writer choice (no MariaDB needed: nodes on a dead port).
check_PROGRAMS += tests/unit/test_db_cluster
TESTS += tests/unit/test_db_cluster
tests_unit_test_db_cluster_SOURCES = tests/unit/test_db_cluster.c
tests_unit_test_db_cluster_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_db_cluster_LDADD = $(HUB_LIBS)
