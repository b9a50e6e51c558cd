/*
 * openapi: OpenAPI 3 import (JSON or YAML) and export (JSON, YAML) for TgApi (see
 * openapi.h for the mapping). Input is untrusted: its size and nesting are
 * checked before json-glib sees it (the parser recurses; the YAML converter
 * counts as it goes), every member is type-checked, and
 * limits are stated once in openapi.h. Trade-off: extensions (x-...) carry what
 * OpenAPI has no field for, under the names WSO2 uses where it has one.
 */
#include "openapi.h"

#include "openapi_yaml.h"
#include "tg_json.h"

#include <json-glib/json-glib.h>
#include <string.h>

static const char *const VERBS[] = {"get", "put", "post", "delete", "patch", "head", "options"};
#define MAX_TAGS 16

static void fail(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void fail(GError **error, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, msg);
}

static JsonObject *member_object(JsonObject *o, const char *name) {
  JsonNode *n = o ? json_object_get_member(o, name) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonArray *member_array(JsonObject *o, const char *name) {
  JsonNode *n = o ? json_object_get_member(o, name) : NULL;
  return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

static const char *node_string(JsonNode *n) {
  return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
             ? json_node_get_string(n)
             : NULL;
}

static const char *member_string(JsonObject *o, const char *name) {
  return o ? node_string(json_object_get_member(o, name)) : NULL;
}

static void set_str(char **field, gboolean *isset, const char *v) {
  if (!v) return;
  g_free(*field);
  *field = g_strdup(v);
  *isset = TRUE;
}

/* The path of an absolute or relative URL, without a trailing slash ("" for "/"). */
static char *url_path(const char *url) {
  const char *p = url;
  const char *scheme = strstr(url, "://");
  if (scheme) {
    p = strchr(scheme + 3, '/');
    if (!p) return g_strdup("");
  }
  gsize n = strcspn(p, "?#");
  while (n > 0 && p[n - 1] == '/') n--;
  return g_strndup(p, n);
}

static const char *first_url(JsonObject *o, const char *name) {
  JsonArray *urls = member_array(member_object(o, name), "urls");
  return urls && json_array_get_length(urls) ? node_string(json_array_get_element(urls, 0)) : NULL;
}

static void add_tag(TgApi *api, const char *tag) {
  if (!tag || !*tag || api->tags->len >= MAX_TAGS) return;
  g_autofree char *low = g_utf8_strdown(tag, -1);
  for (guint i = 0; i < api->tags->len; i++)
    if (strcmp(g_ptr_array_index(api->tags, i), low) == 0) return;
  g_ptr_array_add(api->tags, g_steal_pointer(&low));
  api->__isset_tags = TRUE;
}

static void add_tags_of(TgApi *api, JsonArray *tags, gboolean objects) {
  for (guint i = 0; tags && i < json_array_get_length(tags); i++) {
    JsonNode *n = json_array_get_element(tags, i);
    add_tag(api, objects ? member_string(JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL,
                                         "name")
                         : node_string(n));
  }
}

static const char *auth_from_extension(const char *x) {
  static const struct {
    const char *wso2, *ours;
  } map[] = {
      {"Application & Application User", "Any"},
      {"Any", "Any"},
      {"Application", "Application"},
      {"Application User", "Application_User"},
      {"Application_User", "Application_User"},
      {"None", "None"},
  };
  for (guint i = 0; x && i < G_N_ELEMENTS(map); i++)
    if (g_ascii_strcasecmp(x, map[i].wso2) == 0) return map[i].ours;
  return NULL;
}

/* The first scope of the first requirement of security (an array of objects of arrays). */
static const char *first_scope(JsonArray *security) {
  for (guint i = 0; security && i < json_array_get_length(security); i++) {
    JsonNode *req = json_array_get_element(security, i);
    if (!JSON_NODE_HOLDS_OBJECT(req)) continue;
    g_autoptr(GList) names = json_object_get_members(json_node_get_object(req));
    for (GList *l = names; l; l = l->next) {
      JsonArray *scopes = member_array(json_node_get_object(req), l->data);
      if (scopes && json_array_get_length(scopes))
        return node_string(json_array_get_element(scopes, 0));
    }
  }
  return NULL;
}

static gboolean add_resource(TgApi *api, const char *path, const char *verb, JsonObject *op,
                             JsonArray *doc_security, GError **error) {
  if (api->resources->len >= OPENAPI_MAX_RESOURCES) {
    fail(error, "more than %d operations: split the API", OPENAPI_MAX_RESOURCES);
    return FALSE;
  }
  JsonArray *security =
      json_object_has_member(op, "security") ? member_array(op, "security") : doc_security;
  const char *x_auth = member_string(op, "x-auth-type");
  const char *auth = auth_from_extension(x_auth);
  if (x_auth && !auth) {
    fail(error, "%s %s: x-auth-type \"%s\" is not one of Any, Application, Application User, None",
         verb, path, x_auth);
    return FALSE;
  }
  if (!auth) auth = security && json_array_get_length(security) == 0 ? "None" : "Any";
  const char *scope = member_string(op, "x-scope");
  if (!scope) scope = first_scope(security);
  const char *tier = member_string(op, "x-throttling-tier");
  TgResource *r = g_object_new(TG_TYPE_RESOURCE, NULL);
  g_autofree char *up = g_ascii_strup(verb, -1);
  set_str(&r->verb, &r->__isset_verb, up);
  set_str(&r->uriTemplate, &r->__isset_uriTemplate, path);
  set_str(&r->authType, &r->__isset_authType, auth);
  set_str(&r->throttlingTier, &r->__isset_throttlingTier, tier ? tier : "Unlimited");
  set_str(&r->scope, &r->__isset_scope, scope ? scope : "");
  g_ptr_array_add(api->resources, r);
  api->__isset_resources = TRUE;
  add_tags_of(api, member_array(op, "tags"), FALSE);
  return TRUE;
}

static gboolean import_paths(TgApi *api, JsonObject *doc, GError **error) {
  JsonObject *paths = member_object(doc, "paths");
  if (!paths) {
    fail(error, "no \"paths\" object: the document must list the API's operations");
    return FALSE;
  }
  JsonArray *doc_security = member_array(doc, "security");
  g_autoptr(GList) names = json_object_get_members(paths);
  for (GList *l = names; l; l = l->next) {
    const char *path = l->data;
    JsonObject *item = member_object(paths, path);
    if (path[0] != '/') {
      fail(error, "path \"%s\" must start with /", path);
      return FALSE;
    }
    for (guint v = 0; item && v < G_N_ELEMENTS(VERBS); v++) {
      JsonObject *op = member_object(item, VERBS[v]);
      if (op && !add_resource(api, path, VERBS[v], op, doc_security, error)) return FALSE;
    }
  }
  if (api->resources->len == 0) {
    fail(error, "\"paths\" has no operation (get, put, post, delete, patch, head, options)");
    return FALSE;
  }
  return TRUE;
}

static void import_scopes(TgApi *api, JsonObject *doc) {
  JsonObject *schemes = member_object(member_object(doc, "components"), "securitySchemes");
  g_autoptr(GList) names = schemes ? json_object_get_members(schemes) : NULL;
  for (GList *l = names; l; l = l->next) {
    JsonObject *flows = member_object(member_object(schemes, l->data), "flows");
    g_autoptr(GList) fnames = flows ? json_object_get_members(flows) : NULL;
    for (GList *f = fnames; f; f = f->next) {
      JsonObject *flow = member_object(flows, f->data);
      JsonObject *scopes = member_object(flow, "scopes");
      JsonObject *bindings = member_object(flow, "x-scopes-bindings");
      g_autoptr(GList) snames = scopes ? json_object_get_members(scopes) : NULL;
      for (GList *s = snames; s; s = s->next) {
        TgApiScope *sc = g_object_new(TG_TYPE_API_SCOPE, NULL);
        set_str(&sc->name, &sc->__isset_name, s->data);
        set_str(&sc->description, &sc->__isset_description, member_string(scopes, s->data));
        const char *roles = member_string(bindings, s->data);
        g_auto(GStrv) parts = roles ? g_strsplit(roles, ",", 8) : NULL;
        for (guint i = 0; parts && parts[i]; i++)
          if (*g_strstrip(parts[i])) g_ptr_array_add(sc->roles, g_strdup(parts[i]));
        sc->__isset_roles = sc->roles->len > 0;
        g_ptr_array_add(api->scopes, sc);
        api->__isset_scopes = TRUE;
      }
    }
  }
}

static gboolean import_context(TgApi *api, JsonObject *doc, GError **error) {
  const char *ctx = member_string(doc, "x-tollgate-context");
  if (!ctx) ctx = member_string(doc, "x-wso2-basePath");
  g_autofree char *from_server = NULL;
  JsonArray *servers = member_array(doc, "servers");
  if (!ctx && servers && json_array_get_length(servers)) {
    JsonNode *s0 = json_array_get_element(servers, 0);
    const char *url =
        JSON_NODE_HOLDS_OBJECT(s0) ? member_string(json_node_get_object(s0), "url") : NULL;
    if (url) ctx = from_server = url_path(url);
  }
  if (!ctx || ctx[0] != '/' || !ctx[1]) {
    fail(error,
         "no context: set \"x-tollgate-context\": \"/name\" or a servers[0].url with a path");
    return FALSE;
  }
  g_autofree char *trimmed = g_strdup(ctx);
  /* a server URL often ends in the version (/pizza/1.0.0): the context is what precedes it */
  const char *version = api->version;
  gsize n = strlen(trimmed), vl = version ? strlen(version) : 0;
  if (from_server && vl && n > vl + 1 && trimmed[n - vl - 1] == '/' &&
      strcmp(trimmed + n - vl, version) == 0)
    trimmed[n - vl - 1] = '\0';
  set_str(&api->context, &api->__isset_context, trimmed);
  return TRUE;
}

static gboolean import_doc(TgApi *api, JsonObject *doc, GError **error) {
  const char *ver = member_string(doc, "openapi");
  if (!ver || strncmp(ver, "3.", 2) != 0) {
    fail(error, "not an OpenAPI 3 document: \"openapi\" must be \"3.x.y\"%s",
         member_string(doc, "swagger") ? " (Swagger 2.0 documents must be converted first)" : "");
    return FALSE;
  }
  JsonObject *info = member_object(doc, "info");
  const char *title = member_string(info, "title"), *version = member_string(info, "version");
  static const char *const texts[] = {"title", "version"};
  for (guint i = 0; info && i < G_N_ELEMENTS(texts); i++)
    if (json_object_has_member(info, texts[i]) && !member_string(info, texts[i])) {
      fail(error, "info.%s must be a text: quote it (%s: \"1.0\")", texts[i], texts[i]);
      return FALSE;
    }
  if (!title || !*title || !version || !*version) {
    fail(error,
         "info.title and info.version are required (they become the API's name and version)");
    return FALSE;
  }
  set_str(&api->name, &api->__isset_name, title);
  set_str(&api->version, &api->__isset_version, version);
  set_str(&api->description, &api->__isset_description, member_string(info, "description"));
  if (!import_context(api, doc, error)) return FALSE;
  const char *prod = member_string(doc, "x-tollgate-production-endpoint");
  const char *sand = member_string(doc, "x-tollgate-sandbox-endpoint");
  set_str(&api->productionEndpoint, &api->__isset_productionEndpoint,
          prod ? prod : first_url(doc, "x-wso2-production-endpoints"));
  set_str(&api->sandboxEndpoint, &api->__isset_sandboxEndpoint,
          sand ? sand : first_url(doc, "x-wso2-sandbox-endpoints"));
  set_str(&api->apiTier, &api->__isset_apiTier, member_string(doc, "x-throttling-tier"));
  JsonArray *subs = member_array(doc, "x-subscription-tiers");
  for (guint i = 0; subs && i < json_array_get_length(subs); i++) {
    const char *t = node_string(json_array_get_element(subs, i));
    if (t && *t) {
      g_ptr_array_add(api->subscriptionTiers, g_strdup(t));
      api->__isset_subscriptionTiers = TRUE;
    }
  }
  add_tags_of(api, member_array(doc, "tags"), TRUE);
  if (!import_paths(api, doc, error)) return FALSE;
  import_scopes(api, doc);
  return TRUE;
}

static gboolean has_suffix_ci(const char *s, const char *suffix) {
  gsize n = strlen(s), m = strlen(suffix);
  return n >= m && g_ascii_strcasecmp(s + n - m, suffix) == 0;
}

OpenapiFormat openapi_format_of(const char *content_type, const char *filename) {
  static const char *const yaml_types[] = {"application/yaml", "application/x-yaml", "text/yaml",
                                           "text/x-yaml", "application/openapi+yaml"};
  static const char *const json_types[] = {"application/json", "application/openapi+json"};
  if (content_type) {
    g_autofree char *mt = g_strstrip(g_strndup(content_type, strcspn(content_type, ";")));
    for (guint i = 0; i < G_N_ELEMENTS(yaml_types); i++)
      if (g_ascii_strcasecmp(mt, yaml_types[i]) == 0) return OPENAPI_FORMAT_YAML;
    for (guint i = 0; i < G_N_ELEMENTS(json_types); i++)
      if (g_ascii_strcasecmp(mt, json_types[i]) == 0) return OPENAPI_FORMAT_JSON;
  }
  if (filename && (has_suffix_ci(filename, ".yaml") || has_suffix_ci(filename, ".yml")))
    return OPENAPI_FORMAT_YAML;
  if (filename && has_suffix_ci(filename, ".json")) return OPENAPI_FORMAT_JSON;
  return OPENAPI_FORMAT_AUTO;
}

/* JSON when the first character after blanks (and a UTF-8 byte order mark) is '{'. */
static OpenapiFormat format_by_content(const char *doc, gsize len) {
  gsize i = len >= 3 && memcmp(doc, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  while (i < len && (doc[i] == ' ' || doc[i] == '\t' || doc[i] == '\r' || doc[i] == '\n')) i++;
  return i < len && doc[i] == '{' ? OPENAPI_FORMAT_JSON : OPENAPI_FORMAT_YAML;
}

/* The JSON document's tree (owned by parser), or NULL with error. */
static JsonNode *parse_json(JsonParser *parser, const char *doc, gsize len, GError **error) {
  if (tg_json_depth(doc, len, OPENAPI_MAX_DEPTH) > OPENAPI_MAX_DEPTH) {
    fail(error, "the document nests deeper than %d levels", OPENAPI_MAX_DEPTH);
    return NULL;
  }
  g_autoptr(GError) perr = NULL;
  if (!json_parser_load_from_data(parser, doc, (gssize)len, &perr)) {
    fail(error, "not valid JSON: %s", perr->message);
    return NULL;
  }
  return json_parser_get_root(parser);
}

TgApi *openapi_import_as(const char *doc, gsize len, OpenapiFormat format, GError **error) {
  if (len > OPENAPI_MAX_BYTES) {
    fail(error, "the document is %" G_GSIZE_FORMAT " bytes; at most %d are accepted", len,
         OPENAPI_MAX_BYTES);
    return NULL;
  }
  if (memchr(doc, '\0', len)) {
    fail(error, "the document contains a NUL byte");
    return NULL;
  }
  if (format == OPENAPI_FORMAT_AUTO) format = format_by_content(doc, len);
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  g_autoptr(JsonNode) yaml_root = NULL;
  JsonNode *root;
  if (format == OPENAPI_FORMAT_JSON) {
    root = parse_json(parser, doc, len, error);
  } else {
    const YamlLimits limits = {OPENAPI_MAX_DEPTH, OPENAPI_MAX_ALIAS_NODES};
    root = yaml_root = openapi_yaml_parse(doc, len, &limits, error);
  }
  if (!root) return NULL;
  if (!JSON_NODE_HOLDS_OBJECT(root)) {
    fail(error, "the document must be a JSON object (a YAML mapping) with openapi, info, paths");
    return NULL;
  }
  TgApi *api = g_object_new(TG_TYPE_API, NULL);
  if (!import_doc(api, json_node_get_object(root), error)) {
    g_object_unref(api);
    return NULL;
  }
  return api;
}

TgApi *openapi_import(const char *doc, gsize len, GError **error) {
  return openapi_import_as(doc, len, OPENAPI_FORMAT_AUTO, error);
}

/* ------------------------------------------------------------------ export */

static void put_str(JsonBuilder *b, const char *name, const char *v) {
  if (!v) return;
  json_builder_set_member_name(b, name);
  json_builder_add_string_value(b, v);
}

static const char *auth_to_extension(const char *auth) {
  if (!auth || !*auth || strcmp(auth, "Any") == 0) return "Application & Application User";
  if (strcmp(auth, "Application_User") == 0) return "Application User";
  return auth;
}

static void export_operation(JsonBuilder *b, const TgResource *r) {
  g_autofree char *verb = g_ascii_strdown(r->verb ? r->verb : "get", -1);
  json_builder_set_member_name(b, verb);
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "security");
  json_builder_begin_array(b);
  if (g_strcmp0(r->authType, "None") != 0) {
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "default");
    json_builder_begin_array(b);
    if (r->scope && *r->scope) json_builder_add_string_value(b, r->scope);
    json_builder_end_array(b);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  put_str(b, "x-auth-type", auth_to_extension(r->authType));
  put_str(b, "x-throttling-tier",
          r->throttlingTier && *r->throttlingTier ? r->throttlingTier : "Unlimited");
  if (r->scope && *r->scope) put_str(b, "x-scope", r->scope);
  json_builder_set_member_name(b, "responses");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "default");
  json_builder_begin_object(b);
  put_str(b, "description", "The backend's answer");
  json_builder_end_object(b);
  json_builder_end_object(b);
  json_builder_end_object(b);
}

/* paths: resources grouped by URI template, in the API's order. */
static void export_paths(JsonBuilder *b, const TgApi *api) {
  json_builder_set_member_name(b, "paths");
  json_builder_begin_object(b);
  g_autoptr(GHashTable) done = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; api->resources && i < api->resources->len; i++) {
    const TgResource *r = g_ptr_array_index(api->resources, i);
    const char *path = r->uriTemplate ? r->uriTemplate : "/*";
    if (g_hash_table_contains(done, path)) continue;
    g_hash_table_add(done, (gpointer)path);
    json_builder_set_member_name(b, path);
    json_builder_begin_object(b);
    for (guint j = i; j < api->resources->len; j++) {
      const TgResource *o = g_ptr_array_index(api->resources, j);
      if (g_strcmp0(o->uriTemplate ? o->uriTemplate : "/*", path) == 0) export_operation(b, o);
    }
    json_builder_end_object(b);
  }
  json_builder_end_object(b);
}

