/*
 * store_portal_sessions.c: UM_PORTAL_SESSION (store_portal_sessions.h). A check reads one row by
 * primary key and writes only when last_seen is stale, so page views do not each write; ending
 * sessions is two statements with one WHERE clause (revoke, then delete), never a loop.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "store_portal_sessions.h"

#define COLUMNS                                                                               \
  "session_hash, user_name, kind, created_at, last_seen, idle_s, expires_at, client_address," \
  " user_agent"

gint64 portal_session_row_end(const PortalSessionRow *row) {
  if (row->idle_s <= 0) return row->expires_at;
  return MIN(row->expires_at, row->last_seen + row->idle_s);
}

gboolean store_portal_session_add(MYSQL *conn, const PortalSessionRow *row, GError **error) {
  DbParam p[] = {DBP_S(row->hash),       DBP_S(row->user),      DBP_S(row->kind),
                 DBP_I(row->created),    DBP_I(row->last_seen), DBP_I(row->idle_s),
                 DBP_I(row->expires_at), DBP_S(row->client),    DBP_S(row->agent)};
  return hub_db_exec(
      conn, "INSERT INTO UM_PORTAL_SESSION (" COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", p,
      G_N_ELEMENTS(p), NULL, NULL, error);
}

static void row_from(char **r, PortalSessionRow *out) {
  memset(out, 0, sizeof *out);
  g_strlcpy(out->hash, r[0] ? r[0] : "", sizeof out->hash);
  g_strlcpy(out->user, r[1] ? r[1] : "", sizeof out->user);
  g_strlcpy(out->kind, r[2] ? r[2] : "", sizeof out->kind);
  out->created = g_ascii_strtoll(r[3] ? r[3] : "0", NULL, 10);
  out->last_seen = g_ascii_strtoll(r[4] ? r[4] : "0", NULL, 10);
  out->idle_s = (int)g_ascii_strtoll(r[5] ? r[5] : "0", NULL, 10);
  out->expires_at = g_ascii_strtoll(r[6] ? r[6] : "0", NULL, 10);
  g_strlcpy(out->client, r[7] ? r[7] : "", sizeof out->client);
  g_strlcpy(out->agent, r[8] ? r[8] : "", sizeof out->agent);
}

gboolean store_portal_session_get(MYSQL *conn, const char *hash, PortalSessionRow *out,
                                  gboolean *found, GError **error) {
  DbParam p[] = {DBP_S(hash)};
  g_autoptr(GPtrArray) rows = hub_db_query(
      conn, "SELECT " COLUMNS " FROM UM_PORTAL_SESSION WHERE session_hash = ?", p, 1, 1, error);
  if (rows == NULL) return FALSE;
  *found = rows->len > 0;
  if (*found) row_from(g_ptr_array_index(rows, 0), out);
  return TRUE;
}

gboolean store_portal_session_touch(MYSQL *conn, const char *hash, gint64 now, GError **error) {
  DbParam p[] = {DBP_I(now), DBP_S(hash), DBP_I(now)};
  return hub_db_exec(conn,
                     "UPDATE UM_PORTAL_SESSION SET last_seen = ? WHERE session_hash = ?"
                     " AND last_seen < ?",
                     p, 3, NULL, NULL, error);
}

GPtrArray *store_portal_session_list(MYSQL *conn, const char *user, GError **error) {
  DbParam p[] = {DBP_S(user)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT " COLUMNS
                                           " FROM UM_PORTAL_SESSION"
                                           " WHERE user_name = ? ORDER BY created_at DESC",
                                           p, 1, 100, error);
  if (rows == NULL) return NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < rows->len; i++) {
    PortalSessionRow *row = g_new(PortalSessionRow, 1);
    row_from(g_ptr_array_index(rows, i), row);
    g_ptr_array_add(out, row);
  }
  return out;
}

static gboolean lower_hex(const char *s, gsize min, gsize max) {
  gsize n = s ? strlen(s) : 0;
  if (n < min || n > max) return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f')) return FALSE;
  return TRUE;
}

/* The condition after "user_name = ? AND" for which, and its parameters after the user's. */
static const char *end_condition(PortalEndWhich which, const char *arg, gint64 now, DbParam *p,
                                 guint *n) {
  switch (which) {
  case PORTAL_END_ONE: /* a handle: its hex cannot hold LIKE's wildcards */
    if (!lower_hex(arg, 16, 64)) return NULL;
    p[(*n)++] = DBP_S(arg);
    return "session_hash LIKE CONCAT(?, '%')";
  case PORTAL_END_OTHERS:
    if (!lower_hex(arg, 64, 64)) return NULL;
    p[(*n)++] = DBP_S(arg);
    return "session_hash <> ?";
  case PORTAL_END_EXPIRED:
    p[(*n)++] = DBP_I(now);
    p[(*n)++] = DBP_I(now);
    return "(expires_at <= ? OR (idle_s > 0 AND last_seen + idle_s <= ?))";
  case PORTAL_END_ALL:
    p[(*n)++] = DBP_I(now);
    return "created_at <= ?";
  }
  return NULL;
}

gboolean store_portal_sessions_end(MYSQL *conn, const char *user, PortalEndWhich which,
                                   const char *arg, gint64 now, guint *ended, GError **error) {
  DbParam p[3] = {DBP_S(user)};
  guint n = 1;
  guint64 affected = 0;
  if (ended) *ended = 0;
  const char *cond = end_condition(which, arg, now, p, &n);
  if (cond == NULL) return TRUE; /* not a handle: nothing of this user's can match */
  g_autofree char *revoke = g_strconcat(
      "INSERT IGNORE INTO UM_REVOKED_SESSION (session_hash, expires_at) SELECT session_hash,"
      " expires_at FROM UM_PORTAL_SESSION WHERE user_name = ? AND ",
      cond, NULL);
  g_autofree char *del =
      g_strconcat("DELETE FROM UM_PORTAL_SESSION WHERE user_name = ? AND ", cond, NULL);
  if (!hub_db_exec(conn, revoke, p, n, NULL, NULL, error) ||
      !hub_db_exec(conn, del, p, n, &affected, NULL, error))
    return FALSE;
  if (ended) *ended = (guint)affected;
  return TRUE;
}

guint64 store_portal_sessions_prune(MYSQL *conn, gint64 cutoff, guint limit, GError **error) {
  DbParam p[] = {DBP_I(cutoff), DBP_I(limit)};
  guint64 n = 0;
  if (!hub_db_exec(conn, "DELETE FROM UM_PORTAL_SESSION WHERE expires_at < ? LIMIT ?", p, 2, &n,
                   NULL, error))
    return G_MAXUINT64;
  return n;
}

gboolean store_portal_session_forget(MYSQL *conn, const char *hash, GError **error) {
  DbParam p[] = {DBP_S(hash)};
  return hub_db_exec(conn, "DELETE FROM UM_PORTAL_SESSION WHERE session_hash = ?", p, 1, NULL, NULL,
                     error);
}
