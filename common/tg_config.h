/*
 * tg_config: typed reading of one INI file (GKeyFile) for every daemon.
 *
 * Every getter takes a default for a missing key; a key that is present but
 * malformed or out of range fails with a GError whose message names the file,
 * the [group], the key and the reason, so a bad value stops start-up with a
 * message a person can act on. Ports are shifted by the daemon's port_offset.
 */
#ifndef TG_CONFIG_H
#define TG_CONFIG_H

#include <glib.h>

#define TG_CONFIG_ERROR (tg_config_error_quark())
GQuark tg_config_error_quark(void);
enum { TG_CONFIG_ERROR_INVALID = 1, TG_CONFIG_ERROR_FILE };

typedef struct TgConfig TgConfig;

/* Loads path; path NULL gives an empty configuration (all defaults). */
TgConfig *tg_config_load(const char *path, GError **error);
/* The same from len bytes of text; name stands for the path in messages (fuzzing, tests). */
TgConfig *tg_config_load_data(const char *data, gsize len, const char *name, GError **error);
void tg_config_free(TgConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgConfig, tg_config_free)

const char *tg_config_path(const TgConfig *cfg);

/* Returns a newly allocated string (caller frees), or a copy of def (NULL ok). */
char *tg_config_string(TgConfig *cfg, const char *group, const char *key, const char *def);

/* The file's group names in file order; never NULL. g_strfreev. */
char **tg_config_groups(TgConfig *cfg);

/* Comma-separated list, items trimmed, empty items dropped; never NULL. g_strfreev. */
char **tg_config_list(TgConfig *cfg, const char *group, const char *key);

gboolean tg_config_int(TgConfig *cfg, const char *group, const char *key, gint64 def, gint64 min,
                       gint64 max, gint64 *out, GError **error);
gboolean tg_config_bool(TgConfig *cfg, const char *group, const char *key, gboolean def,
                        gboolean *out, GError **error);
/* A port: def + offset when missing; the configured value + offset otherwise. */
gboolean tg_config_port(TgConfig *cfg, const char *group, const char *key, int def, int offset,
                        int *out, GError **error);

/* Sets a value (used for command-line overrides such as --port-offset). */
void tg_config_set(TgConfig *cfg, const char *group, const char *key, const char *value);

/* Fails if a group contains a key not in known (NULL-terminated): catches typos. */
gboolean tg_config_check_keys(TgConfig *cfg, const char *group, const char *const *known,
                              GError **error);

#endif
