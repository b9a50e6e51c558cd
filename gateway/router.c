/*
 * router: API table snapshots and request matching (see router.h).
 *
 * A snapshot holds plain copies of the APIs (never the Thrift objects), APIs
 * sorted by context length, longest first, and each API's resources sorted
 * most specific first, so a match is one linear scan that stops at the first
 * hit. Updates copy the table (it holds hundreds of APIs, not millions) and
 * swap the pointer; readers take a reference under a mutex held for two
 * instructions. The trade-off: an update costs O(table), a lookup never
 * blocks on it.
 */
#include "router.h"

#include <string.h>

#include "tg_tollgate_types.h"
#include "uri_template.h"

typedef struct {
  char *verb; /* upper case; "ANY" or "*" match every verb */
  UriTemplate *tmpl;
  char *auth_type;
  char *throttling_tier;
  char *scope;
} RouterResource;

typedef struct {
  char *name, *context, *version, *provider, *status, *api_tier;
  char *key; /* "context:version", made once for lookups and labels */
  char *production_endpoint, *sandbox_endpoint;
  gboolean is_default;
  gboolean blocked;
  GPtrArray *resources; /* RouterResource *, most specific first */
} RouterApi;

struct RouterSnapshot {
  gint refcount;
  GPtrArray *apis; /* RouterApi *, longest context first */
};

struct Router {
  GMutex lock;
  RouterSnapshot *current;
};

static void resource_free(gpointer p) {
  RouterResource *r = p;
  g_free(r->verb);
  uri_template_free(r->tmpl);
  g_free(r->auth_type);
  g_free(r->throttling_tier);
  g_free(r->scope);
  g_free(r);
}

static void api_free(gpointer p) {
  RouterApi *a = p;
  g_free(a->name);
  g_free(a->context);
  g_free(a->version);
  g_free(a->key);
  g_free(a->provider);
  g_free(a->status);
  g_free(a->api_tier);
  g_free(a->production_endpoint);
  g_free(a->sandbox_endpoint);
  g_ptr_array_unref(a->resources);
  g_free(a);
}


static RouterSnapshot *snapshot_new(void) {
  RouterSnapshot *s = g_new0(RouterSnapshot, 1);
  s->refcount = 1;
  s->apis = g_ptr_array_new_with_free_func(api_free);
  return s;
}

static void snapshot_unref(RouterSnapshot *s) {
  if (s && g_atomic_int_dec_and_test(&s->refcount)) {
    g_ptr_array_unref(s->apis);
    g_free(s);
  }
}

static char *dup_or_empty(const char *s) { return g_strdup(s ? s : ""); }

/* "/pizza/" and "pizza" both become "/pizza". */
static char *normalize_context(const char *context) {
  const char *c = context ? context : "";
  while (*c == '/') c++;
  char *out = g_strconcat("/", c, NULL);
  gsize len = strlen(out);
  while (len > 1 && out[len - 1] == '/') out[--len] = '\0';
  return out;
}

static gboolean status_is_served(const char *status) {
  return status && (!g_ascii_strcasecmp(status, "PUBLISHED") ||
                    !g_ascii_strcasecmp(status, "DEPRECATED") ||
                    !g_ascii_strcasecmp(status, "BLOCKED"));
}

static gint resource_order(gconstpointer a, gconstpointer b) {
  const RouterResource *ra = *(RouterResource *const *)a, *rb = *(RouterResource *const *)b;
  int c = uri_template_compare_specificity(ra->tmpl, rb->tmpl);
  return c ? c : strcmp(ra->verb, rb->verb);
}

static gint api_order(gconstpointer a, gconstpointer b) {
  const RouterApi *x = *(RouterApi *const *)a, *y = *(RouterApi *const *)b;
  gsize lx = strlen(x->context), ly = strlen(y->context);
  if (lx != ly) return lx > ly ? -1 : 1;
  int c = strcmp(x->context, y->context);
  return c ? c : strcmp(x->version, y->version);
}

static RouterResource *resource_from_thrift(TgResource *res, const char *api_label) {
  g_autoptr(GError) error = NULL;
  UriTemplate *tmpl = uri_template_parse(res->uriTemplate ? res->uriTemplate : "/*", &error);
  if (!tmpl) {
    g_warning("API %s: resource skipped: %s", api_label, error->message);
    return NULL;
  }
  RouterResource *r = g_new0(RouterResource, 1);
  r->verb = g_ascii_strup(res->verb && *res->verb ? res->verb : "ANY", -1);
  r->tmpl = tmpl;
  r->auth_type = g_strdup(res->authType && *res->authType ? res->authType : "Any");
  r->throttling_tier =
      g_strdup(res->throttlingTier && *res->throttlingTier ? res->throttlingTier : "Unlimited");
  r->scope = dup_or_empty(res->scope);
  return r;
}

