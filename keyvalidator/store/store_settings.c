/*
 * store_settings.c: AM_SETTING reads and writes (store_settings.h). A write is one
 * upsert, so two admins setting one name leave the last one's value. Trade-off: no
 * cache; settings are read on sign-up and by the portal, rarely.
 */
#include "config.h"

#include "db.h"
#include "store_settings.h"

#define MAX_SETTINGS 1000

gboolean store_settings_read(MYSQL *conn, GHashTable *out, GError **error) {
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn, "SELECT name, value FROM AM_SETTING", NULL, 0, MAX_SETTINGS, error);
  if (rows == NULL) return FALSE;
  for (guint i = 0; i < rows->len; i++) {
    char **r = g_ptr_array_index(rows, i);
    g_hash_table_replace(out, g_strdup(r[0]), g_strdup(r[1] ? r[1] : ""));
  }
  return TRUE;
}

gboolean store_setting_get(MYSQL *conn, const char *name, char **value, GError **error) {
  DbParam p[] = {DBP_S(name)};
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn, "SELECT value FROM AM_SETTING WHERE name = ?", p, 1, 1, error);
  *value = NULL;
  if (rows == NULL) return FALSE;
  if (rows->len > 0) *value = g_strdup(((char **)g_ptr_array_index(rows, 0))[0]);
  return TRUE;
}

gboolean store_setting_set(MYSQL *conn, const char *name, const char *value, const char *by,
                           GError **error) {
  DbParam p[] = {DBP_S(name), DBP_S(value), DBP_I(g_get_real_time() / G_USEC_PER_SEC), DBP_S(by)};
  return hub_db_exec(conn,
                     "INSERT INTO AM_SETTING (name, value, updated_at, updated_by)"
                     " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value),"
                     " updated_at = VALUES(updated_at), updated_by = VALUES(updated_by)",
                     p, G_N_ELEMENTS(p), NULL, NULL, error);
}
