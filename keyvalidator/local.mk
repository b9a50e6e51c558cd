# keyvalidator/local.mk: the hub binary (network side). The core library has
# its own fragment, included here (tollgatectl: ctl/local.mk).
# Every hub file includes by file name: these are the hub's subsystem folders.
HUB_INCLUDES = -I$(top_srcdir)/keyvalidator -I$(top_srcdir)/keyvalidator/net \
	-I$(top_srcdir)/keyvalidator/core -I$(top_srcdir)/keyvalidator/store \
	-I$(top_srcdir)/keyvalidator/methods -I$(top_srcdir)/keyvalidator/oauth
include $(srcdir)/keyvalidator/core.mk

bin_PROGRAMS += tollgate-keyvalidator
HUB_NET_CPPFLAGS = $(AM_CPPFLAGS) $(HUB_INCLUDES) $(EVHTP_CFLAGS) $(LIBEVENT_CFLAGS) \
	-DG_LOG_DOMAIN=\"tollgate-hub\"
tollgate_keyvalidator_SOURCES = \
	keyvalidator/main.c \
	keyvalidator/hub_config.c keyvalidator/hub_config.h \
	keyvalidator/net/hub_rpc.c keyvalidator/net/hub_rpc.h \
	keyvalidator/net/validate_wire.c keyvalidator/net/validate_wire.h \
	keyvalidator/net/protocol_sniff.c keyvalidator/net/protocol_sniff.h \
	keyvalidator/net/thrift_server.c keyvalidator/net/thrift_server.h \
	keyvalidator/net/http_server.c keyvalidator/net/http_server.h
tollgate_keyvalidator_CPPFLAGS = $(HUB_NET_CPPFLAGS)
tollgate_keyvalidator_LDADD = $(HUB_CORE_LIBS) $(EVHTP_LIBS) $(LIBEVENT_LIBS) $(JEMALLOC_LIBS) -lpthread

# Pure code, no sockets: the protocol sniffer, the configuration reader and the
# validateKey wire reader (checked against c_glib's generated client).
check_PROGRAMS += tests/unit/test_protocol_sniff tests/unit/test_hub_config \
	tests/unit/test_validate_wire
TESTS += tests/unit/test_protocol_sniff tests/unit/test_hub_config tests/unit/test_validate_wire

tests_unit_test_validate_wire_SOURCES = tests/unit/test_validate_wire.c \
	keyvalidator/net/validate_wire.c keyvalidator/net/validate_wire.h
tests_unit_test_validate_wire_CPPFLAGS = $(HUB_NET_CPPFLAGS)
tests_unit_test_validate_wire_LDADD = $(TG_COMMON_LIBS)

tests_unit_test_protocol_sniff_SOURCES = tests/unit/test_protocol_sniff.c \
	keyvalidator/net/protocol_sniff.c keyvalidator/net/protocol_sniff.h
tests_unit_test_protocol_sniff_CPPFLAGS = $(HUB_NET_CPPFLAGS)
tests_unit_test_protocol_sniff_LDADD = $(GLIB_LIBS)

tests_unit_test_hub_config_SOURCES = tests/unit/test_hub_config.c \
	keyvalidator/hub_config.c keyvalidator/hub_config.h
tests_unit_test_hub_config_CPPFLAGS = $(HUB_NET_CPPFLAGS)
tests_unit_test_hub_config_LDADD = $(TG_COMMON_LIBS)

EXTRA_DIST += keyvalidator/tollgate-keyvalidator.conf.sample
