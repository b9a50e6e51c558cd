/*
 * store_throttle.c: the SQL of traffic management (store_throttle.h). Every grant is one
 * conditional UPDATE on one row, so sum granted <= limit holds whichever hub runs it.
 * Trade-off: a new window's row is made by an INSERT IGNORE first (one extra statement)
 * instead of an upsert whose affected-rows count cannot tell a grant from a refusal.
 * Design notes: docs/HACKING.md.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "store.h"
#include "store_apis.h"
#include "store_throttle.h"
#include "tg_throttle.h"

#define TIER_COLUMNS                                                     \
  "name, level, request_count, unit_time_s, description, stop_on_quota," \
  " bytes_count, burst_count, burst_unit_s, sliding, fail_mode"
#define GRANT_ATTEMPTS       4
#define MAX_BLOCK_CONDITIONS 100000

static gint64 col_int(const char *s) { return s ? g_ascii_strtoll(s, NULL, 10) : 0; }

gboolean store_throttle_tier_get(MYSQL *conn, const char *name, const char *level, TgTier *tier,
                                 gboolean *found, GError **error) {
  DbParam p[] = {DBP_S(name), DBP_S(level)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT " TIER_COLUMNS
                                           " FROM AM_TIER"
                                           " WHERE name = ? AND level = ?",
                                           p, 2, 1, error);
  if (rows == NULL) return FALSE;
  *found = rows->len > 0;
  if (!*found) return TRUE;
  char **r = g_ptr_array_index(rows, 0);
  g_object_set(tier, "name", r[0], "level", r[1], "requestCount", col_int(r[2]), "unitTime",
               col_int(r[3]), "description", r[4] ? r[4] : "", "stopOnQuotaReach",
               col_int(r[5]) != 0, "bytesCount", col_int(r[6]), "burstCount", col_int(r[7]),
               "burstUnitTime", col_int(r[8]), "sliding", col_int(r[9]) != 0, "failMode",
               r[10] ? r[10] : "static", NULL);
  return TRUE;
}

gboolean store_throttle_hard_limit(MYSQL *conn, const char *api, char **text, GError **error) {
  const char *colon = strrchr(api, ':');
  *text = NULL;
  if (colon == NULL) return TRUE;
  g_autofree char *context = g_strndup(api, (gsize)(colon - api));
  DbParam p[] = {DBP_S(context), DBP_S(colon + 1)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT hard_limit FROM AM_API WHERE context = ?"
                                           " AND version = ?",
                                           p, 2, 1, error);
  if (rows == NULL) return FALSE;
  if (rows->len > 0) *text = g_strdup(((char **)g_ptr_array_index(rows, 0))[0]);
  return TRUE;
}

typedef struct {
  const TgTier *tier;
  StoreTierAddCheck check;
} TierAddTxn;

/* check's answer on the tiers whose name equals t's ignoring case, read FOR UPDATE: no index
   serves LOWER(name), so the scan locks every row and gap of AM_TIER until the end of the
   transaction, and an addTier of a look-alike running meanwhile waits, then sees this one. */
static gboolean tier_add_allowed(MYSQL *conn, const TierAddTxn *t, GError **error) {
  DbParam p[] = {DBP_S(t->tier->name)};
  g_autoptr(GPtrArray) similar =
      hub_db_query(conn, "SELECT name, level FROM AM_TIER WHERE LOWER(name) = LOWER(?) FOR UPDATE",
                   p, 1, 64, error);
  return similar != NULL && t->check(t->tier->name, t->tier->level, similar, error);
}

