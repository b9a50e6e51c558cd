# portal/local.mk: tollgate-portal (publisher + store web UI and its JSON API),
# a Thrift client of the hubs with no database of its own.
bin_PROGRAMS += tollgate-portal

PORTAL_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/portal -I$(top_srcdir)/portal/http \
	$(EVHTP_CFLAGS) $(LIBEVENT_CFLAGS) $(JSON_GLIB_CFLAGS) -DG_LOG_DOMAIN=\"tollgate-portal\"

# The framework: parsers, sessions, CSRF, routing, server, rendering, hub calls.
PORTAL_CORE_SOURCES = \
	portal/http/form.c portal/http/form.h \
	portal/http/session.c portal/http/session.h \
	portal/http/csrf.c portal/http/csrf.h \
	portal/http/router.c portal/http/router.h \
	portal/http/request.c portal/http/request.h \
	portal/http/server.c portal/http/server.h \
	portal/render.c portal/render.h portal/assets.c \
	portal/hub_conn.c portal/hub_conn.h \
	portal/portal_config.c portal/portal_config.h portal/portal.h portal/pages.h

# Pages and the JSON API: one table of routes per file (pages.h).
PORTAL_PAGE_SOURCES = \
	portal/store_account.c portal/store_account.h \
	portal/store_catalog.c \
	portal/api_auth.c

tollgate_portal_SOURCES = portal/main.c $(PORTAL_CORE_SOURCES) $(PORTAL_PAGE_SOURCES)
tollgate_portal_CPPFLAGS = $(PORTAL_CPPFLAGS)
tollgate_portal_LDADD = $(TG_COMMON_LIBS) $(EVHTP_LIBS) $(LIBEVENT_LIBS) $(JSON_GLIB_LIBS)
