/*
 * store_tier_approval.c: reads and writes AM_TIER.requires_approval (store_tier_approval.h).
 * One column, one statement each; the flag is read at subscribe time only.
 */
#include "config.h"

#include "db.h"
#include "store_tier_approval.h"

gboolean store_tier_requires_approval(MYSQL *conn, const char *name, gboolean *required,
                                      GError **error) {
  DbParam p[] = {DBP_S(name)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT requires_approval FROM AM_TIER"
                                           " WHERE name = ? AND level = 'SUBSCRIPTION'",
                                           p, 1, 1, error);
  if (rows == NULL) return FALSE;
  char **r = rows->len ? g_ptr_array_index(rows, 0) : NULL;
  *required = r != NULL && r[0] != NULL && g_ascii_strtoll(r[0], NULL, 10) != 0;
  return TRUE;
}

gboolean store_tier_set_requires_approval(MYSQL *conn, const char *name, const char *level,
                                          gboolean required, GError **error) {
  DbParam p[] = {DBP_I(required ? 1 : 0), DBP_S(name), DBP_S(level)};
  return hub_db_exec(conn, "UPDATE AM_TIER SET requires_approval = ? WHERE name = ? AND level = ?",
                     p, 3, NULL, NULL, error);
}
