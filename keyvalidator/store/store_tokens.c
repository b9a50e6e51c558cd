/*
 * store_tokens.c: consumer keys and access tokens (AM_APPLICATION_KEY,
 * AM_ACCESS_TOKEN) as OAuth2 (oauth.c) and the token management methods
 * (mgmt_keys.c, store_keys.h) use them. Only SHA-256 hex of secrets and tokens
 * is stored or compared; values never reach this file. Revocations write
 * TOKEN_REVOKED to the gateway change log in the same transaction, so gateways
 * drop their cached copies.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "store.h"
#include "store_apps.h"
#include "store_tokens.h"
#include "tg_crypto.h"

static gint64 now_ms(void) { return g_get_real_time() / 1000; }

gboolean store_application_owner(MYSQL *conn, const char *application_id, char **owner,
                                 GError **error) {
  DbParam p[] = {DBP_I(g_ascii_strtoll(application_id ? application_id : "0", NULL, 10))};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT owner FROM AM_APPLICATION"
                                           " WHERE application_id = ?",
                                           p, 1, 1, error);
  if (rows == NULL || rows->len == 0) return FALSE;
  *owner = g_strdup(((char **)g_ptr_array_index(rows, 0))[0]);
  return TRUE;
}

gboolean store_consumer_check(MYSQL *conn, const char *consumer_key, const char *secret_hash,
                              char **consumer_key_out, char **application_id, char **key_type,
                              GError **error) {
  DbParam p[] = {DBP_S(consumer_key)};
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn,
                   "SELECT consumer_secret_hash, application_id, key_type, previous_secret_hash,"
                   " previous_valid_until FROM AM_APPLICATION_KEY WHERE consumer_key = ?",
                   p, 1, 1, error);
  if (rows == NULL || rows->len == 0) return FALSE;
  char **r = g_ptr_array_index(rows, 0);
  /* the secret before a regeneration keeps working until its grace period ends */
  gboolean previous = r[3] != NULL && r[4] != NULL &&
                      g_get_real_time() / G_USEC_PER_SEC < g_ascii_strtoll(r[4], NULL, 10) &&
                      tg_secure_streq(r[3], secret_hash);
  if (!previous && (r[0] == NULL || !tg_secure_streq(r[0], secret_hash))) return FALSE;
  *consumer_key_out = g_strdup(consumer_key);
  *application_id = g_strdup(r[1]);
  *key_type = g_strdup(r[2]);
  return TRUE;
}

gboolean store_token_insert(MYSQL *conn, const char *consumer_key, const char *access_hash,
                            const char *refresh_hash, const char *end_user, const char *scope,
                            gint64 validity_s, gint64 refresh_validity_s, GError **error) {
  DbParam p[] = {DBP_S(access_hash),        DBP_S(refresh_hash), DBP_S(end_user ? end_user : ""),
                 DBP_S(scope ? scope : ""), DBP_I(now_ms()),     DBP_I(validity_s),
                 DBP_I(refresh_validity_s), DBP_S(consumer_key)};
  guint64 n = 0;
  if (!hub_db_exec(
          conn,
          "INSERT INTO AM_ACCESS_TOKEN (access_token_hash, refresh_token_hash, end_user, scopes,"
          " issued_at_ms, validity_s, refresh_validity_s, consumer_key, application_id, key_type)"
          " SELECT ?, ?, ?, ?, ?, ?, ?, consumer_key, application_id, key_type"
          " FROM AM_APPLICATION_KEY WHERE consumer_key = ?",
          p, 8, &n, NULL, error))
    return FALSE;
  return n == 1;
}

/* The live refresh token row: access hash, end user, scopes. */
static char **refresh_row(MYSQL *conn, const char *consumer_key, const char *refresh_hash,
                          GPtrArray **keep, GError **error) {
  DbParam p[] = {DBP_S(refresh_hash), DBP_S(consumer_key), DBP_I(now_ms())};
  *keep =
      hub_db_query(conn,
                   "SELECT access_token_hash, end_user, scopes FROM AM_ACCESS_TOKEN"
                   " WHERE refresh_token_hash = ? AND consumer_key = ? AND state = 'ACTIVE'"
                   " AND (refresh_validity_s <= 0 OR issued_at_ms + refresh_validity_s * 1000 > ?)"
                   " FOR UPDATE",
                   p, 3, 1, error);
  return *keep && (*keep)->len ? g_ptr_array_index(*keep, 0) : NULL;
}

gboolean store_refresh_token_scope(MYSQL *conn, const char *consumer_key, const char *refresh_hash,
                                   char **scope, GError **error) {
  g_autoptr(GPtrArray) keep = NULL;
  char **r = refresh_row(conn, consumer_key, refresh_hash, &keep, error);
  if (r == NULL) return FALSE;
  *scope = g_strdup(r[2] ? r[2] : "");
  return TRUE;
}

