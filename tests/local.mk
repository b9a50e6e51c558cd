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
