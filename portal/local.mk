# portal/local.mk: tollgate-portal (publisher + store web UI and its JSON API),
# a Thrift client of the hubs with no database of its own. Everything but
# main.c is one internal library, which the unit tests link too.
bin_PROGRAMS += tollgate-portal
noinst_LIBRARIES += libtgportal.a

PORTAL_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/portal -I$(top_srcdir)/portal/http \
	$(EVHTP_CFLAGS) $(LIBEVENT_CFLAGS) $(JSON_GLIB_CFLAGS) -DG_LOG_DOMAIN=\"tollgate-portal\"

# The framework: parsers, sessions, CSRF, routing, server, rendering, hub calls.
PORTAL_CORE_SOURCES = \
	portal/http/form.c portal/http/form.h \
	portal/http/multipart.c portal/http/multipart.h \
	portal/http/session.c portal/http/session.h \
	portal/http/csrf.c portal/http/csrf.h \
	portal/http/router.c portal/http/router.h \
	portal/http/request.c portal/http/request.h \
	portal/http/server.c portal/http/server.h \
	portal/render.c portal/render.h portal/assets.c \
	portal/hub_conn.c portal/hub_conn.h \
	portal/session_hub.c portal/session_hub.h \
	portal/portal_config.c portal/portal_config.h portal/portal.h portal/pages.h

# Pages and the JSON API: one table of routes per file (pages.h).
PORTAL_PAGE_SOURCES = \
	portal/page_kit.c portal/page_kit.h \
	portal/store_account.c portal/store_account.h \
	portal/store_catalog.c portal/store_catalog.h \
	portal/store_apps.c portal/store_apps.h \
	portal/store_subs.c portal/store_subs.h \
	portal/store_keys.c portal/store_keys.h \
	portal/store_tryit.c portal/store_tryit.h \
	portal/api_auth.c portal/api_store.c portal/api_openapi.c

libtgportal_a_SOURCES = $(PORTAL_CORE_SOURCES) $(PORTAL_PAGE_SOURCES)
libtgportal_a_CPPFLAGS = $(PORTAL_CPPFLAGS)
PORTAL_LIBS = libtgportal.a $(TG_COMMON_LIBS) $(EVHTP_LIBS) $(LIBEVENT_LIBS) $(JSON_GLIB_LIBS)

tollgate_portal_SOURCES = portal/main.c
tollgate_portal_CPPFLAGS = $(PORTAL_CPPFLAGS)
tollgate_portal_LDADD = $(PORTAL_LIBS)

check_PROGRAMS += tests/unit/test_portal_http tests/unit/test_portal_render
TESTS += tests/unit/test_portal_http tests/unit/test_portal_render
check_PROGRAMS += tests/unit/test_multipart
TESTS += tests/unit/test_multipart
tests_unit_test_multipart_SOURCES = tests/unit/test_multipart.c
tests_unit_test_multipart_CPPFLAGS = $(PORTAL_CPPFLAGS)
tests_unit_test_multipart_LDADD = $(PORTAL_LIBS)
tests_unit_test_portal_http_SOURCES = tests/unit/test_portal_http.c
tests_unit_test_portal_http_CPPFLAGS = $(PORTAL_CPPFLAGS)
tests_unit_test_portal_http_LDADD = $(PORTAL_LIBS)
tests_unit_test_portal_render_SOURCES = tests/unit/test_portal_render.c
tests_unit_test_portal_render_CPPFLAGS = $(PORTAL_CPPFLAGS)
tests_unit_test_portal_render_LDADD = $(PORTAL_LIBS)