static void export_security(JsonBuilder *b, const TgApi *api, const OpenapiExportOptions *opts) {
  json_builder_set_member_name(b, "components");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "securitySchemes");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "default");
  json_builder_begin_object(b);
  put_str(b, "type", "oauth2");
  json_builder_set_member_name(b, "flows");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "clientCredentials");
  json_builder_begin_object(b);
  put_str(b, "tokenUrl", opts && opts->token_url ? opts->token_url : "/token");
  json_builder_set_member_name(b, "scopes");
  json_builder_begin_object(b);
  for (guint i = 0; api->scopes && i < api->scopes->len; i++) {
    const TgApiScope *s = g_ptr_array_index(api->scopes, i);
    if (s->name) put_str(b, s->name, s->description ? s->description : "");
  }
  json_builder_end_object(b);
  json_builder_set_member_name(b, "x-scopes-bindings");
  json_builder_begin_object(b);
  for (guint i = 0; api->scopes && i < api->scopes->len; i++) {
    const TgApiScope *s = g_ptr_array_index(api->scopes, i);
    if (!s->name || !s->roles || !s->roles->len) continue;
    g_autoptr(GString) roles = g_string_new(NULL);
    for (guint r = 0; r < s->roles->len; r++)
      g_string_append_printf(roles, "%s%s", r ? "," : "",
                             (const char *)g_ptr_array_index(s->roles, r));
    put_str(b, s->name, roles->str);
  }
  json_builder_end_object(b);
  json_builder_end_object(b);
  json_builder_end_object(b);
  json_builder_end_object(b);
  json_builder_end_object(b);
  json_builder_end_object(b);
}

