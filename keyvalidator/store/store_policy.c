/*
 * store_policy.c: the SQL of custom throttling policies (store_policy.h).
 * A policy is a row; the ledger counts it under keys the gateways build
 * ("CUSTOM|<id>|<who>"), so deleting a policy needs no ledger clean-up: its
 * rows age out with their windows (store_throttle_prune_ledger).
 */
#include "config.h"

#include "db.h"
#include "store.h"
#include "store_policy.h"

#define POLICY_COLUMNS                                                \
  "policy_id, name, key_by, header_name, request_count, bytes_count," \
  " unit_time_s, sliding, api_context, description, created_at"

static gint64 col_int(const char *s) { return s ? g_ascii_strtoll(s, NULL, 10) : 0; }

static void policy_from_row(TgCustomPolicy *p, char **r) {
  g_object_set(p, "id", col_int(r[0]), "name", r[1], "keyBy", r[2], "headerName", r[3],
               "requestCount", col_int(r[4]), "bytesCount", col_int(r[5]), "unitTime",
               col_int(r[6]), "sliding", col_int(r[7]) != 0, "apiContext", r[8], "description",
               r[9], "createdAt", col_int(r[10]), NULL);
}

typedef struct {
  TgCustomPolicy *policy;
  StorePolicyAddCheck check;
  gint64 id;
  gboolean deleted;
} PolicyTxn;

/* check's answer on the policies whose name equals the new one's ignoring case, read FOR
   UPDATE: the scan (no index serves LOWER(name)) locks the table's rows and gaps until the
   end of the transaction, so an add of a look-alike running meanwhile waits and sees it. */
static gboolean add_allowed(MYSQL *conn, const PolicyTxn *t, GError **error) {
  DbParam p[] = {DBP_S(t->policy->name)};
  g_autoptr(GPtrArray) similar = hub_db_query(conn,
                                              "SELECT name FROM AM_CUSTOM_POLICY"
                                              " WHERE LOWER(name) = LOWER(?) FOR UPDATE",
                                              p, 1, 64, error);
  return similar != NULL && t->check(t->policy->name, similar, error);
}

static gboolean add_txn(MYSQL *conn, gpointer data, GError **error) {
  PolicyTxn *t = data;
  const TgCustomPolicy *p = t->policy;
  guint64 id = 0;
  if (t->check != NULL && !add_allowed(conn, t, error)) return FALSE;
  DbParam v[] = {DBP_S(p->name),
                 DBP_S(p->keyBy),
                 DBP_S(p->headerName ? p->headerName : ""),
                 DBP_I(p->requestCount),
                 DBP_I(p->bytesCount),
                 DBP_I(p->unitTime),
                 DBP_I(p->sliding),
                 DBP_S(p->apiContext ? p->apiContext : ""),
                 DBP_S(p->description ? p->description : ""),
                 DBP_I(p->createdAt)};
  if (!hub_db_exec(conn,
                   "INSERT INTO AM_CUSTOM_POLICY (name, key_by, header_name, request_count,"
                   " bytes_count, unit_time_s, sliding, api_context, description, created_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   v, G_N_ELEMENTS(v), NULL, &id, error))
    return FALSE;
  t->id = (gint64)id;
  return store_record_change(conn, "POLICY_CHANGED", "", error);
}

gboolean store_policy_add(MYSQL *conn, TgCustomPolicy *policy, StorePolicyAddCheck check,
                          GError **error) {
  PolicyTxn t = {policy, check, 0, FALSE};
  if (!hub_db_transaction(conn, add_txn, &t, error)) return FALSE;
  g_object_set(policy, "id", t.id, NULL);
  return TRUE;
}

gboolean store_policy_list(MYSQL *conn, GPtrArray *out, GError **error) {
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT " POLICY_COLUMNS
                                           " FROM AM_CUSTOM_POLICY"
                                           " ORDER BY policy_id",
                                           NULL, 0, STORE_POLICY_MAX, error);
  if (rows == NULL) return FALSE;
  for (guint i = 0; i < rows->len; i++) {
    TgCustomPolicy *p = g_object_new(TG_TYPE_CUSTOM_POLICY, NULL);
    policy_from_row(p, g_ptr_array_index(rows, i));
    g_ptr_array_add(out, p);
  }
  return TRUE;
}

gboolean store_policy_get(MYSQL *conn, gint64 id, TgCustomPolicy *policy, gboolean *found,
                          GError **error) {
  DbParam p[] = {DBP_I(id)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT " POLICY_COLUMNS
                                           " FROM AM_CUSTOM_POLICY"
                                           " WHERE policy_id = ?",
                                           p, 1, 1, error);
  if (rows == NULL) return FALSE;
  *found = rows->len > 0;
  if (*found) policy_from_row(policy, g_ptr_array_index(rows, 0));
  return TRUE;
}

static gboolean delete_txn(MYSQL *conn, gpointer data, GError **error) {
  PolicyTxn *t = data;
  guint64 n = 0;
  DbParam p[] = {DBP_I(t->id)};
  if (!hub_db_exec(conn, "DELETE FROM AM_CUSTOM_POLICY WHERE policy_id = ?", p, 1, &n, NULL, error))
    return FALSE;
  t->deleted = n > 0;
  return !t->deleted || store_record_change(conn, "POLICY_CHANGED", "", error);
}

gboolean store_policy_delete(MYSQL *conn, gint64 id, gboolean *deleted, GError **error) {
  PolicyTxn t = {.id = id};
  if (!hub_db_transaction(conn, delete_txn, &t, error)) return FALSE;
  *deleted = t.deleted;
  return TRUE;
}
