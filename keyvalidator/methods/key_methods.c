/*
 * key_methods.c: consumer keys and access tokens of applications (generateKeys,
 * issueToken, revokeToken, revokeTokenById, listTokens). Secrets come from the
 * CSPRNG, are hashed at once and only their SHA-256 goes to the store; the plain
 * values go into the answer and are wiped. A log line names a token by at most 8
 * hex characters of its hash. generateKeys and issueToken are one body (keys_issue).
 */
#include "config.h"

#include <string.h>

#include "handler.h"
#include "hub_internal.h"
#include "methods.h"
#include "methods_portal.h"
#include "mgmt_apps.h"
#include "oauth.h"
#include "portal_rules.h"
#include "scope_grant.h"
#include "store_keys.h"
#include "tg_crypto.h"

#define CONSUMER_KEY_BYTES 16 /* 128 bits; not a secret, but unguessable */
#define SECRET_BYTES       32 /* consumer secret, access and refresh tokens: 256 bits */
#define MAX_TOKEN_LEN      4096

static const char *const key_roles[] = {"admin", "subscriber", NULL};

/* A secret handed out once: its value (wiped on clear) and the SHA-256 hex we store. */
typedef struct {
  char *value;
  char hash[TG_SHA256_HEX_LEN + 1];
} Secret;

static gboolean secret_make(Secret *s) {
  s->value = tg_random_hex(SECRET_BYTES);
  if (s->value != NULL) tg_sha256_hex(s->value, strlen(s->value), s->hash);
  return s->value != NULL;
}

static void secret_clear(Secret *s) {
  if (s->value != NULL) explicit_bzero(s->value, strlen(s->value));
  g_clear_pointer(&s->value, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Secret, secret_clear)

/* What generateKeys and issueToken ask for. */
typedef struct {
  const char *method;
  const char *owner, *app, *key_type, *end_user;
  gint64 validity;
  const GPtrArray *scopes;
  gboolean create_key;
} KeyRequest;

/* The checked token parameters of a request. */
typedef struct {
  const char *key_type;
  gint64 validity;
  char *scope;
} TokenParams;

static void token_params_clear(TokenParams *p) { g_clear_pointer(&p->scope, g_free); }
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TokenParams, token_params_clear)

static gboolean token_params(MgmtCall *c, const KeyRequest *req, TokenParams *p) {
  GError *local = NULL;
  gboolean ok =
      (p->key_type = mgmt_key_type_parse(req->key_type, &local)) != NULL &&
      mgmt_validity_resolve(req->validity, c->hub->cfg.token_validity_s, &p->validity, &local) &&
      (p->scope = mgmt_scopes_join(req->scopes, &local)) != NULL &&
      mgmt_end_user_allowed(c->who.user, c->admin, req->end_user, &local);
  return ok || mgmt_fail(c, local);
}

/* Narrows p->scope to what the application's owner may hold (scope_grant.h): the token and
   the answer carry only the granted scopes. */
static gboolean token_scope_grant(MgmtCall *c, const TgApplication *app, TokenParams *p) {
  GError *local = NULL;
  char *granted = NULL;
  if (!hub_scope_grant(c->hub, c->conn, app->owner, p->scope, &granted, &local))
    return mgmt_fail(c, local);
  g_free(p->scope);
  p->scope = granted;
  return TRUE;
}

static void key_set_fill(TgKeySet *out, const char *consumer_key, const Secret *secret,
                         const Secret *access, const Secret *refresh, const TokenParams *p) {
  g_object_set(out, "consumerKey", consumer_key, "accessToken", access->value, "refreshToken",
               refresh->value, "expiresIn", p->validity, "keyType", p->key_type, NULL);
  if (secret != NULL) g_object_set(out, "consumerSecret", secret->value, NULL);
  g_auto(GStrv) scopes = g_strsplit(p->scope, " ", -1);
  for (guint i = 0; scopes[i]; i++)
    if (*scopes[i] != '\0') g_ptr_array_add(out->scopes, g_strdup(scopes[i]));
  out->__isset_scopes = TRUE;
}

