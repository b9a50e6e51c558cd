/*
 * store_keys.h: consumer keys (AM_APPLICATION_KEY, store_keys.c) and the
 * token statements the management methods add to store_tokens.c (find,
 * revoke, list). Like the rest of the store, only SHA-256 hex of secrets and
 * tokens comes here; FALSE without error means "not found".
 */
#ifndef TOLLGATE_HUB_STORE_KEYS_H
#define TOLLGATE_HUB_STORE_KEYS_H

#include <glib.h>
#include <mysql.h>

#include "store_tokens.h"

/* One transaction: the application's consumer key of key_type, created first when missing and
   new_key is given (with new_secret_hash; *created TRUE), then token t stored for that key.
   *consumer_key returns the key used. FALSE without error: no key and none to create, or the
   application is gone. */
gboolean store_key_issue(MYSQL *conn, gint64 app_id, const char *key_type, const char *new_key,
                         const char *new_secret_hash, const StoreNewToken *t, char **consumer_key,
                         gboolean *created, GError **error);

/* regenerateConsumerSecret: the key of (app_id, key_type) gets new_secret_hash; its old hash
   stays accepted until valid_until (unix s; 0: at once not). FALSE without error when the
   application has no such key. consumer_key: the key (caller frees). */
gboolean store_key_rotate_secret(MYSQL *conn, gint64 app_id, const char *key_type,
                                 const char *new_secret_hash, gint64 valid_until,
                                 char **consumer_key, GError **error);

#endif