static gboolean revoke_by_access(MYSQL *conn, const char *access_hash, GError **error) {
  DbParam p[] = {DBP_I(now_ms()), DBP_S(access_hash)};
  return hub_db_exec(conn,
                     "UPDATE AM_ACCESS_TOKEN SET state = 'REVOKED', revoked_at_ms = ?"
                     " WHERE access_token_hash = ?",
                     p, 2, NULL, NULL, error) &&
         store_record_change(conn, "TOKEN_REVOKED", access_hash, error);
}

guint64 store_tokens_prune(MYSQL *conn, gint64 cutoff_ms, guint batch, GError **error) {
  DbParam p[] = {DBP_I(cutoff_ms), DBP_I(cutoff_ms), DBP_I(cutoff_ms), DBP_I(batch)};
  guint64 n = 0;
  if (!hub_db_exec(
          conn,
          "DELETE FROM AM_ACCESS_TOKEN WHERE (validity_s > 0 AND issued_at_ms + validity_s * 1000 "
          "< ?"
          " AND (refresh_token_hash IS NULL OR state <> 'ACTIVE'"
          "      OR (refresh_validity_s > 0 AND issued_at_ms + refresh_validity_s * 1000 < ?)))"
          " OR (state = 'REVOKED' AND revoked_at_ms < ?)"
          " LIMIT ?",
          p, 4, &n, NULL, error))
    return G_MAXUINT64;
  return n;
}

typedef struct {
  const char *consumer_key, *refresh_hash, *access_hash, *new_refresh_hash, *scope;
  gint64 validity_s, refresh_validity_s;
  char **old_access_hash;
} TokenRotateTxn;

static gboolean token_rotate_txn(MYSQL *conn, gpointer data, GError **error) {
  const TokenRotateTxn *t = data;
  g_autoptr(GPtrArray) keep = NULL;
  char **r = refresh_row(conn, t->consumer_key, t->refresh_hash, &keep, error);
  if (r == NULL || !revoke_by_access(conn, r[0], error) ||
      !store_token_insert(conn, t->consumer_key, t->access_hash, t->new_refresh_hash, r[1],
                          t->scope, t->validity_s, t->refresh_validity_s, error))
    return FALSE;
  g_free(*t->old_access_hash);
  *t->old_access_hash = g_strdup(r[0]);
  return TRUE;
}

gboolean store_token_rotate(MYSQL *conn, const char *consumer_key, const char *refresh_hash,
                            const char *access_hash, const char *new_refresh_hash,
                            const char *scope, gint64 validity_s, gint64 refresh_validity_s,
                            char **old_access_hash, GError **error) {
  TokenRotateTxn t = {consumer_key, refresh_hash, access_hash,        new_refresh_hash,
                      scope,        validity_s,   refresh_validity_s, old_access_hash};
  *old_access_hash = NULL;
  if (hub_db_transaction(conn, token_rotate_txn, &t, error)) return TRUE;
  g_clear_pointer(old_access_hash, g_free);
  return FALSE;
}

typedef struct {
  const char *consumer_key, *hash;
  char **access_hash;
} TokenRevokeTxn;

static gboolean token_revoke_txn(MYSQL *conn, gpointer data, GError **error) {
  const TokenRevokeTxn *t = data;
  DbParam p[] = {DBP_S(t->hash), DBP_S(t->hash), DBP_S(t->consumer_key)};
  g_autoptr(GPtrArray) rows = hub_db_query(
      conn,
      "SELECT access_token_hash FROM AM_ACCESS_TOKEN WHERE (access_token_hash = ?"
      " OR refresh_token_hash = ?) AND consumer_key = ? AND state = 'ACTIVE' FOR UPDATE",
      p, 3, 1, error);
  if (rows == NULL || rows->len != 1) return FALSE;
  const char *access = ((char **)g_ptr_array_index(rows, 0))[0];
  if (!revoke_by_access(conn, access, error)) return FALSE;
  g_free(*t->access_hash);
  *t->access_hash = g_strdup(access);
  return TRUE;
}

gboolean store_token_revoke(MYSQL *conn, const char *consumer_key, const char *hash,
                            const char *hint, char **access_hash, GError **error) {
  TokenRevokeTxn t = {consumer_key, hash, access_hash};
  *access_hash = NULL;
  if (hub_db_transaction(conn, token_revoke_txn, &t, error)) return TRUE;
  g_clear_pointer(access_hash, g_free);
  return FALSE;
}

/* ---- the management methods' statements (store_keys.h) ---- */

gboolean store_token_find(MYSQL *conn, const char *hash, char **access_hash, char **state,
                          char **owner, GError **error) {
  DbParam p[] = {DBP_S(hash), DBP_S(hash)};
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn,
                   "SELECT t.access_token_hash, t.state, a.owner FROM AM_ACCESS_TOKEN t"
                   " JOIN AM_APPLICATION a ON a.application_id = t.application_id"
                   " WHERE t.access_token_hash = ? OR t.refresh_token_hash = ?",
                   p, 2, 1, error);
  if (rows == NULL || rows->len == 0) return FALSE;
  char **r = g_ptr_array_index(rows, 0);
  *access_hash = g_strdup(r[0]);
  *state = g_strdup(r[1]);
  *owner = g_strdup(r[2]);
  return TRUE;
}

