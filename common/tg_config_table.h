/*
 * tg_config_table: one table of a daemon's keys (group, key, kind, default, range,
 * field offset, help) that a generic reader fills a struct from and --print-config
 * prints, so each default is written once per daemon. The table knows no daemon;
 * checks across keys (admin bind, database hosts) stay with each daemon.
 */
#ifndef TG_CONFIG_TABLE_H
#define TG_CONFIG_TABLE_H

#include <glib.h>

#include "tg_config.h"

typedef enum {
  TG_KEY_STRING,   /* char *, g_free */
  TG_KEY_INT,      /* int, min..max */
  TG_KEY_INT64,    /* gint64 or guint64, min..max */
  TG_KEY_BOOL,     /* gboolean: true/false */
  TG_KEY_PORT,     /* int, 1..65535, plus the port offset; read after the other keys */
  TG_KEY_CHOICE,   /* gboolean: def (FALSE) or alt (TRUE), any case */
  TG_KEY_LIST,     /* char **, comma-separated, empty items dropped; g_strfreev */
  TG_KEY_ELSEWHERE /* known and printed, read by hand or by another module */
} TgKeyKind;

typedef struct {
  const char *group, *key;
  TgKeyKind kind;
  gsize offset;    /* of the field in the daemon's struct (not ELSEWHERE) */
  const char *def; /* as written in a file */
  gint64 min, max; /* INT, INT64 */
  const char *alt; /* CHOICE: the other word */
  const char *help;
} TgConfigKey;

/* Fails on a key of group that the table does not list: catches typos. */
gboolean tg_config_table_check(TgConfig *cfg, const TgConfigKey *keys, gsize n, const char *group,
                               GError **error);
/* Every key of group into base (ports last, plus *port_offset; NULL: 0). */
gboolean tg_config_table_read(TgConfig *cfg, const TgConfigKey *keys, gsize n, const char *group,
                              gpointer base, const int *port_offset, GError **error);
/* Frees the STRING and LIST fields of base. */
void tg_config_table_free(const TgConfigKey *keys, gsize n, gpointer base);
/* The default of group/key, or NULL when the table has no such key. */
const char *tg_config_table_default(const TgConfigKey *keys, gsize n, const char *group,
                                    const char *key);
/* header, then per group "[group]" and per key "# help" and "key = default". g_free. */
char *tg_config_table_defaults(const char *header, const TgConfigKey *keys, gsize n);
/* The same with the values in effect in cfg and "(default: ...)" after the help. g_free. */
char *tg_config_table_effective(TgConfig *cfg, const char *header, const TgConfigKey *keys,
                                gsize n);

#endif
