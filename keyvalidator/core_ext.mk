# keyvalidator/core_ext.mk: the hub core's OAuth2 endpoints, gateway change
# feed, usage ingestion and documents, and their unit tests. Included by
# core.mk (after libhubcore_a_SOURCES is set), which adds $(HUB_EXT_SOURCES)
# to libhubcore.a. The unit tests compile the logic alone, without the
# database side, so they run without core or a MariaDB. core.mk defines
# HUB_CORE_GLUE for libhubcore.a, which compiles the Thrift methods and the
# database-backed OAuth2 backend. (HUB_EXT_SOURCES must be used by core.mk's
# libhubcore_a_SOURCES, or automake -Werror takes it for a library's sources.)
HUB_EXT_SOURCES = \
	keyvalidator/methods/methods_ext.h \
	keyvalidator/oauth/form.c keyvalidator/oauth/form.h \
	keyvalidator/oauth/oauth.c keyvalidator/oauth/oauth.h \
	keyvalidator/methods/feed.c keyvalidator/methods/feed.h \
	keyvalidator/methods/usage.c keyvalidator/methods/usage.h \
	keyvalidator/methods/docs.c keyvalidator/methods/docs.h

check_PROGRAMS += tests/unit/test_oauth_form tests/unit/test_feed
TESTS += tests/unit/test_oauth_form tests/unit/test_feed

# The hub glue in these files is #ifdef HUB_CORE_GLUE (core.mk defines it for libhubcore.a);
# without it the tests build the logic alone and oauth_form plugs in a fake OAuthBackend.
tests_unit_test_oauth_form_SOURCES = tests/unit/test_oauth_form.c \
	keyvalidator/oauth/form.c keyvalidator/oauth/form.h keyvalidator/oauth/oauth.c keyvalidator/oauth/oauth.h
tests_unit_test_oauth_form_CPPFLAGS = $(AM_CPPFLAGS) $(HUB_INCLUDES) $(MYSQL_CFLAGS) \
	-DG_LOG_DOMAIN=\"tollgate-hub\"
tests_unit_test_oauth_form_LDADD = $(TG_COMMON_LIBS)

tests_unit_test_feed_SOURCES = tests/unit/test_feed.c \
	keyvalidator/methods/feed.c keyvalidator/methods/feed.h keyvalidator/methods/usage.c keyvalidator/methods/usage.h \
	keyvalidator/methods/docs.c keyvalidator/methods/docs.h
tests_unit_test_feed_CPPFLAGS = $(AM_CPPFLAGS) $(HUB_INCLUDES) $(MYSQL_CFLAGS) \
	-DG_LOG_DOMAIN=\"tollgate-hub\"
tests_unit_test_feed_LDADD = $(TG_COMMON_LIBS) $(MYSQL_LIBS)