static void export_strings(JsonBuilder *b, const char *name, GPtrArray *list,
                           gboolean as_tag_objects) {
  if (!list || !list->len) return;
  json_builder_set_member_name(b, name);
  json_builder_begin_array(b);
  for (guint i = 0; i < list->len; i++) {
    if (as_tag_objects) {
      json_builder_begin_object(b);
      put_str(b, "name", g_ptr_array_index(list, i));
      json_builder_end_object(b);
    } else {
      json_builder_add_string_value(b, g_ptr_array_index(list, i));
    }
  }
  json_builder_end_array(b);
}

/* The document as json-glib's tree (the caller unrefs it). */
static JsonNode *export_tree(const TgApi *api, const OpenapiExportOptions *opts) {
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  put_str(b, "openapi", "3.0.3");
  json_builder_set_member_name(b, "info");
  json_builder_begin_object(b);
  put_str(b, "title", api->name ? api->name : "");
  put_str(b, "version", api->version ? api->version : "");
  put_str(b, "description", api->description);
  json_builder_end_object(b);
  if (opts && opts->gateway_url) {
    g_autofree char *url =
        g_strdup_printf("%s%s/%s", opts->gateway_url, api->context ? api->context : "",
                        api->version ? api->version : "");
    json_builder_set_member_name(b, "servers");
    json_builder_begin_array(b);
    json_builder_begin_object(b);
    put_str(b, "url", url);
    json_builder_end_object(b);
    json_builder_end_array(b);
  }
  put_str(b, "x-tollgate-context", api->context);
  if (opts && opts->with_endpoints) {
    put_str(b, "x-tollgate-production-endpoint", api->productionEndpoint);
    put_str(b, "x-tollgate-sandbox-endpoint", api->sandboxEndpoint);
  }
  put_str(b, "x-throttling-tier", api->apiTier && *api->apiTier ? api->apiTier : NULL);
  export_strings(b, "x-subscription-tiers", api->subscriptionTiers, FALSE);
  export_strings(b, "tags", api->tags, TRUE);
  export_paths(b, api);
  export_security(b, api, opts);
  json_builder_end_object(b);
  return json_builder_get_root(b);
}

char *openapi_export(const TgApi *api, const OpenapiExportOptions *opts) {
  g_autoptr(JsonGenerator) gen = json_generator_new();
  g_autoptr(JsonNode) root = export_tree(api, opts);
  json_generator_set_root(gen, root);
  json_generator_set_pretty(gen, TRUE);
  json_generator_set_indent(gen, 2);
  return json_generator_to_data(gen, NULL);
}

char *openapi_export_yaml(const TgApi *api, const OpenapiExportOptions *opts) {
  g_autoptr(JsonNode) root = export_tree(api, opts);
  return openapi_yaml_emit(root);
}
