# keyvalidator/oauth/local.mk: /token and /revoke (oauth.c, the protocol over an
# OAuthBackend), the hub's database-backed backend, and form parsing.
libhub_a_SOURCES += \
	keyvalidator/oauth/form.c keyvalidator/oauth/form.h \
	keyvalidator/oauth/oauth.c keyvalidator/oauth/oauth.h \
	keyvalidator/oauth/oauth_backend.c

# The protocol over an in-memory fake OAuthBackend.
check_PROGRAMS += tests/unit/test_oauth_form
TESTS += tests/unit/test_oauth_form
tests_unit_test_oauth_form_SOURCES = tests/unit/test_oauth_form.c
tests_unit_test_oauth_form_CPPFLAGS = $(HUB_CPPFLAGS)
tests_unit_test_oauth_form_LDADD = $(HUB_LIBS)
