/*
 * api_store: the store's JSON API under /api/store/v1 (the same hub calls as
 * the pages, through store_*.h) and /api/openapi.json describing it. Scripts
 * authenticate with a bearer token from /api/auth/token; a browser's cookie
 * session works too, and then CSRF applies as for forms (X-CSRF-Token).
 * Errors are {"code": status, "message": what to fix}.
 */
#include <string.h>

#include "page_kit.h"
#include "pages.h"
#include "portal.h"
#include "render.h"
#include "session_hub.h"
#include "store_account.h"
#include "store_apps.h"
#include "store_catalog.h"
#include "store_keys.h"
#include "store_subs.h"
#include "store_tryit.h"
#include "tg_json.h"

/* --- JSON of the hub's structs --- */

static void json_str_list(GString *out, const char *key, GPtrArray *list) {
  tg_json_member_key(out, key);
  g_string_append_c(out, '[');
  for (guint i = 0; list && i < list->len; i++) {
    if (i) g_string_append_c(out, ',');
    tg_json_append_string(out, list->pdata[i]);
  }
  g_string_append_c(out, ']');
}

static void api_json(GString *out, TgApi *a, gboolean full) {
  g_string_append_c(out, '{');
  tg_json_member_string(out, "name", a->name);
  tg_json_member_string(out, "context", a->context);
  tg_json_member_string(out, "version", a->version);
  tg_json_member_string(out, "provider", a->provider);
  tg_json_member_string(out, "status", a->status);
  tg_json_member_string(out, "description", a->description ? a->description : "");
  json_str_list(out, "tags", a->tags);
  json_str_list(out, "tiers", a->subscriptionTiers);
  if (full) {
    tg_json_member_key(out, "resources");
    g_string_append_c(out, '[');
    for (guint i = 0; a->resources && i < a->resources->len; i++) {
      TgResource *r = a->resources->pdata[i];
      g_string_append(out, i ? ",{" : "{");
      tg_json_member_string(out, "verb", r->verb);
      tg_json_member_string(out, "uriTemplate", r->uriTemplate);
      tg_json_member_string(out, "authType", r->authType);
      tg_json_member_string(out, "scope", r->scope ? r->scope : "");
      g_string_append_c(out, '}');
    }
    g_string_append_c(out, ']');
  }
  g_string_append_c(out, '}');
}

static void app_json(GString *out, TgApplication *a) {
  g_string_append_c(out, '{');
  tg_json_member_string(out, "name", a->name);
  tg_json_member_string(out, "owner", a->owner);
  tg_json_member_string(out, "tier", a->tier);
  tg_json_member_string(out, "callbackUrl", a->callbackUrl ? a->callbackUrl : "");
  json_str_list(out, "allowedDomains", a->allowedDomains);
  tg_json_member_string(out, "description", a->description ? a->description : "");
  tg_json_member_int(out, "createdAt", a->createdAt);
  g_string_append_c(out, '}');
}

static void sub_json(GString *out, TgSubscription *s) {
  g_string_append_c(out, '{');
  tg_json_member_string(out, "application", s->applicationName);
  tg_json_member_string(out, "apiName", s->apiName);
  tg_json_member_string(out, "context", s->apiContext);
  tg_json_member_string(out, "version", s->apiVersion);
  tg_json_member_string(out, "tier", s->tier);
  tg_json_member_string(out, "status", s->status);
  g_string_append_c(out, '}');
}

static void keyset_json(GString *out, TgKeySet *k) {
  g_string_append_c(out, '{');
  tg_json_member_string(out, "keyType", k->keyType);
  tg_json_member_string(out, "consumerKey", k->consumerKey);
  if (k->consumerSecret && *k->consumerSecret)
    tg_json_member_string(out, "consumerSecret", k->consumerSecret);
  if (k->accessToken && *k->accessToken) {
    tg_json_member_string(out, "accessToken", k->accessToken);
    tg_json_member_int(out, "expiresIn", k->expiresIn);
    json_str_list(out, "scopes", k->scopes);
  }
  if (k->previousSecretValidUntil > 0)
    tg_json_member_int(out, "previousSecretValidUntil", k->previousSecretValidUntil);
  g_string_append_c(out, '}');
}

