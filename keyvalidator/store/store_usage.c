/*
 * store_usage.c: statdb's STAT_API_USAGE and STAT_USAGE_BATCH. A batch is
 * written chunk by chunk with prepared multi-row upserts inside one transaction.
 * Trade-off: a MYSQL_BIND array per chunk (15 per row) costs some memory but
 * keeps values out of the SQL text and makes one round trip per thousand rows.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "store_usage.h"
#include "store_usage_minute.h"
#include "tg_tollgate_types.h"

static const char *const usage_columns =
    "ts, gateway_id, api_context, api_version, resource, verb, application_id, subscriber,"
    " key_type, status, count, latency_ms_total, latency_ms_max, bytes_in, bytes_out";

char *usage_insert_sql(guint rows) {
  GString *sql = g_string_new("INSERT INTO STAT_API_USAGE (");
  g_string_append_printf(sql, "%s) VALUES ", usage_columns);
  for (guint i = 0; i < rows; i++)
    g_string_append(sql,
                    i ? ",(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  g_string_append(
      sql,
      " ON DUPLICATE KEY UPDATE count = count + VALUES(count),"
      " latency_ms_total = latency_ms_total + VALUES(latency_ms_total),"
      " latency_ms_max = GREATEST(latency_ms_max, VALUES(latency_ms_max)),"
      " bytes_in = bytes_in + VALUES(bytes_in), bytes_out = bytes_out + VALUES(bytes_out)");
  return g_string_free(sql, FALSE);
}

/* Binds a string; absent optional strings are stored as "" so they can be part of the key. */
static void bind_string(MYSQL_BIND *b, const char *s, unsigned long *len) {
  static char empty[] = "";
  b->buffer_type = MYSQL_TYPE_STRING;
  b->buffer = (void *)(s ? s : empty);
  *len = s ? strlen(s) : 0;
  b->buffer_length = *len;
  b->length = len;
}

static void bind_int64(MYSQL_BIND *b, const gint64 *v) {
  b->buffer_type = MYSQL_TYPE_LONGLONG;
  b->buffer = (void *)v;
}

static void bind_int32(MYSQL_BIND *b, const gint32 *v) {
  b->buffer_type = MYSQL_TYPE_LONG;
  b->buffer = (void *)v;
}

static void bind_record(MYSQL_BIND *b, unsigned long *lens, const TgUsageRecord *r) {
  bind_int64(&b[0], &r->timestamp);
  bind_string(&b[1], r->gatewayId, &lens[0]);
  bind_string(&b[2], r->apiContext, &lens[1]);
  bind_string(&b[3], r->apiVersion, &lens[2]);
  bind_string(&b[4], r->resource, &lens[3]);
  bind_string(&b[5], r->verb, &lens[4]);
  bind_string(&b[6], r->applicationId, &lens[5]);
  bind_string(&b[7], r->subscriber, &lens[6]);
  bind_string(&b[8], r->keyType, &lens[7]);
  bind_int32(&b[9], &r->status);
  bind_int64(&b[10], &r->count);
  bind_int64(&b[11], &r->latencyMsTotal);
  bind_int64(&b[12], &r->latencyMsMax);
  bind_int64(&b[13], &r->bytesIn);
  bind_int64(&b[14], &r->bytesOut);
}

/* Inserts records[first .. first+rows) with one prepared statement. */
static gboolean usage_store_chunk(MYSQL *conn, const GPtrArray *records, guint first, guint rows,
                                  GError **error) {
  g_autofree char *sql = usage_insert_sql(rows);
  g_autofree MYSQL_BIND *binds = g_new0(MYSQL_BIND, (gsize)rows * USAGE_COLUMNS);
  g_autofree unsigned long *lens = g_new0(unsigned long, (gsize)rows * 8);
  for (guint i = 0; i < rows; i++)
    bind_record(&binds[i * USAGE_COLUMNS], &lens[i * 8], g_ptr_array_index(records, first + i));
  MYSQL_STMT *stmt = mysql_stmt_init(conn);
  if (stmt == NULL) {
    g_set_error(error, USAGE_ERROR, 0, "usage insert: out of memory");
    return FALSE;
  }
  gboolean ok = (mysql_stmt_prepare(stmt, sql, strlen(sql)) == 0 &&
                 mysql_stmt_bind_param(stmt, binds) == 0 && mysql_stmt_execute(stmt) == 0) ||
                hub_db_stmt_fail(stmt, "usage insert", error);
  mysql_stmt_close(stmt);
  return ok;
}

typedef struct {
  const GPtrArray *records;
  const char *batch_id;
  gboolean *duplicate;
} UsageTxn;

/* TRUE with *fresh when the batch id was not stored yet (now it is, with this transaction).
   A concurrent sender of the same id waits on the row until this transaction ends. */
static gboolean usage_claim_batch(MYSQL *conn, const char *batch_id, gboolean *fresh,
                                  GError **error) {
  guint64 added = 0;
  DbParam p[] = {DBP_S(batch_id), DBP_I(g_get_real_time() / G_USEC_PER_SEC)};
  if (!hub_db_exec(conn,
                   "INSERT IGNORE INTO STAT_USAGE_BATCH (batch_id, received_at)"
                   " VALUES (?, ?)",
                   p, 2, &added, NULL, error))
    return FALSE;
  *fresh = added > 0;
  return TRUE;
}

static gboolean usage_store_txn(MYSQL *conn, gpointer data, GError **error) {
  const UsageTxn *t = data;
  const GPtrArray *r = t->records;
  gboolean fresh = TRUE;
  if (t->batch_id != NULL && !usage_claim_batch(conn, t->batch_id, &fresh, error)) return FALSE;
  *t->duplicate = !fresh;
  for (guint first = 0; fresh && first < r->len; first += USAGE_ROWS_PER_STATEMENT)
    if (!usage_store_chunk(conn, r, first, MIN(USAGE_ROWS_PER_STATEMENT, r->len - first), error))
      return FALSE;
  return !fresh || store_usage_minutes_add(conn, r, error);
}

/* Two hubs' upserts into neighbouring rows of the unique key can deadlock on gap locks:
   hub_db_transaction runs the loser again. */
gboolean usage_store(MYSQL *conn, const GPtrArray *records, const char *batch_id,
                     gboolean *duplicate, GError **error) {
  UsageTxn t = {records, batch_id && *batch_id ? batch_id : NULL, duplicate};
  *duplicate = FALSE;
  return (records->len == 0 && t.batch_id == NULL) ||
         hub_db_transaction(conn, usage_store_txn, &t, error);
}

guint64 usage_prune_batch_ids(MYSQL *conn, gint64 cutoff_s, guint limit, GError **error) {
  guint64 n = 0;
  DbParam p[] = {DBP_I(cutoff_s), DBP_I(limit)};
  if (!hub_db_exec(conn, "DELETE FROM STAT_USAGE_BATCH WHERE received_at < ? LIMIT ?", p, 2, &n,
                   NULL, error))
    return G_MAXUINT64;
  return n;
}
