/*
 * router: API table snapshots and request matching (see router.h). A match is a few hash
 * lookups on the path's prefixes, then a scan of one API's resources. Trade-off: an update
 * copies the table, O(table), so a lookup never blocks on it. Design notes: docs/HACKING.md.
 */
#include "router.h"

#include <string.h>

#include "endpoint.h"
#include "tg_tollgate_types.h"
#include "tg_uri_template.h"

typedef struct {
  char *verb; /* upper case; "ANY" or "*" match every verb */
  char *template_text;
  TgUriTemplate tmpl; /* over template_text */
  char *auth_type;
  char *throttling_tier;
  char *scope;
} RouterResource;

typedef struct {
  char *name, *context, *version, *provider, *status, *api_tier, *hard_limit;
  char *key; /* "context:version", made once for lookups and labels */
  Endpoint *production, *sandbox;
  gboolean is_default;
  gboolean blocked;
  GPtrArray *resources; /* RouterResource *, most specific first */
} RouterApi;

#define CONTEXT_LENS 256

struct RouterSnapshot {
  gint refcount;
  GPtrArray *apis;        /* RouterApi *, by context then version */
  GHashTable *by_context; /* context -> GPtrArray of RouterApi * (not owned), same order */
  /* the lengths of its contexts below CONTEXT_LENS (one bit each): a path's prefixes of
     other lengths are not looked up (most of them, as nginx's location tree skips them) */
  guint64 context_lens[CONTEXT_LENS / 64];
};

struct Router {
  GMutex lock;
  RouterSnapshot *current;
};

static void resource_free(gpointer p) {
  RouterResource *r = p;
  g_free(r->verb);
  g_free(r->template_text);
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
  g_free(a->hard_limit);
  endpoint_free(a->production);
  endpoint_free(a->sandbox);
  g_ptr_array_unref(a->resources);
  g_free(a);
}

static RouterSnapshot *snapshot_new(void) {
  RouterSnapshot *s = g_new0(RouterSnapshot, 1);
  s->refcount = 1;
  s->apis = g_ptr_array_new_with_free_func(api_free);
  s->by_context =
      g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
  return s;
}

