# ctl/local.mk: tollgatectl, the command-line Thrift client of the hub,
# and the unit test of its argument parsing.
bin_PROGRAMS += tollgatectl
tollgatectl_SOURCES = \
	ctl/ctl.h \
	ctl/main.c \
	ctl/commands.c ctl/handlers.h \
	ctl/dispatch.c \
	ctl/args.c ctl/args.h \
	ctl/connection.c \
	ctl/password.c ctl/password.h \
	ctl/output.c ctl/output.h \
	ctl/shapes.c \
	ctl/cmd_user.c \
	ctl/cmd_api.c \
	ctl/cmd_app.c \
	ctl/cmd_subscription.c \
	ctl/cmd_keys.c \
	ctl/cmd_token.c \
	ctl/cmd_doc.c \
	ctl/cmd_misc.c \
	ctl/cmd_traffic.c
tollgatectl_CPPFLAGS = $(AM_CPPFLAGS) -DG_LOG_DOMAIN=\"tollgatectl\"
tollgatectl_LDADD = $(TG_COMMON_LIBS)

# The parsing pieces need only GLib: the test links args.c alone.
check_PROGRAMS += tests/unit/test_ctl_args
TESTS += tests/unit/test_ctl_args
tests_unit_test_ctl_args_SOURCES = tests/unit/test_ctl_args.c \
	ctl/args.c ctl/args.h
tests_unit_test_ctl_args_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/ctl \
	-DG_LOG_DOMAIN=\"tollgatectl\"
tests_unit_test_ctl_args_LDADD = $(GLIB_LIBS)

# The JSON output on generated objects (output.c and shapes.c, no network).
check_PROGRAMS += tests/unit/test_ctl_output
TESTS += tests/unit/test_ctl_output
tests_unit_test_ctl_output_SOURCES = tests/unit/test_ctl_output.c \
	ctl/output.c ctl/output.h ctl/shapes.c
tests_unit_test_ctl_output_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/ctl \
	-DG_LOG_DOMAIN=\"tollgatectl\"
tests_unit_test_ctl_output_LDADD = $(TG_COMMON_LIBS)