static void token_json(GString *out, TgTokenInfo *t) {
  g_string_append_c(out, '{');
  tg_json_member_int(out, "id", t->id);
  tg_json_member_string(out, "tokenHashPrefix", t->tokenHashPrefix);
  tg_json_member_string(out, "keyType", t->keyType);
  tg_json_member_string(out, "status", t->status);
  tg_json_member_int(out, "issuedAt", t->issuedAt);
  tg_json_member_int(out, "validityPeriod", t->validityPeriod);
  tg_json_member_string(out, "consumerKey", t->consumerKey);
  json_str_list(out, "scopes", t->scopes);
  g_string_append_c(out, '}');
}

typedef void (*ToJson)(GString *out, gpointer item);

static void reply_list(PortalReq *r, const char *key, GPtrArray *items, ToJson fn) {
  GString *out = g_string_new("{");
  tg_json_member_key(out, key);
  g_string_append_c(out, '[');
  for (guint i = 0; items && i < items->len; i++) {
    if (i) g_string_append_c(out, ',');
    fn(out, items->pdata[i]);
  }
  g_string_append(out, "]}");
  reply_json(r, 200, out);
}

/* --- catalogue --- */

static void apis_get(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(TgApiPage) page = NULL;
  int limit = (int)req_arg_int(r, "limit", 25, 1, 100);
  if (!catalog_search(r, req_arg(r, "q"), req_arg(r, "cursor"), limit, &page, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GString *out = g_string_new("{");
  tg_json_member_key(out, "apis");
  g_string_append_c(out, '[');
  for (guint i = 0; page->apis && i < page->apis->len; i++) {
    if (i) g_string_append_c(out, ',');
    api_json(out, page->apis->pdata[i], FALSE);
  }
  g_string_append_c(out, ']');
  tg_json_member_string(out, "nextCursor", page->nextCursor ? page->nextCursor : "");
  tg_json_member_int(out, "total", page->__isset_total ? page->total : -1);
  g_string_append_c(out, '}');
  reply_json(r, 200, out);
}

static void api_get(PortalReq *r) {
  g_autofree char *ctx = NULL, *ver = NULL;
  HubErr he = {0};
  g_autoptr(TgApi) api = NULL;
  if (!api_ref_parse(r->rest, &ctx, &ver)) {
    reply_error(r, 404, "name an API as /api/store/v1/apis/CONTEXT/VERSION");
    return;
  }
  if (!catalog_get_api(r, ctx, ver, &api, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GString *out = g_string_new(NULL);
  api_json(out, api, TRUE);
  g_string_truncate(out, out->len - 1);
  tg_json_member_key(out, "gatewayUrls");
  g_string_append_c(out, '[');
  char **urls = r->portal->cfg->gateway_urls;
  for (guint i = 0; urls[i]; i++) {
    if (i) g_string_append_c(out, ',');
    g_autofree char *u = g_strdup_printf("%s%s/%s", urls[i], api->context, api->version);
    tg_json_append_string(out, u);
  }
  g_string_append(out, "]}");
  reply_json(r, 200, out);
}

/* --- applications: /api/store/v1/applications/NAME[/keys|/keys/regenerate|/tokens|/subscriptions]
 * and NAME/tokens/ID/revoke --- */

static char *split_app(const char *rest, const char **sub) {
  static const char *const subs[] = {"/keys/regenerate", "/keys", "/tokens", "/subscriptions",
                                     NULL};
  for (const char *const *s = subs; *s; s++)
    if (g_str_has_suffix(rest, *s) && strlen(rest) > strlen(*s)) {
      *sub = *s + 1;
      return g_strndup(rest, strlen(rest) - strlen(*s));
    }
  *sub = "";
  return g_strdup(rest);
}

static void apps_get_all(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(TgApplicationPage) page = NULL;
  if (!apps_page(r, req_arg(r, "cursor"), (int)req_arg_int(r, "limit", 25, 1, 100), &page, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GString *out = g_string_new("{");
  tg_json_member_key(out, "applications");
  g_string_append_c(out, '[');
  for (guint i = 0; page->applications && i < page->applications->len; i++) {
    if (i) g_string_append_c(out, ',');
    app_json(out, page->applications->pdata[i]);
  }
  g_string_append_c(out, ']');
  tg_json_member_string(out, "nextCursor", page->nextCursor ? page->nextCursor : "");
  g_string_append_c(out, '}');
  reply_json(r, 200, out);
}

static void apps_post(PortalReq *r) {
  const char *name = req_arg(r, "name");
  if (!name || !*name) {
    reply_error(r, 400, "name is required");
    return;
  }
  g_autoptr(TgApplication) in = apps_from_request(r, name);
  g_autoptr(TgApplication) made = NULL;
  HubErr he = {0};
  if (!apps_create(r, in, &made, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GString *out = g_string_new(NULL);
  app_json(out, made);
  reply_json(r, 201, out);
}

static void app_get(PortalReq *r) {
  const char *sub;
  g_autofree char *name = split_app(r->rest, &sub);
  HubErr he = {0};
  if (!strcmp(sub, "tokens")) {
    g_autoptr(GPtrArray) tokens = NULL;
    if (!keys_list_tokens(r, name, &tokens, &he))
      reply_hub_error(r, &he);
    else
      reply_list(r, "tokens", tokens, (ToJson)token_json);
  } else if (!strcmp(sub, "subscriptions")) {
    g_autoptr(GPtrArray) subs = NULL;
    if (!apps_subscriptions(r, name, &subs, &he))
      reply_hub_error(r, &he);
    else
      reply_list(r, "subscriptions", subs, (ToJson)sub_json);
  } else if (!*sub) {
    g_autoptr(TgApplication) a = NULL;
    if (!apps_get(r, name, &a, &he)) {
      reply_hub_error(r, &he);
      return;
    }
    GString *out = g_string_new(NULL);
    app_json(out, a);
    reply_json(r, 200, out);
  } else {
    reply_error(r, 405, "POST to this address");
  }
}

static void app_keys(PortalReq *r, const char *name, gboolean token_only) {
  const char *type = keys_type(req_arg(r, "keyType"));
  if (!type) {
    reply_error(r, 400, "keyType must be PRODUCTION or SANDBOX");
    return;
  }
  HubErr he = {0};
  g_autoptr(TgKeySet) ks = NULL;
  gint64 validity = req_arg_int(r, "validity", 0, 0, G_MAXINT32);
  gboolean ok = token_only
                    ? keys_issue_token(r, name, type, validity, req_arg(r, "scopes"), &ks, &he)
                    : keys_generate(r, name, type, validity, req_arg(r, "scopes"), &ks, &he);
  if (!ok) {
    reply_hub_error(r, &he);
    return;
  }
  GString *out = g_string_new(NULL);
  keyset_json(out, ks);
  reply_json(r, 201, out);
}

static void app_regenerate(PortalReq *r, const char *name) {
  const char *type = keys_type(req_arg(r, "keyType"));
  gint64 grace = req_arg_int(r, "grace", -1, 0, 86400);
  HubErr he = {0};
  if (!type || grace < 0) {
    reply_error(r, 400, "send keyType (PRODUCTION or SANDBOX), grace (0 to 86400 s) and password");
    return;
  }
  if (!account_reauth(r, &he)) {
    reply_error(r, 403, he.message);
    hub_err_clear(&he);
    return;
  }
  g_autoptr(TgKeySet) ks = NULL;
  if (!keys_regenerate(r, name, type, grace, &ks, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GString *out = g_string_new(NULL);
  keyset_json(out, ks);
  reply_json(r, 200, out);
}

/* NAME/tokens/ID/revoke: the application's name (new) and ID's text (new, in *id); NULL when
   rest has another shape. */
static char *split_token_revoke(const char *rest, char **id) {
  static const char tokens[] = "/tokens", revoke[] = "/revoke";
  if (!g_str_has_suffix(rest, revoke)) return NULL;
  g_autofree char *head = g_strndup(rest, strlen(rest) - strlen(revoke));
  char *slash = strrchr(head, '/');
  if (slash == NULL) return NULL;
  *slash = '\0';
  if (!g_str_has_suffix(head, tokens) || strlen(head) <= strlen(tokens)) return NULL;
  *id = g_strdup(slash + 1);
  return g_strndup(head, strlen(head) - strlen(tokens));
}

/* POST .../applications/NAME/tokens/ID/revoke: the token listed with that id, no value needed. */
static void app_token_revoke(PortalReq *r, const char *name, const char *id_text) {
  gint64 id = keys_token_id(id_text);
  HubErr he = {0};
  if (id == 0) {
    reply_error(r, 400, "the token's id (from GET .../tokens) is a number, 1 or more");
    return;
  }
  if (!keys_revoke_by_id(r, name, id, &he))
    reply_hub_error(r, &he);
  else
    reply_body(r, 204, "application/json", "", 0);
}

static void app_post(PortalReq *r) {
  g_autofree char *id = NULL;
  g_autofree char *revoking = split_token_revoke(r->rest, &id);
  if (revoking != NULL) {
    app_token_revoke(r, revoking, id);
    return;
  }
  const char *sub;
  g_autofree char *name = split_app(r->rest, &sub);
  if (!strcmp(sub, "keys"))
    app_keys(r, name, FALSE);
  else if (!strcmp(sub, "tokens"))
    app_keys(r, name, TRUE);
  else if (!strcmp(sub, "keys/regenerate"))
    app_regenerate(r, name);
  else
    reply_error(r, 405,
                "POST to .../keys, .../keys/regenerate, .../tokens or .../tokens/ID/revoke");
}

static void app_put(PortalReq *r) {
  const char *sub;
  g_autofree char *name = split_app(r->rest, &sub);
  if (*sub) {
    reply_error(r, 405, "PUT /api/store/v1/applications/NAME");
    return;
  }
  g_autoptr(TgApplication) in = apps_from_request(r, name);
  g_autoptr(TgApplication) done = NULL;
  HubErr he = {0};
  if (!apps_update(r, in, &done, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GString *out = g_string_new(NULL);
  app_json(out, done);
  reply_json(r, 200, out);
}

static void app_delete(PortalReq *r) {
  const char *sub;
  g_autofree char *name = split_app(r->rest, &sub);
  HubErr he = {0};
  if (*sub) {
    reply_error(r, 405, "DELETE /api/store/v1/applications/NAME");
    return;
  }
  if (!account_reauth(r, &he)) {
    reply_error(r, 403, he.message);
    hub_err_clear(&he);
    return;
  }
  if (!apps_delete(r, name, &he))
    reply_hub_error(r, &he);
  else
    reply_body(r, 204, "application/json", "", 0);
}

/* --- subscriptions, tokens, sessions --- */

static void subs_post(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(TgSubscription) s = NULL;
  if (!apps_subscribe(r, req_arg(r, "application"), req_arg(r, "context"), req_arg(r, "version"),
                      req_arg(r, "tier"), &s, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GString *out = g_string_new(NULL);
  sub_json(out, s);
  reply_json(r, 201, out);
}

static void subs_delete(PortalReq *r) {
  HubErr he = {0};
  if (!apps_unsubscribe(r, req_arg(r, "application"), req_arg(r, "context"), req_arg(r, "version"),
                        &he))
    reply_hub_error(r, &he);
  else
    reply_body(r, 204, "application/json", "", 0);
}

static void revoke_post(PortalReq *r) {
  HubErr he = {0};
  if (!keys_revoke(r, req_arg(r, "token"), &he))
    reply_hub_error(r, &he);
  else
    reply_body(r, 204, "application/json", "", 0);
}

static void sessions_get(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(GPtrArray) list = session_hub_list(r, &he);
  if (!list) {
    reply_hub_error(r, &he);
    return;
  }
  GString *out = g_string_new("{\"sessions\":[");
  for (guint i = 0; i < list->len; i++) {
    TgPortalSession *s = list->pdata[i];
    g_string_append(out, i ? ",{" : "{");
    tg_json_member_string(out, "handle", s->handle);
    tg_json_member_string(out, "kind", s->kind);
    tg_json_member_int(out, "created", s->created);
    tg_json_member_int(out, "lastSeen", s->lastSeen);
    tg_json_member_int(out, "expires", s->expiresAt);
    tg_json_member_string(out, "client", s->clientAddress);
    tg_json_member_bool(out, "current", s->current);
    g_string_append_c(out, '}');
  }
  g_string_append(out, "]}");
  reply_json(r, 200, out);
}

static void sessions_delete(PortalReq *r) {
  const char *handle = req_arg(r, "handle");
  HubErr he = {0};
  if (handle && !*handle) {
    reply_error(r, 400, "handle: the 16 hex digits GET /api/store/v1/sessions gives");
    return;
  }
  int n = session_hub_end(r, handle, &he);
  if (n < 0) {
    reply_hub_error(r, &he);
    return;
  }
  if (handle) {
    if (n > 0)
      reply_body(r, 204, "application/json", "", 0);
    else
      reply_error(r, 404, "no session of yours with that handle");
    return;
  }
  GString *out = g_string_new("{");
  tg_json_member_int(out, "ended", n);
  g_string_append_c(out, '}');
  reply_json(r, 200, out);
}

static void openapi_get(PortalReq *r) {
  gsize len;
  const char *doc = openapi_document(&len);
  reply_body(r, 200, "application/json", doc, len);
}

static const Route routes[] = {
    {"GET", "/api/openapi.json", openapi_get, 0, ROUTE_API},
    {"GET", "/api/store/v1/apis", apis_get, 0, ROUTE_API},
    {"GET", "/api/store/v1/apis/*", api_get, 0, ROUTE_API},
    {"GET", "/api/store/v1/applications", apps_get_all, STORE_ROLES, ROUTE_API},
    {"POST", "/api/store/v1/applications", apps_post, STORE_ROLES, ROUTE_API},
    {"GET", "/api/store/v1/applications/*", app_get, STORE_ROLES, ROUTE_API},
    {"POST", "/api/store/v1/applications/*", app_post, STORE_ROLES, ROUTE_API},
    {"PUT", "/api/store/v1/applications/*", app_put, STORE_ROLES, ROUTE_API},
    {"DELETE", "/api/store/v1/applications/*", app_delete, STORE_ROLES, ROUTE_API},
    {"POST", "/api/store/v1/subscriptions", subs_post, STORE_ROLES, ROUTE_API},
    {"DELETE", "/api/store/v1/subscriptions", subs_delete, STORE_ROLES, ROUTE_API},
    {"POST", "/api/store/v1/tokens/revoke", revoke_post, STORE_ROLES, ROUTE_API},
    {"POST", "/api/store/v1/tryit", tryit_post, STORE_ROLES, ROUTE_API},
    {"GET", "/api/store/v1/sessions", sessions_get, ROUTE_LOGGED_IN, ROUTE_API},
    {"DELETE", "/api/store/v1/sessions", sessions_delete, ROUTE_LOGGED_IN, ROUTE_API},
};
const RouteTable api_store_table = {routes, G_N_ELEMENTS(routes)};
