/*
 * oauth.h: the hub's OAuth2 token endpoint (RFC 6749: client_credentials, password,
 * refresh_token) and revocation endpoint (RFC 7009). Trade-off: the protocol logic is
 * separated from storage by OAuthBackend, a small table of functions (database-backed in the
 * hub, fake in the unit test); the backend sees only SHA-256 hex, never a secret.
 */
#ifndef TOLLGATE_HUB_OAUTH_H
#define TOLLGATE_HUB_OAUTH_H

#include <glib.h>

#include "store_tokens.h"
#include "tg_metrics.h"

#define OAUTH_MAX_SCOPE   1024
#define OAUTH_TOKEN_BYTES 32 /* random bytes; the token is their hex */

/* What the backend says about a lookup: found/done, not found/denied, or failed (database). */
/* LIMITED: a password check refused unchecked after too many failures (answered 429). */
typedef enum {
  OAUTH_BACKEND_OK,
  OAUTH_BACKEND_DENIED,
  OAUTH_BACKEND_FAILED,
  OAUTH_BACKEND_LIMITED
} OAuthBackendResult;

typedef struct {
  char *consumer_key;
  char *application_id;
  char *key_type; /* PRODUCTION | SANDBOX */
} OAuthClient;

void oauth_client_clear(OAuthClient *c);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(OAuthClient, oauth_client_clear)

/* A token pair to store (the store's own type: storage never sees a token value). */
typedef StoreNewToken OAuthNewToken;

typedef struct OAuthBackend {
  /* Client authentication: secret is compared by its SHA-256 in constant time. */
  OAuthBackendResult (*client_check)(gpointer ctx, const char *client_id, const char *secret,
                                     OAuthClient *client);
  /* Resource-owner credentials against userdb (same KDF as login). */
  OAuthBackendResult (*user_check)(gpointer ctx, const char *username, const char *password);
  OAuthBackendResult (*issue)(gpointer ctx, const OAuthClient *client, const OAuthNewToken *t);
  /* Refresh-token rotation in one transaction: finds the live refresh token of this client by
     hash, revokes it and its access token, stores t with the old token's end user. DENIED when
     no such live token. old_scope_out may stay NULL. */
  OAuthBackendResult (*refresh)(gpointer ctx, const OAuthClient *client, const char *refresh_hash,
                                const OAuthNewToken *t, char **old_scope_out);
  /* Scope the old refresh token carries, read-only, so the logic can check a narrowed request. */
  OAuthBackendResult (*refresh_scope)(gpointer ctx, const OAuthClient *client,
                                      const char *refresh_hash, char **scope_out);
  /* Revokes an access or refresh token of this client by hash (and its pair), records
     TOKEN_REVOKED changes and clears the validation cache. DENIED when unknown. */
  OAuthBackendResult (*revoke)(gpointer ctx, const OAuthClient *client, const char *token_hash,
                               const char *hint);
  /* The part of requested (space-separated) the token's user may hold (scope_grant.h): the
     end user of a password grant (end_user), else the client application's owner. *granted
     is a new string. NULL: every requested scope is granted. */
  OAuthBackendResult (*grant_scope)(gpointer ctx, const OAuthClient *client, const char *end_user,
                                    const char *requested, char **granted);
} OAuthBackend;

typedef struct {
  const OAuthBackend *backend;
  gpointer ctx;
  TgMetrics *metrics; /* may be NULL */
  gint64 token_validity_s;
  gint64 refresh_validity_s;
} OAuthEndpoint;

/* The endpoints over any backend; same contract as hub_oauth_token/hub_oauth_revoke. */
int oauth_token(const OAuthEndpoint *ep, const char *authorization, const char *body, gsize len,
                GString *out);
int oauth_revoke(const OAuthEndpoint *ep, const char *authorization, const char *body, gsize len,
                 GString *out);

/* Describes tollgate_hub_oauth_requests_total{grant,status}; call once at start-up. */
void oauth_metrics_describe(TgMetrics *metrics);

/* TRUE when scope is a valid RFC 6749 3.3 scope list (possibly empty). */
gboolean oauth_scope_valid(const char *scope);
/* TRUE when every scope token of requested is in granted. */
gboolean oauth_scope_subset(const char *requested, const char *granted);

#endif
