/*
 * store_sessions.c: the two session tables of userdb (store_sessions.h). The
 * revocation check reads both in one statement, since every session check that
 * misses the 1 s memory of session.c runs it.
 */
#include "config.h"

#include "db.h"
#include "store_sessions.h"

gboolean store_session_state(MYSQL *conn, const char *session_hash, const char *user,
                             gboolean *logged_out, gint64 *valid_from_ms, GError **error) {
  DbParam p[] = {DBP_S(session_hash), DBP_S(user)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT (SELECT COUNT(*) FROM UM_REVOKED_SESSION"
                                           " WHERE session_hash = ?), (SELECT COALESCE("
                                           "MAX(valid_from_ms), 0) FROM UM_SESSION_EPOCH"
                                           " WHERE user_name = ?)",
                                           p, 2, 1, error);
  if (rows == NULL) return FALSE;
  if (rows->len == 0)
    return g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_UNAVAILABLE, "no session state row"),
           FALSE;
  char **r = g_ptr_array_index(rows, 0);
  *logged_out = g_ascii_strtoll(r[0] ? r[0] : "0", NULL, 10) > 0;
  *valid_from_ms = g_ascii_strtoll(r[1] ? r[1] : "0", NULL, 10);
  return TRUE;
}

gboolean store_session_revoke(MYSQL *conn, const char *session_hash, gint64 expires_at,
                              GError **error) {
  DbParam p[] = {DBP_S(session_hash), DBP_I(expires_at)};
  return hub_db_exec(conn,
                     "INSERT IGNORE INTO UM_REVOKED_SESSION (session_hash, expires_at)"
                     " VALUES (?, ?)",
                     p, 2, NULL, NULL, error);
}

gboolean store_session_end_user(MYSQL *conn, const char *user, gint64 now_ms, GError **error) {
  DbParam p[] = {DBP_S(user), DBP_I(now_ms), DBP_I(now_ms)};
  return hub_db_exec(conn,
                     "INSERT INTO UM_SESSION_EPOCH (user_name, valid_from_ms)"
                     " VALUES (?, ?) ON DUPLICATE KEY UPDATE valid_from_ms ="
                     " GREATEST(valid_from_ms, ?)",
                     p, 3, NULL, NULL, error);
}
