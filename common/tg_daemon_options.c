/*
 * tg_daemon_options: GOptionContext with the shared entries and a daemon's own;
 * the checks GOption cannot express (required --config, offset range, stray
 * arguments) follow the parse. See tg_daemon_options.h.
 */
#include "tg_daemon_options.h"

#define PORT_OFFSET_MAX 60000

static gboolean check(int argc, char **argv, const TgDaemonOptionsSpec *spec,
                      const TgDaemonOptions *o, GError **error) {
  if (o->config == NULL && !o->print_config && !spec->config_optional) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "--config FILE is required");
    return FALSE;
  }
  if (o->port_offset != TG_PORT_OFFSET_UNSET &&
      (o->port_offset < 0 || o->port_offset > PORT_OFFSET_MAX)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "--port-offset %d: must be 0 to %d", o->port_offset, PORT_OFFSET_MAX);
    return FALSE;
  }
  if (argc > 1) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "unexpected argument '%s'", argv[1]);
    return FALSE;
  }
  return TRUE;
}

gboolean tg_daemon_options_parse(int argc, char **argv, const TgDaemonOptionsSpec *spec,
                                 TgDaemonOptions *o, GError **error) {
  o->port_offset = TG_PORT_OFFSET_UNSET;
  GOptionEntry entries[] = {
      {"config", 0, 0, G_OPTION_ARG_FILENAME, &o->config, "configuration file", "FILE"},
      {"port-offset", 0, 0, G_OPTION_ARG_INT, &o->port_offset,
       "added to every port (overrides port_offset)", "N"},
      {"log-level", 0, 0, G_OPTION_ARG_STRING, &o->log_level, "error|warning|info|debug", "L"},
      {"print-config", 0, 0, G_OPTION_ARG_NONE, &o->print_config, spec->print_config_help, NULL},
      {NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new(spec->summary);
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (spec->extra != NULL) g_option_context_add_main_entries(ctx, spec->extra, NULL);
  return g_option_context_parse(ctx, &argc, &argv, error) && check(argc, argv, spec, o, error);
}

void tg_daemon_options_apply(const TgDaemonOptions *o, TgConfig *cfg, const char *group) {
  if (o->port_offset != TG_PORT_OFFSET_UNSET) {
    g_autofree char *offset = g_strdup_printf("%d", o->port_offset);
    tg_config_set(cfg, group, "port_offset", offset);
  }
  if (o->log_level != NULL) tg_config_set(cfg, group, "log_level", o->log_level);
}

void tg_daemon_options_clear(TgDaemonOptions *o) {
  g_clear_pointer(&o->config, g_free);
  g_clear_pointer(&o->log_level, g_free);
}
