# keyvalidator/core/local.mk: the Hub object and its change watcher, sessions,
# logins and their limiter, the scope grant, the validation caches, the write budget, errors.
libhub_a_SOURCES += \
	keyvalidator/core/core.c keyvalidator/core/hub_internal.h \
	keyvalidator/core/hub_error.c keyvalidator/core/hub_error.h \
	keyvalidator/core/session.c keyvalidator/core/session.h \
	keyvalidator/core/login.c keyvalidator/core/login.h \
	keyvalidator/core/login_limiter.c keyvalidator/core/login_limiter.h \
	keyvalidator/core/scope_grant.c keyvalidator/core/scope_grant.h \
	keyvalidator/core/ttl_cache.c keyvalidator/core/ttl_cache.h \
	keyvalidator/core/validation_caches.c keyvalidator/core/validation_caches.h \
	keyvalidator/core/write_budget.c keyvalidator/core/write_budget.h

# test_session needs the whole hub; with TG_TEST_DB_PORT (MariaDB with sql/ loaded) it
# also logs in. The limiter and the budget are pure (the clock passed in).
# A whole Hub on the harness's MariaDB, for test_session and test_mgmt_apis.
HUB_TEST_HUB_SOURCES = tests/unit/hub_test_hub.c tests/unit/hub_test_hub.h
check_PROGRAMS += tests/unit/test_session tests/unit/test_portal_sessions tests/unit/test_validate_key_db tests/unit/test_login_limiter \
	tests/unit/test_write_budget tests/unit/test_ttl_cache
TESTS += tests/unit/test_session tests/unit/test_portal_sessions tests/unit/test_validate_key_db tests/unit/test_login_limiter \
	tests/unit/test_write_budget tests/unit/test_ttl_cache
tests_unit_test_session_SOURCES = tests/unit/test_session.c $(HUB_TEST_HUB_SOURCES)
tests_unit_test_portal_sessions_SOURCES = tests/unit/test_portal_sessions.c $(HUB_TEST_HUB_SOURCES)
tests_unit_test_portal_sessions_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_portal_sessions_LDADD = $(HUB_LIBS)
tests_unit_test_session_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_session_LDADD = $(HUB_LIBS)
tests_unit_test_validate_key_db_SOURCES = tests/unit/test_validate_key_db.c $(HUB_TEST_HUB_SOURCES)
tests_unit_test_validate_key_db_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_validate_key_db_LDADD = $(HUB_LIBS)
tests_unit_test_login_limiter_SOURCES = tests/unit/test_login_limiter.c
tests_unit_test_login_limiter_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_login_limiter_LDADD = $(HUB_LIBS)
tests_unit_test_write_budget_SOURCES = tests/unit/test_write_budget.c
tests_unit_test_write_budget_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_write_budget_LDADD = $(HUB_LIBS)
tests_unit_test_ttl_cache_SOURCES = tests/unit/test_ttl_cache.c
tests_unit_test_ttl_cache_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_ttl_cache_LDADD = $(HUB_LIBS)
