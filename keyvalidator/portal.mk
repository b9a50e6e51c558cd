# keyvalidator/portal.mk: the hub side of the portal (issue 15): sign-up, settings, store
# search with keyset pages, usage series, secret regeneration, the audit log. SQL in
# store/, rules and Thrift methods in methods/. Included by core.mk, which adds
# $(HUB_PORTAL_SOURCES) to libhubcore.a.
HUB_PORTAL_CPPFLAGS = -I$(top_srcdir)/keyvalidator/store -I$(top_srcdir)/keyvalidator/methods
HUB_PORTAL_SOURCES = \
	keyvalidator/store/api_words.c keyvalidator/store/api_words.h \
	keyvalidator/store/store_search.c keyvalidator/store/store_search.h \
	keyvalidator/store/store_settings.c keyvalidator/store/store_settings.h \
	keyvalidator/store/store_audit.c keyvalidator/store/store_audit.h \
	keyvalidator/store/store_tier_approval.c keyvalidator/store/store_tier_approval.h \
	keyvalidator/store/store_usage_minute.c keyvalidator/store/store_usage_minute.h \
	keyvalidator/methods/api_query.c keyvalidator/methods/api_query.h \
	keyvalidator/methods/portal_rules.c keyvalidator/methods/portal_rules.h \
	keyvalidator/methods/methods_portal.h \
	keyvalidator/methods/methods_account.c \
	keyvalidator/methods/methods_catalog.c \
	keyvalidator/methods/methods_usage.c \
	keyvalidator/methods/audit_log.c keyvalidator/methods/audit_log.h

# Pure: the search syntax and the portal rules, without a database.
check_PROGRAMS += tests/unit/test_api_query tests/unit/test_portal_rules
TESTS += tests/unit/test_api_query tests/unit/test_portal_rules
tests_unit_test_api_query_SOURCES = tests/unit/test_api_query.c \
	keyvalidator/methods/api_query.c keyvalidator/methods/api_query.h \
	keyvalidator/store/api_words.c keyvalidator/store/api_words.h
tests_unit_test_api_query_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_api_query_LDADD = $(GLIB_LIBS)
tests_unit_test_portal_rules_SOURCES = tests/unit/test_portal_rules.c \
	keyvalidator/methods/portal_rules.c keyvalidator/methods/portal_rules.h
tests_unit_test_portal_rules_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_portal_rules_LDADD = $(TG_COMMON_LIBS)

# The handler: every Tollgate method name answers (no NULL vfunc); with TG_TEST_DB_PORT the
# searches' EXPLAIN shows an index for every query shape.
check_PROGRAMS += tests/unit/test_store_search
TESTS += tests/unit/test_store_search
tests_unit_test_store_search_SOURCES = tests/unit/test_store_search.c
tests_unit_test_store_search_CPPFLAGS = $(HUB_UNIT_CPPFLAGS)
tests_unit_test_store_search_LDADD = $(HUB_CORE_LIBS)
