/*
 * tg_config_table: the generic reader and printer of a daemon's key table
 * (tg_config_table.h) on top of tg_config's typed getters. A field is found by
 * offset, so the table is data and a daemon adds a key with one line.
 */
#include "tg_config_table.h"

#include <string.h>

gboolean tg_config_table_check(TgConfig *cfg, const TgConfigKey *keys, gsize n, const char *group,
                               GError **error) {
  g_autoptr(GPtrArray) known = g_ptr_array_new();
  for (gsize i = 0; i < n; i++)
    if (strcmp(keys[i].group, group) == 0) g_ptr_array_add(known, (gpointer)keys[i].key);
  g_ptr_array_add(known, NULL);
  return tg_config_check_keys(cfg, group, (const char *const *)known->pdata, error);
}

/* key = def | alt: *out is TRUE for alt. */
static gboolean read_choice(TgConfig *cfg, const TgConfigKey *k, gboolean *out, GError **error) {
  g_autofree char *v = tg_config_string(cfg, k->group, k->key, k->def);
  *out = g_ascii_strcasecmp(v, k->alt) == 0;
  if (*out || g_ascii_strcasecmp(v, k->def) == 0) return TRUE;
  g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID, "%s: [%s] %s: expected %s or %s",
              tg_config_path(cfg), k->group, k->key, k->def, k->alt);
  return FALSE;
}

/* The list set in the file, else the default split at commas, empty items dropped. */
static char **read_list(TgConfig *cfg, const TgConfigKey *k) {
  g_autofree char *set = tg_config_string(cfg, k->group, k->key, NULL);
  if (set != NULL) return tg_config_list(cfg, k->group, k->key);
  char **l = g_strsplit_set(k->def, ", ", -1);
  guint w = 0;
  for (guint r = 0; l[r] != NULL; r++) {
    if (*l[r] != '\0')
      l[w++] = l[r];
    else
      g_free(l[r]);
  }
  l[w] = NULL;
  return l;
}

static gboolean read_number(TgConfig *cfg, const TgConfigKey *k, gpointer field, GError **error) {
  gint64 v = 0;
  if (!tg_config_int(cfg, k->group, k->key, g_ascii_strtoll(k->def, NULL, 10), k->min, k->max, &v,
                     error))
    return FALSE;
  if (k->kind == TG_KEY_INT64)
    *(gint64 *)field = v;
  else
    *(int *)field = (int)v;
  return TRUE;
}

static gboolean read_key(TgConfig *cfg, const TgConfigKey *k, gpointer base, int port_offset,
                         GError **error) {
  gpointer field = G_STRUCT_MEMBER_P(base, k->offset);
  switch (k->kind) {
  case TG_KEY_STRING:
    *(char **)field = tg_config_string(cfg, k->group, k->key, k->def);
    return TRUE;
  case TG_KEY_INT:
  case TG_KEY_INT64:
    return read_number(cfg, k, field, error);
  case TG_KEY_BOOL:
    return tg_config_bool(cfg, k->group, k->key, strcmp(k->def, "true") == 0, field, error);
  case TG_KEY_PORT:
    return tg_config_port(cfg, k->group, k->key, (int)g_ascii_strtoll(k->def, NULL, 10),
                          port_offset, field, error);
  case TG_KEY_CHOICE:
    return read_choice(cfg, k, field, error);
  case TG_KEY_LIST:
    *(char ***)field = read_list(cfg, k);
    return TRUE;
  case TG_KEY_ELSEWHERE:
    return TRUE;
  }
  return TRUE;
}

gboolean tg_config_table_read(TgConfig *cfg, const TgConfigKey *keys, gsize n, const char *group,
                              gpointer base, const int *port_offset, GError **error) {
  for (int ports = 0; ports <= 1; ports++)
    for (gsize i = 0; i < n; i++)
      if (strcmp(keys[i].group, group) == 0 && (keys[i].kind == TG_KEY_PORT) == ports &&
          !read_key(cfg, &keys[i], base, port_offset ? *port_offset : 0, error))
        return FALSE;
  return TRUE;
}

void tg_config_table_free(const TgConfigKey *keys, gsize n, gpointer base) {
  for (gsize i = 0; i < n; i++) {
    gpointer field = G_STRUCT_MEMBER_P(base, keys[i].offset);
    if (keys[i].kind == TG_KEY_STRING) g_clear_pointer((char **)field, g_free);
    if (keys[i].kind == TG_KEY_LIST) g_clear_pointer((char ***)field, g_strfreev);
  }
}

const char *tg_config_table_default(const TgConfigKey *keys, gsize n, const char *group,
                                    const char *key) {
  for (gsize i = 0; i < n; i++)
    if (strcmp(keys[i].group, group) == 0 && strcmp(keys[i].key, key) == 0) return keys[i].def;
  return NULL;
}

char *tg_config_table_defaults(const char *header, const TgConfigKey *keys, gsize n) {
  GString *out = g_string_new(header);
  const char *group = "";
  for (gsize i = 0; i < n; i++) {
    if (strcmp(group, keys[i].group) != 0)
      g_string_append_printf(out, "\n[%s]\n", group = keys[i].group);
    g_string_append_printf(out, "# %s\n%s =%s%s\n", keys[i].help, keys[i].key,
                           *keys[i].def ? " " : "", keys[i].def);
  }
  return g_string_free(out, FALSE);
}

char *tg_config_table_effective(TgConfig *cfg, const char *header, const TgConfigKey *keys,
                                gsize n) {
  GString *out = g_string_new(header);
  const char *group = NULL;
  for (gsize i = 0; i < n; i++) {
    const TgConfigKey *k = &keys[i];
    if (group == NULL || strcmp(group, k->group) != 0) {
      g_string_append_printf(out, "%s[%s]\n", group ? "\n" : "", k->group);
      group = k->group;
    }
    g_autofree char *v = tg_config_string(cfg, k->group, k->key, k->def);
    g_string_append_printf(out, "# %s (default: %s)\n%s = %s\n", k->help, *k->def ? k->def : "\"\"",
                           k->key, v);
  }
  return g_string_free(out, FALSE);
}
