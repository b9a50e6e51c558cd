# keyvalidator/store/local.mk: the database pool (db.c, db_cluster.c) and every
# SQL statement of the hub, one file per table family.
libhub_a_SOURCES += \
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
	keyvalidator/store/store_throttle.c keyvalidator/store/store_throttle.h \
	keyvalidator/store/store_policy.c keyvalidator/store/store_policy.h \
	keyvalidator/store/store_docs.c keyvalidator/store/store_docs.h \
	keyvalidator/store/store_feed.c keyvalidator/store/store_feed.h \
	keyvalidator/store/store_usage.c keyvalidator/store/store_usage.h

# The node health rule and the writer choice (no MariaDB needed: nodes on a dead port).
check_PROGRAMS += tests/unit/test_db_cluster
TESTS += tests/unit/test_db_cluster
tests_unit_test_db_cluster_SOURCES = tests/unit/test_db_cluster.c
tests_unit_test_db_cluster_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_db_cluster_LDADD = $(HUB_LIBS)
