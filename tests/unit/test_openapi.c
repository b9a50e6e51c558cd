/*
 * test_openapi: OpenAPI 3 import (fields, context rules, security to auth
 * types, scopes and their roles, tags), every refusal with a message that says
 * what to fix, the size and nesting limits, and export -> import round trips
 * (including hostile names, which must stay valid JSON); YAML documents: the
 * same API as the JSON sample, the core schema, and every refusal (aliases
 * that expand, a second document, foreign tags, repeated or complex keys).
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "openapi.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgApi, g_object_unref)

static char *read_file(const char *path, gsize *len) {
  char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_true(g_file_get_contents(path, &text, len, &error));
  return text;
}

static char *read_sample(gsize *len) { return read_file(OPENAPI_SAMPLE, len); }

static TgApi *import_ok(const char *json) {
  g_autoptr(GError) error = NULL;
  TgApi *api = openapi_import(json, strlen(json), &error);
  g_assert_no_error(error);
  return api;
}

static const TgResource *find(const TgApi *api, const char *verb, const char *path) {
  for (guint i = 0; i < api->resources->len; i++) {
    const TgResource *r = g_ptr_array_index(api->resources, i);
    if (strcmp(r->verb, verb) == 0 && strcmp(r->uriTemplate, path) == 0) return r;
  }
  g_assert_not_reached();
}

static void test_import_sample(void) {
  gsize len;
  g_autofree char *json = read_sample(&len);
  g_autoptr(TgApi) api = import_ok(json);
  g_assert_cmpstr(api->name, ==, "PizzaShack");
  g_assert_cmpstr(api->version, ==, "1.0.0");
  g_assert_cmpstr(api->description, ==, "Order pizza & track it.");
  g_assert_cmpstr(api->context, ==, "/pizzashack");
  g_assert_cmpstr(api->productionEndpoint, ==, "http://127.0.0.1:9000/pizza");
  g_assert_cmpstr(api->sandboxEndpoint, ==, "http://127.0.0.1:9001/pizza");
  g_assert_cmpstr(api->apiTier, ==, "Gold");
  g_assert_cmpuint(api->subscriptionTiers->len, ==, 2);
  g_assert_cmpuint(api->tags->len, ==, 3);
  g_assert_cmpstr(g_ptr_array_index(api->tags, 0), ==, "food");
  g_assert_cmpstr(g_ptr_array_index(api->tags, 2), ==, "menu");
  g_assert_cmpuint(api->resources->len, ==, 5);
  const TgResource *r = find(api, "GET", "/menu");
  g_assert_cmpstr(r->authType, ==, "Any");
  g_assert_cmpstr(r->throttlingTier, ==, "Unlimited");
  g_assert_cmpstr(r->scope, ==, "");
  g_assert_cmpstr(find(api, "HEAD", "/menu")->authType, ==, "None");
  r = find(api, "GET", "/order/{orderId}");
  g_assert_cmpstr(r->scope, ==, "read:orders");
  g_assert_cmpstr(r->throttlingTier, ==, "10PerMin");
  r = find(api, "DELETE", "/order/{orderId}");
  g_assert_cmpstr(r->authType, ==, "Application_User");
  g_assert_cmpstr(r->scope, ==, "write:orders");
  g_assert_cmpstr(find(api, "POST", "/order")->authType, ==, "Application");
  g_assert_cmpuint(api->scopes->len, ==, 2);
  for (guint i = 0; i < api->scopes->len; i++) {
    const TgApiScope *s = g_ptr_array_index(api->scopes, i);
    if (strcmp(s->name, "write:orders") == 0) {
      g_assert_cmpuint(s->roles->len, ==, 2);
      g_assert_cmpstr(g_ptr_array_index(s->roles, 1), ==, "publisher");
    } else {
      g_assert_cmpstr(s->description, ==, "Read orders");
      g_assert_cmpuint(s->roles->len, ==, 0);
    }
  }
}

static void test_context_sources(void) {
  g_autoptr(TgApi) a = import_ok(
      "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"T\",\"version\":\"v2\"},"
      "\"x-tollgate-context\":\"/tee\",\"servers\":[{\"url\":\"/other/v2\"}],"
      "\"paths\":{\"/*\":{\"get\":{}}}}");
  g_assert_cmpstr(a->context, ==, "/tee");
  g_autoptr(TgApi) b = import_ok(
      "{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"T\",\"version\":\"v2\"},"
      "\"x-wso2-basePath\":\"/wso\",\"paths\":{\"/*\":{\"get\":{}}}}");
  g_assert_cmpstr(b->context, ==, "/wso");
  g_autoptr(TgApi) c = import_ok(
      "{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"T\",\"version\":\"v2\"},"
      "\"servers\":[{\"url\":\"http://h:1/a/b/?q#f\"}],\"paths\":{\"/*\":{\"get\":{}}}}");
  g_assert_cmpstr(c->context, ==, "/a/b");
}

static void assert_refused(const char *json, const char *message_part) {
  g_autoptr(GError) error = NULL;
  g_autoptr(TgApi) api = openapi_import(json, strlen(json), &error);
  g_assert_null(api);
  g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  if (!strstr(error->message, message_part))
    g_error("\"%s\" does not say \"%s\"", error->message, message_part);
}

static void test_refusals(void) {
  assert_refused("", "must be a JSON object");
  assert_refused("{\"openapi\":", "not valid JSON");
  assert_refused("openapi: 3.0.0\ninfo: {}\n", "info.title and info.version are required");
  assert_refused("[1,2]", "must be a JSON object");
  assert_refused("{\"swagger\":\"2.0\"}", "Swagger 2.0");
  assert_refused("{\"openapi\":3}", "\"openapi\" must be");
  assert_refused("{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"T\"}}", "info.version");
  assert_refused(
      "{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"paths\":{\"/"
      "*\":{\"get\":{}}}}",
      "x-tollgate-context");
  assert_refused(
      "{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"servers\":[{\"url\":"
      "\"https://h/\"}],"
      "\"paths\":{\"/*\":{\"get\":{}}}}",
      "x-tollgate-context");
  assert_refused(
      "{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"x-tollgate-context\":"
      "\"/t\"}",
      "no \"paths\"");
  assert_refused(
      "{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"x-tollgate-context\":"
      "\"/t\","
      "\"paths\":{\"/a\":{\"summary\":\"x\"}}}",
      "no operation");
  assert_refused(
      "{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"x-tollgate-context\":"
      "\"/t\","
      "\"paths\":{\"a\":{\"get\":{}}}}",
      "must start with /");
  assert_refused(
      "{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"x-tollgate-context\":"
      "\"/t\","
      "\"paths\":{\"/a\":{\"get\":{\"x-auth-type\":\"Root\"}}}}",
      "x-auth-type");
  assert_refused("{\"openapi\":\"3.0.0\",\"x\":\"\\u0000\"", "not valid JSON");
}

static void test_limits(void) {
  g_autoptr(GString) deep = g_string_new("{\"openapi\":\"3.0.0\",\"x\":");
  for (int i = 0; i < OPENAPI_MAX_DEPTH + 1; i++) g_string_append_c(deep, '[');
  assert_refused(deep->str, "nests deeper");
  /* brackets inside strings do not count */
  g_autoptr(GString) str = g_string_new("{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"");
  for (int i = 0; i < 200; i++) g_string_append(str, "[{\\\"");
  g_string_append(
      str, "\",\"version\":\"1\"},\"x-tollgate-context\":\"/t\",\"paths\":{\"/a\":{\"get\":{}}}}");
  g_autoptr(TgApi) ok = import_ok(str->str);
  g_assert_cmpuint(strlen(ok->name), ==, 600);
  g_autoptr(GString) many = g_string_new(
      "{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"T\",\"version\":\"1\"},"
      "\"x-tollgate-context\":\"/t\",\"paths\":{");
  for (int i = 0; i <= OPENAPI_MAX_RESOURCES; i++)
    g_string_append_printf(many, "%s\"/r%d\":{\"get\":{}}", i ? "," : "", i);
  g_string_append(many, "}}");
  assert_refused(many->str, "more than");
  g_autoptr(GError) error = NULL;
  g_assert_null(openapi_import("{}", OPENAPI_MAX_BYTES + 1, &error));
  g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void assert_same_api(const TgApi *a, const TgApi *b) {
  g_assert_cmpstr(a->name, ==, b->name);
  g_assert_cmpstr(a->version, ==, b->version);
  g_assert_cmpstr(a->context, ==, b->context);
  g_assert_cmpstr(a->description, ==, b->description);
  g_assert_cmpstr(a->productionEndpoint, ==, b->productionEndpoint);
  g_assert_cmpstr(a->sandboxEndpoint, ==, b->sandboxEndpoint);
  g_assert_cmpstr(a->apiTier, ==, b->apiTier);
  g_assert_cmpuint(a->tags->len, ==, b->tags->len);
  for (guint i = 0; i < a->tags->len; i++)
    g_assert_cmpstr(g_ptr_array_index(a->tags, i), ==, g_ptr_array_index(b->tags, i));
  g_assert_cmpuint(a->subscriptionTiers->len, ==, b->subscriptionTiers->len);
  g_assert_cmpuint(a->resources->len, ==, b->resources->len);
  for (guint i = 0; i < a->resources->len; i++) {
    const TgResource *x = g_ptr_array_index(a->resources, i);
    const TgResource *y = find(b, x->verb, x->uriTemplate);
    g_assert_cmpstr(x->authType, ==, y->authType);
    g_assert_cmpstr(x->throttlingTier, ==, y->throttlingTier);
    g_assert_cmpstr(x->scope, ==, y->scope);
  }
  g_assert_cmpuint(a->scopes->len, ==, b->scopes->len);
  for (guint i = 0; i < a->scopes->len; i++) {
    const TgApiScope *x = g_ptr_array_index(a->scopes, i), *y = g_ptr_array_index(b->scopes, i);
    g_assert_cmpstr(x->name, ==, y->name);
    g_assert_cmpstr(x->description, ==, y->description);
    g_assert_cmpuint(x->roles->len, ==, y->roles->len);
  }
}

static void test_round_trip(void) {
  gsize len;
  g_autofree char *json = read_sample(&len);
  g_autoptr(TgApi) first = import_ok(json);
  OpenapiExportOptions opts = {"https://gw.example:8243", "https://hub.example:9444/token", TRUE};
  g_autofree char *out = openapi_export(first, &opts);
  g_assert_nonnull(strstr(out, "\"url\" : \"https://gw.example:8243/pizzashack/1.0.0\""));
  g_autoptr(TgApi) second = import_ok(out);
  assert_same_api(first, second);
  /* the store's export leaves the backend endpoints out */
  OpenapiExportOptions store = {NULL, NULL, FALSE};
  g_autofree char *pub = openapi_export(first, &store);
  g_assert_null(strstr(pub, "127.0.0.1:900"));
  g_autoptr(TgApi) third = import_ok(pub);
  g_assert_null(third->productionEndpoint);
  g_assert_cmpuint(third->resources->len, ==, 5);
}

static void test_yaml_export_round_trip(void) {
  gsize len;
  g_autofree char *json = read_sample(&len);
  g_autoptr(TgApi) first = import_ok(json);
  OpenapiExportOptions opts = {"https://gw.example:8243", NULL, TRUE};
  g_autofree char *yaml = openapi_export_yaml(first, &opts);
  g_assert_nonnull(strstr(yaml, "openapi: \"3.0.3\"\n"));
  g_assert_nonnull(strstr(yaml, "version: \"1.0.0\"")); /* quoted: starts like a number */
  g_autoptr(GError) error = NULL;
  g_autoptr(TgApi) second = openapi_import_as(yaml, strlen(yaml), OPENAPI_FORMAT_YAML, &error);
  g_assert_no_error(error);
  assert_same_api(first, second);
  /* texts the core schema or a YAML 1.1 reader would take for something else stay text */
  static const char *const tricky[] = {"1.0",    "true",
                                       "null",   "~",
                                       "",       "yes",
                                       "Off",    "0x1F",
                                       "-",      "- a",
                                       "a: b",   "#x",
                                       "*a",     "&a",
                                       "!t",     "'q'",
                                       "\"q\"",  "%x",
                                       "@x",     "`x",
                                       "[x",     "{x",
                                       "a\nb",   " lead",
                                       "trail ", "\xc3\xa9t\xc3\xa9",
                                       "\x01"};
  for (guint i = 0; i < G_N_ELEMENTS(tricky); i++) {
    g_autoptr(TgApi) api = g_object_new(TG_TYPE_API, NULL);
    api->name = g_strdup(*tricky[i] ? tricky[i] : "empty");
    api->version = g_strdup(*tricky[i] ? tricky[i] : "v");
    api->context = g_strdup("/t");
    api->description = g_strdup(tricky[i]);
    TgResource *r = g_object_new(TG_TYPE_RESOURCE, NULL);
    r->verb = g_strdup("GET");
    r->uriTemplate = g_strdup("/a");
    r->scope = g_strdup(tricky[i]);
    g_ptr_array_add(api->resources, r);
    g_autofree char *out = openapi_export_yaml(api, NULL);
    g_autoptr(GError) e = NULL;
    g_autoptr(TgApi) back = openapi_import_as(out, strlen(out), OPENAPI_FORMAT_YAML, &e);
    if (!back) g_error("\"%s\": %s\n%s", tricky[i], e->message, out);
    g_assert_cmpstr(back->name, ==, api->name);
    g_assert_cmpstr(back->version, ==, api->version);
    g_assert_cmpstr(back->description, ==, api->description);
  }
}

static void test_hostile_names_stay_json(void) {
  g_autoptr(TgApi) api = g_object_new(TG_TYPE_API, NULL);
  api->name = g_strdup("<script>alert(1)</script>\",\"x\":\"");
  api->version = g_strdup("1\n0");
  api->context = g_strdup("/x\\\"");
  api->description = g_strdup("\x01\x7f");
  TgResource *r = g_object_new(TG_TYPE_RESOURCE, NULL);
  r->verb = g_strdup("GET");
  r->uriTemplate = g_strdup("/\"}");
  r->authType = g_strdup("None");
  g_ptr_array_add(api->resources, r);
  g_autofree char *out = openapi_export(api, NULL);
  g_autoptr(JsonParser) p = json_parser_new();
  g_assert_true(json_parser_load_from_data(p, out, -1, NULL));
  g_autoptr(TgApi) back = import_ok(out);
  g_assert_cmpstr(back->name, ==, api->name);
  g_assert_cmpstr(back->context, ==, api->context);
  g_assert_cmpstr(find(back, "GET", "/\"}")->authType, ==, "None");
}

#define YAML_HEAD "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\nx-tollgate-context: /t\n"

static void test_yaml_same_as_json(void) {
  gsize jlen, ylen;
  g_autofree char *json = read_sample(&jlen);
  g_autofree char *yaml = read_file(OPENAPI_SAMPLE_YAML, &ylen);
  g_autoptr(TgApi) a = import_ok(json);
  g_autoptr(TgApi) b = import_ok(yaml);
  assert_same_api(a, b);
  g_assert_cmpstr(b->version, ==, "1.0.0");
  g_assert_cmpstr(find(b, "HEAD", "/menu")->authType, ==, "None");
  g_assert_cmpstr(find(b, "GET", "/order/{orderId}")->scope, ==, "read:orders");
}

static void test_yaml_core_schema(void) {
  /* a JSON-looking flow mapping is JSON by content, YAML when declared */
  const char *flow =
      "{openapi: 3.0.0, info: {title: T, version: '1'}, x-tollgate-context: /t, "
      "paths: {/a: {get: {}}}}";
  g_autoptr(GError) error = NULL;
  g_assert_null(openapi_import(flow, strlen(flow), &error));
  g_assert_nonnull(strstr(error->message, "not valid JSON"));
  g_autoptr(TgApi) f = openapi_import_as(flow, strlen(flow), OPENAPI_FORMAT_YAML, NULL);
  g_assert_nonnull(f);
  g_assert_cmpstr(f->context, ==, "/t");
  /* a number where text is needed says so; !!str and quotes make it text */
  assert_refused("openapi: 3.0.0\ninfo: {title: T, version: 1.0}\npaths: {}\n", "quote it");
  assert_refused("openapi: 3.0.0\ninfo: {title: 2024, version: '1'}\npaths: {}\n",
                 "info.title must be a text");
  g_autoptr(TgApi) s = import_ok(
      "openapi: 3.0.0\ninfo: {title: !!str 2, version: !!str 1.0}\nx-tollgate-context: /t\n"
      "paths: {/a: {get: {x-throttling-tier: \"10\"}}}\n");
  g_assert_cmpstr(s->name, ==, "2");
  g_assert_cmpstr(s->version, ==, "1.0");
  g_assert_cmpstr(find(s, "GET", "/a")->throttlingTier, ==, "10");
  /* integer keys (response codes) are their text; a BOM and blanks before '{' are JSON */
  g_autoptr(TgApi) k = import_ok(YAML_HEAD
                                 "paths:\n  /a:\n    get:\n      responses:\n"
                                 "        200: {description: ok}\n");
  g_assert_cmpuint(k->resources->len, ==, 1);
  g_autoptr(TgApi) j = import_ok(
      "\xEF\xBB\xBF \n{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"T\","
      "\"version\":\"1\"},\"x-tollgate-context\":\"/t\","
      "\"paths\":{\"/a\":{\"get\":{}}}}");
  g_assert_cmpstr(j->name, ==, "T");
  /* a small alias (shared responses) is fine */
  g_autoptr(TgApi) al = import_ok(YAML_HEAD
                                  "x: &r {description: ok}\npaths:\n  /a: {get: {responses: "
                                  "{200: *r}}, put: {responses: {200: *r}}}\n");
  g_assert_cmpuint(al->resources->len, ==, 2);
}

static void test_yaml_refusals(void) {
  /* billion laughs: each level ten aliases of the one before */
  g_autoptr(GString) lol = g_string_new(YAML_HEAD "paths: {/a: {get: {}}}\na0: &a0 [lol]\n");
  for (int i = 1; i < 9; i++)
    g_string_append_printf(lol, "a%d: &a%d [*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d]\n",
                           i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
                           i - 1);
  assert_refused(lol->str, "aliases expand to more than");
  assert_refused(YAML_HEAD "paths: {/a: {get: {}}}\n---\nopenapi: 3.0.0\n",
                 "a second YAML document");
  assert_refused(YAML_HEAD "paths: {/a: {get: {}}}\nx: !!python/object:os.system ls\n", "tag");
  assert_refused(YAML_HEAD "paths: {/a: {get: {}}}\nx: !custom 1\n", "tag");
  assert_refused(YAML_HEAD "paths: {/a: {get: {}}}\nx: !!binary aGk=\n", "tag");
  assert_refused(YAML_HEAD "paths: {/a: {get: {}}}\nx: !!set {a}\n", "tag");
  assert_refused(YAML_HEAD "paths: {/a: {get: {}}}\nx: !!int twelve\n", "not a valid !!int");
  assert_refused(YAML_HEAD "paths: {/a: {get: {}}}\nx: *nowhere\n", "names no anchor");
  assert_refused(YAML_HEAD "paths: {/a: {get: {}}}\nx: &s [*s]\n", "names no anchor");
  assert_refused(YAML_HEAD "paths: {/a: {get: {}}}\nx: 1\nx: 2\n", "appears twice");
  assert_refused(YAML_HEAD "paths: {/a: {get: {}}}\n? [a, b]\n: 1\n", "mapping key");
  assert_refused(YAML_HEAD "paths: {/a: {get: {}}}\nx: \"a\\0b\"\n", "NUL");
  assert_refused(YAML_HEAD "paths: {/a: {get: {}}}\nx: [unclosed\n", "not valid YAML");
  assert_refused("- a\n- b\n", "must be a JSON object (a YAML mapping)");
  assert_refused("openapi: 3.0.0\ninfo: [\xff]\n", "not valid YAML");
  g_autoptr(GString) deep = g_string_new(YAML_HEAD "x: ");
  for (int i = 0; i < OPENAPI_MAX_DEPTH + 1; i++) g_string_append_c(deep, '[');
  assert_refused(deep->str, "nests deeper");
  /* an alias may not carry the nesting past the limit either */
  g_autoptr(GString) d2 = g_string_new(YAML_HEAD "a: &d ");
  for (int i = 0; i < OPENAPI_MAX_DEPTH - 2; i++) g_string_append_c(d2, '[');
  for (int i = 0; i < OPENAPI_MAX_DEPTH - 2; i++) g_string_append_c(d2, ']');
  g_string_append(d2, "\nb: [[*d]]\n");
  assert_refused(d2->str, "deeper than");
}

static void test_format_of(void) {
  static const struct {
    const char *type, *file;
    OpenapiFormat want;
  } cases[] = {
      {"application/yaml", NULL, OPENAPI_FORMAT_YAML},
      {"Application/X-YAML; charset=utf-8", NULL, OPENAPI_FORMAT_YAML},
      {"text/yaml", "a.json", OPENAPI_FORMAT_YAML},
      {"application/json", "a.yaml", OPENAPI_FORMAT_JSON},
      {"application/octet-stream", "API.YML", OPENAPI_FORMAT_YAML},
      {"application/octet-stream", "a.json", OPENAPI_FORMAT_JSON},
      {NULL, "a.yaml.txt", OPENAPI_FORMAT_AUTO},
      {"text/plain", NULL, OPENAPI_FORMAT_AUTO},
      {NULL, NULL, OPENAPI_FORMAT_AUTO},
      {"application/yamlx", NULL, OPENAPI_FORMAT_AUTO},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    g_assert_cmpint(openapi_format_of(cases[i].type, cases[i].file), ==, cases[i].want);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/openapi/import_sample", test_import_sample);
  g_test_add_func("/openapi/context_sources", test_context_sources);
  g_test_add_func("/openapi/refusals", test_refusals);
  g_test_add_func("/openapi/limits", test_limits);
  g_test_add_func("/openapi/round_trip", test_round_trip);
  g_test_add_func("/openapi/hostile_names_stay_json", test_hostile_names_stay_json);
  g_test_add_func("/openapi/yaml_same_as_json", test_yaml_same_as_json);
  g_test_add_func("/openapi/yaml_core_schema", test_yaml_core_schema);
  g_test_add_func("/openapi/yaml_refusals", test_yaml_refusals);
  g_test_add_func("/openapi/format_of", test_format_of);
  g_test_add_func("/openapi/yaml_export_round_trip", test_yaml_export_round_trip);
  return g_test_run();
}
