/*
 * store_feed.c: the gateway change log's reads and pruning (AM_GATEWAY_CHANGE).
 * Queries here take only integers, formatted by us (no text from a client
 * reaches SQL), which keeps them single round trips without the prepared-statement
 * ceremony; pruning keeps the newest row so the revision a gateway holds never
 * becomes "ahead of the table" just through pruning.
 */
#include "config.h"

#include <string.h>

#include "store_feed.h"
#include "tg_tollgate_types.h"

#define FEED_ERROR (g_quark_from_static_string("hub-feed-error"))

static gboolean feed_query(MYSQL *conn, const char *sql, GError **error) {
  if (mysql_real_query(conn, sql, strlen(sql)) == 0) return TRUE;
  g_set_error(error, FEED_ERROR, (int)mysql_errno(conn), "change feed: %s", mysql_error(conn));
  return FALSE;
}

static gint64 field_int(const char *s) { return s ? g_ascii_strtoll(s, NULL, 10) : 0; }

gboolean feed_read_window(MYSQL *conn, gint64 since, gint64 *oldest, gint64 *newest,
                          gint64 *pending, GError **error) {
  g_autofree char *sql = g_strdup_printf(
      "SELECT COALESCE(MIN(revision),0), COALESCE(MAX(revision),0),"
      " COALESCE(SUM(revision > %" G_GINT64_FORMAT "),0) FROM AM_GATEWAY_CHANGE",
      since);
  if (!feed_query(conn, sql, error)) return FALSE;
  MYSQL_RES *res = mysql_store_result(conn);
  MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
  if (row == NULL) {
    if (res) mysql_free_result(res);
    g_set_error(error, FEED_ERROR, 0, "change feed: no window row");
    return FALSE;
  }
  *oldest = field_int(row[0]);
  *newest = field_int(row[1]);
  *pending = field_int(row[2]);
  mysql_free_result(res);
  return TRUE;
}

static TgGatewayChange *change_from_row(MYSQL_ROW row) {
  TgGatewayChange *c = g_object_new(TG_TYPE_GATEWAY_CHANGE, "revision", field_int(row[0]), "kind",
                                    row[1], "subject", row[2], NULL);
  if (row[3] != NULL) g_object_set(c, "applicationId", field_int(row[3]), NULL);
  return c;
}

GPtrArray *feed_read_changes(MYSQL *conn, gint64 since, GError **error) {
  g_autofree char *sql = g_strdup_printf(
      "SELECT revision, kind, subject, application_id FROM AM_GATEWAY_CHANGE"
      " WHERE revision > %" G_GINT64_FORMAT " ORDER BY revision LIMIT %d",
      since, FEED_MAX_CHANGES);
  if (!feed_query(conn, sql, error)) return NULL;
  MYSQL_RES *res = mysql_store_result(conn);
  if (res == NULL) {
    g_set_error(error, FEED_ERROR, (int)mysql_errno(conn), "change feed: %s", mysql_error(conn));
    return NULL;
  }
  GPtrArray *changes = g_ptr_array_new_with_free_func(g_object_unref);
  MYSQL_ROW row;
  while ((row = mysql_fetch_row(res)) != NULL) g_ptr_array_add(changes, change_from_row(row));
  mysql_free_result(res);
  return changes;
}

gboolean feed_prune(MYSQL *conn, GError **error) {
  g_autofree char *sql = g_strdup_printf(
      "DELETE c FROM AM_GATEWAY_CHANGE c"
      " JOIN (SELECT MAX(revision) AS top FROM AM_GATEWAY_CHANGE) m"
      " WHERE c.created_at < NOW() - INTERVAL %d SECOND AND c.revision < m.top",
      FEED_RETENTION_S);
  if (!feed_query(conn, sql, error)) return FALSE;
  my_ulonglong n = mysql_affected_rows(conn);
  if (n > 0 && n != (my_ulonglong)-1) g_info("pruned %llu gateway changes", (unsigned long long)n);
  return TRUE;
}

gboolean feed_needs_full_sync(gint64 since, gint64 oldest, gint64 newest, gint64 pending) {
  if (since <= 0 || since > newest) return TRUE;
  if (oldest > 0 && since < oldest - 1) return TRUE; /* the rows between were pruned */
  return pending > FEED_MAX_CHANGES;
}

gboolean feed_parse_api_subject(const char *subject, char **context, char **version) {
  const char *colon = subject ? strrchr(subject, ':') : NULL;
  if (colon == NULL || colon == subject || colon[1] == '\0') return FALSE;
  *context = g_strndup(subject, (gsize)(colon - subject));
  *version = g_strdup(colon + 1);
  return TRUE;
}