static RouterApi *api_from_thrift(TgApi *api) {
  RouterApi *a = g_new0(RouterApi, 1);
  a->name = dup_or_empty(api->name);
  a->context = normalize_context(api->context);
  a->version = dup_or_empty(api->version);
  a->provider = dup_or_empty(api->provider);
  a->status = dup_or_empty(api->status);
  a->api_tier = dup_or_empty(api->apiTier);
  a->production_endpoint = dup_or_empty(api->productionEndpoint);
  a->sandbox_endpoint = dup_or_empty(api->sandboxEndpoint);
  a->is_default = api->isDefaultVersion;
  a->blocked = !g_ascii_strcasecmp(a->status, "BLOCKED");
  a->resources = g_ptr_array_new_with_free_func(resource_free);
  a->key = g_strdup_printf("%s:%s", a->context, a->version);
  for (guint i = 0; api->resources && i < api->resources->len; i++) {
    RouterResource *r = resource_from_thrift(g_ptr_array_index(api->resources, i), a->key);
    if (r) g_ptr_array_add(a->resources, r);
  }
  g_ptr_array_sort(a->resources, resource_order);
  return a;
}

static RouterResource *resource_copy(const RouterResource *r) {
  RouterResource *c = g_new0(RouterResource, 1);
  c->verb = g_strdup(r->verb);
  c->tmpl = uri_template_parse(uri_template_text(r->tmpl), NULL);
  c->auth_type = g_strdup(r->auth_type);
  c->throttling_tier = g_strdup(r->throttling_tier);
  c->scope = g_strdup(r->scope);
  return c;
}

static RouterApi *api_ref_copy(RouterApi *a) {
  RouterApi *c = g_new0(RouterApi, 1);
  c->name = g_strdup(a->name);
  c->context = g_strdup(a->context);
  c->version = g_strdup(a->version);
  c->key = g_strdup(a->key);
  c->provider = g_strdup(a->provider);
  c->status = g_strdup(a->status);
  c->api_tier = g_strdup(a->api_tier);
  c->production_endpoint = g_strdup(a->production_endpoint);
  c->sandbox_endpoint = g_strdup(a->sandbox_endpoint);
  c->is_default = a->is_default;
  c->blocked = a->blocked;
  c->resources = g_ptr_array_new_with_free_func(resource_free);
  for (guint i = 0; i < a->resources->len; i++)
    g_ptr_array_add(c->resources, resource_copy(g_ptr_array_index(a->resources, i)));
  return c;
}

Router *router_new(void) {
  Router *r = g_new0(Router, 1);
  g_mutex_init(&r->lock);
  r->current = snapshot_new();
  return r;
}

void router_free(Router *router) {
  if (!router) return;
  snapshot_unref(router->current);
  g_mutex_clear(&router->lock);
  g_free(router);
}

static RouterSnapshot *snapshot_acquire(Router *router) {
  g_mutex_lock(&router->lock);
  RouterSnapshot *s = router->current;
  g_atomic_int_inc(&s->refcount);
  g_mutex_unlock(&router->lock);
  return s;
}

static void snapshot_publish(Router *router, RouterSnapshot *next) {
  g_ptr_array_sort(next->apis, api_order);
  g_mutex_lock(&router->lock);
  RouterSnapshot *old = router->current;
  router->current = next;
  g_mutex_unlock(&router->lock);
  snapshot_unref(old);
}

static void add_served(RouterSnapshot *s, TgApi *api) {
  if (!api || !status_is_served(api->status)) return;
  g_ptr_array_add(s->apis, api_from_thrift(api));
}

void router_load(Router *router, GPtrArray *apis) {
  RouterSnapshot *next = snapshot_new();
  for (guint i = 0; apis && i < apis->len; i++) add_served(next, g_ptr_array_index(apis, i));
  snapshot_publish(router, next);
}

static gboolean same_api(const RouterApi *a, TgApi *api) {
  g_autofree char *context = normalize_context(api->context);
  return !strcmp(a->context, context) && !strcmp(a->version, api->version ? api->version : "");
}

static gboolean updated_by(const RouterApi *a, GPtrArray *apis) {
  for (guint i = 0; i < apis->len; i++)
    if (same_api(a, g_ptr_array_index(apis, i))) return TRUE;
  return FALSE;
}

