/*
 * test_router: routing against a table loaded with router_load, upserts and
 * removals with router_update, and routing while another thread swaps the
 * table (run under ASan/TSan-like stress: many swaps, many lookups). The
 * resource a request routes to is also checked for every row of
 * tests/data/uri_templates.tsv, the table the hub's validation test runs too.
 */
#include <glib-object.h>
#include <string.h>

#include "router.h"
#include "tg_tollgate_types.h"
#include "tg_uri_template.h"
#include "uri_table.h"

/* Freeing a TgApi (Thrift 0.17 c_glib on GLib 2.74) loses 32 bytes that
   GObject allocates inside g_object_unref itself; it shows with a bare
   g_object_new/g_object_unref of TgApi and nothing of ours on the stack.
   LeakSanitizer reads these hooks when the test runs under ASan (the full
   unwinder is needed to see that frame through GLib). */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "fast_unwind_on_malloc=0"; }
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:g_object_unref\n"; }

static TgResource *resource(const char *verb, const char *tmpl, const char *auth) {
  TgResource *r = g_object_new(TG_TYPE_RESOURCE, NULL);
  r->verb = g_strdup(verb);
  r->uriTemplate = g_strdup(tmpl);
  r->authType = g_strdup(auth);
  return r;
}

static TgApi *api(const char *context, const char *version, const char *status, gboolean dflt) {
  TgApi *a = g_object_new(TG_TYPE_API, NULL);
  g_free(a->name);
  a->name = g_strdup(context + 1);
  a->context = g_strdup(context);
  a->version = g_strdup(version);
  a->status = g_strdup(status);
  a->productionEndpoint = g_strdup("http://127.0.0.1:9600/echo");
  a->sandboxEndpoint = g_strdup("");
  a->isDefaultVersion = dflt;
  g_ptr_array_add(a->resources, resource("GET", "/menu", "Application"));
  g_ptr_array_add(a->resources, resource("GET", "/menu/{id}", "Application"));
  g_ptr_array_add(a->resources, resource("POST", "/orders/*", "None"));
  g_ptr_array_add(a->resources, resource("GET", "/*", "Any"));
  return a;
}

static GPtrArray *table(void) {
  GPtrArray *apis = g_ptr_array_new_with_free_func(g_object_unref);
  g_ptr_array_add(apis, api("/pizza", "1.0.0", "PUBLISHED", TRUE));
  g_ptr_array_add(apis, api("/pizza", "2.0.0", "PUBLISHED", FALSE));
  g_ptr_array_add(apis, api("/pizza/shack", "1.0.0", "PUBLISHED", FALSE));
  g_ptr_array_add(apis, api("/old", "1.0", "DEPRECATED", FALSE));
  g_ptr_array_add(apis, api("/blocked", "1.0", "BLOCKED", FALSE));
  g_ptr_array_add(apis, api("/draft", "1.0", "CREATED", FALSE));
  g_ptr_array_add(apis, api("/retired", "1.0", "RETIRED", FALSE));
  return apis;
}

typedef struct {
  const char *method, *path;
  RouteResult result;
  const char *context, *version, *tmpl, *resource, *auth;
} RouteCase;

static const RouteCase cases[] = {
    {"GET", "/pizza/1.0.0/menu", ROUTE_OK, "/pizza", "1.0.0", "/menu", "/menu", "Application"},
    {"GET", "/pizza/2.0.0/menu/7", ROUTE_OK, "/pizza", "2.0.0", "/menu/{id}", "/menu/7",
     "Application"},
    {"GET", "/pizza/menu", ROUTE_OK, "/pizza", "1.0.0", "/menu", "/menu", "Application"},
    {"GET", "/pizza/shack/1.0.0/menu", ROUTE_OK, "/pizza/shack", "1.0.0", "/menu", "/menu", NULL},
    {"POST", "/pizza/1.0.0/orders/1/items", ROUTE_OK, "/pizza", "1.0.0", "/orders/*",
     "/orders/1/items", "None"},
    {"GET", "/pizza/1.0.0/anything/else", ROUTE_OK, "/pizza", "1.0.0", "/*", "/anything/else",
     "Any"},
    {"GET", "/pizza/1.0.0", ROUTE_OK, "/pizza", "1.0.0", "/*", "/", NULL},
    {"DELETE", "/pizza/1.0.0/menu", ROUTE_NO_RESOURCE, "/pizza", "1.0.0", NULL, NULL, NULL},
    /* OPTIONS is routed like any verb: only to a resource listing it (preflights: below) */
    {"OPTIONS", "/pizza/1.0.0/menu", ROUTE_NO_RESOURCE, "/pizza", "1.0.0", NULL, NULL, NULL},
    {"PURGEX", "/pizza/1.0.0/menu", ROUTE_METHOD_UNKNOWN, "/pizza", "1.0.0", NULL, NULL, NULL},
    {"TRACE", "/pizza/1.0.0/menu", ROUTE_NO_RESOURCE, "/pizza", "1.0.0", NULL, NULL, NULL},
    {"GET", "/old/1.0/menu", ROUTE_OK, "/old", "1.0", "/menu", NULL, NULL},
    {"GET", "/blocked/1.0/menu", ROUTE_BLOCKED, "/blocked", "1.0", NULL, NULL, NULL},
    {"GET", "/draft/1.0/menu", ROUTE_NO_API, NULL, NULL, NULL, NULL, NULL},
    {"GET", "/retired/1.0/menu", ROUTE_NO_API, NULL, NULL, NULL, NULL, NULL},
    {"GET", "/nope/1.0/menu", ROUTE_NO_API, NULL, NULL, NULL, NULL, NULL},
    {"GET", "/pizzas/1.0.0/menu", ROUTE_NO_API, NULL, NULL, NULL, NULL, NULL},
    {"GET", "/", ROUTE_NO_API, NULL, NULL, NULL, NULL, NULL},
};

