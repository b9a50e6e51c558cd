# keyvalidator/methods/local.mk: the Thrift handler and the service methods, one
# file of pure rules and one of methods per service area; their unit tests run
# the rules without a database.
libhub_a_SOURCES += \
	keyvalidator/methods/handler.c keyvalidator/methods/handler.h \
	keyvalidator/methods/methods.h \
	keyvalidator/methods/mgmt_call.c keyvalidator/methods/mgmt_call.h \
	keyvalidator/methods/mgmt_rules.c keyvalidator/methods/mgmt_rules.h \
	keyvalidator/methods/mgmt_users.c keyvalidator/methods/mgmt_users.h \
	keyvalidator/methods/user_methods.c \
	keyvalidator/methods/mgmt_apis.c keyvalidator/methods/mgmt_apis.h \
	keyvalidator/methods/api_methods.c \
	keyvalidator/methods/tier_refs.c keyvalidator/methods/tier_refs.h \
	keyvalidator/methods/mgmt_apps.c keyvalidator/methods/mgmt_apps.h \
	keyvalidator/methods/app_methods.c \
	keyvalidator/methods/mgmt_keys.c keyvalidator/methods/key_methods.c \
	keyvalidator/methods/validate_key.c keyvalidator/methods/validate_key.h \
	keyvalidator/methods/validation.c keyvalidator/methods/validation.h \
	keyvalidator/methods/docs.c keyvalidator/methods/docs.h \
	keyvalidator/methods/doc_methods.c \
	keyvalidator/methods/feed.c keyvalidator/methods/feed.h \
	keyvalidator/methods/feed_methods.c \
	keyvalidator/methods/usage.c keyvalidator/methods/usage.h \
	keyvalidator/methods/usage_methods.c \
	keyvalidator/methods/traffic.c keyvalidator/methods/policy.c \
	keyvalidator/methods/api_query.c keyvalidator/methods/api_query.h \
	keyvalidator/methods/portal_rules.c keyvalidator/methods/portal_rules.h \
	keyvalidator/methods/methods_portal.h \
	keyvalidator/methods/methods_account.c \
	keyvalidator/methods/portal_sessions.c \
	keyvalidator/methods/methods_catalog.c \
	keyvalidator/methods/methods_usage.c \
	keyvalidator/methods/audit_log.c keyvalidator/methods/audit_log.h \
	keyvalidator/methods/audit_methods.c

# The portal's search syntax and rules (issue 15), pure.
check_PROGRAMS += tests/unit/test_api_query tests/unit/test_portal_rules
TESTS += tests/unit/test_api_query tests/unit/test_portal_rules
tests_unit_test_api_query_SOURCES = tests/unit/test_api_query.c
tests_unit_test_api_query_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_api_query_LDADD = $(HUB_LIBS)
tests_unit_test_portal_rules_SOURCES = tests/unit/test_portal_rules.c
tests_unit_test_portal_rules_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_portal_rules_LDADD = $(HUB_LIBS)

check_PROGRAMS += tests/unit/test_validation tests/unit/test_mgmt_apps \
	tests/unit/test_mgmt_apis tests/unit/test_mgmt_users tests/unit/test_mgmt_api_templates tests/unit/test_feed
TESTS += tests/unit/test_validation tests/unit/test_mgmt_apps \
	tests/unit/test_mgmt_apis tests/unit/test_mgmt_users tests/unit/test_mgmt_api_templates tests/unit/test_feed
# validation.c is a pure function, checked against the shared URI template table.
tests_unit_test_validation_SOURCES = tests/unit/test_validation.c $(URI_TABLE_SOURCES)
tests_unit_test_validation_CPPFLAGS = $(HUB_CPPFLAGS) $(URI_TABLE_CPPFLAGS)
tests_unit_test_validation_LDADD = $(HUB_LIBS)
tests_unit_test_mgmt_apps_SOURCES = tests/unit/test_mgmt_apps.c
tests_unit_test_mgmt_apps_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_mgmt_apps_LDADD = $(HUB_LIBS)
# with TG_TEST_DB_PORT (as test_session) also the methods through the real handler.
tests_unit_test_mgmt_apis_SOURCES = tests/unit/test_mgmt_apis.c $(HUB_TEST_HUB_SOURCES)
tests_unit_test_mgmt_apis_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_mgmt_apis_LDADD = $(HUB_LIBS)
tests_unit_test_mgmt_users_SOURCES = tests/unit/test_mgmt_users.c $(HUB_TEST_HUB_SOURCES)
tests_unit_test_mgmt_users_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_mgmt_users_LDADD = $(HUB_LIBS)
tests_unit_test_mgmt_api_templates_SOURCES = tests/unit/test_mgmt_api_templates.c \
	$(URI_TABLE_SOURCES)
tests_unit_test_mgmt_api_templates_CPPFLAGS = $(HUB_CPPFLAGS) $(URI_TABLE_CPPFLAGS)
tests_unit_test_mgmt_api_templates_LDADD = $(HUB_LIBS)
tests_unit_test_feed_SOURCES = tests/unit/test_feed.c
tests_unit_test_feed_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_feed_LDADD = $(HUB_LIBS)
