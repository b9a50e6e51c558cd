# tests/fuzz/local.mk: libFuzzer targets, built by `make fuzz` in a build
# directory configured with CC=clang --enable-fuzzing (./tollgate test makes
# ./build-fuzz). Adding a target is one line below,
# `FUZZ_TARGETS += NAME=SOURCE[,SOURCE...]` (the parser files it needs besides
# tests/fuzz/fuzz_NAME.c; each source's directory is on the include path), or
# NAME alone when the parser is in libtgcommon.a, plus the file and
# tests/fuzz/corpus/NAME/.
# Trade-off: plain compile-and-link per target instead of automake programs
# (automake wants every program spelt out in several variables); a target is
# rebuilt when its files, a header or the common libraries are newer.
FUZZ_TARGETS =
FUZZ_TARGETS += validate_wire=keyvalidator/net/validate_wire.c
FUZZ_TARGETS += protocol_sniff=keyvalidator/net/protocol_sniff.c
FUZZ_TARGETS += oauth_form=keyvalidator/oauth/form.c
FUZZ_TARGETS += hub_config=keyvalidator/hub_config.c
FUZZ_TARGETS += gateway_config=gateway/gateway_config.c
FUZZ_TARGETS += gw_path=gateway/http/path_norm.c
FUZZ_TARGETS += gw_request_head=gateway/http/request_scan.c,gateway/http/http_header.c
FUZZ_TARGETS += gw_backend_answer=gateway/upstream/backend_answer.c,gateway/http/http_header.c
FUZZ_TARGETS += uri_template
FUZZ_TARGETS += thrift_scan
FUZZ_TARGETS += markdown=portal/markdown.c
FUZZ_TARGETS += openapi=portal/openapi.c,portal/openapi_yaml.c
FUZZ_TARGETS += portal_form=portal/http/form.c
FUZZ_TARGETS += multipart=portal/http/multipart.c
FUZZ_TARGETS += api_query=keyvalidator/methods/api_query.c,keyvalidator/store/api_words.c

# the targets, corpora and dictionaries go into a release tarball by directory
dist-hook: fuzz-dist-hook
.PHONY: fuzz-dist-hook fuzz-clean
fuzz-dist-hook:
	@$(MKDIR_P) "$(distdir)/tests" && cp -pR $(srcdir)/tests/fuzz "$(distdir)/tests/" && \
	  chmod -R u+w "$(distdir)/tests/fuzz"
clean-local: fuzz-clean
fuzz-clean:
	@for spec in $(FUZZ_TARGETS); do rm -f "tests/fuzz/fuzz_$${spec%%=*}"; done

FUZZ_CC = $(CC) $(DEFS) -I$(top_builddir) -I$(top_srcdir) $(AM_CPPFLAGS) $(EVHTP_CFLAGS) \
	$(LIBEVENT_CFLAGS) $(CMARK_CFLAGS) $(JSON_GLIB_CFLAGS) $(YAML_CFLAGS) -DG_LOG_DOMAIN=\"tollgate-fuzz\" $(CPPFLAGS) $(AM_CFLAGS) $(CFLAGS) \
	$(AM_LDFLAGS) $(FUZZ_LDFLAGS) $(LDFLAGS)
FUZZ_LIBS = $(TG_COMMON_LIBS) $(EVHTP_LIBS) $(LIBEVENT_LIBS) $(CMARK_LIBS) $(JSON_GLIB_LIBS) $(YAML_LIBS) $(LIBS)

.PHONY: fuzz fuzz-list
fuzz-list:
	@for spec in $(FUZZ_TARGETS); do echo "$${spec%%=*}"; done

if FUZZING
fuzz:
	@$(MAKE) $(AM_MAKEFLAGS) gen-c_glib/stamp
	@$(MAKE) $(AM_MAKEFLAGS) libtgcommon.a libtgthrift.a
	@$(MKDIR_P) tests/fuzz
	@set -e; for spec in $(FUZZ_TARGETS); do \
	  name=$${spec%%=*}; out=tests/fuzz/fuzz_$$name; \
	  srcs="$(srcdir)/tests/fuzz/fuzz_$$name.c"; incs=; \
	  case $$spec in *=*) extra=$${spec#*=} ;; *) extra= ;; esac; \
	  for s in $$(echo "$$extra" | tr , ' '); do \
	    srcs="$$srcs $(srcdir)/$$s"; incs="$$incs -I$(srcdir)/$${s%/*}"; \
	  done; \
	  if test -f $$out && test -z "$$(find $$srcs libtgcommon.a libtgthrift.a \
	        $(srcdir)/common $(srcdir)/keyvalidator $(srcdir)/keyvalidator/*/ $(srcdir)/gateway $(srcdir)/portal $(srcdir)/tests/fuzz \
	        -maxdepth 1 -newer $$out \( -name '*.[ch]' -o -name '*.a' -o -name local.mk \) \
	        -print 2>/dev/null | head -n 1)"; then continue; fi; \
	  echo "  FUZZ     $$out"; \
	  $(FUZZ_CC) $$incs -o $$out $$srcs $(FUZZ_LIBS); \
	done
else
fuzz:
	@echo "make fuzz: configure with CC=clang --enable-fuzzing (docs/FUZZING.md)" >&2; exit 1
endif
