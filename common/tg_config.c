/*
 * tg_config: GKeyFile with typed getters and errors that name file, group,
 * key and reason. See tg_config.h.
 */
#include "tg_config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct TgConfig {
  GKeyFile *kf;
  char *path;
};

G_DEFINE_QUARK(tg - config - error - quark, tg_config_error)

static TgConfig *config_new(const char *name) {
  TgConfig *cfg = g_new0(TgConfig, 1);
  cfg->kf = g_key_file_new();
  cfg->path = g_strdup(name);
  return cfg;
}

/* Frees cfg and returns NULL with "NAME: reason" when loading failed. */
static TgConfig *config_loaded(TgConfig *cfg, gboolean ok, GError *local, GError **error) {
  if (ok) return cfg;
  g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_FILE, "%s: %s", cfg->path, local->message);
  g_error_free(local);
  tg_config_free(cfg);
  return NULL;
}

TgConfig *tg_config_load(const char *path, GError **error) {
  TgConfig *cfg = config_new(path ? path : "(defaults)");
  if (!path) return cfg;
  GError *local = NULL;
  gboolean ok = g_key_file_load_from_file(cfg->kf, path, G_KEY_FILE_NONE, &local);
  return config_loaded(cfg, ok, local, error);
}

TgConfig *tg_config_load_data(const char *data, gsize len, const char *name, GError **error) {
  TgConfig *cfg = config_new(name);
  GError *local = NULL;
  gboolean ok = g_key_file_load_from_data(cfg->kf, data, len, G_KEY_FILE_NONE, &local);
  return config_loaded(cfg, ok, local, error);
}

void tg_config_free(TgConfig *cfg) {
  if (!cfg) return;
  g_key_file_free(cfg->kf);
  g_free(cfg->path);
  g_free(cfg);
}

const char *tg_config_path(const TgConfig *cfg) { return cfg->path; }

static char *raw_value(TgConfig *cfg, const char *group, const char *key) {
  char *v = g_key_file_get_value(cfg->kf, group, key, NULL);
  if (v) g_strstrip(v);
  return v;
}

static gboolean invalid(TgConfig *cfg, const char *group, const char *key, GError **error,
                        const char *fmt, const char *value, gint64 a, gint64 b) {
  g_autofree char *reason = g_strdup_printf(fmt, value, a, b);
  g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID, "%s: [%s] %s: %s", cfg->path, group,
              key, reason);
  return FALSE;
}

char *tg_config_string(TgConfig *cfg, const char *group, const char *key, const char *def) {
  g_autofree char *v = raw_value(cfg, group, key);
  if (!v) return g_strdup(def);
  g_autofree char *unescaped = g_key_file_get_string(cfg->kf, group, key, NULL);
  return g_strdup(g_strstrip(unescaped ? unescaped : v));
}

char **tg_config_groups(TgConfig *cfg) { return g_key_file_get_groups(cfg->kf, NULL); }

char **tg_config_list(TgConfig *cfg, const char *group, const char *key) {
  g_autofree char *v = raw_value(cfg, group, key);
  GPtrArray *items = g_ptr_array_new();
  if (v) {
    g_auto(GStrv) parts = g_strsplit(v, ",", -1);
    for (char **p = parts; *p; p++) {
      g_strstrip(*p);
      if (**p) g_ptr_array_add(items, g_strdup(*p));
    }
  }
  g_ptr_array_add(items, NULL);
  return (char **)g_ptr_array_free(items, FALSE);
}

gboolean tg_config_int(TgConfig *cfg, const char *group, const char *key, gint64 def, gint64 min,
                       gint64 max, gint64 *out, GError **error) {
  g_autofree char *v = raw_value(cfg, group, key);
  if (!v) {
    *out = def;
    return TRUE;
  }
  char *end = NULL;
  errno = 0;
  long long n = strtoll(v, &end, 10);
  if (errno || end == v || *end)
    return invalid(cfg, group, key, error, "'%s' is not a whole number", v, 0, 0);
  if (n < min || n > max)
    return invalid(cfg, group, key, error,
                   "%s is out of range (%" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ")", v, min,
                   max);
  *out = n;
  return TRUE;
}

gboolean tg_config_bool(TgConfig *cfg, const char *group, const char *key, gboolean def,
                        gboolean *out, GError **error) {
  g_autofree char *v = raw_value(cfg, group, key);
  if (!v) {
    *out = def;
    return TRUE;
  }
  if (!g_ascii_strcasecmp(v, "true") || !g_ascii_strcasecmp(v, "yes") || !strcmp(v, "1")) {
    *out = TRUE;
    return TRUE;
  }
  if (!g_ascii_strcasecmp(v, "false") || !g_ascii_strcasecmp(v, "no") || !strcmp(v, "0")) {
    *out = FALSE;
    return TRUE;
  }
  return invalid(cfg, group, key, error, "'%s' is not true or false", v, 0, 0);
}

gboolean tg_config_port(TgConfig *cfg, const char *group, const char *key, int def, int offset,
                        int *out, GError **error) {
  gint64 port;
  if (!tg_config_int(cfg, group, key, def, 1, 65535, &port, error)) return FALSE;
  if (port + offset < 1 || port + offset > 65535)
    return invalid(cfg, group, key, error,
                   "port %s plus port_offset %" G_GINT64_FORMAT
                   " is outside 1..65535 (%" G_GINT64_FORMAT ")",
                   "", offset, port + offset);
  *out = (int)(port + offset);
  return TRUE;
}

void tg_config_set(TgConfig *cfg, const char *group, const char *key, const char *value) {
  g_key_file_set_value(cfg->kf, group, key, value);
}

gboolean tg_config_check_keys(TgConfig *cfg, const char *group, const char *const *known,
                              GError **error) {
  g_auto(GStrv) keys = g_key_file_get_keys(cfg->kf, group, NULL, NULL);
  for (char **k = keys; k && *k; k++) {
    if (!g_strv_contains(known, *k))
      return invalid(cfg, group, *k, error, "unknown key%s", "", 0, 0);
  }
  return TRUE;
}
