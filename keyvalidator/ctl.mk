# keyvalidator/ctl.mk: tollgatectl, the command-line Thrift client of the hub,
# and the unit test of its argument parsing.
bin_PROGRAMS += tollgatectl
tollgatectl_SOURCES = \
	keyvalidator/ctl/ctl.h \
	keyvalidator/ctl/main.c \
	keyvalidator/ctl/args.c keyvalidator/ctl/args.h \
	keyvalidator/ctl/connection.c \
	keyvalidator/ctl/password.c keyvalidator/ctl/password.h \
	keyvalidator/ctl/output.c keyvalidator/ctl/output.h \
	keyvalidator/ctl/shapes.c \
	keyvalidator/ctl/cmd_user.c \
	keyvalidator/ctl/cmd_api.c \
	keyvalidator/ctl/cmd_app.c \
	keyvalidator/ctl/cmd_subscription.c \
	keyvalidator/ctl/cmd_keys.c \
	keyvalidator/ctl/cmd_token.c \
	keyvalidator/ctl/cmd_doc.c \
	keyvalidator/ctl/cmd_misc.c \
	keyvalidator/ctl/cmd_traffic.c
tollgatectl_CPPFLAGS = $(AM_CPPFLAGS) -DG_LOG_DOMAIN=\"tollgatectl\"
tollgatectl_LDADD = $(TG_COMMON_LIBS)

# The parsing pieces need only GLib: the test links args.c alone.
check_PROGRAMS += tests/unit/test_ctl_args
TESTS += tests/unit/test_ctl_args
tests_unit_test_ctl_args_SOURCES = tests/unit/test_ctl_args.c \
	keyvalidator/ctl/args.c keyvalidator/ctl/args.h
tests_unit_test_ctl_args_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/keyvalidator/ctl \
	-DG_LOG_DOMAIN=\"tollgatectl\"
tests_unit_test_ctl_args_LDADD = $(GLIB_LIBS)

# The JSON output on generated objects (output.c and shapes.c, no network).
check_PROGRAMS += tests/unit/test_ctl_output
TESTS += tests/unit/test_ctl_output
tests_unit_test_ctl_output_SOURCES = tests/unit/test_ctl_output.c \
	keyvalidator/ctl/output.c keyvalidator/ctl/output.h keyvalidator/ctl/shapes.c
tests_unit_test_ctl_output_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/keyvalidator/ctl \
	-DG_LOG_DOMAIN=\"tollgatectl\"
tests_unit_test_ctl_output_LDADD = $(TG_COMMON_LIBS)
