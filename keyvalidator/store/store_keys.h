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

#include "oauth.h"

#define STORE_MAX_TOKENS 1000         /* newest tokens a listing returns */

/* One transaction: the application's consumer key of key_type, created first when missing and
   new_key is given (with new_secret_hash; *created TRUE), then token t stored for that key.
   *consumer_key returns the key used. FALSE without error: no key and none to create, or the
   application is gone. */
gboolean store_key_issue(MYSQL *conn, gint64 app_id, const char *key_type, const char *new_key,
                         const char *new_secret_hash, const OAuthNewToken *t,
                         char **consumer_key, gboolean *created, GError **error);

/* ---- store_tokens.c ---- */

/* The token whose access or refresh token hashes to hash: its access token hash, state and the
   owner of its application (caller frees each). */
gboolean store_token_find(MYSQL *conn, const char *hash, char **access_hash, char **state,
                          char **owner, GError **error);
/* Revokes the token pair of this access hash and records TOKEN_REVOKED, one transaction. */
gboolean store_token_revoke_access(MYSQL *conn, const char *access_hash, GError **error);
/* Appends the application's newest tokens as TgTokenInfo (never the token; a hash prefix),
   their status as of now_ms. */
gboolean store_token_list(MYSQL *conn, gint64 app_id, const char *app_name, gint64 now_ms,
                          GPtrArray *out, GError **error);

#endif
