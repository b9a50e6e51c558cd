# keyvalidator/local.mk: the hub, tollgate-keyvalidator. main.c and the
# configuration reader are here; each subsystem folder lists its files and their
# unit tests in its own local.mk. Every file but main.c goes into libhub.a once,
# which the binary and the unit tests link (no file is compiled twice).
# (tollgatectl: ctl/local.mk.)

# Every hub file includes by file name: these are the hub's subsystem folders.
HUB_INCLUDES = -I$(top_srcdir)/keyvalidator -I$(top_srcdir)/keyvalidator/net \
	-I$(top_srcdir)/keyvalidator/core -I$(top_srcdir)/keyvalidator/store \
	-I$(top_srcdir)/keyvalidator/methods -I$(top_srcdir)/keyvalidator/oauth
HUB_CPPFLAGS = $(AM_CPPFLAGS) $(HUB_INCLUDES) $(MYSQL_CFLAGS) $(EVHTP_CFLAGS) \
	$(LIBEVENT_CFLAGS) -DG_LOG_DOMAIN=\"tollgate-hub\"
# What a program linking the hub's library needs.
HUB_LIBS = libhub.a $(TG_COMMON_LIBS) $(MYSQL_LIBS) $(EVHTP_LIBS) $(LIBEVENT_LIBS)

noinst_LIBRARIES += libhub.a
libhub_a_SOURCES = keyvalidator/hub.h keyvalidator/hub_config.c keyvalidator/hub_config.h
libhub_a_CPPFLAGS = $(HUB_CPPFLAGS)
include $(srcdir)/keyvalidator/net/local.mk
include $(srcdir)/keyvalidator/core/local.mk
include $(srcdir)/keyvalidator/store/local.mk
include $(srcdir)/keyvalidator/methods/local.mk
include $(srcdir)/keyvalidator/oauth/local.mk

bin_PROGRAMS += tollgate-keyvalidator
tollgate_keyvalidator_SOURCES = keyvalidator/main.c
tollgate_keyvalidator_CPPFLAGS = $(HUB_CPPFLAGS)
tollgate_keyvalidator_LDADD = $(HUB_LIBS) $(JEMALLOC_LIBS) -lpthread

check_PROGRAMS += tests/unit/test_hub_config
TESTS += tests/unit/test_hub_config
tests_unit_test_hub_config_SOURCES = tests/unit/test_hub_config.c
tests_unit_test_hub_config_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_hub_config_LDADD = $(HUB_LIBS)

EXTRA_DIST += keyvalidator/tollgate-keyvalidator.conf.sample
