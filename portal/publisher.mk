# portal/publisher.mk: the publisher side's content library, libtgpublisher.a:
# usage charts as SVG (chart_svg), Markdown documentation (markdown, cmark) and
# OpenAPI 3 import/export (openapi, json-glib; YAML import through libyaml), the API form's formats
# (publisher_form), with their unit tests. The
# portal daemon links it; its pages (publisher_*.c, admin_*.c) join the daemon's
# sources here (portal/local.mk is included first).
noinst_LIBRARIES += libtgpublisher.a
libtgpublisher_a_SOURCES = \
	portal/chart_svg.c portal/chart_svg.h \
	portal/markdown.c portal/markdown.h \
	portal/openapi.c portal/openapi.h portal/openapi_yaml.c portal/openapi_yaml.h \
	portal/publisher_form.c portal/publisher_form.h \
	portal/publisher_json.c portal/publisher_json.h

# The publisher's and the admin's pages and JSON API (route tables in publisher_pages.h).
tollgate_portal_SOURCES += \
	portal/publisher_pages.h portal/publisher_css.h portal/publisher_openapi.h \
	portal/publisher_reply.c portal/publisher_reply.h \
	portal/publisher_apis.c portal/publisher_docs.c portal/publisher_subs.c \
	portal/admin_users.c portal/admin_traffic.c portal/admin_settings.c \
	portal/admin_policies.c portal/admin_form.c portal/admin_form.h portal/admin_css.h \
	portal/admin_openapi.h
# libtgcommon.a again after libtgpublisher.a, which uses tg_json
tollgate_portal_LDADD += $(TG_PUBLISHER_LIBS) libtgcommon.a
libtgpublisher_a_CPPFLAGS = $(AM_CPPFLAGS) $(CMARK_CFLAGS) $(JSON_GLIB_CFLAGS) $(YAML_CFLAGS)

# What a program linking libtgpublisher.a needs besides TG_COMMON_LIBS.
TG_PUBLISHER_LIBS = libtgpublisher.a $(CMARK_LIBS) $(JSON_GLIB_LIBS) $(YAML_LIBS)

check_PROGRAMS += tests/unit/test_chart_svg tests/unit/test_markdown tests/unit/test_openapi \
	tests/unit/test_publisher_form
TESTS += tests/unit/test_chart_svg tests/unit/test_markdown tests/unit/test_openapi \
	tests/unit/test_publisher_form
tests_unit_test_chart_svg_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/portal
tests_unit_test_chart_svg_LDADD = $(TG_PUBLISHER_LIBS) $(TG_COMMON_LIBS)
tests_unit_test_markdown_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/portal
tests_unit_test_markdown_LDADD = $(TG_PUBLISHER_LIBS) $(TG_COMMON_LIBS)
tests_unit_test_openapi_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/portal $(JSON_GLIB_CFLAGS) \
	-DOPENAPI_SAMPLE=\"$(abs_top_srcdir)/tests/data/openapi_pizza.json\" \
	-DOPENAPI_SAMPLE_YAML=\"$(abs_top_srcdir)/tests/data/openapi_pizza.yaml\"
EXTRA_DIST += tests/data/openapi_pizza.json tests/data/openapi_pizza.yaml
tests_unit_test_openapi_LDADD = $(TG_PUBLISHER_LIBS) $(TG_COMMON_LIBS)
tests_unit_test_publisher_form_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/portal
tests_unit_test_publisher_form_LDADD = $(TG_PUBLISHER_LIBS) $(TG_COMMON_LIBS)

# The admin forms' readers and fields (admin_form.c is a page source, so it is compiled in here).
check_PROGRAMS += tests/unit/test_admin_form
TESTS += tests/unit/test_admin_form
tests_unit_test_admin_form_SOURCES = tests/unit/test_admin_form.c portal/admin_form.c
tests_unit_test_admin_form_CPPFLAGS = $(PORTAL_CPPFLAGS)
tests_unit_test_admin_form_LDADD = $(PORTAL_LIBS)
