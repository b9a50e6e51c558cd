# keyvalidator/net/local.mk: the hub's network side (Thrift port, HTTPS port,
# protocol sniffing, call dispatch, the validateKey wire path) and the unit tests
# of its pure parts.
libhub_a_SOURCES += \
	keyvalidator/net/thrift_server.c keyvalidator/net/thrift_server.h \
	keyvalidator/net/http_server.c keyvalidator/net/http_server.h \
	keyvalidator/net/protocol_sniff.c keyvalidator/net/protocol_sniff.h \
	keyvalidator/net/hub_rpc.c keyvalidator/net/hub_rpc.h \
	keyvalidator/net/validate_wire.c keyvalidator/net/validate_wire.h

# The validateKey wire reader is checked against c_glib's generated client.
check_PROGRAMS += tests/unit/test_protocol_sniff tests/unit/test_validate_wire
TESTS += tests/unit/test_protocol_sniff tests/unit/test_validate_wire
tests_unit_test_protocol_sniff_SOURCES = tests/unit/test_protocol_sniff.c
tests_unit_test_protocol_sniff_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_protocol_sniff_LDADD = $(HUB_LIBS)
tests_unit_test_validate_wire_SOURCES = tests/unit/test_validate_wire.c
tests_unit_test_validate_wire_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_validate_wire_LDADD = $(HUB_LIBS)
