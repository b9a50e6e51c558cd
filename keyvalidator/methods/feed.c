/*
 * feed.c: the gateway change feed's decision rules and its reads of
 * AM_GATEWAY_CHANGE. A gateway holds a revision; we send it the rows above
 * that revision, or tell it to reload everything when the rows it missed are
 * gone. Queries here take only integers, formatted by us (no text from a
 * client reaches SQL), which keeps them single round trips without the
 * prepared-statement ceremony; pruning keeps the newest row so the revision a
 * gateway holds never becomes "ahead of the table" just through pruning.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "tg_tollgate_types.h"

#define FEED_ERROR (g_quark_from_static_string("hub-feed-error"))

gboolean feed_needs_full_sync(gint64 since, gint64 oldest, gint64 newest, gint64 pending)
{
  if (since <= 0 || since > newest)
    return TRUE;
  if (oldest > 0 && since < oldest - 1)
    return TRUE;                          /* the rows between were pruned */
  return pending > FEED_MAX_CHANGES;
}

gboolean feed_parse_api_subject(const char *subject, char **context, char **version)
{
  const char *colon = subject ? strrchr(subject, ':') : NULL;
  if (colon == NULL || colon == subject || colon[1] == '\0')
    return FALSE;
  *context = g_strndup(subject, (gsize)(colon - subject));
  *version = g_strdup(colon + 1);
  return TRUE;
}

GPtrArray *feed_changed_api_subjects(const GPtrArray *changes)
{
  GPtrArray *subjects = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; changes != NULL && i < changes->len; i++) {
    TgGatewayChange *c = g_ptr_array_index(changes, i);
    if (g_strcmp0(c->kind, "API_CHANGED") != 0 || c->subject == NULL ||
        g_hash_table_contains(seen, c->subject))
      continue;
    g_hash_table_add(seen, c->subject);
    g_ptr_array_add(subjects, g_strdup(c->subject));
  }
  return subjects;
}

gboolean feed_prune_due(gint64 now_us)
{
  static GMutex lock;
  static gint64 last_us = G_MININT64;
  g_mutex_lock(&lock);
  gboolean due = last_us == G_MININT64 || now_us - last_us >= FEED_PRUNE_INTERVAL_S * G_USEC_PER_SEC;
  if (due)
    last_us = now_us;
  g_mutex_unlock(&lock);
  return due;
}

/* ---- database ---- */

static gboolean feed_query(MYSQL *conn, const char *sql, GError **error)
{
  if (mysql_real_query(conn, sql, strlen(sql)) == 0)
    return TRUE;
  g_set_error(error, FEED_ERROR, (int)mysql_errno(conn), "change feed: %s", mysql_error(conn));
  return FALSE;
}

static gint64 field_int(const char *s)
{
  return s ? g_ascii_strtoll(s, NULL, 10) : 0;
}

gboolean feed_read_window(MYSQL *conn, gint64 since, gint64 *oldest, gint64 *newest,
                          gint64 *pending, GError **error)
{
  g_autofree char *sql = g_strdup_printf(
    "SELECT COALESCE(MIN(revision),0), COALESCE(MAX(revision),0),"
    " COALESCE(SUM(revision > %" G_GINT64_FORMAT "),0) FROM AM_GATEWAY_CHANGE", since);
  if (!feed_query(conn, sql, error))
    return FALSE;
  MYSQL_RES *res = mysql_store_result(conn);
  MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
  if (row == NULL) {
    if (res)
      mysql_free_result(res);
    g_set_error(error, FEED_ERROR, 0, "change feed: no window row");
    return FALSE;
  }
  *oldest = field_int(row[0]);
  *newest = field_int(row[1]);
  *pending = field_int(row[2]);
  mysql_free_result(res);
  return TRUE;
}

static TgGatewayChange *change_from_row(MYSQL_ROW row)
{
  TgGatewayChange *c = g_object_new(TG_TYPE_GATEWAY_CHANGE, "revision", field_int(row[0]),
                                    "kind", row[1], "subject", row[2], NULL);
  if (row[3] != NULL)
    g_object_set(c, "applicationId", field_int(row[3]), NULL);
  return c;
}

GPtrArray *feed_read_changes(MYSQL *conn, gint64 since, GError **error)
{
  g_autofree char *sql = g_strdup_printf(
    "SELECT revision, kind, subject, application_id FROM AM_GATEWAY_CHANGE"
    " WHERE revision > %" G_GINT64_FORMAT
    " ORDER BY revision LIMIT %d", since, FEED_MAX_CHANGES);
  if (!feed_query(conn, sql, error))
    return NULL;
  MYSQL_RES *res = mysql_store_result(conn);
  if (res == NULL) {
    g_set_error(error, FEED_ERROR, (int)mysql_errno(conn), "change feed: %s", mysql_error(conn));
    return NULL;
  }
  GPtrArray *changes = g_ptr_array_new_with_free_func(g_object_unref);
  MYSQL_ROW row;
  while ((row = mysql_fetch_row(res)) != NULL)
    g_ptr_array_add(changes, change_from_row(row));
  mysql_free_result(res);
  return changes;
}