static gboolean keys_issue(TgTollgateIf *iface, const char *session_id, const KeyRequest *req,
                           TgKeySet *out, TgTollgateException **err) {
  g_auto(MgmtCall) c = {0};
  g_auto(TokenParams) p = {0};
  g_autoptr(TgApplication) app = g_object_new(TG_TYPE_APPLICATION, NULL);
  if (!mgmt_write_begin(&c, iface, req->method, session_id, key_roles, err) ||
      !token_params(&c, req, &p) || !mgmt_app_find(&c, req->owner, req->app, app) ||
      !token_scope_grant(&c, app, &p))
    return FALSE;
  g_auto(Secret) secret = {0}, access = {0}, refresh = {0};
  g_autofree char *new_key = req->create_key ? tg_random_hex(CONSUMER_KEY_BYTES) : NULL;
  if ((req->create_key && (new_key == NULL || !secret_make(&secret))) || !secret_make(&access) ||
      !secret_make(&refresh)) {
    hub_set_error(err, 500, "%s: no randomness available", req->method);
    return FALSE;
  }
  OAuthNewToken t = {access.hash, refresh.hash, req->end_user ? req->end_user : "",
                     p.scope,     p.validity,   c.hub->cfg.refresh_token_validity_s};
  g_autofree char *consumer_key = NULL;
  gboolean created = FALSE;
  GError *local = NULL;
  if (!store_key_issue(c.conn, app->id, p.key_type, new_key, secret.hash, &t, &consumer_key,
                       &created, &local)) {
    if (local != NULL) return mgmt_fail(&c, local);
    if (req->create_key)
      hub_set_error(err, 404, "application %s was deleted meanwhile", app->name);
    else
      hub_set_error(err, 404, "application %s has no %s key: generate keys first", app->name,
                    p.key_type);
    return FALSE;
  }
  key_set_fill(out, consumer_key, created ? &secret : NULL, &access, &refresh, &p);
  g_message("%s: %s%s token %.8s for application %" G_GINT64_FORMAT " (key %s)", req->method,
            created ? "new consumer key, " : "", p.key_type, access.hash, app->id, consumer_key);
  return TRUE;
}

gboolean hub_method_generate_keys(TgTollgateIf *iface, TgKeySet **_return, const gchar *sessionId,
                                  const gchar *owner, const gchar *applicationName,
                                  const gchar *keyType, const gint64 validitySeconds,
                                  const GPtrArray *scopes, TgTollgateException **err,
                                  GError **error) {
  KeyRequest req = {"generateKeys", owner,           applicationName, keyType,
                    NULL,           validitySeconds, scopes,          TRUE};
  return keys_issue(iface, sessionId, &req, *_return, err);
}

gboolean hub_method_issue_token(TgTollgateIf *iface, TgKeySet **_return, const gchar *sessionId,
                                const gchar *owner, const gchar *applicationName,
                                const gchar *keyType, const gint64 validitySeconds,
                                const GPtrArray *scopes, const gchar *endUserName,
                                TgTollgateException **err, GError **error) {
  KeyRequest req = {"issueToken", owner,           applicationName, keyType,
                    endUserName,  validitySeconds, scopes,          FALSE};
  return keys_issue(iface, sessionId, &req, *_return, err);
}

gboolean hub_method_revoke_token(TgTollgateIf *iface, const gchar *sessionId,
                                 const gchar *accessToken, TgTollgateException **err,
                                 GError **error) {
  g_auto(MgmtCall) c = {0};
  if (!mgmt_write_begin(&c, iface, "revokeToken", sessionId, key_roles, err)) return FALSE;
  if (accessToken == NULL || *accessToken == '\0' || strlen(accessToken) > MAX_TOKEN_LEN) {
    hub_set_error(err, 400, "accessToken is required (at most %d bytes)", MAX_TOKEN_LEN);
    return FALSE;
  }
  char hash[TG_SHA256_HEX_LEN + 1];
  tg_sha256_hex(accessToken, strlen(accessToken), hash);
  g_autofree char *access_hash = NULL, *state = NULL, *owner = NULL;
  GError *local = NULL;
  MYSQL *conn = mgmt_call_db(&c);
  if (conn == NULL) return FALSE;
  if (!store_token_find(conn, hash, &access_hash, &state, &owner, &local)) {
    if (local != NULL) return mgmt_fail(&c, local);
    hub_set_error(err, 404, "no such token");
    return FALSE;
  }
  if (!c.admin && g_strcmp0(owner, c.who.user) != 0) {
    hub_set_error(err, 403, "the token belongs to an application of another owner");
    return FALSE;
  }
  if (g_strcmp0(state, "REVOKED") == 0) return TRUE; /* revoking twice changes nothing */
  if (!store_token_revoke_access(conn, access_hash, &local)) return mgmt_fail(&c, local);
  hub_validation_cache_evict(c.hub, access_hash);
  g_message("revokeToken: token %.8s revoked by %s", access_hash, c.who.user);
  return TRUE;
}

/* Revokes token tokenId of the application as revokeToken does (TOKEN_REVOKED in the change
   feed, this hub's validation cache evicts that token only). Another application's id is a
   404 like an unknown one, so ids of other users' tokens cannot be probed. */
gboolean hub_method_revoke_token_by_id(TgTollgateIf *iface, const gchar *sessionId,
                                       const gchar *owner, const gchar *applicationName,
                                       const gint64 tokenId, TgTollgateException **err,
                                       GError **error) {
  g_auto(MgmtCall) c = {0};
  g_autoptr(TgApplication) app = g_object_new(TG_TYPE_APPLICATION, NULL);
  if (!mgmt_write_begin(&c, iface, "revokeTokenById", sessionId, key_roles, err)) return FALSE;
  if (tokenId < 1)
    return mgmt_fail(&c, g_error_new(MGMT_ERROR, 400,
                                     "tokenId is a token's id from listTokens"
                                     " (1 or more)"));
  if (!mgmt_app_find(&c, owner, applicationName, app)) return FALSE;
  mgmt_call_subject(&c, "token %" G_GINT64_FORMAT, tokenId);
  g_autofree char *access_hash = NULL;
  gboolean revoked = FALSE;
  GError *local = NULL;
  if (!store_token_revoke_in_app(c.conn, app->id, tokenId, &access_hash, &revoked, &local)) {
    if (local != NULL) return mgmt_fail(&c, local);
    return mgmt_fail(
        &c, g_error_new(MGMT_ERROR, 404, "%s has no token %" G_GINT64_FORMAT, app->name, tokenId));
  }
  if (!revoked) return TRUE; /* revoking twice changes nothing */
  hub_validation_cache_evict(c.hub, access_hash);
  g_message("revokeTokenById: token %.8s (id %" G_GINT64_FORMAT ") revoked by %s", access_hash,
            tokenId, c.who.user);
  return TRUE;
}

