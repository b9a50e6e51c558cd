/*
 * oauth_backend.c: the hub's database-backed OAuthBackend (oauth.h) behind
 * hub_oauth_token and hub_oauth_revoke (hub.h): client and password checks, token
 * rows stored and rotated through the store, and the validation cache evicted
 * after a revocation. Only hashes reach this file.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "form.h"
#include "hub_internal.h"
#include "login.h"
#include "oauth.h"
#include "scope_grant.h"
#include "tg_crypto.h"
#include "tg_json.h"

static OAuthBackendResult store_result(gboolean ok, GError *error) {
  if (ok) return OAUTH_BACKEND_OK;
  return error != NULL ? OAUTH_BACKEND_FAILED : OAUTH_BACKEND_DENIED;
}

/* Runs one store call on an apimgtdb connection; logs a database failure. */
#define WITH_APIMGT(hub, conn, local, expr)                                \
  ({                                                                       \
    MYSQL *conn = hub_db_acquire((hub), (hub)->cfg.db_apimgt, &(local));   \
    gboolean ok_ = conn != NULL && (expr);                                 \
    if (conn) hub_db_release((hub), conn);                                 \
    if (!ok_ && (local) != NULL) g_warning("oauth: %s", (local)->message); \
    store_result(ok_, (local));                                            \
  })

static OAuthBackendResult hub_client_check(gpointer ctx, const char *id, const char *secret,
                                           OAuthClient *c) {
  Hub *hub = ctx;
  g_autoptr(GError) local = NULL;
  char secret_hash[TG_SHA256_HEX_LEN + 1];
  tg_sha256_hex(secret, strlen(secret), secret_hash);
  /* core: compares the stored hash with tg_secure_streq; FALSE without error when unknown */
  return WITH_APIMGT(hub, conn, local,
                     store_consumer_check(conn, id, secret_hash, &c->consumer_key,
                                          &c->application_id, &c->key_type, &local));
}

static OAuthBackendResult hub_user_check(gpointer ctx, const char *user, const char *password) {
  g_autoptr(GError) local = NULL;
  switch (hub_login(ctx, user, password, NULL, &local)) { /* the one limiter of login.c */
  case HUB_LOGIN_OK:
    return OAUTH_BACKEND_OK;
  case HUB_LOGIN_LOCKED:
    return OAUTH_BACKEND_LIMITED;
  case HUB_LOGIN_DENIED:
    return OAUTH_BACKEND_DENIED;
  default:
    g_warning("oauth: %s", local ? local->message : "database unavailable");
    return OAUTH_BACKEND_FAILED;
  }
}

static OAuthBackendResult hub_issue(gpointer ctx, const OAuthClient *c, const OAuthNewToken *t) {
  Hub *hub = ctx;
  g_autoptr(GError) local = NULL;
  return WITH_APIMGT(
      hub, conn, local,
      store_token_insert(conn, c->consumer_key, t->access_hash, t->refresh_hash, t->end_user,
                         t->scope, t->validity_s, t->refresh_validity_s, &local));
}

static OAuthBackendResult hub_refresh_scope(gpointer ctx, const OAuthClient *c, const char *hash,
                                            char **scope) {
  Hub *hub = ctx;
  g_autoptr(GError) local = NULL;
  return WITH_APIMGT(hub, conn, local,
                     store_refresh_token_scope(conn, c->consumer_key, hash, scope, &local));
}

static OAuthBackendResult hub_refresh(gpointer ctx, const OAuthClient *c, const char *hash,
                                      const OAuthNewToken *t, char **old_scope) {
  Hub *hub = ctx;
  g_autoptr(GError) local = NULL;
  g_autofree char *old_access_hash = NULL;
  /* core: one transaction: revoke the old pair (returning its access hash), insert the new
     pair with the old end user, store_record_change(TOKEN_REVOKED, old access hash) */
  OAuthBackendResult r = WITH_APIMGT(
      hub, conn, local,
      store_token_rotate(conn, c->consumer_key, hash, t->access_hash, t->refresh_hash, t->scope,
                         t->validity_s, t->refresh_validity_s, &old_access_hash, &local));
  if (r == OAUTH_BACKEND_OK) hub_validation_cache_evict(hub, old_access_hash);
  return r;
}

static OAuthBackendResult hub_revoke(gpointer ctx, const OAuthClient *c, const char *hash,
                                     const char *hint) {
  Hub *hub = ctx;
  g_autoptr(GError) local = NULL;
  g_autofree char *access_hash = NULL;
  /* core: revokes the access or refresh token of this consumer key by hash (and its pair) and
     records TOKEN_REVOKED (access token hash) in AM_GATEWAY_CHANGE, one transaction */
  OAuthBackendResult r =
      WITH_APIMGT(hub, conn, local,
                  store_token_revoke(conn, c->consumer_key, hash, hint, &access_hash, &local));
  if (r == OAUTH_BACKEND_OK) hub_validation_cache_evict(hub, access_hash);
  return r;
}

static OAuthBackendResult hub_grant_scope(gpointer ctx, const OAuthClient *c, const char *end_user,
                                          const char *requested, char **granted) {
  Hub *hub = ctx;
  g_autoptr(GError) local = NULL;
  g_autofree char *owner = NULL;
  if (end_user == NULL && WITH_APIMGT(hub, conn, local,
                                      store_application_owner(conn, c->application_id, &owner,
                                                              &local)) != OAUTH_BACKEND_OK)
    return OAUTH_BACKEND_FAILED; /* the client was just found: its application is there */
  const char *user = end_user != NULL ? end_user : owner;
  return WITH_APIMGT(hub, conn, local,
                     hub_scope_grant(hub, conn, user, requested, granted, &local));
}

static const OAuthBackend hub_oauth_backend = {
    hub_client_check,  hub_user_check, hub_issue,       hub_refresh,
    hub_refresh_scope, hub_revoke,     hub_grant_scope,
};

static OAuthEndpoint hub_endpoint(Hub *hub) {
  static gsize described = 0;
  if (g_once_init_enter(&described)) {
    oauth_metrics_describe(hub->metrics);
    g_once_init_leave(&described, 1);
  }
  return (OAuthEndpoint){&hub_oauth_backend, hub, hub->metrics, hub->cfg.token_validity_s,
                         hub->cfg.refresh_token_validity_s};
}

int hub_oauth_token(Hub *hub, const char *authorization, const char *body, gsize len,
                    GString *out) {
  OAuthEndpoint ep = hub_endpoint(hub);
  return oauth_token(&ep, authorization, body, len, out);
}

int hub_oauth_revoke(Hub *hub, const char *authorization, const char *body, gsize len,
                     GString *out) {
  OAuthEndpoint ep = hub_endpoint(hub);
  return oauth_revoke(&ep, authorization, body, len, out);
}
