# gateway/hubside.mk: the gateway hub side: hub_pool, feed, token_cache, key_auth and usage plugins.
# Included from gateway/local.mk after tollgate_gateway_SOURCES is first assigned.
tollgate_gateway_SOURCES += \
	gateway/hubside.c gateway/hubside.h \
	gateway/hub_pool.c gateway/hub_pool.h \
	gateway/feed.c gateway/feed.h \
	gateway/token_cache.c gateway/token_cache.h gateway/scratch.h \
	gateway/usage_reporter.c gateway/usage_reporter.h \
	gateway/plugins/key_auth.c gateway/plugins/usage.c \
	gateway/credit_store.c gateway/credit_store.h gateway/block_list.c gateway/block_list.h \
	gateway/ratelimit_headers.c gateway/ratelimit_headers.h gateway/plugins/throttle.c \
	gateway/policy_set.c gateway/policy_set.h

# Unit tests: no hub needed (hub_pool runs against fake connections).
check_PROGRAMS += tests/unit/test_token_cache tests/unit/test_hub_pool tests/unit/test_credit_store
TESTS += tests/unit/test_token_cache tests/unit/test_hub_pool tests/unit/test_credit_store

# The throttle plugin's pure parts: credit store, blocking conditions, header text.
tests_unit_test_credit_store_SOURCES = tests/unit/test_credit_store.c \
	gateway/credit_store.c gateway/credit_store.h gateway/block_list.c gateway/block_list.h \
	gateway/policy_set.c gateway/policy_set.h \
	gateway/ratelimit_headers.c gateway/ratelimit_headers.h
tests_unit_test_credit_store_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_credit_store_LDADD = libtgcommon.a $(GLIB_LIBS)

tests_unit_test_token_cache_SOURCES = tests/unit/test_token_cache.c \
	gateway/token_cache.c gateway/token_cache.h gateway/scratch.h
tests_unit_test_token_cache_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_token_cache_LDADD = libtgcommon.a $(GLIB_LIBS)

tests_unit_test_hub_pool_SOURCES = tests/unit/test_hub_pool.c \
	gateway/hub_pool.c gateway/hub_pool.h common/tg_metrics.c common/tg_metrics.h
tests_unit_test_hub_pool_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_hub_pool_LDADD = $(GLIB_LIBS)