/* A listing's entry: never the token, a prefix of its hash; its status as of now_ms. */
static TgTokenInfo *token_info_new(const StoreTokenRow *r, const char *app_name, gint64 now_ms) {
  g_autofree char *prefix = mgmt_token_hash_prefix(r->hash);
  TgTokenInfo *info = g_object_new(TG_TYPE_TOKEN_INFO, "id", r->id, "tokenHashPrefix", prefix,
                                   "keyType", r->key_type, "status",
                                   mgmt_token_status(r->state, r->issued_ms, r->validity_s, now_ms),
                                   "issuedAt", r->issued_ms / 1000, "validityPeriod", r->validity_s,
                                   "endUserName", r->end_user ? r->end_user : "", "applicationName",
                                   app_name, "consumerKey", r->consumer_key, NULL);
  g_auto(GStrv) scopes = g_strsplit(r->scopes ? r->scopes : "", " ", -1);
  for (guint i = 0; scopes[i]; i++)
    if (*scopes[i]) g_ptr_array_add(info->scopes, g_strdup(scopes[i]));
  info->__isset_scopes = TRUE;
  return info;
}

gboolean hub_method_list_tokens(TgTollgateIf *iface, GPtrArray **_return, const gchar *sessionId,
                                const gchar *owner, const gchar *applicationName,
                                TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  g_autoptr(TgApplication) app = g_object_new(TG_TYPE_APPLICATION, NULL);
  GError *local = NULL;
  if (!mgmt_call_begin(&c, iface, "listTokens", sessionId, key_roles, err) ||
      !mgmt_app_find(&c, owner, applicationName, app))
    return FALSE;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)store_token_row_free);
  if (!store_token_list(c.conn, app->id, rows, &local)) return mgmt_fail(&c, local);
  gint64 now_ms = g_get_real_time() / 1000;
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add(*_return, token_info_new(g_ptr_array_index(rows, i), app->name, now_ms));
  return TRUE;
}
/* A new consumer secret, the previous one accepted at /token for graceSeconds more (its
   hash kept beside the new one's until then; neither stored in plain). */
gboolean hub_method_regenerate_consumer_secret(TgTollgateIf *iface, TgKeySet **_return,
                                               const gchar *sessionId, const gchar *owner,
                                               const gchar *applicationName, const gchar *keyType,
                                               const gint64 graceSeconds, TgTollgateException **err,
                                               GError **error) {
  g_auto(MgmtCall) c = {0};
  g_autoptr(TgApplication) app = g_object_new(TG_TYPE_APPLICATION, NULL);
  g_auto(Secret) secret = {0};
  g_autofree char *consumer_key = NULL;
  GError *local = NULL;
  if (!mgmt_write_begin(&c, iface, "regenerateConsumerSecret", sessionId, key_roles, err))
    return FALSE;
  const char *key_type = mgmt_key_type_parse(keyType, &local);
  if (key_type == NULL) return mgmt_fail(&c, local);
  if (graceSeconds < 0 || graceSeconds > PORTAL_MAX_GRACE_S)
    return mgmt_fail(&c,
                     g_error_new(MGMT_ERROR, 400, "graceSeconds is 0 to %d", PORTAL_MAX_GRACE_S));
  if (!mgmt_app_find(&c, owner, applicationName, app)) return FALSE;
  if (!secret_make(&secret)) return mgmt_fail(&c, NULL);
  gint64 until = graceSeconds > 0 ? g_get_real_time() / G_USEC_PER_SEC + graceSeconds : 0;
  if (!store_key_rotate_secret(c.conn, app->id, key_type, secret.hash, until, &consumer_key,
                               &local)) {
    if (local != NULL) return mgmt_fail(&c, local);
    return mgmt_fail(&c, g_error_new(MGMT_ERROR, 404, "%s has no %s key: generate keys first",
                                     app->name, key_type));
  }
  g_message("consumer secret of application %" G_GINT64_FORMAT
            " (%s) regenerated by %s,"
            " previous valid for %" G_GINT64_FORMAT " s",
            app->id, key_type, c.who.user, graceSeconds);
  g_object_set(*_return, "consumerKey", consumer_key, "consumerSecret", secret.value, "keyType",
               key_type, "previousSecretValidUntil", until, NULL);
  return TRUE;
}