static gboolean tier_add_txn(MYSQL *conn, gpointer data, GError **error) {
  const TierAddTxn *txn = data;
  const TgTier *t = txn->tier;
  if (txn->check != NULL && !tier_add_allowed(conn, txn, error)) return FALSE;
  DbParam p[] = {DBP_S(t->name),
                 DBP_S(t->level),
                 DBP_I(t->requestCount),
                 DBP_I(t->unitTime),
                 DBP_S(t->description ? t->description : ""),
                 DBP_I(t->stopOnQuotaReach),
                 DBP_I(t->bytesCount),
                 DBP_I(t->burstCount),
                 DBP_I(t->burstUnitTime),
                 DBP_I(t->sliding),
                 DBP_S(t->failMode ? t->failMode : "static")};
  return hub_db_exec(conn,
                     "INSERT INTO AM_TIER (" TIER_COLUMNS
                     ")"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     p, G_N_ELEMENTS(p), NULL, NULL, error) &&
         store_record_change(conn, "POLICY_CHANGED", "", error);
}

/* A tier change is a POLICY_CHANGED in the feed: gateways learn which tiers count bytes. */
gboolean store_throttle_tier_add(MYSQL *conn, const TgTier *t, StoreTierAddCheck check,
                                 GError **error) {
  TierAddTxn txn = {t, check};
  return hub_db_transaction(conn, tier_add_txn, &txn, error);
}

typedef struct {
  const char *name, *level;
  StoreTierDeleteCheck check;
  gboolean deleted;
} TierDeleteTxn;

/* The levels name exists at (plus the one just deleted) and what names it. */
static gboolean tier_use(MYSQL *conn, const TierDeleteTxn *t, GError **error) {
  DbParam p[] = {DBP_S(t->name)};
  g_autoptr(GPtrArray) levels =
      hub_db_query(conn, "SELECT level FROM AM_TIER WHERE name = ?", p, 1, 16, error);
  if (levels == NULL) return FALSE;
  DbParam q[] = {DBP_S(t->name), DBP_S(t->name), DBP_S(t->name), DBP_S(t->name), DBP_S(t->name)};
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn,
                   "SELECT (SELECT COUNT(*) FROM AM_API WHERE api_tier = ?),"
                   " (SELECT COUNT(*) FROM AM_API_URL_MAPPING WHERE throttling_tier = ?),"
                   " (SELECT COUNT(*) FROM AM_API_SUBSCRIPTION_TIER WHERE tier_name = ?),"
                   " (SELECT COUNT(*) FROM AM_SUBSCRIPTION WHERE tier = ?),"
                   " (SELECT COUNT(*) FROM AM_APPLICATION WHERE tier = ?)",
                   q, 5, 1, error);
  if (rows == NULL) return FALSE;
  char *none[5] = {NULL};
  char **r = rows->len > 0 ? g_ptr_array_index(rows, 0) : none;
  StoreTierUse use = {col_int(r[0]), col_int(r[1]), col_int(r[2]), col_int(r[3]), col_int(r[4])};
  g_autofree const char **before = g_new0(const char *, levels->len + 2);
  before[0] = t->level;
  for (guint i = 0; i < levels->len; i++) before[i + 1] = ((char **)levels->pdata[i])[0];
  return t->check(t->name, t->level, before, &use, error);
}

static gboolean tier_delete_txn(MYSQL *conn, gpointer data, GError **error) {
  TierDeleteTxn *t = data;
  guint64 n = 0;
  DbParam p[] = {DBP_S(t->name), DBP_S(t->level)};
  if (!hub_db_exec(conn, "DELETE FROM AM_TIER WHERE name = ? AND level = ?", p, 2, &n, NULL, error))
    return FALSE;
  t->deleted = n > 0;
  if (t->deleted && t->check != NULL && !tier_use(conn, t, error)) return FALSE;
  return !t->deleted || store_record_change(conn, "POLICY_CHANGED", "", error);
}

gboolean store_throttle_tier_delete(MYSQL *conn, const char *name, const char *level,
                                    StoreTierDeleteCheck check, gboolean *deleted, GError **error) {
  TierDeleteTxn t = {name, level, check, FALSE};
  if (!hub_db_transaction(conn, tier_delete_txn, &t, error)) return FALSE;
  *deleted = t.deleted;
  return TRUE;
}

