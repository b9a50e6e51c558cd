/*
 * store_keys.c: consumer keys (AM_APPLICATION_KEY), one per application and key type, created
 * with their first token in one transaction. Trade-off: creators lock the application row
 * first, so two hubs creating the same key run one after the other (instead of racing on the
 * unique key into InnoDB's duplicate-key deadlocks). Design notes: docs/HACKING.md.
 */
#include "config.h"

#include "db.h"
#include "store.h"
#include "store_apps.h"
#include "store_keys.h"

/* Stores a new key for the application (its row is locked: no one else creates one). */
static gboolean key_insert(MYSQL *conn, gint64 app_id, const char *key_type, const char *key,
                           const char *secret_hash, GError **error) {
  DbParam p[] = {DBP_S(key), DBP_S(secret_hash), DBP_I(app_id), DBP_S(key_type),
                 DBP_I(g_get_real_time() / G_USEC_PER_SEC)};
  return hub_db_exec(conn,
                     "INSERT INTO AM_APPLICATION_KEY (consumer_key, consumer_secret_hash,"
                     " application_id, key_type, created_at) VALUES (?, ?, ?, ?, ?)",
                     p, G_N_ELEMENTS(p), NULL, NULL, error);
}

/* The application's key of this type as last committed; NULL when none. A plain read: the
   transaction's snapshot starts here, after the application row lock a creator takes, so
   it sees every key committed before. (A locking read took a shared gap lock when the key
   did not exist yet, and two applications' first keys, inserted at the end of the same
   index, then deadlocked on those gap locks.) */
static char *key_find(MYSQL *conn, gint64 app_id, const char *key_type, GError **error) {
  DbParam p[] = {DBP_I(app_id), DBP_S(key_type)};
  g_autoptr(GPtrArray) rows = hub_db_query(
      conn, "SELECT consumer_key FROM AM_APPLICATION_KEY WHERE application_id = ? AND key_type = ?",
      p, 2, 1, error);
  if (rows == NULL || rows->len == 0) return NULL;
  return g_strdup(((char **)g_ptr_array_index(rows, 0))[0]);
}

/* The key to issue for: the existing one, or new_key once stored (*created). */
static char *key_get_or_create(MYSQL *conn, gint64 app_id, const char *key_type,
                               const char *new_key, const char *new_secret_hash, gboolean *created,
                               GError **error) {
  GError *local = NULL;
  char *key = key_find(conn, app_id, key_type, &local);
  if (key != NULL || local != NULL || new_key == NULL) {
    if (local != NULL) g_propagate_error(error, local);
    return key;
  }
  if (!key_insert(conn, app_id, key_type, new_key, new_secret_hash, error)) return NULL;
  *created = TRUE;
  return g_strdup(new_key);
}

typedef struct {
  gint64 app_id;
  const char *key_type, *new_key, *new_secret_hash;
  const StoreNewToken *token;
  char **consumer_key;
  gboolean *created;
} KeyIssueTxn;

static gboolean key_issue_txn(MYSQL *conn, gpointer data, GError **error) {
  const KeyIssueTxn *k = data;
  const StoreNewToken *t = k->token;
  g_clear_pointer(k->consumer_key, g_free);
  *k->created = FALSE;
  /* creating: the application row lock serialises creators (no duplicate-key deadlocks) */
  return (k->new_key == NULL || store_app_lock(conn, k->app_id, error)) &&
         (*k->consumer_key = key_get_or_create(conn, k->app_id, k->key_type, k->new_key,
                                               k->new_secret_hash, k->created, error)) != NULL &&
         store_token_insert(conn, *k->consumer_key, t->access_hash, t->refresh_hash, t->end_user,
                            t->scope, t->validity_s, t->refresh_validity_s, error);
}

gboolean store_key_issue(MYSQL *conn, gint64 app_id, const char *key_type, const char *new_key,
                         const char *new_secret_hash, const StoreNewToken *t, char **consumer_key,
                         gboolean *created, GError **error) {
  KeyIssueTxn k = {app_id, key_type, new_key, new_secret_hash, t, consumer_key, created};
  *consumer_key = NULL;
  if (hub_db_transaction(conn, key_issue_txn, &k, error)) return TRUE;
  g_clear_pointer(consumer_key, g_free);
  *created = FALSE;
  return FALSE;
}

gboolean store_key_rotate_secret(MYSQL *conn, gint64 app_id, const char *key_type,
                                 const char *new_secret_hash, gint64 valid_until,
                                 char **consumer_key, GError **error) {
  guint64 n = 0;
  /* previous_* first: MariaDB assigns left to right, so they still see the old hash */
  DbParam p[] = {DBP_I(valid_until), DBP_I(valid_until), DBP_S(new_secret_hash), DBP_I(app_id),
                 DBP_S(key_type)};
  if (!hub_db_exec(conn,
                   "UPDATE AM_APPLICATION_KEY SET previous_secret_hash ="
                   " IF(? > 0, consumer_secret_hash, NULL), previous_valid_until = ?,"
                   " consumer_secret_hash = ? WHERE application_id = ? AND key_type = ?",
                   p, G_N_ELEMENTS(p), &n, NULL, error))
    return FALSE;
  *consumer_key = n > 0 ? key_find(conn, app_id, key_type, error) : NULL;
  return *consumer_key != NULL;
}
