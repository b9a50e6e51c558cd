/*
 * tg_daemon_options: the command line every daemon shares (--config,
 * --port-offset, --log-level, --print-config) parsed once, plus a daemon's own
 * entries; the overrides are then written into its TgConfig group, so the file
 * reader sees one source of truth. A stray argument or a bad offset is refused.
 */
#ifndef TG_DAEMON_OPTIONS_H
#define TG_DAEMON_OPTIONS_H

#include <glib.h>

#include "tg_config.h"

#define TG_PORT_OFFSET_UNSET G_MININT

typedef struct {
  char *config;
  int port_offset; /* TG_PORT_OFFSET_UNSET when not given */
  char *log_level;
  gboolean print_config;
} TgDaemonOptions;

/* What differs between daemons: --help's summary, --print-config's help, extra
   entries (NULL-terminated, may be NULL) and whether --config may be left out. */
typedef struct {
  const char *summary;
  const char *print_config_help;
  const GOptionEntry *extra;
  gboolean config_optional;
} TgDaemonOptionsSpec;

gboolean tg_daemon_options_parse(int argc, char **argv, const TgDaemonOptionsSpec *spec,
                                 TgDaemonOptions *o, GError **error);
/* Writes --port-offset and --log-level into group's port_offset and log_level. */
void tg_daemon_options_apply(const TgDaemonOptions *o, TgConfig *cfg, const char *group);
void tg_daemon_options_clear(TgDaemonOptions *o);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TgDaemonOptions, tg_daemon_options_clear)

#endif