/* ---- the ledger ---- */

/* The one conditional UPDATE of a grant: TRUE with *ok when k fitted. */
static gboolean ledger_take(MYSQL *conn, const char *key, gint64 window, gint64 k, gboolean *ok,
                            GError **error) {
  guint64 n = 0;
  DbParam p[] = {DBP_I(k), DBP_S(key), DBP_I(window), DBP_I(k)};
  if (!hub_db_exec(conn,
                   "UPDATE AM_THROTTLE_LEDGER SET granted = granted + ?"
                   " WHERE throttle_key = ? AND window_start_ms = ? AND granted + ? <= limit_count",
                   p, 4, &n, NULL, error))
    return FALSE;
  *ok = n > 0;
  return TRUE;
}

static gboolean ledger_left(MYSQL *conn, const char *key, gint64 window, gint64 *left,
                            GError **error) {
  DbParam p[] = {DBP_S(key), DBP_I(window)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT limit_count - granted FROM"
                                           " AM_THROTTLE_LEDGER WHERE throttle_key = ? AND"
                                           " window_start_ms = ?",
                                           p, 2, 1, error);
  if (rows == NULL) return FALSE;
  *left = rows->len ? MAX(col_int(((char **)g_ptr_array_index(rows, 0))[0]), 0) : 0;
  return TRUE;
}

gboolean store_throttle_grant(MYSQL *conn, const char *key, gint64 window_start_ms, gint64 limit,
                              gint64 requested, gint64 *granted, gint64 *remaining,
                              GError **error) {
  *granted = 0;
  DbParam p[] = {DBP_S(key), DBP_I(window_start_ms), DBP_I(limit)};
  if (!hub_db_exec(conn,
                   "INSERT IGNORE INTO AM_THROTTLE_LEDGER (throttle_key, window_start_ms,"
                   " limit_count) VALUES (?, ?, ?)",
                   p, 3, NULL, NULL, error))
    return FALSE;
  gint64 k = MIN(requested, limit);
  for (int attempt = 0; attempt < GRANT_ATTEMPTS && k > 0; attempt++) {
    gboolean ok = FALSE;
    if (!ledger_take(conn, key, window_start_ms, k, &ok, error)) return FALSE;
    if (ok) {
      *granted = k;
      break;
    }
    gint64 left = 0;
    if (!ledger_left(conn, key, window_start_ms, &left, error)) return FALSE;
    k = tg_credit_slice(k, left);
  }
  return ledger_left(conn, key, window_start_ms, remaining, error);
}

/* ---- sliding windows: one ledger row per slot ---- */

typedef struct {
  const char *key;
  gint64 slot, unit_ms, limit, requested, granted, remaining;
} SlidingTxn;

static gboolean sliding_txn(MYSQL *conn, gpointer data, GError **error) {
  SlidingTxn *t = data;
  t->granted = 0;
  DbParam ins[] = {DBP_S(t->key), DBP_I(t->slot), DBP_I(t->limit)};
  if (!hub_db_exec(conn,
                   "INSERT IGNORE INTO AM_THROTTLE_LEDGER (throttle_key, window_start_ms,"
                   " limit_count) VALUES (?, ?, ?)",
                   ins, 3, NULL, NULL, error))
    return FALSE;
  /* a locking read of every slot of the window: grants of one key are serialised, and a
     hub whose clock is one slot ahead waits for this one's grant instead of missing it */
  DbParam q[] = {DBP_S(t->key), DBP_I(tg_sliding_first_slot(t->slot, t->unit_ms)), DBP_I(t->slot)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT COALESCE(SUM(granted), 0) FROM"
                                           " AM_THROTTLE_LEDGER WHERE throttle_key = ? AND"
                                           " window_start_ms BETWEEN ? AND ? FOR UPDATE",
                                           q, 3, 1, error);
  if (rows == NULL) return FALSE;
  gint64 left = MAX(t->limit - (rows->len ? col_int(((char **)rows->pdata[0])[0]) : 0), 0);
  t->granted = tg_credit_slice(MIN(t->requested, t->limit), left);
  t->remaining = left - t->granted;
  if (t->granted == 0) return TRUE;
  DbParam u[] = {DBP_I(t->granted), DBP_S(t->key), DBP_I(t->slot)};
  return hub_db_exec(conn,
                     "UPDATE AM_THROTTLE_LEDGER SET granted = granted + ?"
                     " WHERE throttle_key = ? AND window_start_ms = ?",
                     u, 3, NULL, NULL, error);
}

