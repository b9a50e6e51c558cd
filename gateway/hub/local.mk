# gateway/hub/local.mk: the gateway's hub side (hub pool, feed, token cache, usage
# reporter, throttle state) and the plugins that use it (key_auth, usage, throttle).
# Included from gateway/local.mk after libtggateway_a_SOURCES is first assigned.
libtggateway_a_SOURCES += \
	gateway/hub/hubside.c gateway/hub/hubside.h gateway/hub/hub_call.c gateway/hub/hub_call.h \
	gateway/hub/hub_pool.c gateway/hub/hub_pool.h \
	gateway/hub/feed.c gateway/hub/feed.h \
	gateway/hub/token_cache.c gateway/hub/token_cache.h gateway/hub/scratch.h \
	gateway/hub/usage_reporter.c gateway/hub/usage_reporter.h \
	gateway/plugins/key_auth.c gateway/plugins/usage.c \
	gateway/hub/credit_store.c gateway/hub/credit_store.h gateway/hub/block_list.c gateway/hub/block_list.h \
	gateway/hub/ratelimit_headers.c gateway/hub/ratelimit_headers.h gateway/plugins/throttle.c \
	gateway/plugins/throttle_plan.c gateway/plugins/throttle_plan.h \
	gateway/hub/policy_set.c gateway/hub/policy_set.h

# Unit tests: no hub needed (hub_pool runs against fake connections).
check_PROGRAMS += tests/unit/test_token_cache tests/unit/test_hub_pool tests/unit/test_credit_store \
	tests/unit/test_throttle_plan
TESTS += tests/unit/test_token_cache tests/unit/test_hub_pool tests/unit/test_credit_store \
	tests/unit/test_throttle_plan

# The throttle plugin's pure parts: credit store, blocking conditions, header text.
tests_unit_test_credit_store_SOURCES = tests/unit/test_credit_store.c
tests_unit_test_credit_store_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_credit_store_LDADD = $(GATEWAY_LIBS)

tests_unit_test_throttle_plan_SOURCES = tests/unit/test_throttle_plan.c
tests_unit_test_throttle_plan_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_throttle_plan_LDADD = $(GATEWAY_LIBS)

tests_unit_test_token_cache_SOURCES = tests/unit/test_token_cache.c
tests_unit_test_token_cache_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_token_cache_LDADD = $(GATEWAY_LIBS)

tests_unit_test_hub_pool_SOURCES = tests/unit/test_hub_pool.c
tests_unit_test_hub_pool_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_hub_pool_LDADD = $(GATEWAY_LIBS)
