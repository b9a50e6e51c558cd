# tests/local.mk: what the tests need in a release tarball. Unit test programs
# are declared by each component's own .mk; the integration tests, the sample
# backend and the docs are picked up by a dist hook with shell globs (automake
# does not allow wildcards in EXTRA_DIST), so adding a test_<area>.py needs no
# edit here.
EXTRA_DIST += \
	tests/lsan.supp \
	tests/integration/harness.py \
	tests/integration/run.py \
	.ci/run

dist-hook: tests-dist-hook
.PHONY: tests-dist-hook
tests-dist-hook:
	@for f in $(srcdir)/tests/integration/*.py $(srcdir)/tests/backend/* \
	          $(srcdir)/docs/*.md; do \
	  test -f "$$f" || continue; \
	  rel=$${f#$(srcdir)/}; \
	  $(MKDIR_P) "$(distdir)/$$(dirname "$$rel")" && \
	  cp -p "$$f" "$(distdir)/$$rel" && chmod u+w "$(distdir)/$$rel"; \
	done

# The samples and docs/HACKING.md's tables against the daemons' --print-config;
# the harness's own rules (case counts, skips, lints, the launcher's config writer).
TESTS += tests/test_config_docs.py tests/test_harness.py
EXTRA_DIST += tests/test_config_docs.py tests/test_harness.py tests/run-all tests/declared-skips tests/lint/include-cycles \
	tests/lint/sql-location tests/lint/format .clang-format launcher/setup.sh launcher/process.sh \
	launcher/database.sh launcher/config.sh
AM_TESTS_ENVIRONMENT = TOLLGATE_ROOT='$(abs_top_srcdir)' TOLLGATE_BUILD='$(abs_top_builddir)'; \
	export TOLLGATE_ROOT TOLLGATE_BUILD;

# make check-integration: a private stack from this build (ports shifted by
# TOLLGATE_PORT_SHIFT, default 100), the integration tests, the stack down.
.PHONY: check-integration
check-integration: all
	TOLLGATE_BUILD='$(abs_top_builddir)' TOLLGATE_SKIP_BUILD=1 TOLLGATE_TEST_PHASES=integration \
	  $(abs_top_srcdir)/tests/run-all
