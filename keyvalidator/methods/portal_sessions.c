/*
 * portal_sessions.c: the portal's sessions, kept by the hubs (issue 15): portalLogin's row,
 * portalSessionCheck, listMySessions, endMySessions. The id is a hub session (signed, so any
 * hub checks it) and its row, by SHA-256, adds the idle and absolute ends every portal shares.
 * Trade-off: a check reads the row each time (the portal caches the answer briefly) and writes
 * last_seen at most every min(60, idle/4) s, so the idle end is exact to that step.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "handler.h"
#include "hub_error.h"
#include "hub_internal.h"
#include "methods_portal.h"
#include "session.h"
#include "store_portal_sessions.h"
#include "tg_crypto.h"

#define IDLE_MAX_S     86400
#define ABSOLUTE_MAX_S 604800
#define TOUCH_MAX_S    60

static gint64 now_s(void) { return g_get_real_time() / G_USEC_PER_SEC; }

/* How stale last_seen may get before a check writes it. */
static gint64 touch_step(int idle_s) {
  return idle_s <= 0 ? TOUCH_MAX_S : MAX(1, MIN(TOUCH_MAX_S, idle_s / 4));
}

gboolean portal_session_limits_valid(const char *kind, int idle_s, int absolute_s,
                                     TgTollgateException **err) {
  gboolean cookie = g_strcmp0(kind, "cookie") == 0, bearer = g_strcmp0(kind, "bearer") == 0;
  if (!cookie && !bearer)
    hub_set_error(err, 400, "kind is cookie or bearer");
  else if (absolute_s < 2 || absolute_s > ABSOLUTE_MAX_S)
    hub_set_error(err, 400, "absoluteSeconds is 2 to %d", ABSOLUTE_MAX_S);
  else if (cookie && (idle_s < 1 || idle_s > MIN(IDLE_MAX_S, absolute_s)))
    hub_set_error(err, 400, "idleSeconds is 1 to %d and at most absoluteSeconds", IDLE_MAX_S);
  else if (bearer && idle_s != 0)
    hub_set_error(err, 400, "a bearer session has no idle end: idleSeconds 0");
  else
    return TRUE;
  return FALSE;
}

/* Printable ASCII only, at most 200 bytes: a user agent as the portal reported it. */
static void agent_copy(char *out, gsize size, const char *agent) {
  gsize n = 0;
  for (const char *p = agent ? agent : ""; *p && n + 1 < size; p++)
    out[n++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
  out[n] = '\0';
}

gboolean portal_session_start(Hub *hub, const char *user, guint roles, const char *address,
                              const char *agent, const char *kind, int idle_s, int absolute_s,
                              char **id, TgTollgateException **err) {
  g_autoptr(GError) local = NULL;
  g_autofree char *sid = session_issue_for(hub->sessions, user, roles, address, absolute_s);
  PortalSessionRow row = {.idle_s = idle_s};
  tg_sha256_hex(sid, strlen(sid), row.hash);
  g_strlcpy(row.user, user, sizeof row.user);
  g_strlcpy(row.kind, kind, sizeof row.kind);
  g_strlcpy(row.client, address ? address : "", sizeof row.client);
  agent_copy(row.agent, sizeof row.agent, agent);
  row.created = row.last_seen = now_s();
  row.expires_at = row.created + absolute_s;
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_user_store, &local);
  gboolean ok =
      conn != NULL &&
      store_portal_sessions_end(conn, user, PORTAL_END_EXPIRED, NULL, row.created, NULL, &local) &&
      store_portal_session_add(conn, &row, &local);
  hub_db_release(hub, conn);
  if (!ok) {
    g_warning("portalLogin: %s", local ? local->message : "?");
    hub_set_error(err, 503, "database unavailable");
    return FALSE;
  }
  *id = g_steal_pointer(&sid);
  return TRUE;
}

static TgPortalSession *session_object(const PortalSessionRow *row, gboolean current) {
  TgPortalSession *s = g_object_new(TG_TYPE_PORTAL_SESSION, NULL);
  g_autofree char *handle = g_strndup(row->hash, 16);
  g_object_set(s, "handle", handle, "kind", row->kind, "user", row->user, "created", row->created,
               "lastSeen", row->last_seen, "expiresAt", portal_session_row_end(row),
               "clientAddress", row->client, "userAgent", row->agent, "current", current, NULL);
  return s;
}

/* The hub session's check (signature, logout, user epoch) and its hash. */
static gboolean hub_part(Hub *hub, const char *id, SessionInfo *who, char hash[65],
                         TgTollgateException **err) {
  if (!hub_require_session(hub, id, NULL, who, err)) return FALSE;
  tg_sha256_hex(id, strlen(id), hash);
  return TRUE;
}