static void snapshot_unref(RouterSnapshot *s) {
  if (s && g_atomic_int_dec_and_test(&s->refcount)) {
    g_hash_table_destroy(s->by_context);
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
  return status &&
         (!g_ascii_strcasecmp(status, "PUBLISHED") || !g_ascii_strcasecmp(status, "DEPRECATED") ||
          !g_ascii_strcasecmp(status, "BLOCKED"));
}

static gint resource_order(gconstpointer a, gconstpointer b) {
  const RouterResource *ra = *(RouterResource *const *)a, *rb = *(RouterResource *const *)b;
  return tg_uri_resource_compare(&ra->tmpl, ra->verb, &rb->tmpl, rb->verb);
}

static gint api_order(gconstpointer a, gconstpointer b) {
  const RouterApi *x = *(RouterApi *const *)a, *y = *(RouterApi *const *)b;
  int c = strcmp(x->context, y->context);
  return c ? c : strcmp(x->version, y->version);
}

static RouterResource *resource_from_thrift(TgResource *res, const char *api_label) {
  g_autoptr(GError) error = NULL;
  RouterResource *r = g_new0(RouterResource, 1);
  r->template_text = g_strdup(res->uriTemplate ? res->uriTemplate : "/*");
  if (!tg_uri_template_parse(&r->tmpl, r->template_text, &error)) {
    g_warning("API %s: resource skipped: %s", api_label, error->message);
    g_free(r->template_text);
    g_free(r);
    return NULL;
  }
  r->verb = g_ascii_strup(res->verb && *res->verb ? res->verb : "ANY", -1);
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
  a->hard_limit = dup_or_empty(api->hardLimit);
  a->production = endpoint_new_tls(api->productionEndpoint, api->upstreamTlsVerify);
  a->sandbox = endpoint_new_tls(api->sandboxEndpoint, api->upstreamTlsVerify);
  if (!api->upstreamTlsVerify)
    g_warning(
        "API %s:%s: upstream TLS verification is off: its HTTPS backends' certificates "
        "and names are not checked",
        a->context, a->version);
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
  c->template_text = g_strdup(r->template_text);
  c->tmpl = r->tmpl;
  c->tmpl.text = c->template_text;
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
  c->hard_limit = g_strdup(a->hard_limit);
  c->production = endpoint_new_tls(a->production->url, a->production->tls_verify);
  c->sandbox = endpoint_new_tls(a->sandbox->url, a->sandbox->tls_verify);
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

static void index_by_context(RouterSnapshot *s) {
  for (guint i = 0; i < s->apis->len; i++) {
    RouterApi *a = g_ptr_array_index(s->apis, i);
    GPtrArray *same = g_hash_table_lookup(s->by_context, a->context);
    if (!same) {
      same = g_ptr_array_new();
      g_hash_table_insert(s->by_context, a->context, same);
    }
    g_ptr_array_add(same, a);
    gsize len = strlen(a->context);
    if (len < CONTEXT_LENS) s->context_lens[len / 64] |= G_GUINT64_CONSTANT(1) << (len % 64);
  }
}

/* FALSE when no context is len bytes long (lengths from CONTEXT_LENS up: always TRUE). */
static gboolean context_len_used(const RouterSnapshot *s, gsize len) {
  return len >= CONTEXT_LENS || (s->context_lens[len / 64] >> (len % 64) & 1);
}

static void snapshot_publish(Router *router, RouterSnapshot *next) {
  g_ptr_array_sort(next->apis, api_order);
  index_by_context(next);
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

/* after: the path past a context. The rest past "/{version}" when a names it. */
static const char *versioned_rest(const RouterApi *a, const char *after) {
  if (*after != '/' || !*a->version) return NULL;
  gsize vlen = strlen(a->version);
  if (strncmp(after + 1, a->version, vlen) != 0) return NULL;
  const char *rest = after + 1 + vlen;
  return *rest == '\0' || *rest == '/' ? rest : NULL;
}

/* The APIs whose context is path's first len bytes (len ends at '/' or the end). */
static GPtrArray *apis_at(RouterSnapshot *s, char *path_copy, gsize len) {
  if (!context_len_used(s, len)) return NULL;
  char saved = path_copy[len];
  path_copy[len] = '\0';
  GPtrArray *same = g_hash_table_lookup(s->by_context, path_copy);
  path_copy[len] = saved;
  return same;
}

/* A context is a prefix of the path ending at a '/' or at its end; the longest
   one naming a version wins, else the longest with a default version. */
static const RouterApi *find_api(RouterSnapshot *s, const char *path, const char **rest) {
  char stack[256];
  g_autofree char *heap = NULL;
  gsize n = strlen(path);
  char *copy = n < sizeof stack ? memcpy(stack, path, n + 1) : (heap = g_strdup(path));
  for (int pass = 0; pass < 2; pass++) {
    for (gsize len = n; len > 0; len--) {
      if (copy[len] != '\0' && copy[len] != '/') continue;
      GPtrArray *same = apis_at(s, copy, len);
      for (guint i = 0; same && i < same->len; i++) {
        const RouterApi *a = g_ptr_array_index(same, i);
        *rest = pass == 0 ? versioned_rest(a, path + len) : a->is_default ? path + len : NULL;
        if (*rest) return a;
      }
    }
  }
  return NULL;
}

static const RouterResource *find_resource(const RouterApi *a, const char *method,
                                           const char *resource) {
  for (guint i = 0; i < a->resources->len; i++) {
    const RouterResource *r = g_ptr_array_index(a->resources, i);
    if ((!method || tg_uri_verb_matches(r->verb, method)) &&
        tg_uri_template_match(&r->tmpl, resource))
      return r;
  }
  return NULL;
}

/* Known: an RFC 9110 method, or one some resource of the API lists. */
static gboolean method_known(const RouterApi *a, const char *method) {
  if (tg_uri_standard_method(method)) return TRUE;
  for (guint i = 0; i < a->resources->len; i++)
    if (!g_ascii_strcasecmp(((const RouterResource *)g_ptr_array_index(a->resources, i))->verb,
                            method))
      return TRUE;
  return FALSE;
}

static void fill_api(RouteMatch *out, const RouterApi *a, const char *method, const char *rest) {
  out->route.api_name = a->name;
  out->route.context = a->context;
  out->route.version = a->version;
  out->api_key = a->key;
  out->route.provider = a->provider;
  out->route.api_tier = a->api_tier;
  out->route.hard_limit = a->hard_limit;
  out->resource_path_owned = g_strdup(*rest ? rest : "/");
  out->route.resource_path = out->resource_path_owned;
  out->route.verb = NULL;
  out->route.uri_template = "";
  out->route.auth_type = "Any";
  out->route.throttling_tier = "Unlimited";
  out->route.scope = "";
  out->production_endpoint = a->production;
  out->sandbox_endpoint = a->sandbox;
}

/* method NULL: a preflight, any verb's resource. */
static RouteResult route(Router *router, const char *method, const char *path, RouteMatch *out) {
  memset(out, 0, sizeof *out);
  out->snapshot = snapshot_acquire(router);
  const char *rest = NULL;
  const RouterApi *a = find_api(out->snapshot, path ? path : "/", &rest);
  if (!a) return ROUTE_NO_API;
  fill_api(out, a, method, rest);
  const RouterResource *r = find_resource(a, method, out->route.resource_path);
  if (!r) return method && !method_known(a, method) ? ROUTE_METHOD_UNKNOWN : ROUTE_NO_RESOURCE;
  out->preflight = method == NULL;
  out->route.verb = out->preflight ? "OPTIONS" : r->verb;
  out->route.uri_template = r->template_text;
  out->route.auth_type = out->preflight ? "None" : r->auth_type;
  out->route.throttling_tier = r->throttling_tier;
  out->route.scope = r->scope;
  return a->blocked ? ROUTE_BLOCKED : ROUTE_OK;
}

RouteResult router_match(Router *router, const char *method, const char *path, RouteMatch *out) {
  return route(router, method ? method : "", path, out);
}

RouteResult router_match_preflight(Router *router, const char *path, RouteMatch *out) {
  return route(router, NULL, path, out);
}

void route_match_clear(RouteMatch *match) {
  if (!match) return;
  g_clear_pointer(&match->resource_path_owned, g_free);
  g_clear_pointer(&match->snapshot, snapshot_unref);
  memset(&match->route, 0, sizeof match->route);
}
