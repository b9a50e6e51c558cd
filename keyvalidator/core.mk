# keyvalidator/core.mk: libhubcore.a, the hub's core (database pool, store,
# sessions, validation + cache, Thrift handler) plus the OAuth2 / gateway feed /
# usage / documents files of core_ext.mk. The network side (hub binary) links
# it with $(HUB_CORE_LIBS).
noinst_LIBRARIES += libhubcore.a
libhubcore_a_SOURCES = \
	keyvalidator/hub.h keyvalidator/hub_internal.h \
	keyvalidator/core.c \
	keyvalidator/db.c keyvalidator/db.h keyvalidator/db_cluster.c keyvalidator/db_cluster.h \
	keyvalidator/store_users.c keyvalidator/store_users.h \
	keyvalidator/store_apis.c keyvalidator/store_tokens.c \
	keyvalidator/store_validation.c keyvalidator/store_validation.h \
	keyvalidator/session.c keyvalidator/session.h \
	keyvalidator/validation.c keyvalidator/validation.h \
	keyvalidator/validation_cache.c keyvalidator/validation_cache.h \
	keyvalidator/write_budget.c keyvalidator/write_budget.h \
	keyvalidator/scope_grant.c keyvalidator/scope_grant.h \
	keyvalidator/handler.c keyvalidator/handler.h \
	keyvalidator/login_limiter.c keyvalidator/login_limiter.h \
	keyvalidator/login.c keyvalidator/login.h \
	keyvalidator/mgmt.h keyvalidator/mgmt_users.c keyvalidator/mgmt_users.h \
	keyvalidator/mgmt_apis.c keyvalidator/mgmt_apis.h keyvalidator/store_apis.h \
	keyvalidator/mgmt_apps.c keyvalidator/mgmt_apps.h keyvalidator/mgmt_keys.c \
	keyvalidator/store_apps.c keyvalidator/store_apps.h \
	keyvalidator/store_keys.c keyvalidator/store_keys.h \
	keyvalidator/store_throttle.c keyvalidator/store_throttle.h keyvalidator/traffic.c \
	keyvalidator/store/store_policy.c keyvalidator/store/store_policy.h \
	keyvalidator/methods/policy.c
include $(srcdir)/keyvalidator/core_ext.mk
libhubcore_a_SOURCES += $(HUB_EXT_SOURCES)
libhubcore_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/keyvalidator $(MYSQL_CFLAGS) \
	-DHUB_CORE_GLUE -DG_LOG_DOMAIN=\"tollgate-hub\"

# What a program linking libhubcore.a needs.
HUB_CORE_LIBS = libhubcore.a $(TG_COMMON_LIBS) $(MYSQL_LIBS)


HUB_UNIT_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/keyvalidator $(MYSQL_CFLAGS) \
	-DG_LOG_DOMAIN=\"tollgate-hub\"

check_PROGRAMS += tests/unit/test_session
TESTS += tests/unit/test_session
# Needs the whole core; with TG_TEST_DB_PORT (MariaDB with sql/ loaded) it also logs in.
tests_unit_test_session_SOURCES = tests/unit/test_session.c
tests_unit_test_session_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_session_LDADD = $(HUB_CORE_LIBS)

check_PROGRAMS += tests/unit/test_validation
TESTS += tests/unit/test_validation
# validation.c is a pure function: tested without a database.
tests_unit_test_validation_SOURCES = tests/unit/test_validation.c \
	keyvalidator/validation.c keyvalidator/validation.h $(URI_TABLE_SOURCES)
tests_unit_test_validation_CPPFLAGS = $(HUB_UNIT_CPPFLAGS) $(URI_TABLE_CPPFLAGS)
tests_unit_test_validation_LDADD = $(TG_COMMON_LIBS)

check_PROGRAMS += tests/unit/test_login_limiter
TESTS += tests/unit/test_login_limiter
# login_limiter.c is pure (the clock passed in): tested alone.
tests_unit_test_login_limiter_SOURCES = tests/unit/test_login_limiter.c \
	keyvalidator/login_limiter.c keyvalidator/login_limiter.h
tests_unit_test_login_limiter_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_login_limiter_LDADD = $(GLIB_LIBS)

check_PROGRAMS += tests/unit/test_write_budget
TESTS += tests/unit/test_write_budget
tests_unit_test_write_budget_SOURCES = tests/unit/test_write_budget.c \
	keyvalidator/write_budget.c keyvalidator/write_budget.h
tests_unit_test_write_budget_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_write_budget_LDADD = $(GLIB_LIBS)

check_PROGRAMS += tests/unit/test_validation_cache
TESTS += tests/unit/test_validation_cache
tests_unit_test_validation_cache_SOURCES = tests/unit/test_validation_cache.c \
	keyvalidator/validation_cache.c keyvalidator/validation_cache.h
tests_unit_test_validation_cache_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_validation_cache_LDADD = $(GLIB_LIBS)

check_PROGRAMS += tests/unit/test_mgmt_apps
TESTS += tests/unit/test_mgmt_apps
# The rules of the application / subscription / key methods (mgmt_apps.h); without
# HUB_CORE_GLUE the two files compile without their Thrift glue and need no database.
tests_unit_test_mgmt_apps_SOURCES = tests/unit/test_mgmt_apps.c \
	keyvalidator/mgmt_apps.c keyvalidator/mgmt_apps.h keyvalidator/mgmt_keys.c \
	keyvalidator/oauth.c keyvalidator/oauth.h keyvalidator/form.c keyvalidator/form.h
tests_unit_test_mgmt_apps_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_mgmt_apps_LDADD = $(TG_COMMON_LIBS)

check_PROGRAMS += tests/unit/test_mgmt_apis
TESTS += tests/unit/test_mgmt_apis
# The rules of the user, tier and API methods (mgmt_apis.h, mgmt_users.h) without a database;
# with TG_TEST_DB_PORT (as test_session) also the methods through the real handler.
tests_unit_test_mgmt_apis_SOURCES = tests/unit/test_mgmt_apis.c
tests_unit_test_mgmt_apis_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_mgmt_apis_LDADD = $(HUB_CORE_LIBS)

check_PROGRAMS += tests/unit/test_mgmt_api_templates
TESTS += tests/unit/test_mgmt_api_templates
# The API rules on resource templates against the shared table (tests/data/uri_templates.tsv).
tests_unit_test_mgmt_api_templates_SOURCES = tests/unit/test_mgmt_api_templates.c \
	$(URI_TABLE_SOURCES)
tests_unit_test_mgmt_api_templates_CPPFLAGS = $(HUB_UNIT_CPPFLAGS) $(URI_TABLE_CPPFLAGS)
tests_unit_test_mgmt_api_templates_LDADD = $(HUB_CORE_LIBS)

# The node health rule and the writer choice (no MariaDB needed: nodes on a dead port).
check_PROGRAMS += tests/unit/test_db_cluster
TESTS += tests/unit/test_db_cluster
tests_unit_test_db_cluster_SOURCES = tests/unit/test_db_cluster.c \
	keyvalidator/db_cluster.c keyvalidator/db_cluster.h
tests_unit_test_db_cluster_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_db_cluster_LDADD = $(TG_COMMON_LIBS) $(MYSQL_LIBS)
