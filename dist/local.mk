# dist/local.mk: what `make install` puts on a system besides the programs
# (each component's bin_PROGRAMS): the plugin ABI header and its pkg-config
# file, the schemas and migrations, sample configurations, systemd units and
# their system user. Honours DESTDIR. Files naming installation paths are made
# at make time, so `make prefix=...` and the files agree.

# The plugin ABI, for external plugins (examples/plugins).
tollgateincludedir = $(includedir)/tollgate
tollgateinclude_HEADERS = gateway/plugin.h
# (configure makes the .pc: its paths stay ${prefix}-relative for --define-variable)
pkgconfigdir = $(libdir)/pkgconfig
pkgconfig_DATA = dist/tollgate-gateway-plugin.pc

dist_doc_DATA = README.md

# A new daemon adds its unit here (dist/systemd/NAME.service.in), its sample to
# TG_CONF_SAMPLES and, for a configuration made at first install, to TG_CONF_FIRST.
TG_UNITS = dist/systemd/tollgate-keyvalidator.service dist/systemd/tollgate-gateway@.service
TG_CONF_SAMPLES = keyvalidator/tollgate-keyvalidator.conf.sample \
	gateway/tollgate-gateway.conf.sample
# CONF:SAMPLE, CONF made from SAMPLE when absent (tollgate-gateway@1 reads -1)
TG_CONF_FIRST = tollgate-keyvalidator.conf:tollgate-keyvalidator.conf.sample \
	tollgate-gateway-1.conf:tollgate-gateway.conf.sample

if SYSTEMD_UNITS
systemdsystemunit_DATA = $(TG_UNITS)
sysusers_DATA = dist/systemd/tollgate.conf
endif

tollgateconfdir = $(sysconfdir)/tollgate
tollgatesqldir = $(datadir)/tollgate/sql

CLEANFILES += $(TG_UNITS) dist/systemd/tollgate.conf
EXTRA_DIST += dist/tollgate-gateway-plugin.pc.in $(TG_UNITS:.service=.service.in) \
	dist/systemd/hardening.conf dist/systemd/tollgate.sysusers
AM_DISTCHECK_CONFIGURE_FLAGS = \
	--with-systemdsystemunitdir='$${dc_install_base}/lib/systemd/system' \
	--with-sysusersdir='$${dc_install_base}/lib/sysusers.d'

TG_DIST_SUBST = $(SED) -e 's|@bindir[@]|$(bindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@docdir[@]|$(docdir)|g' \
	-e '/^@HARDENING@$$/{' -e 'r $(srcdir)/dist/systemd/hardening.conf' -e 'd' -e '}'

$(TG_UNITS): $(TG_UNITS:.service=.service.in) dist/systemd/hardening.conf Makefile
	$(AM_V_GEN)$(MKDIR_P) dist/systemd && $(TG_DIST_SUBST) $(srcdir)/$@.in > $@
dist/systemd/tollgate.conf: dist/systemd/tollgate.sysusers
	$(AM_V_GEN)$(MKDIR_P) dist/systemd && cp $(srcdir)/dist/systemd/tollgate.sysusers $@

# Schemas and migrations (every sql/*.sql and sql/migrations/*.sql of the
# tree, loaded in the order sql/local.mk describes), and the samples with the
# launcher's var/ paths made relative to the units' working directory (the
# state directory). A configuration is made from its sample only when there is
# none: a reinstall keeps an edited one.
install-data-local:
	$(MKDIR_P) "$(DESTDIR)$(tollgatesqldir)/migrations" "$(DESTDIR)$(tollgateconfdir)"
	$(INSTALL_DATA) $(srcdir)/sql/*.sql "$(DESTDIR)$(tollgatesqldir)"
	$(INSTALL_DATA) $(srcdir)/sql/migrations/*.sql "$(DESTDIR)$(tollgatesqldir)/migrations"
	@for s in $(TG_CONF_SAMPLES); do \
	  name=`basename $$s`; \
	  echo "  $$s -> $(DESTDIR)$(tollgateconfdir)/$$name"; \
	  $(SED) -e 's|^\([a-z_]* = \)var/|\1|' $(srcdir)/$$s > dist/$$name.tmp && \
	  $(INSTALL_DATA) dist/$$name.tmp "$(DESTDIR)$(tollgateconfdir)/$$name" && \
	  rm -f dist/$$name.tmp || exit 1; \
	done
	@for pair in $(TG_CONF_FIRST); do \
	  conf="$(DESTDIR)$(tollgateconfdir)/$${pair%%:*}"; \
	  sample="$(DESTDIR)$(tollgateconfdir)/$${pair#*:}"; \
	  if test -e "$$conf"; then echo "  keeping $$conf"; \
	  else echo "  $$sample -> $$conf"; $(INSTALL_DATA) "$$sample" "$$conf" || exit 1; fi; \
	done

uninstall-local:
	@for pair in $(TG_CONF_FIRST); do \
	  conf="$(DESTDIR)$(tollgateconfdir)/$${pair%%:*}"; \
	  sample="$(DESTDIR)$(tollgateconfdir)/$${pair#*:}"; \
	  if cmp -s "$$sample" "$$conf"; then rm -f "$$conf"; fi; \
	done
	for s in $(TG_CONF_SAMPLES); do rm -f "$(DESTDIR)$(tollgateconfdir)/`basename $$s`"; done
	cd $(srcdir)/sql && for f in *.sql migrations/*.sql; do rm -f "$(DESTDIR)$(tollgatesqldir)/$$f"; done
