# gateway/hubside.mk: the gateway hub side: hub_pool, feed, token_cache, key_auth and usage plugins.
# Included from gateway/local.mk after tollgate_gateway_SOURCES is first assigned.
tollgate_gateway_SOURCES += \
	gateway/hubside.c gateway/hubside.h \
	gateway/hub_pool.c gateway/hub_pool.h \
	gateway/feed.c gateway/feed.h \
	gateway/token_cache.c gateway/token_cache.h gateway/scratch.h \
	gateway/usage_reporter.c gateway/usage_reporter.h \
	gateway/plugins/key_auth.c gateway/plugins/usage.c

# Unit tests: no hub needed (hub_pool runs against fake connections).
check_PROGRAMS += tests/unit/test_token_cache tests/unit/test_hub_pool
TESTS += tests/unit/test_token_cache tests/unit/test_hub_pool

tests_unit_test_token_cache_SOURCES = tests/unit/test_token_cache.c \
	gateway/token_cache.c gateway/token_cache.h gateway/scratch.h
tests_unit_test_token_cache_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_token_cache_LDADD = libtgcommon.a $(GLIB_LIBS)

tests_unit_test_hub_pool_SOURCES = tests/unit/test_hub_pool.c \
	gateway/hub_pool.c gateway/hub_pool.h common/tg_metrics.c common/tg_metrics.h
tests_unit_test_hub_pool_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_hub_pool_LDADD = $(GLIB_LIBS)