static void check_case(Router *r, const RouteCase *c) {
  RouteMatch m;
  RouteResult res = router_match(r, c->method, c->path, &m);
  if (res != c->result)
    g_error("%s %s: result %d, expected %d", c->method, c->path, res, c->result);
  if (c->context) g_assert_cmpstr(m.route.context, ==, c->context);
  if (c->version) g_assert_cmpstr(m.route.version, ==, c->version);
  if (c->tmpl) g_assert_cmpstr(m.route.uri_template, ==, c->tmpl);
  if (c->resource) g_assert_cmpstr(m.route.resource_path, ==, c->resource);
  if (c->auth) g_assert_cmpstr(m.route.auth_type, ==, c->auth);
  route_match_clear(&m);
}

static void test_routes(void) {
  Router *r = router_new();
  g_autoptr(GPtrArray) apis = table();
  router_load(r, apis);
  g_assert_cmpuint(router_api_count(r), ==, 5);
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) check_case(r, &cases[i]);
  /* a path longer than the matcher's stack copy */
  g_autofree char *tail = g_strnfill(400, 'x');
  g_autofree char *path = g_strconcat("/pizza/shack/1.0.0/", tail, NULL);
  RouteMatch m;
  g_assert_cmpint(router_match(r, "GET", path, &m), ==, ROUTE_OK);
  g_assert_cmpstr(m.route.context, ==, "/pizza/shack");
  g_assert_cmpuint(strlen(m.route.resource_path), ==, 401);
  route_match_clear(&m);
  router_free(r);
}

/* Structured logging (g_test_expect_message cannot see it): the "resource skipped" warnings
   a test announces in skipped_expected are counted here instead of aborting the test. */
static guint skipped_expected, skipped_seen;