gboolean store_throttle_grant_sliding(MYSQL *conn, const char *key, gint64 slot_start_ms,
                                      gint64 unit_ms, gint64 limit, gint64 requested,
                                      gint64 *granted, gint64 *remaining, GError **error) {
  SlidingTxn t = {key, slot_start_ms, unit_ms, limit, requested, 0, 0};
  *granted = 0;
  if (!hub_db_transaction(conn, sliding_txn, &t, error)) return FALSE;
  *granted = t.granted;
  *remaining = t.remaining;
  return TRUE;
}

gboolean store_throttle_gateway_seen(MYSQL *conn, const char *gateway_id, gint64 now_ms,
                                     gint *gateways, GError **error) {
  DbParam p[] = {DBP_S(gateway_id), DBP_I(now_ms)};
  if (!hub_db_exec(conn,
                   "INSERT INTO AM_THROTTLE_GATEWAY (gateway_id, last_seen_ms) VALUES (?, ?)"
                   " ON DUPLICATE KEY UPDATE last_seen_ms = GREATEST(last_seen_ms,"
                   " VALUES(last_seen_ms))",
                   p, 2, NULL, NULL, error))
    return FALSE;
  DbParam q[] = {DBP_I(now_ms - THROTTLE_GATEWAY_SEEN_MS)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT COUNT(*) FROM AM_THROTTLE_GATEWAY"
                                           " WHERE last_seen_ms >= ?",
                                           q, 1, 1, error);
  if (rows == NULL) return FALSE;
  *gateways = rows->len ? (gint)col_int(((char **)g_ptr_array_index(rows, 0))[0]) : 1;
  return TRUE;
}

typedef struct {
  const GPtrArray *reports;
  const char *batch_id;
  gboolean *duplicate;
} ReportTxn;

static gboolean report_one(MYSQL *conn, const TgCreditReport *r, GError **error) {
  DbParam p[] = {DBP_I(r->used), DBP_I(r->unused), DBP_S(r->key), DBP_I(r->windowStart)};
  return hub_db_exec(conn,
                     "UPDATE AM_THROTTLE_LEDGER SET used = used + ?,"
                     " granted = GREATEST(granted - ?, 0)"
                     " WHERE throttle_key = ? AND window_start_ms = ?",
                     p, 4, NULL, NULL, error);
}

static gboolean report_txn(MYSQL *conn, gpointer data, GError **error) {
  const ReportTxn *t = data;
  *t->duplicate = FALSE;
  if (t->batch_id != NULL) {
    guint64 added = 0;
    DbParam p[] = {DBP_S(t->batch_id), DBP_I(g_get_real_time() / G_USEC_PER_SEC)};
    if (!hub_db_exec(conn,
                     "INSERT IGNORE INTO AM_THROTTLE_REPORT_BATCH (batch_id, received_at)"
                     " VALUES (?, ?)",
                     p, 2, &added, NULL, error))
      return FALSE;
    *t->duplicate = added == 0;
  }
  for (guint i = 0; !*t->duplicate && i < t->reports->len; i++)
    if (!report_one(conn, g_ptr_array_index(t->reports, i), error)) return FALSE;
  return TRUE;
}