static gboolean db_fail(const char *method, GError *local, TgTollgateException **err) {
  g_warning("%s: %s", method, local ? local->message : "?");
  hub_set_error(err, 503, "database unavailable");
  return FALSE;
}

/* The live row of the session, touched when stale; an ended one is revoked and deleted. */
static gboolean live_row(Hub *hub, MYSQL *conn, const char *user, const char *hash,
                         PortalSessionRow *row, TgTollgateException **err) {
  g_autoptr(GError) local = NULL;
  gboolean found = FALSE;
  gint64 now = now_s();
  if (!store_portal_session_get(conn, hash, row, &found, &local))
    return db_fail("portalSessionCheck", local, err);
  if (!found || strcmp(row->user, user) != 0) {
    hub_set_error(err, 401, "not a portal session, or it was ended: sign in again");
    return FALSE;
  }
  if (now >= portal_session_row_end(row)) {
    if (!store_portal_sessions_end(conn, user, PORTAL_END_ONE, hash, now, NULL, &local))
      return db_fail("portalSessionCheck", local, err);
    hub_set_error(err, 401, "the session %s: sign in again",
                  now >= row->expires_at ? "reached its time limit" : "was unused too long");
    return FALSE;
  }
  if (now - row->last_seen >= touch_step(row->idle_s)) {
    if (!store_portal_session_touch(conn, hash, now, &local))
      return db_fail("portalSessionCheck", local, err);
    row->last_seen = now;
  }
  return TRUE;
}

gboolean hub_method_portal_session_check(TgTollgateIf *iface, TgPortalSession **_return,
                                         const gchar *sessionId, TgTollgateException **err,
                                         GError **error) {
  Hub *hub = hub_handler_hub(iface);
  gint64 start = g_get_monotonic_time();
  SessionInfo who = {0};
  char hash[65];
  PortalSessionRow row;
  g_autoptr(GError) local = NULL;
  if (!hub_part(hub, sessionId, &who, hash, err)) return FALSE;
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_user_store, &local);
  if (conn == NULL) return db_fail("portalSessionCheck", local, err);
  gboolean ok = live_row(hub, conn, who.user, hash, &row, err);
  hub_db_release(hub, conn);
  hub_count_call(hub, "portalSessionCheck", start, ok);
  if (!ok) return FALSE;
  TgPortalSession *s = session_object(&row, TRUE);
  g_autofree char *csrf = session_csrf_token(hub->sessions, hash);
  g_object_set(s, "csrf", csrf, NULL);
  g_clear_object(_return);
  *_return = s;
  return TRUE;
}

gboolean hub_method_list_my_sessions(TgTollgateIf *iface, GPtrArray **_return,
                                     const gchar *sessionId, TgTollgateException **err,
                                     GError **error) {
  Hub *hub = hub_handler_hub(iface);
  SessionInfo who = {0};
  char hash[65];
  g_autoptr(GError) local = NULL;
  if (!hub_part(hub, sessionId, &who, hash, err)) return FALSE;
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_user_store, &local);
  g_autoptr(GPtrArray) rows = conn ? store_portal_session_list(conn, who.user, &local) : NULL;
  hub_db_release(hub, conn);
  if (rows == NULL) return db_fail("listMySessions", local, err);
  gint64 now = now_s();
  for (guint i = 0; i < rows->len; i++) {
    const PortalSessionRow *row = g_ptr_array_index(rows, i);
    if (now < portal_session_row_end(row))
      g_ptr_array_add(*_return, session_object(row, strcmp(row->hash, hash) == 0));
  }
  return TRUE;
}

gboolean hub_method_end_my_sessions(TgTollgateIf *iface, gint32 *_return, const gchar *sessionId,
                                    const gchar *handle, TgTollgateException **err,
                                    GError **error) {
  Hub *hub = hub_handler_hub(iface);
  SessionInfo who = {0};
  char hash[65];
  g_autoptr(GError) local = NULL;
  guint ended = 0;
  if (!hub_part(hub, sessionId, &who, hash, err)) return FALSE;
  gboolean others = handle == NULL || *handle == '\0';
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_user_store, &local);
  gboolean ok = conn != NULL && store_portal_sessions_end(
                                    conn, who.user, others ? PORTAL_END_OTHERS : PORTAL_END_ONE,
                                    others ? hash : handle, now_s(), &ended, &local);
  hub_db_release(hub, conn);
  if (!ok) return db_fail("endMySessions", local, err);
  g_message("endMySessions: %s ended %u session%s", who.user, ended, ended == 1 ? "" : "s");
  *_return = (gint32)ended;
  return TRUE;
}
