/*
 * oauth.c: the OAuth2 token and revocation endpoints of the hub. One request is:
 * bound and parse the form body, authenticate the client (HTTP Basic or the body,
 * never both), apply the grant's rules, answer JSON with RFC 6749 5.2 error codes.
 * Storage goes through OAuthBackend (oauth.h; the hub's is oauth_backend.c), so a
 * fake one tests this file. Token values are 256 random bits in hex; only their
 * SHA-256 leaves this file, and nothing here logs a secret.
 */
#include "config.h"

#include <string.h>

#include "form.h"
#include "oauth.h"
#include "tg_crypto.h"
#include "tg_json.h"

#define OAUTH_METRIC "tollgate_hub_oauth_requests_total"

void oauth_client_clear(OAuthClient *c) {
  g_clear_pointer(&c->consumer_key, g_free);
  g_clear_pointer(&c->application_id, g_free);
  g_clear_pointer(&c->key_type, g_free);
}

/* ---- scopes (RFC 6749 3.3) ---- */

static gboolean scope_char_ok(char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

gboolean oauth_scope_valid(const char *scope) {
  if (scope == NULL || *scope == '\0') return TRUE;
  if (strlen(scope) > OAUTH_MAX_SCOPE) return FALSE;
  gboolean prev_space = TRUE;
  for (const char *p = scope; *p; p++) {
    if (*p == ' ') {
      if (prev_space) return FALSE; /* leading or doubled space */
      prev_space = TRUE;
    } else if (!scope_char_ok(*p)) {
      return FALSE;
    } else {
      prev_space = FALSE;
    }
  }
  return !prev_space;
}

gboolean oauth_scope_subset(const char *requested, const char *granted) {
  g_auto(GStrv) want = g_strsplit(requested ? requested : "", " ", -1);
  g_auto(GStrv) have = g_strsplit(granted ? granted : "", " ", -1);
  for (char **w = want; *w; w++)
    if (**w != '\0' && !g_strv_contains((const char *const *)have, *w)) return FALSE;
  return TRUE;
}

/* ---- answers ---- */

static int oauth_error(GString *out, int status, const char *code, const char *description) {
  g_string_append_c(out, '{');
  tg_json_member_string(out, "error", code);
  if (description != NULL) tg_json_member_string(out, "error_description", description);
  g_string_append_c(out, '}');
  return status;
}

void oauth_metrics_describe(TgMetrics *metrics) {
  tg_metrics_describe(metrics, OAUTH_METRIC, TG_METRIC_COUNTER,
                      "OAuth2 token and revocation requests by grant and HTTP status");
}

static void oauth_count(const OAuthEndpoint *ep, const char *grant, int status) {
  if (ep->metrics == NULL) return;
  g_autofree char *labels = g_strdup_printf("grant=\"%s\",status=\"%d\"", grant, status);
  tg_metrics_add(ep->metrics, OAUTH_METRIC, labels, 1);
}

/* A grant label for metrics from untrusted input: known names only. */
static const char *grant_label(const char *grant) {
  static const char *const known[] = {"client_credentials", "password", "refresh_token", "revoke"};
  for (gsize i = 0; grant != NULL && i < G_N_ELEMENTS(known); i++)
    if (strcmp(grant, known[i]) == 0) return known[i];
  return grant == NULL ? "none" : "other";
}

/* ---- client authentication ---- */

typedef enum { CLIENT_OK, CLIENT_BAD_REQUEST, CLIENT_INVALID, CLIENT_FAILED } ClientAuth;

static ClientAuth oauth_authenticate_client(const OAuthEndpoint *ep, const char *authorization,
                                            TgForm *form, OAuthClient *client) {
  g_autofree char *id = NULL, *secret = NULL;
  HubBasicResult basic = hub_basic_parse(authorization, &id, &secret);
  const char *form_id = tg_form_get(form, "client_id");
  const char *form_secret = tg_form_get(form, "client_secret");
  if (basic == HUB_BASIC_MALFORMED) return CLIENT_INVALID;
  if (basic == HUB_BASIC_OK && form_secret != NULL)
    return CLIENT_BAD_REQUEST; /* RFC 6749 2.3: one method only */
  if (basic == HUB_BASIC_OK && form_id != NULL && strcmp(form_id, id) != 0)
    return CLIENT_BAD_REQUEST;
  if (basic == HUB_BASIC_ABSENT) {
    if (form_id == NULL || form_secret == NULL) return CLIENT_INVALID;
    id = g_strdup(form_id);
    secret = g_strdup(form_secret);
  }
  switch (ep->backend->client_check(ep->ctx, id, secret, client)) {
  case OAUTH_BACKEND_OK:
    return CLIENT_OK;
  case OAUTH_BACKEND_DENIED:
    return CLIENT_INVALID;
  default:
    return CLIENT_FAILED;
  }
}

/* Maps a client authentication failure to its answer; 0 when authenticated. */
static int oauth_client_answer(ClientAuth auth, GString *out) {
  switch (auth) {
  case CLIENT_OK:
    return 0;
  case CLIENT_BAD_REQUEST:
    return oauth_error(out, 400, "invalid_request", "more than one client authentication method");
  case CLIENT_INVALID:
    return oauth_error(out, 401, "invalid_client", "client authentication failed");
  default:
    return oauth_error(out, 500, "server_error", "try again later");
  }
}

/* ---- issuing ---- */

typedef struct {
  char *access;
  char *refresh;
  char access_hash[TG_SHA256_HEX_LEN + 1];
  char refresh_hash[TG_SHA256_HEX_LEN + 1];
} TokenPair;

static void token_pair_clear(TokenPair *p) {
  if (p->access) explicit_bzero(p->access, strlen(p->access));
  if (p->refresh) explicit_bzero(p->refresh, strlen(p->refresh));
  g_clear_pointer(&p->access, g_free);
  g_clear_pointer(&p->refresh, g_free);
}

static gboolean token_pair_make(TokenPair *p, gboolean with_refresh) {
  memset(p, 0, sizeof *p);
  p->access = tg_random_hex(OAUTH_TOKEN_BYTES);
  p->refresh = with_refresh ? tg_random_hex(OAUTH_TOKEN_BYTES) : NULL;
  if (p->access == NULL || (with_refresh && p->refresh == NULL)) return FALSE;
  tg_sha256_hex(p->access, strlen(p->access), p->access_hash);
  if (p->refresh) tg_sha256_hex(p->refresh, strlen(p->refresh), p->refresh_hash);
  return TRUE;
}

static OAuthNewToken new_token_for(const OAuthEndpoint *ep, const TokenPair *p,
                                   const char *end_user, const char *scope) {
  OAuthNewToken t = {
      .access_hash = p->access_hash,
      .refresh_hash = p->refresh ? p->refresh_hash : NULL,
      .end_user = end_user,
      .scope = scope ? scope : "",
      .validity_s = ep->token_validity_s,
      .refresh_validity_s = ep->refresh_validity_s,
  };
  return t;
}

static int oauth_success(const OAuthEndpoint *ep, const TokenPair *p, const char *scope,
                         GString *out) {
  g_string_append_c(out, '{');
  tg_json_member_string(out, "access_token", p->access);
  tg_json_member_string(out, "token_type", "Bearer");
  tg_json_member_int(out, "expires_in", ep->token_validity_s);
  if (p->refresh != NULL) tg_json_member_string(out, "refresh_token", p->refresh);
  tg_json_member_string(out, "scope", scope ? scope : "");
  g_string_append_c(out, '}');
  return 200;
}

static int backend_answer(OAuthBackendResult r, GString *out, const char *denied_code) {
  if (r == OAUTH_BACKEND_DENIED) return oauth_error(out, 400, denied_code, NULL);
  return oauth_error(out, 500, "server_error", "try again later");
}

static int grant_issue(const OAuthEndpoint *ep, const OAuthClient *client, const char *end_user,
                       const char *requested, gboolean with_refresh, GString *out) {
  /* RFC 6749 3.3: scopes the user may not hold are dropped, and the answer says so */
  g_autofree char *granted = NULL;
  if (ep->backend->grant_scope != NULL && requested != NULL) {
    OAuthBackendResult g = ep->backend->grant_scope(ep->ctx, client, end_user, requested, &granted);
    if (g != OAUTH_BACKEND_OK) return backend_answer(g, out, "invalid_scope");
  }
  const char *scope = granted != NULL ? granted : requested;
  TokenPair pair;
  if (!token_pair_make(&pair, with_refresh)) {
    token_pair_clear(&pair);
    return oauth_error(out, 500, "server_error", "no randomness");
  }
  OAuthNewToken t = new_token_for(ep, &pair, end_user, scope);
  OAuthBackendResult r = ep->backend->issue(ep->ctx, client, &t);
  int status = r == OAUTH_BACKEND_OK ? oauth_success(ep, &pair, scope, out)
                                     : backend_answer(r, out, "invalid_grant");
  if (status == 200)
    g_info("issued %s token %.8s for client %s", end_user ? "user" : "application",
           pair.access_hash, client->consumer_key);
  token_pair_clear(&pair);
  return status;
}

static int grant_client_credentials(const OAuthEndpoint *ep, const OAuthClient *client,
                                    TgForm *form, GString *out) {
  const char *scope = tg_form_get(form, "scope");
  if (!oauth_scope_valid(scope)) return oauth_error(out, 400, "invalid_scope", NULL);
  return grant_issue(ep, client, NULL, scope, FALSE, out);
}

static int grant_password(const OAuthEndpoint *ep, const OAuthClient *client, TgForm *form,
                          GString *out) {
  const char *user = tg_form_get(form, "username");
  const char *password = tg_form_get(form, "password");
  const char *scope = tg_form_get(form, "scope");
  if (user == NULL || password == NULL || *user == '\0')
    return oauth_error(out, 400, "invalid_request", "username and password are required");
  if (!oauth_scope_valid(scope)) return oauth_error(out, 400, "invalid_scope", NULL);
  OAuthBackendResult r = ep->backend->user_check(ep->ctx, user, password);
  if (r == OAUTH_BACKEND_LIMITED)
    return oauth_error(out, 429, "invalid_grant", "too many attempts: try again later");
  if (r != OAUTH_BACKEND_OK) return backend_answer(r, out, "invalid_grant");
  return grant_issue(ep, client, user, scope, TRUE, out);
}

static int grant_refresh(const OAuthEndpoint *ep, const OAuthClient *client, TgForm *form,
                         GString *out) {
  const char *refresh = tg_form_get(form, "refresh_token");
  const char *scope = tg_form_get(form, "scope");
  if (refresh == NULL || *refresh == '\0')
    return oauth_error(out, 400, "invalid_request", "refresh_token is required");
  if (!oauth_scope_valid(scope)) return oauth_error(out, 400, "invalid_scope", NULL);
  char old_hash[TG_SHA256_HEX_LEN + 1];
  tg_sha256_hex(refresh, strlen(refresh), old_hash);
  g_autofree char *old_scope = NULL;
  OAuthBackendResult r = ep->backend->refresh_scope(ep->ctx, client, old_hash, &old_scope);
  if (r != OAUTH_BACKEND_OK) return backend_answer(r, out, "invalid_grant");
  if (scope != NULL && !oauth_scope_subset(scope, old_scope))
    return oauth_error(out, 400, "invalid_scope", "scope exceeds the original grant");
  const char *granted = scope != NULL ? scope : old_scope;
  TokenPair pair;
  if (!token_pair_make(&pair, TRUE)) {
    token_pair_clear(&pair);
    return oauth_error(out, 500, "server_error", "no randomness");
  }
  OAuthNewToken t = new_token_for(ep, &pair, NULL, granted);
  g_autofree char *ignored = NULL;
  r = ep->backend->refresh(ep->ctx, client, old_hash, &t, &ignored);
  int status = r == OAUTH_BACKEND_OK ? oauth_success(ep, &pair, granted, out)
                                     : backend_answer(r, out, "invalid_grant");
  if (status == 200)
    g_info("refreshed %.8s -> %.8s for client %s", old_hash, pair.access_hash,
           client->consumer_key);
  token_pair_clear(&pair);
  return status;
}

typedef int (*GrantFn)(const OAuthEndpoint *, const OAuthClient *, TgForm *, GString *);

static GrantFn grant_lookup(const char *grant) {
  if (g_strcmp0(grant, "client_credentials") == 0) return grant_client_credentials;
  if (g_strcmp0(grant, "password") == 0) return grant_password;
  if (g_strcmp0(grant, "refresh_token") == 0) return grant_refresh;
  return NULL;
}

/* Parses the body; on failure writes the 400 answer and returns NULL. */
static TgForm *oauth_parse_body(const char *body, gsize len, GString *out) {
  g_autoptr(GError) error = NULL;
  TgForm *form = hub_form_parse(body, len, &error);
  if (form == NULL) oauth_error(out, 400, "invalid_request", error->message);
  return form;
}

static int oauth_token_inner(const OAuthEndpoint *ep, const char *authorization, TgForm *form,
                             GString *out) {
  const char *grant = tg_form_get(form, "grant_type");
  if (grant == NULL) return oauth_error(out, 400, "invalid_request", "grant_type is required");
  g_auto(OAuthClient) client = {0};
  int status =
      oauth_client_answer(oauth_authenticate_client(ep, authorization, form, &client), out);
  if (status != 0) return status;
  GrantFn fn = grant_lookup(grant);
  if (fn == NULL) return oauth_error(out, 400, "unsupported_grant_type", NULL);
  return fn(ep, &client, form, out);
}

int oauth_token(const OAuthEndpoint *ep, const char *authorization, const char *body, gsize len,
                GString *out) {
  g_autoptr(TgForm) form = oauth_parse_body(body, len, out);
  if (form == NULL) {
    oauth_count(ep, "none", 400);
    return 400;
  }
  int status = oauth_token_inner(ep, authorization, form, out);
  oauth_count(ep, grant_label(tg_form_get(form, "grant_type")), status);
  return status;
}

static int oauth_revoke_inner(const OAuthEndpoint *ep, const char *authorization, TgForm *form,
                              GString *out) {
  g_auto(OAuthClient) client = {0};
  int status =
      oauth_client_answer(oauth_authenticate_client(ep, authorization, form, &client), out);
  if (status != 0) return status;
  const char *token = tg_form_get(form, "token");
  const char *hint = tg_form_get(form, "token_type_hint");
  if (token == NULL || *token == '\0')
    return oauth_error(out, 400, "invalid_request", "token is required");
  if (hint != NULL && strcmp(hint, "access_token") != 0 && strcmp(hint, "refresh_token") != 0)
    return oauth_error(out, 400, "unsupported_token_type", NULL);
  char hash[TG_SHA256_HEX_LEN + 1];
  tg_sha256_hex(token, strlen(token), hash);
  OAuthBackendResult r = ep->backend->revoke(ep->ctx, &client, hash, hint);
  if (r == OAUTH_BACKEND_FAILED) return oauth_error(out, 503, "temporarily_unavailable", NULL);
  if (r == OAUTH_BACKEND_OK)
    g_message("revoked token %.8s of client %s", hash, client.consumer_key);
  g_string_append(out, "{}"); /* RFC 7009 2.2: 200 also for unknown tokens */
  return 200;
}

int oauth_revoke(const OAuthEndpoint *ep, const char *authorization, const char *body, gsize len,
                 GString *out) {
  g_autoptr(TgForm) form = oauth_parse_body(body, len, out);
  int status = form ? oauth_revoke_inner(ep, authorization, form, out) : 400;
  oauth_count(ep, "revoke", status);
  return status;
}