static gboolean token_revoke_access_txn(MYSQL *conn, gpointer access_hash, GError **error) {
  return revoke_by_access(conn, access_hash, error);
}

gboolean store_token_revoke_access(MYSQL *conn, const char *access_hash, GError **error) {
  return hub_db_transaction(conn, token_revoke_access_txn, (gpointer)access_hash, error);
}

typedef struct {
  gint64 app_id, token_id;
  char **access_hash;
  gboolean *revoked;
} TokenByIdTxn;

/* The row is locked first, so two revocations of one token record one change. */
static gboolean token_revoke_by_id_txn(MYSQL *conn, gpointer data, GError **error) {
  const TokenByIdTxn *t = data;
  DbParam p[] = {DBP_I(t->token_id), DBP_I(t->app_id)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT access_token_hash, state FROM AM_ACCESS_TOKEN"
                                           " WHERE token_id = ? AND application_id = ? FOR UPDATE",
                                           p, 2, 1, error);
  if (rows == NULL || rows->len != 1) return FALSE;
  char **r = g_ptr_array_index(rows, 0);
  *t->revoked = g_strcmp0(r[1], "REVOKED") != 0;
  if (*t->revoked && !revoke_by_access(conn, r[0], error)) return FALSE;
  g_free(*t->access_hash);
  *t->access_hash = g_strdup(r[0]);
  return TRUE;
}

gboolean store_token_revoke_in_app(MYSQL *conn, gint64 app_id, gint64 token_id, char **access_hash,
                                   gboolean *revoked, GError **error) {
  TokenByIdTxn t = {app_id, token_id, access_hash, revoked};
  *access_hash = NULL;
  *revoked = FALSE;
  if (hub_db_transaction(conn, token_revoke_by_id_txn, &t, error)) return TRUE;
  g_clear_pointer(access_hash, g_free);
  return FALSE;
}

enum { TL_ID, TL_HASH, TL_TYPE, TL_STATE, TL_ISSUED, TL_VALIDITY, TL_USER, TL_KEY, TL_SCOPES };

void store_token_row_free(StoreTokenRow *row) {
  if (row == NULL) return;
  g_free(row->hash);
  g_free(row->key_type);
  g_free(row->state);
  g_free(row->end_user);
  g_free(row->consumer_key);
  g_free(row->scopes);
  g_free(row);
}

static StoreTokenRow *token_row_new(char **r) {
  StoreTokenRow *row = g_new0(StoreTokenRow, 1);
  row->id = g_ascii_strtoll(r[TL_ID], NULL, 10);
  row->hash = g_strdup(r[TL_HASH]);
  row->key_type = g_strdup(r[TL_TYPE]);
  row->state = g_strdup(r[TL_STATE]);
  row->issued_ms = g_ascii_strtoll(r[TL_ISSUED], NULL, 10);
  row->validity_s = g_ascii_strtoll(r[TL_VALIDITY], NULL, 10);
  row->end_user = g_strdup(r[TL_USER]);
  row->consumer_key = g_strdup(r[TL_KEY]);
  row->scopes = g_strdup(r[TL_SCOPES]);
  return row;
}

gboolean store_token_list(MYSQL *conn, gint64 app_id, GPtrArray *out, GError **error) {
  DbParam p[] = {DBP_I(app_id)};
  g_autoptr(GPtrArray) rows = hub_db_query(
      conn,
      "SELECT token_id, access_token_hash, key_type, state, issued_at_ms, validity_s, end_user,"
      " consumer_key, scopes FROM AM_ACCESS_TOKEN WHERE application_id = ?"
      " ORDER BY token_id DESC",
      p, 1, STORE_MAX_TOKENS, error);
  if (rows == NULL) return FALSE;
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add(out, token_row_new(g_ptr_array_index(rows, i)));
  return TRUE;
}

static const char TOKEN_FACTS_SQL[] =
    "SELECT t.state, t.issued_at_ms, t.validity_s, t.key_type, t.end_user, t.scopes,"
    " t.consumer_key, a.application_id, a.name, a.owner, a.tier, a.allowed_domains,"
    " p.api_id, s.status, s.tier, COALESCE(tr.stop_on_quota, 1)"
    " FROM AM_ACCESS_TOKEN t JOIN AM_APPLICATION a ON a.application_id = t.application_id"
    " LEFT JOIN AM_API p ON p.context = ? AND p.version = ?"
    " LEFT JOIN AM_SUBSCRIPTION s ON s.application_id = t.application_id AND s.api_id = p.api_id"
    " LEFT JOIN AM_TIER tr ON tr.name = s.tier AND tr.level = 'SUBSCRIPTION'"
    " WHERE t.access_token_hash = ?";

GPtrArray *store_token_facts(MYSQL *conn, const char *context, const char *version,
                             const char *token_hash, GError **error) {
  DbParam p[] = {DBP_S(context), DBP_S(version), DBP_S(token_hash)};
  return hub_db_query(conn, TOKEN_FACTS_SQL, p, 3, 1, error);
}