gboolean feed_prune(MYSQL *conn, GError **error)
{
  g_autofree char *sql = g_strdup_printf(
    "DELETE c FROM AM_GATEWAY_CHANGE c"
    " JOIN (SELECT MAX(revision) AS top FROM AM_GATEWAY_CHANGE) m"
    " WHERE c.created_at < NOW() - INTERVAL %d SECOND AND c.revision < m.top",
    FEED_RETENTION_S);
  if (!feed_query(conn, sql, error))
    return FALSE;
  my_ulonglong n = mysql_affected_rows(conn);
  if (n > 0 && n != (my_ulonglong)-1)
    g_info("pruned %llu gateway changes", (unsigned long long)n);
  return TRUE;
}

/* ---- the Thrift method (needs core: compiled when core.mk defines HUB_CORE_GLUE) ---- */
#ifdef HUB_CORE_GLUE
#include "db.h"
#include "handler.h"
#include "hub_internal.h"
#include "methods_ext.h"
#include "session.h"

static const char *const feed_roles[] = { "gateway", "admin", NULL };

/* The current state of one changed API, or a RETIRED stub when it is gone. */
static TgApi *feed_api_state(MYSQL *conn, const char *subject, GError **error)
{
  g_autofree char *context = NULL, *version = NULL;
  if (!feed_parse_api_subject(subject, &context, &version))
    return NULL;
  g_autoptr(GError) local = NULL;
  TgApi *api = store_api_get(conn, context, version, &local);   /* core: NULL + no error = gone */
  if (api == NULL && local != NULL) {
    g_propagate_error(error, g_steal_pointer(&local));
    return NULL;
  }
  if (api == NULL)
    api = g_object_new(TG_TYPE_API, "context", context, "version", version, "status", "RETIRED",
                       NULL);
  return api;
}

static gboolean feed_fill_delta(MYSQL *conn, gint64 since, TgGatewayConfig *out, GError **error)
{
  g_autoptr(GPtrArray) changes = feed_read_changes(conn, since, error);
  if (changes == NULL)
    return FALSE;
  g_autoptr(GPtrArray) subjects = feed_changed_api_subjects(changes);
  for (guint i = 0; i < subjects->len; i++) {
    g_autoptr(GError) local = NULL;
    TgApi *api = feed_api_state(conn, g_ptr_array_index(subjects, i), &local);
    if (local != NULL) {
      g_propagate_error(error, g_steal_pointer(&local));
      return FALSE;
    }
    if (api != NULL)
      g_ptr_array_add(out->apis, api);
  }
  for (guint i = 0; i < changes->len; i++)
    g_ptr_array_add(out->changes, g_object_ref(g_ptr_array_index(changes, i)));
  return TRUE;
}

static gboolean feed_fill(MYSQL *conn, gint64 since, TgGatewayConfig *out, GError **error)
{
  if (feed_prune_due(g_get_monotonic_time())) {
    g_autoptr(GError) local = NULL;
    if (!feed_prune(conn, &local))
      g_warning("%s", local->message);  /* not fatal: the feed still answers */
  }
  gint64 oldest = 0, newest = 0, pending = 0;
  if (!feed_read_window(conn, since, &oldest, &newest, &pending, error))
    return FALSE;
  gboolean full = feed_needs_full_sync(since, oldest, newest, pending);
  g_object_set(out, "revision", newest, "fullSync", full, NULL);
  out->__isset_apis = out->__isset_changes = TRUE;   /* lists go on the wire even when empty */
  if (!full)
    return feed_fill_delta(conn, since, out, error);
  /* core: every API with status PUBLISHED, DEPRECATED or BLOCKED, resources and tiers filled */
  g_autoptr(GPtrArray) apis = store_api_list_for_gateways(conn, error);
  if (apis == NULL)
    return FALSE;
  for (guint i = 0; i < apis->len; i++)
    g_ptr_array_add(out->apis, g_object_ref(g_ptr_array_index(apis, i)));
  return TRUE;
}

gboolean hub_method_get_gateway_config(TgTollgateIf *iface, TgGatewayConfig **_return,
                                       const gchar *sessionId, const gint64 sinceRevision,
                                       TgTollgateException **err, GError **error)
{
  Hub *hub = hub_handler_hub(iface);
  if (!hub_require_session(hub, sessionId, feed_roles, NULL, err))
    return FALSE;
  g_autoptr(GError) local = NULL;
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_apimgt, &local);
  gboolean ok = conn != NULL && feed_fill(conn, sinceRevision, *_return, &local);
  if (conn)
    hub_db_release(hub, conn);
  if (!ok) {
    g_warning("getGatewayConfig: %s", local->message);
    hub_set_error(err, 503, "database unavailable");
  }
  return ok;
}
#endif