void router_update(Router *router, GPtrArray *apis) {
  if (!apis || apis->len == 0) return;
  RouterSnapshot *old = snapshot_acquire(router);
  RouterSnapshot *next = snapshot_new();
  for (guint i = 0; i < old->apis->len; i++) {
    RouterApi *a = g_ptr_array_index(old->apis, i);
    if (!updated_by(a, apis)) g_ptr_array_add(next->apis, api_ref_copy(a));
  }
  snapshot_unref(old);
  for (guint i = 0; i < apis->len; i++) add_served(next, g_ptr_array_index(apis, i));
  snapshot_publish(router, next);
}

guint router_api_count(Router *router) {
  RouterSnapshot *s = snapshot_acquire(router);
  guint n = s->apis->len;
  snapshot_unref(s);
  return n;
}

/* If path starts with prefix followed by '/' or its end, returns the rest ("" or "/..."). */
static const char *strip_prefix(const char *path, const char *prefix, gsize len) {
  if (strncmp(path, prefix, len) != 0) return NULL;
  if (path[len] != '\0' && path[len] != '/') return NULL;
  return path + len;
}

static const char *versioned_rest(const RouterApi *a, const char *path) {
  gsize clen = strlen(a->context);
  const char *rest = strip_prefix(path, a->context, clen);
  if (!rest || *rest != '/') return NULL;
  return strip_prefix(rest + 1, a->version, strlen(a->version));
}

static const RouterApi *find_api(RouterSnapshot *s, const char *path, const char **rest) {
  for (guint i = 0; i < s->apis->len; i++) {
    const RouterApi *a = g_ptr_array_index(s->apis, i);
    if (*a->version && (*rest = versioned_rest(a, path))) return a;
  }
  for (guint i = 0; i < s->apis->len; i++) {
    const RouterApi *a = g_ptr_array_index(s->apis, i);
    if (a->is_default && (*rest = strip_prefix(path, a->context, strlen(a->context)))) return a;
  }
  return NULL;
}

static gboolean verb_matches(const RouterResource *r, const char *method) {
  return !strcmp(r->verb, "ANY") || !strcmp(r->verb, "*") || !g_ascii_strcasecmp(r->verb, method);
}

static const RouterResource *find_resource(const RouterApi *a, const char *method,
                                           const char *resource, gboolean *preflight) {
  *preflight = FALSE;
  for (guint i = 0; i < a->resources->len; i++) {
    const RouterResource *r = g_ptr_array_index(a->resources, i);
    if (verb_matches(r, method) && uri_template_match(r->tmpl, resource)) return r;
  }
  if (g_ascii_strcasecmp(method, "OPTIONS") != 0) return NULL;
  /* A CORS preflight for a path some other verb serves: routed without auth. */
  for (guint i = 0; i < a->resources->len; i++) {
    const RouterResource *r = g_ptr_array_index(a->resources, i);
    if (uri_template_match(r->tmpl, resource)) {
      *preflight = TRUE;
      return r;
    }
  }
  return NULL;
}

static void fill_api(RouteMatch *out, const RouterApi *a, const char *method, const char *rest) {
  out->route.api_name = a->name;
  out->route.context = a->context;
  out->route.version = a->version;
  out->api_key = a->key;
  out->route.provider = a->provider;
  out->route.api_tier = a->api_tier;
  out->resource_path_owned = g_strdup(*rest ? rest : "/");
  out->route.resource_path = out->resource_path_owned;
  out->route.verb = NULL;
  out->route.uri_template = "";
  out->route.auth_type = "Any";
  out->route.throttling_tier = "Unlimited";
  out->route.scope = "";
  out->production_endpoint = a->production_endpoint;
  out->sandbox_endpoint = a->sandbox_endpoint;
}

RouteResult router_match(Router *router, const char *method, const char *path, RouteMatch *out) {
  memset(out, 0, sizeof *out);
  out->snapshot = snapshot_acquire(router);
  const char *rest = NULL;
  const RouterApi *a = find_api(out->snapshot, path ? path : "/", &rest);
  if (!a) return ROUTE_NO_API;
  fill_api(out, a, method, rest);
  gboolean preflight = FALSE;
  const RouterResource *r = find_resource(a, method, out->route.resource_path, &preflight);
  if (!r) return ROUTE_NO_RESOURCE;
  out->route.verb = preflight ? "OPTIONS" : r->verb;
  out->route.uri_template = uri_template_text(r->tmpl);
  out->route.auth_type = preflight ? "None" : r->auth_type;
  out->route.throttling_tier = r->throttling_tier;
  out->route.scope = r->scope;
  out->preflight = preflight;
  return a->blocked ? ROUTE_BLOCKED : ROUTE_OK;
}

void route_match_clear(RouteMatch *match) {
  if (!match) return;
  g_clear_pointer(&match->resource_path_owned, g_free);
  g_clear_pointer(&match->snapshot, snapshot_unref);
  memset(&match->route, 0, sizeof match->route);
}
