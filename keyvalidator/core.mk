# keyvalidator/core.mk: libhubcore.a, the hub's core (database pool, store,
# sessions, validation + cache, Thrift handler) plus the OAuth2 / gateway feed /
# usage / documents files of core_ext.mk. The network side (hub binary) links
# it with $(HUB_CORE_LIBS).
noinst_LIBRARIES += libhubcore.a
libhubcore_a_SOURCES = \
	keyvalidator/hub.h keyvalidator/core/hub_internal.h \
	keyvalidator/core/core.c keyvalidator/core/hub_error.c keyvalidator/core/hub_error.h \
	keyvalidator/store/db.c keyvalidator/store/db.h keyvalidator/store/db_cluster.c keyvalidator/store/db_cluster.h \
	keyvalidator/store/store_users.c keyvalidator/store/store_users.h \
	keyvalidator/store/store_apis.c keyvalidator/store/store_tokens.c keyvalidator/store/store_tokens.h \
	keyvalidator/store/roles.c keyvalidator/store/roles.h \
	keyvalidator/store/app_domains.c keyvalidator/store/app_domains.h \
	keyvalidator/methods/store_validation.c keyvalidator/methods/store_validation.h \
	keyvalidator/core/session.c keyvalidator/core/session.h \
	keyvalidator/methods/validation.c keyvalidator/methods/validation.h \
	keyvalidator/core/validation_cache.c keyvalidator/core/validation_cache.h \
	keyvalidator/core/write_budget.c keyvalidator/core/write_budget.h \
	keyvalidator/methods/scope_grant.c keyvalidator/methods/scope_grant.h \
	keyvalidator/methods/handler.c keyvalidator/methods/handler.h \
	keyvalidator/core/login_limiter.c keyvalidator/core/login_limiter.h \
	keyvalidator/core/login.c keyvalidator/core/login.h \
	keyvalidator/methods/mgmt_rules.c keyvalidator/methods/mgmt_rules.h \
	keyvalidator/methods/mgmt_call.c keyvalidator/methods/mgmt_call.h \
	keyvalidator/methods/mgmt.h keyvalidator/methods/mgmt_users.c keyvalidator/methods/mgmt_users.h \
	keyvalidator/methods/mgmt_apis.c keyvalidator/methods/mgmt_apis.h keyvalidator/store/store_apis.h \
	keyvalidator/methods/mgmt_apps.c keyvalidator/methods/mgmt_apps.h keyvalidator/methods/mgmt_keys.c \
	keyvalidator/store/store_apps.c keyvalidator/store/store_apps.h \
	keyvalidator/store/store_keys.c keyvalidator/store/store_keys.h \
	keyvalidator/store/store_throttle.c keyvalidator/store/store_throttle.h keyvalidator/methods/traffic.c
include $(srcdir)/keyvalidator/core_ext.mk
libhubcore_a_SOURCES += $(HUB_EXT_SOURCES)
libhubcore_a_CPPFLAGS = $(AM_CPPFLAGS) $(HUB_INCLUDES) $(MYSQL_CFLAGS) \
	-DHUB_CORE_GLUE -DG_LOG_DOMAIN=\"tollgate-hub\"

# What a program linking libhubcore.a needs.
HUB_CORE_LIBS = libhubcore.a $(TG_COMMON_LIBS) $(MYSQL_LIBS)


HUB_UNIT_CPPFLAGS = $(AM_CPPFLAGS) $(HUB_INCLUDES) $(MYSQL_CFLAGS) \
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
	keyvalidator/methods/validation.c keyvalidator/methods/validation.h $(URI_TABLE_SOURCES)
tests_unit_test_validation_CPPFLAGS = $(HUB_UNIT_CPPFLAGS) $(URI_TABLE_CPPFLAGS)
tests_unit_test_validation_LDADD = $(TG_COMMON_LIBS)

check_PROGRAMS += tests/unit/test_login_limiter
TESTS += tests/unit/test_login_limiter
# login_limiter.c is pure (the clock passed in): tested alone.
tests_unit_test_login_limiter_SOURCES = tests/unit/test_login_limiter.c \
	keyvalidator/core/login_limiter.c keyvalidator/core/login_limiter.h
tests_unit_test_login_limiter_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_login_limiter_LDADD = $(GLIB_LIBS)

check_PROGRAMS += tests/unit/test_write_budget
TESTS += tests/unit/test_write_budget
tests_unit_test_write_budget_SOURCES = tests/unit/test_write_budget.c \
	keyvalidator/core/write_budget.c keyvalidator/core/write_budget.h
tests_unit_test_write_budget_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_write_budget_LDADD = $(GLIB_LIBS)

check_PROGRAMS += tests/unit/test_validation_cache
TESTS += tests/unit/test_validation_cache
tests_unit_test_validation_cache_SOURCES = tests/unit/test_validation_cache.c \
	keyvalidator/core/validation_cache.c keyvalidator/core/validation_cache.h
tests_unit_test_validation_cache_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_validation_cache_LDADD = $(GLIB_LIBS)

check_PROGRAMS += tests/unit/test_mgmt_apps
TESTS += tests/unit/test_mgmt_apps
# The rules of the application / subscription / key methods (mgmt_apps.h); without
# HUB_CORE_GLUE the two files compile without their Thrift glue and need no database.
tests_unit_test_mgmt_apps_SOURCES = tests/unit/test_mgmt_apps.c \
	keyvalidator/methods/mgmt_apps.c keyvalidator/methods/mgmt_apps.h keyvalidator/methods/mgmt_keys.c \
	keyvalidator/methods/mgmt_rules.c keyvalidator/methods/mgmt_rules.h \
	keyvalidator/store/app_domains.c keyvalidator/store/app_domains.h \
	keyvalidator/oauth/oauth.c keyvalidator/oauth/oauth.h keyvalidator/oauth/form.c keyvalidator/oauth/form.h
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
	keyvalidator/store/db_cluster.c keyvalidator/store/db_cluster.h
tests_unit_test_db_cluster_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_db_cluster_LDADD = $(TG_COMMON_LIBS) $(MYSQL_LIBS)
