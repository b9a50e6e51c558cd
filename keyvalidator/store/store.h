/*
 * store.h: the store functions every layer above shares (the gateway change log,
 * the password check, OAuth2's key and token statements, the API readers). conn
 * has the right database selected (apimgtdb unless said otherwise); FALSE without
 * error means "not found / denied".
 */
#ifndef TOLLGATE_HUB_STORE_H
#define TOLLGATE_HUB_STORE_H

#include <glib.h>
#include <mysql.h>

#include "tg_tollgate_types.h"

/* AM_GATEWAY_CHANGE: revision AUTO_INCREMENT, kind, subject. Call inside the same
   transaction as the change. kinds: API_CHANGED ("context:version"), TOKEN_REVOKED
   (access token hash), SUBSCRIPTION_CHANGED ("context:version"), APPLICATION_CHANGED (app id). */
gboolean store_record_change(MYSQL *conn, const char *kind, const char *subject, GError **error);
/* store_record_change naming the application it is about (SUBSCRIPTION_CHANGED of app_id's
   subscription to the API in subject): caches then evict that application's entries only. */
gboolean store_record_app_change(MYSQL *conn, const char *kind, const char *subject, gint64 app_id,
                                 GError **error);

/* userdb: TRUE when the user exists and the password verifies. */
gboolean store_user_verify_password(MYSQL *conn, const char *user, const char *password,
                                    GError **error);

/* Consumer key + SHA-256 hex of the secret: TRUE with the key, app id and key type. */
gboolean store_consumer_check(MYSQL *conn, const char *consumer_key, const char *secret_hash,
                              char **consumer_key_out, char **application_id, char **key_type,
                              GError **error);
/* The owner of application application_id (its id as text); FALSE without error when none. */
gboolean store_application_owner(MYSQL *conn, const char *application_id, char **owner,
                                 GError **error);
/* Inserts an ACTIVE token pair for the consumer key (refresh_hash may be NULL). */
gboolean store_token_insert(MYSQL *conn, const char *consumer_key, const char *access_hash,
                            const char *refresh_hash, const char *end_user, const char *scope,
                            gint64 validity_s, gint64 refresh_validity_s, GError **error);
/* The scope of an ACTIVE, unexpired refresh token of this consumer key. */
gboolean store_refresh_token_scope(MYSQL *conn, const char *consumer_key, const char *refresh_hash,
                                   char **scope, GError **error);
/* Deletes at most batch tokens whose access token expired before cutoff_ms and whose refresh
   token did too (or has none, or is no longer ACTIVE), and tokens revoked before cutoff_ms;
   tokens that never expire stay until revoked. Returns the count, G_MAXUINT64 on error. */
guint64 store_tokens_prune(MYSQL *conn, gint64 cutoff_ms, guint batch, GError **error);
/* One transaction: revoke the pair holding refresh_hash, insert the new pair (same end user),
   record TOKEN_REVOKED; old_access_hash returns the revoked access token hash. */
gboolean store_token_rotate(MYSQL *conn, const char *consumer_key, const char *refresh_hash,
                            const char *access_hash, const char *new_refresh_hash,
                            const char *scope, gint64 validity_s, gint64 refresh_validity_s,
                            char **old_access_hash, GError **error);
/* Revokes the access or refresh token (by hash; hint "access_token"/"refresh_token"/NULL) of
   this consumer key and its pair, records TOKEN_REVOKED; access_hash returns the access hash. */
gboolean store_token_revoke(MYSQL *conn, const char *consumer_key, const char *hash,
                            const char *hint, char **access_hash, GError **error);

/* One API with resources and tiers; NULL without error when it does not exist. */
TgApi *store_api_get(MYSQL *conn, const char *context, const char *version, GError **error);
/* The same without the subscription tiers (one query less): what validateKey needs. */
TgApi *store_api_get_for_validation(MYSQL *conn, const char *context, const char *version,
                                    GError **error);
/* Every API with status PUBLISHED, DEPRECATED or BLOCKED (resources and tiers filled). */
GPtrArray *store_api_list_for_gateways(MYSQL *conn, GError **error);

#endif
