/*
 * store_tokens.h: access tokens in AM_ACCESS_TOKEN (store_tokens.c) as the
 * token methods see them: find, revoke (by hash, or by id within an
 * application), list. Only SHA-256 hex of tokens comes here; FALSE without
 * error means "not found". The OAuth2 side's statements are in hub_internal.h.
 */
#ifndef TOLLGATE_HUB_STORE_TOKENS_H
#define TOLLGATE_HUB_STORE_TOKENS_H

#include <glib.h>
#include <mysql.h>

#define STORE_MAX_TOKENS 1000 /* newest tokens a listing returns */

/* A token pair to store. Hashes are hex SHA-256 of the values handed to the client. */
typedef struct {
  const char *access_hash;
  const char *refresh_hash; /* NULL: no refresh token (client_credentials) */
  const char *end_user;     /* NULL: application token */
  const char *scope;        /* space-separated, never NULL ("" for none) */
  gint64 validity_s;
  gint64 refresh_validity_s;
} StoreNewToken;

/* One AM_ACCESS_TOKEN row as a listing reads it (the full hash: the caller shows a prefix). */
typedef struct {
  gint64 id;
  char *hash;
  char *key_type;
  char *state; /* ACTIVE | REVOKED | EXPIRED as stored */
  gint64 issued_ms;
  gint64 validity_s; /* 0: never expires */
  char *end_user;    /* NULL: application token */
  char *consumer_key;
  char *scopes; /* space-separated, may be NULL */
} StoreTokenRow;

void store_token_row_free(StoreTokenRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreTokenRow, store_token_row_free)

/* The token whose access or refresh token hashes to hash: its access token hash, state and the
   owner of its application (caller frees each). */
gboolean store_token_find(MYSQL *conn, const char *hash, char **access_hash, char **state,
                          char **owner, GError **error);
/* Revokes the token pair of this access hash and records TOKEN_REVOKED, one transaction. */
gboolean store_token_revoke_access(MYSQL *conn, const char *access_hash, GError **error);
/* Revokes token token_id of application app_id (its pair too) and records TOKEN_REVOKED, one
   transaction; access_hash returns its access token hash (caller frees), revoked whether this
   call revoked it (FALSE: it was revoked already). FALSE without error: the application has
   no token with that id. */
gboolean store_token_revoke_in_app(MYSQL *conn, gint64 app_id, gint64 token_id, char **access_hash,
                                   gboolean *revoked, GError **error);
/* Appends the application's newest tokens (at most STORE_MAX_TOKENS) to out as StoreTokenRow
   (out frees them with store_token_row_free), newest first. */
gboolean store_token_list(MYSQL *conn, gint64 app_id, GPtrArray *out, GError **error);

/* validateKey's facts in one statement: the token with its application, the API's id
   (context, version) and the application's subscription to it. One row (columns TF_*), or
   none for an unknown token; a new array of rows. */
enum {
  TF_STATE,
  TF_ISSUED,
  TF_VALIDITY,
  TF_KEYTYPE,
  TF_USER,
  TF_SCOPES,
  TF_CKEY,
  TF_APPID,
  TF_APPNAME,
  TF_OWNER,
  TF_APPTIER,
  TF_DOMAINS,
  TF_API_ID,
  TF_SUB_STATUS,
  TF_SUB_TIER,
  TF_STOP_ON_QUOTA
};
GPtrArray *store_token_facts(MYSQL *conn, const char *context, const char *version,
                             const char *token_hash, GError **error);

#endif