gboolean store_throttle_report(MYSQL *conn, const GPtrArray *reports, const char *batch_id,
                               gboolean *duplicate, GError **error) {
  ReportTxn t = {reports, batch_id && *batch_id ? batch_id : NULL, duplicate};
  return hub_db_transaction(conn, report_txn, &t, error);
}

guint64 store_throttle_prune_ledger(MYSQL *conn, gint64 cutoff_ms, guint limit, GError **error) {
  guint64 n = 0;
  DbParam p[] = {DBP_I(cutoff_ms), DBP_I(limit)};
  if (!hub_db_exec(conn, "DELETE FROM AM_THROTTLE_LEDGER WHERE window_start_ms < ? LIMIT ?", p, 2,
                   &n, NULL, error))
    return G_MAXUINT64;
  return n;
}

guint64 store_throttle_prune_batches(MYSQL *conn, gint64 cutoff_s, guint limit, GError **error) {
  guint64 n = 0;
  DbParam p[] = {DBP_I(cutoff_s), DBP_I(limit)};
  if (!hub_db_exec(conn, "DELETE FROM AM_THROTTLE_REPORT_BATCH WHERE received_at < ? LIMIT ?", p, 2,
                   &n, NULL, error))
    return G_MAXUINT64;
  return n;
}

/* ---- blocking conditions ---- */

typedef struct {
  TgBlockCondition *cond;
  gint64 id;
  gboolean deleted;
} BlockTxn;

static gboolean block_add_txn(MYSQL *conn, gpointer data, GError **error) {
  BlockTxn *t = data;
  guint64 id = 0;
  DbParam p[] = {DBP_S(t->cond->kind), DBP_S(t->cond->value), DBP_I(t->cond->createdAt)};
  if (!hub_db_exec(conn,
                   "INSERT INTO AM_BLOCK_CONDITION (kind, value, created_at)"
                   " VALUES (?, ?, ?)",
                   p, 3, NULL, &id, error))
    return FALSE;
  t->id = (gint64)id;
  return store_record_change(conn, "BLOCK_CHANGED", "", error);
}

gboolean store_block_add(MYSQL *conn, TgBlockCondition *cond, GError **error) {
  BlockTxn t = {cond, 0, FALSE};
  if (!hub_db_transaction(conn, block_add_txn, &t, error)) return FALSE;
  g_object_set(cond, "id", t.id, NULL);
  return TRUE;
}

gboolean store_block_list(MYSQL *conn, GPtrArray *out, GError **error) {
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT condition_id, kind, value, created_at"
                                           " FROM AM_BLOCK_CONDITION ORDER BY condition_id",
                                           NULL, 0, MAX_BLOCK_CONDITIONS, error);
  if (rows == NULL) return FALSE;
  for (guint i = 0; i < rows->len; i++) {
    char **r = g_ptr_array_index(rows, i);
    g_ptr_array_add(out, g_object_new(TG_TYPE_BLOCK_CONDITION, "id", col_int(r[0]), "kind", r[1],
                                      "value", r[2], "createdAt", col_int(r[3]), NULL));
  }
  return TRUE;
}

static gboolean block_delete_txn(MYSQL *conn, gpointer data, GError **error) {
  BlockTxn *t = data;
  guint64 n = 0;
  DbParam p[] = {DBP_I(t->id)};
  if (!hub_db_exec(conn, "DELETE FROM AM_BLOCK_CONDITION WHERE condition_id = ?", p, 1, &n, NULL,
                   error))
    return FALSE;
  t->deleted = n > 0;
  return !t->deleted || store_record_change(conn, "BLOCK_CHANGED", "", error);
}

gboolean store_block_delete(MYSQL *conn, gint64 id, gboolean *deleted, GError **error) {
  BlockTxn t = {NULL, id, FALSE};
  if (!hub_db_transaction(conn, block_delete_txn, &t, error)) return FALSE;
  *deleted = t.deleted;
  return TRUE;
}
