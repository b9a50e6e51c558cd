# gateway/local.mk: tollgate-gateway. Everything but main.c is one internal
# library, libtggateway.a, which the program and the unit tests link: a test
# names the library instead of recompiling the files it needs. The hub side
# (gateway/hub/ and the plugins that use it) has its own fragment, included at
# the end: it appends to libtggateway_a_SOURCES with += (automake wants the
# first assignment here).
bin_PROGRAMS += tollgate-gateway
noinst_LIBRARIES += libtggateway.a

# Each subsystem folder is on the include path (nginx's src/core, src/http...):
# a file includes a header by its name, the folder map in docs/HACKING.md says
# which folder may include which.
GATEWAY_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/gateway -I$(top_srcdir)/gateway/http \
	-I$(top_srcdir)/gateway/upstream -I$(top_srcdir)/gateway/route -I$(top_srcdir)/gateway/hub \
	-I$(top_srcdir)/gateway/plugins $(EVHTP_CFLAGS) $(LIBEVENT_CFLAGS) \
	-DG_LOG_DOMAIN=\"tollgate-gateway\"

libtggateway_a_SOURCES = \
	gateway/plugin.h gateway/gateway_host.h gateway/gateway_error.h \
	gateway/gateway_config.c gateway/gateway_config.h \
	gateway/server.c gateway/server.h \
	gateway/http/worker.h gateway/http/connection.c gateway/http/connection.h \
	gateway/http/request.c gateway/http/request.h \
	gateway/http/http_header.c gateway/http/http_header.h \
	gateway/http/http_head.c gateway/http/http_head.h \
	gateway/http/response_head.c gateway/http/response_head.h \
	gateway/http/request_scan.c gateway/http/request_scan.h \
	gateway/http/conn_scan.c gateway/http/conn_scan.h \
	gateway/http/path_norm.c gateway/http/path_norm.h \
	gateway/http/admin.c gateway/http/admin.h \
	gateway/upstream/proxy.c gateway/upstream/proxy.h \
	gateway/upstream/backend_answer.c gateway/upstream/backend_answer.h \
	gateway/upstream/upstream_pool.c gateway/upstream/upstream_pool.h \
	gateway/route/router.c gateway/route/router.h gateway/route/endpoint.c gateway/route/endpoint.h \
	gateway/plugins/plugin_chain.c gateway/plugins/plugin_chain.h \
	gateway/plugins/plugin_loader.c gateway/plugins/plugin_loader.h \
	gateway/plugins/builtin.c gateway/plugins/builtin.h \
	gateway/plugins/cors.c gateway/plugins/headers.c
libtggateway_a_CPPFLAGS = $(GATEWAY_CPPFLAGS)
GATEWAY_LIBS = libtggateway.a $(TG_COMMON_LIBS) $(EVHTP_LIBS) $(LIBEVENT_LIBS)

tollgate_gateway_SOURCES = gateway/main.c
tollgate_gateway_CPPFLAGS = $(GATEWAY_CPPFLAGS)
# External plugins call the tg_request_* accessors that live in the binary: the
# whole library is linked in, so none is left out for not being used inside.
tollgate_gateway_LDFLAGS = $(AM_LDFLAGS) -Wl,--export-dynamic \
	-Wl,--whole-archive,libtggateway.a,--no-whole-archive
tollgate_gateway_LDADD = $(TG_COMMON_LIBS) $(EVHTP_LIBS) $(LIBEVENT_LIBS) $(JEMALLOC_LIBS)
# Set by hand (libtggateway.a is linked through LDFLAGS), so it names every
# archive LDADD links too: without them make could link before libtgthrift.a exists.
tollgate_gateway_DEPENDENCIES = libtggateway.a libtgcommon.a libtgthrift.a

# Unit tests (pure code: no sockets).
check_PROGRAMS += tests/unit/test_router tests/unit/test_plugin_loader \
	tests/unit/test_gateway_config tests/unit/test_endpoint tests/unit/test_http_header \
	tests/unit/test_http_head tests/unit/test_scratch tests/unit/test_request_scan \
	tests/unit/test_path_norm tests/unit/test_backend_answer
TESTS += tests/unit/test_router tests/unit/test_plugin_loader \
	tests/unit/test_gateway_config tests/unit/test_endpoint tests/unit/test_http_header \
	tests/unit/test_http_head tests/unit/test_scratch tests/unit/test_request_scan \
	tests/unit/test_path_norm tests/unit/test_backend_answer

# The backend connection's lazy read timer, on a loopback socket.
check_PROGRAMS += tests/unit/test_upstream_timer
TESTS += tests/unit/test_upstream_timer
tests_unit_test_upstream_timer_SOURCES = tests/unit/test_upstream_timer.c
tests_unit_test_upstream_timer_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_upstream_timer_LDADD = $(GATEWAY_LIBS)

tests_unit_test_request_scan_SOURCES = tests/unit/test_request_scan.c
tests_unit_test_request_scan_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_request_scan_LDADD = $(GATEWAY_LIBS)

tests_unit_test_path_norm_SOURCES = tests/unit/test_path_norm.c
tests_unit_test_path_norm_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_path_norm_LDADD = $(GATEWAY_LIBS)

tests_unit_test_backend_answer_SOURCES = tests/unit/test_backend_answer.c
tests_unit_test_backend_answer_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_backend_answer_LDADD = $(GATEWAY_LIBS)

tests_unit_test_scratch_SOURCES = tests/unit/test_scratch.c gateway/hub/scratch.h
tests_unit_test_scratch_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_scratch_LDADD = $(GLIB_LIBS)

tests_unit_test_http_head_SOURCES = tests/unit/test_http_head.c
tests_unit_test_http_head_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_http_head_LDADD = $(GATEWAY_LIBS)

tests_unit_test_http_header_SOURCES = tests/unit/test_http_header.c
tests_unit_test_http_header_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_http_header_LDADD = $(GATEWAY_LIBS)

tests_unit_test_endpoint_SOURCES = tests/unit/test_endpoint.c
tests_unit_test_endpoint_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_endpoint_LDADD = $(GATEWAY_LIBS)

tests_unit_test_gateway_config_SOURCES = tests/unit/test_gateway_config.c
tests_unit_test_gateway_config_CPPFLAGS = $(GATEWAY_CPPFLAGS)
tests_unit_test_gateway_config_LDADD = $(GATEWAY_LIBS)

tests_unit_test_router_SOURCES = tests/unit/test_router.c $(URI_TABLE_SOURCES)
tests_unit_test_router_CPPFLAGS = $(GATEWAY_CPPFLAGS) $(URI_TABLE_CPPFLAGS)
tests_unit_test_router_LDADD = $(GATEWAY_LIBS)

tests_unit_test_plugin_loader_SOURCES = tests/unit/test_plugin_loader.c
tests_unit_test_plugin_loader_CPPFLAGS = $(GATEWAY_CPPFLAGS) -DTEST_CC="\"$(CC)\"" \
	-DTEST_TOP_SRCDIR="\"$(abs_top_srcdir)\"" -DTEST_GLIB_CFLAGS="\"$(GLIB_CFLAGS)\""
tests_unit_test_plugin_loader_LDADD = $(GATEWAY_LIBS)

EXTRA_DIST += gateway/tollgate-gateway.conf.sample examples/plugins/request_stamp/request_stamp.c \
	examples/plugins/request_stamp/Makefile examples/plugins/request_stamp/README.md

include $(srcdir)/gateway/hub/local.mk
