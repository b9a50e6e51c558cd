# common/local.mk: libtgcommon.a, the one internal library for code that more
# than one daemon (or tollgatectl) needs. Nothing here touches the database.
noinst_LIBRARIES += libtgcommon.a
libtgcommon_a_SOURCES = \
	common/tg_config.c common/tg_config.h \
	common/tg_config_table.c common/tg_config_table.h \
	common/tg_daemon_options.c common/tg_daemon_options.h \
	common/tg_log.c common/tg_log.h \
	common/tg_crypto.c common/tg_crypto.h \
	common/tg_json.c common/tg_json.h \
	common/tg_strpack.c common/tg_strpack.h \
	common/tg_hash.h \
	common/tg_status.c common/tg_status.h \
	common/tg_metrics.c common/tg_metrics.h \
	common/tg_tls.c common/tg_tls.h \
	common/tg_socket_transport.c common/tg_socket_transport.h \
	common/tg_thrift_scan.c common/tg_thrift_scan.h \
	common/tg_limited_protocol.c common/tg_limited_protocol.h \
	common/tg_hub_client.c common/tg_hub_client.h \
	common/tg_uri_template.c common/tg_uri_template.h \
	common/tg_throttle.c common/tg_throttle.h \
	common/tg_cidr.c common/tg_cidr.h \
	common/tg_http_syntax.c common/tg_http_syntax.h \
	common/tg_lifecycle.c common/tg_lifecycle.h \
	common/tg_form.c common/tg_form.h \
	common/tg_names.c common/tg_names.h \
	common/tg_linger.c common/tg_linger.h \
	common/tg_latency_histogram.c common/tg_latency_histogram.h
libtgcommon_a_CPPFLAGS = $(AM_CPPFLAGS) $(LIBEVENT_CFLAGS)

# What a program linking libtgcommon.a (and libtgthrift.a) needs.
TG_COMMON_LIBS = libtgcommon.a libtgthrift.a $(THRIFT_C_GLIB_LIBS) $(GLIB_LIBS) $(OPENSSL_LIBS)

check_PROGRAMS += tests/unit/test_socket_transport tests/unit/test_thrift_fixes tests/unit/test_crypto \
	tests/unit/test_thrift_scan tests/unit/test_strpack tests/unit/test_metrics tests/unit/test_uri_template \
	tests/unit/test_throttle_window tests/unit/test_http_syntax tests/unit/test_lifecycle tests/unit/test_form \
	tests/unit/test_names tests/unit/test_limited_protocol tests/unit/test_hub_client tests/unit/test_hash
TESTS += tests/unit/test_socket_transport tests/unit/test_thrift_fixes tests/unit/test_crypto \
	tests/unit/test_thrift_scan tests/unit/test_strpack tests/unit/test_metrics tests/unit/test_uri_template \
	tests/unit/test_throttle_window tests/unit/test_http_syntax tests/unit/test_lifecycle tests/unit/test_form \
	tests/unit/test_names tests/unit/test_limited_protocol tests/unit/test_hub_client tests/unit/test_hash