static GLogWriterOutput count_skipped(GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                                      gpointer unused) {
  for (gsize i = 0; i < n_fields; i++)
    if (!strcmp(fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        strstr(fields[i].value, "resource skipped") && skipped_seen < skipped_expected) {
      skipped_seen++;
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default(level, fields, n_fields, unused);
}

/* One API "/tbl/1.0.0" with the row's resources; the row's path is routed as the server
   hands it to the router (query and fragment cut off). A template the parser refuses is
   skipped with a warning. Rows whose path is not under the API ("menu") are the hub's. */
static void check_table_row(const UriTableRow *row) {
  g_autofree char *what = uri_table_describe(row);
  gsize cut = strcspn(row->path, "?#");
  if (cut > 0 && row->path[0] != '/') return;
  TgApi *a = api("/tbl", "1.0.0", "PUBLISHED", FALSE);
  g_ptr_array_set_size(a->resources, 0);
  guint refused = 0;
  for (guint i = 0; i < row->n; i++) {
    g_ptr_array_add(a->resources, resource(row->verbs[i], row->templates[i], "Any"));
    TgUriTemplate t;
    if (!tg_uri_template_parse(&t, row->templates[i], NULL)) refused++;
  }
  skipped_expected = refused;
  skipped_seen = 0;
  g_autoptr(GPtrArray) apis = g_ptr_array_new_with_free_func(g_object_unref);
  g_ptr_array_add(apis, a);
  Router *r = router_new();
  router_load(r, apis);
  g_assert_cmpuint(skipped_seen, ==, refused);
  skipped_expected = 0;
  g_autofree char *path = g_strdup_printf("/tbl/1.0.0%.*s", (int)cut, row->path);
  RouteMatch m;
  RouteResult res = router_match(r, row->verb, path, &m);
  if (row->expected < 0) {
    if (res != ROUTE_NO_RESOURCE && res != ROUTE_METHOD_UNKNOWN)
      g_error("%s: routed to %s %s, want none", what, m.route.verb, m.route.uri_template);
  } else {
    if (res != ROUTE_OK)
      g_error("%s: result %d, want %s", what, res, row->templates[row->expected]);
    if (strcmp(m.route.uri_template, row->templates[row->expected]) != 0 ||
        g_ascii_strcasecmp(m.route.verb, row->verbs[row->expected]) != 0)
      g_error("%s: routed to %s %s", what, m.route.verb, m.route.uri_template);
  }
  route_match_clear(&m);
  router_free(r);
}

/* Extension methods route only to a resource that lists them; ANY stands for the
   RFC 9110 methods alone; a preflight takes any verb's resource with auth None. */
static void test_methods(void) {
  Router *r = router_new();
  g_autoptr(GPtrArray) apis = g_ptr_array_new_with_free_func(g_object_unref);
  TgApi *a = api("/cache", "1.0", "PUBLISHED", FALSE);
  g_ptr_array_add(a->resources, resource("PURGE", "/items/*", "Application"));
  g_ptr_array_add(a->resources, resource("ANY", "/any/*", "Application"));
  g_ptr_array_add(apis, a);
  router_load(r, apis);
  static const struct {
    const char *method, *path;
    RouteResult result;
  } cases[] = {
      {"PURGE", "/cache/1.0/items/1", ROUTE_OK},
      {"purge", "/cache/1.0/items/1", ROUTE_OK},
      {"PURGE", "/cache/1.0/menu", ROUTE_NO_RESOURCE},
      {"PURGEX", "/cache/1.0/items/1", ROUTE_METHOD_UNKNOWN},
      {"GET", "/cache/1.0/any/1", ROUTE_OK},
      {"PATCH", "/cache/1.0/any/1", ROUTE_OK},
      {"PROPFIND", "/cache/1.0/any/1", ROUTE_METHOD_UNKNOWN},
      {"PURGE", "/cache/1.0/any/1", ROUTE_NO_RESOURCE},
      {"", "/cache/1.0/any/1", ROUTE_METHOD_UNKNOWN},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    RouteMatch m;
    g_test_message("%s %s", cases[i].method, cases[i].path);
    g_assert_cmpint(router_match(r, cases[i].method, cases[i].path, &m), ==, cases[i].result);
    g_assert_false(m.preflight);
    route_match_clear(&m);
  }
  RouteMatch m;
  g_assert_cmpint(router_match_preflight(r, "/cache/1.0/items/1", &m), ==, ROUTE_OK);
  g_assert_true(m.preflight);
  g_assert_cmpstr(m.route.auth_type, ==, "None");
  g_assert_cmpstr(m.route.verb, ==, "OPTIONS");
  route_match_clear(&m);
  g_assert_cmpint(router_match_preflight(r, "/nothing/1.0/x", &m), ==, ROUTE_NO_API);
  route_match_clear(&m);
  router_free(r);
}

static void test_uri_table(void) {
  g_autoptr(GPtrArray) rows = uri_table_load();
  for (guint i = 0; i < rows->len; i++) check_table_row(g_ptr_array_index(rows, i));
}

static void test_update(void) {
  Router *r = router_new();
  g_autoptr(GPtrArray) apis = table();
  router_load(r, apis);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func(g_object_unref);
  g_ptr_array_add(changes, api("/pizza", "2.0.0", "RETIRED", FALSE));   /* removed */
  g_ptr_array_add(changes, api("/draft", "1.0", "PUBLISHED", FALSE));   /* added */
  g_ptr_array_add(changes, api("/blocked", "1.0", "PUBLISHED", FALSE)); /* unblocked */
  router_update(r, changes);
  g_assert_cmpuint(router_api_count(r), ==, 5);
  RouteMatch m;
  /* 2.0.0 is gone: the path now falls to the default version's catch-all. */
  g_assert_cmpint(router_match(r, "GET", "/pizza/2.0.0/menu", &m), ==, ROUTE_OK);
  g_assert_cmpstr(m.route.version, ==, "1.0.0");
  g_assert_cmpstr(m.route.resource_path, ==, "/2.0.0/menu");
  route_match_clear(&m);
  g_assert_cmpint(router_match(r, "GET", "/old/2.0/menu", &m), ==, ROUTE_NO_API);
  route_match_clear(&m);
  g_assert_cmpint(router_match(r, "GET", "/draft/1.0/menu", &m), ==, ROUTE_OK);
  route_match_clear(&m);
  g_assert_cmpint(router_match(r, "GET", "/blocked/1.0/menu", &m), ==, ROUTE_OK);
  route_match_clear(&m);
  router_free(r);
}

/* "/" and len - 1 letters. */
static char *context_of(gsize len) {
  char *c = g_malloc(len + 1);
  memset(c, 'c', len);
  c[0] = '/';
  c[len] = '\0';
  return c;
}

/* Only prefixes as long as some context are looked up: contexts at the bitmap's word
   boundaries, at its end and past it (always looked up) all route, and so does one
   of a new length added by an update. */
static void test_context_lengths(void) {
  static const gsize lens[] = {2, 63, 64, 65, 127, 128, 255, 256, 300};
  Router *r = router_new();
  g_autoptr(GPtrArray) apis = g_ptr_array_new_with_free_func(g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS(lens); i++) {
    g_autofree char *c = context_of(lens[i]);
    g_ptr_array_add(apis, api(c, "1.0", "PUBLISHED", FALSE));
  }
  router_load(r, apis);
  RouteMatch m;
  for (guint i = 0; i < G_N_ELEMENTS(lens); i++) {
    g_autofree char *c = context_of(lens[i]);
    g_autofree char *path = g_strconcat(c, "/1.0/menu", NULL);
    g_assert_cmpint(router_match(r, "GET", path, &m), ==, ROUTE_OK);
    g_assert_cmpuint(strlen(m.route.context), ==, lens[i]);
    route_match_clear(&m);
  }
  g_autofree char *c70 = context_of(70);
  g_autofree char *path70 = g_strconcat(c70, "/1.0/menu", NULL);
  g_assert_cmpint(router_match(r, "GET", path70, &m), ==, ROUTE_NO_API);
  route_match_clear(&m);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func(g_object_unref);
  g_ptr_array_add(changes, api(c70, "1.0", "PUBLISHED", FALSE));
  router_update(r, changes);
  g_assert_cmpint(router_match(r, "GET", path70, &m), ==, ROUTE_OK);
  g_assert_cmpuint(strlen(m.route.context), ==, 70);
  route_match_clear(&m);
  router_free(r);
}

/* A match keeps its strings valid after the table it came from is replaced. */
static void test_match_outlives_swap(void) {
  Router *r = router_new();
  g_autoptr(GPtrArray) apis = table();
  router_load(r, apis);
  RouteMatch m;
  g_assert_cmpint(router_match(r, "GET", "/pizza/1.0.0/menu/3", &m), ==, ROUTE_OK);
  g_autoptr(GPtrArray) empty = g_ptr_array_new();
  router_load(r, empty);
  g_assert_cmpuint(router_api_count(r), ==, 0);
  g_assert_cmpstr(m.route.uri_template, ==, "/menu/{id}");
  g_assert_cmpstr(m.production_endpoint->url, ==, "http://127.0.0.1:9600/echo");
  g_assert_cmpint(m.production_endpoint->port, ==, 9600);
  route_match_clear(&m);
  router_free(r);
}

static gpointer swapper(gpointer data) {
  Router *r = data;
  g_autoptr(GPtrArray) apis = table();
  for (int i = 0; i < 300; i++) {
    router_load(r, apis);
    router_update(r, apis);
  }
  return NULL;
}

static void test_concurrent(void) {
  Router *r = router_new();
  g_autoptr(GPtrArray) apis = table();
  router_load(r, apis);
  GThread *t = g_thread_new("swapper", swapper, r);
  for (int i = 0; i < 20000; i++) {
    RouteMatch m;
    g_assert_cmpint(router_match(r, "GET", "/pizza/shack/1.0.0/menu/1", &m), ==, ROUTE_OK);
    g_assert_cmpstr(m.route.context, ==, "/pizza/shack");
    route_match_clear(&m);
  }
  g_thread_join(t);
  router_free(r);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/router/routes", test_routes);
  g_log_set_writer_func(count_skipped, NULL, NULL);
  g_test_add_func("/router/uri_table", test_uri_table);
  g_test_add_func("/router/update", test_update);
  g_test_add_func("/router/context_lengths", test_context_lengths);
  g_test_add_func("/router/methods", test_methods);
  g_test_add_func("/router/match_outlives_swap", test_match_outlives_swap);
  g_test_add_func("/router/concurrent", test_concurrent);
  return g_test_run();
}