# The one table of URI-template cases (tests/data/uri_templates.tsv) and its reader, shared
# by the matcher's, the hub's (test_validation) and the gateway's (test_router) unit tests.
URI_TABLE_SOURCES = tests/unit/uri_table.c tests/unit/uri_table.h
URI_TABLE_CPPFLAGS = -DURI_TABLE_PATH=\"$(abs_top_srcdir)/tests/data/uri_templates.tsv\"
EXTRA_DIST += tests/data/uri_templates.tsv
tests_unit_test_uri_template_SOURCES = tests/unit/test_uri_template.c $(URI_TABLE_SOURCES)
tests_unit_test_uri_template_CPPFLAGS = $(AM_CPPFLAGS) $(URI_TABLE_CPPFLAGS)
tests_unit_test_uri_template_LDADD = $(TG_COMMON_LIBS)
tests_unit_test_throttle_window_SOURCES = tests/unit/test_throttle_window.c
tests_unit_test_throttle_window_LDADD = $(TG_COMMON_LIBS)
tests_unit_test_form_SOURCES = tests/unit/test_form.c
tests_unit_test_form_LDADD = $(TG_COMMON_LIBS)
tests_unit_test_names_SOURCES = tests/unit/test_names.c
tests_unit_test_names_LDADD = $(TG_COMMON_LIBS)
tests_unit_test_lifecycle_SOURCES = tests/unit/test_lifecycle.c
tests_unit_test_lifecycle_LDADD = $(TG_COMMON_LIBS)
tests_unit_test_http_syntax_SOURCES = tests/unit/test_http_syntax.c
tests_unit_test_http_syntax_LDADD = $(TG_COMMON_LIBS)
tests_unit_test_metrics_SOURCES = tests/unit/test_metrics.c
tests_unit_test_metrics_LDADD = $(TG_COMMON_LIBS)
tests_unit_test_strpack_SOURCES = tests/unit/test_strpack.c
tests_unit_test_strpack_LDADD = $(TG_COMMON_LIBS)
tests_unit_test_thrift_scan_SOURCES = tests/unit/test_thrift_scan.c
tests_unit_test_thrift_scan_LDADD = $(TG_COMMON_LIBS)
tests_unit_test_crypto_SOURCES = tests/unit/test_crypto.c
tests_unit_test_crypto_LDADD = $(TG_COMMON_LIBS)
tests_unit_test_thrift_fixes_SOURCES = tests/unit/test_thrift_fixes.c
tests_unit_test_thrift_fixes_LDADD = $(TG_COMMON_LIBS)
tests_unit_test_hash_SOURCES = tests/unit/test_hash.c
tests_unit_test_hash_LDADD = $(GLIB_LIBS)
tests_unit_test_hub_client_SOURCES = tests/unit/test_hub_client.c
tests_unit_test_hub_client_LDADD = $(TG_COMMON_LIBS)
tests_unit_test_limited_protocol_SOURCES = tests/unit/test_limited_protocol.c
tests_unit_test_limited_protocol_LDADD = $(TG_COMMON_LIBS)
tests_unit_test_socket_transport_SOURCES = tests/unit/test_socket_transport.c
tests_unit_test_socket_transport_LDADD = $(TG_COMMON_LIBS)

# tg_config from text (tg_config_load_data): what the config fuzz targets read through.
check_PROGRAMS += tests/unit/test_tg_config
TESTS += tests/unit/test_tg_config
tests_unit_test_tg_config_SOURCES = tests/unit/test_tg_config.c
tests_unit_test_tg_config_LDADD = $(TG_COMMON_LIBS)

# The generic key table (tg_config_table): every kind, bounds, unknown keys, printing.
check_PROGRAMS += tests/unit/test_config_table
TESTS += tests/unit/test_config_table
tests_unit_test_config_table_SOURCES = tests/unit/test_config_table.c
tests_unit_test_config_table_LDADD = $(TG_COMMON_LIBS)
# The command line the daemons share (tg_daemon_options).
check_PROGRAMS += tests/unit/test_daemon_options
TESTS += tests/unit/test_daemon_options
tests_unit_test_daemon_options_SOURCES = tests/unit/test_daemon_options.c
tests_unit_test_daemon_options_LDADD = $(TG_COMMON_LIBS)
# The lingering close (tg_linger) on loopback sockets and an event loop of its own.
check_PROGRAMS += tests/unit/test_linger
TESTS += tests/unit/test_linger
tests_unit_test_linger_SOURCES = tests/unit/test_linger.c
tests_unit_test_linger_CPPFLAGS = $(AM_CPPFLAGS) $(LIBEVENT_CFLAGS)
tests_unit_test_linger_LDADD = $(TG_COMMON_LIBS) $(LIBEVENT_LIBS)
