/*
 * publisher_apis: a publisher's APIs: the list, create from a form or from an
 * OpenAPI 3 document, the API's page (overview and edit form, with tabs for
 * documentation, subscriptions and usage), export, new version, default
 * version and the lifecycle (re-authentication before RETIRED). Each handler
 * serves the page (form posts) and the JSON API (/api/publisher/v1/...) alike;
 * the hub decides who may do what, the portal only refuses early.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "hub_conn.h"
#include "openapi.h"
#include "portal.h"
#include "publisher_form.h"
#include "publisher_json.h"
#include "publisher_pages.h"
#include "publisher_reply.h"
#include "render.h"
#include "tg_json.h"
#include "tg_lifecycle.h"

#define PUB_ROLES (ROLE_PUBLISHER | ROLE_ADMIN)
#define MAX_TAGS  16

static const char *const STATUS_LABEL[][2] = {
    {"CREATED", "Created"}, {"PUBLISHED", "Published"}, {"DEPRECATED", "Deprecated"},
    {"RETIRED", "Retired"}, {"BLOCKED", "Blocked"},
};

static const char *status_label(const char *s) {
  for (guint i = 0; i < G_N_ELEMENTS(STATUS_LABEL); i++)
    if (g_strcmp0(s, STATUS_LABEL[i][0]) == 0) return STATUS_LABEL[i][1];
  return s ? s : "";
}

static const char *action_label(const char *to) {
  static const char *const labels[][2] = {
      {"PUBLISHED", "Publish"}, {"DEPRECATED", "Deprecate"},    {"RETIRED", "Retire"},
      {"BLOCKED", "Block"},     {"CREATED", "Back to created"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(labels); i++)
    if (g_strcmp0(to, labels[i][0]) == 0) return labels[i][1];
  return to;
}

static char *api_href(const char *prefix, const TgApi *a) {
  g_autofree char *p = publisher_api_path(a->context, a->version);
  return g_strdup_printf("%s%s", prefix, p);
}

static TgApi *hub_get_api(PortalReq *r, const char *context, const char *version) {
  HubErr he = {0};
  TgApi *api = g_object_new(TG_TYPE_API, NULL);
  HUB_CALL(
      r->portal->hub, &he,
      tg_tollgate_if_get_api(HUB_IF, &api, req_hub_session(r), context, version, HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) {
    g_object_unref(api);
    return NULL;
  }
  return api;
}

/* The API named by the route's remainder, or NULL after answering. */
static TgApi *api_of_path(PortalReq *r) {
  g_autofree char *ctx = NULL, *ver = NULL;
  if (!pub_api_from_path(r, &ctx, &ver)) return NULL;
  return hub_get_api(r, ctx, ver);
}

/* ------------------------------------------------------------ reading a form */

static void set_list_from_json(PortalReq *r, const char *name, GPtrArray *out, gboolean lower,
                               guint max) {
  JsonArray *arr = r->json && json_object_has_member(r->json, name)
                       ? json_object_get_array_member(r->json, name)
                       : NULL;
  for (guint i = 0; arr && i < json_array_get_length(arr) && out->len < max; i++) {
    const char *s = json_node_get_string(json_array_get_element(arr, i));
    if (s && *s) g_ptr_array_add(out, lower ? g_utf8_strdown(s, -1) : g_strdup(s));
  }
}

/* A list field: a JSON array, or a comma separated text; FALSE when absent. */
static gboolean read_list(PortalReq *r, const char *name, GPtrArray *out, gboolean lower,
                          guint max) {
  g_ptr_array_set_size(out, 0);
  if (r->json && json_object_has_member(r->json, name) &&
      JSON_NODE_HOLDS_ARRAY(json_object_get_member(r->json, name))) {
    set_list_from_json(r, name, out, lower, max);
    return TRUE;
  }
  const char *text = req_arg(r, name);
  if (!text) return FALSE;
  publisher_parse_list(text, out, lower, max);
  return TRUE;
}

static gboolean read_resources_json(JsonArray *arr, GPtrArray *out, GError **error) {
  g_autoptr(GString) lines = g_string_new(NULL);
  for (guint i = 0; i < json_array_get_length(arr); i++) {
    JsonNode *n = json_array_get_element(arr, i);
    JsonObject *o = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
    const char *verb =
        o && json_object_has_member(o, "verb") ? json_object_get_string_member(o, "verb") : NULL;
    const char *tpl = o && json_object_has_member(o, "uriTemplate")
                          ? json_object_get_string_member(o, "uriTemplate")
                          : NULL;
    const char *auth = o && json_object_has_member(o, "authType")
                           ? json_object_get_string_member(o, "authType")
                           : NULL;
    const char *tier = o && json_object_has_member(o, "throttlingTier")
                           ? json_object_get_string_member(o, "throttlingTier")
                           : NULL;
    const char *scope =
        o && json_object_has_member(o, "scope") ? json_object_get_string_member(o, "scope") : NULL;
    if (!verb || !tpl || strpbrk(tpl, " \t\n") || (scope && strpbrk(scope, " \t\n"))) {
      g_set_error(error, PUBLISHER_FORM_ERROR, 1,
                  "resources[%u] needs a verb and a uriTemplate without spaces", i);
      return FALSE;
    }
    g_string_append_printf(lines, "%s %s %s %s %s\n", verb, tpl, auth && *auth ? auth : "Any",
                           tier && *tier ? tier : "Unlimited", scope ? scope : "");
  }
  return publisher_parse_resources(lines->str, out, error);
}

static void set_field(PortalReq *r, const char *name, char **field, gboolean *isset) {
  const char *v = req_arg(r, name);
  if (!v) return;
  g_free(*field);
  *field = g_strstrip(g_strdup(v));
  *isset = TRUE;
}

/* Overrides api's fields with those present in the request (form or JSON). */
static gboolean api_from_request(PortalReq *r, TgApi *api, GError **error) {
  set_field(r, "name", &api->name, &api->__isset_name);
  set_field(r, "version", &api->version, &api->__isset_version);
  set_field(r, "description", &api->description, &api->__isset_description);
  set_field(r, "productionEndpoint", &api->productionEndpoint, &api->__isset_productionEndpoint);
  set_field(r, "sandboxEndpoint", &api->sandboxEndpoint, &api->__isset_sandboxEndpoint);
  set_field(r, "apiTier", &api->apiTier, &api->__isset_apiTier);
  const char *ctx = req_arg(r, "context");
  if (ctx && *ctx) {
    g_free(api->context);
    api->context = ctx[0] == '/' ? g_strdup(ctx) : g_strconcat("/", ctx, NULL);
    api->__isset_context = TRUE;
  }
  if (read_list(r, "tags", api->tags, TRUE, MAX_TAGS)) api->__isset_tags = TRUE;
  if (read_list(r, "subscriptionTiers", api->subscriptionTiers, FALSE, 32))
    api->__isset_subscriptionTiers = TRUE;
  JsonNode *res = r->json ? json_object_get_member(r->json, "resources") : NULL;
  if (res && JSON_NODE_HOLDS_ARRAY(res)) {
    g_ptr_array_set_size(api->resources, 0);
    if (!read_resources_json(json_node_get_array(res), api->resources, error)) return FALSE;
    api->__isset_resources = TRUE;
  } else if (req_arg(r, "resources")) {
    g_ptr_array_set_size(api->resources, 0);
    if (!publisher_parse_resources(req_arg(r, "resources"), api->resources, error)) return FALSE;
    api->__isset_resources = TRUE;
  }
  return TRUE;
}

/* ------------------------------------------------------------------- list */

static void list_html(PortalReq *r, GPtrArray *apis) {
  GString *out = g_string_new(NULL);
  page_begin(r, out, "Publisher");
  g_string_append(
      out,
      "<div class=\"actions\"><h1>Your APIs</h1></div>"
      "<p class=\"lead\">Create, document and publish APIs; watch who subscribes and how they are "
      "used.</p>"
      "<div class=\"actions\"><a class=\"button\" href=\"/publisher/new\">Create an API</a>"
      "<a class=\"button secondary\" href=\"/publisher/new#import\">Import OpenAPI</a></div>");
  if (!apis->len) {
    g_string_append(
        out,
        "<div class=\"card\"><p>No APIs yet. Create one from a form, or import an OpenAPI 3 "
        "document.</p></div>");
  } else {
    g_string_append(
        out,
        "<div class=\"table-wrap\"><table><caption class=\"visually-hidden\">Your APIs</caption>"
        "<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Context</th><th "
        "scope=\"col\">Version</th>"
        "<th scope=\"col\">Status</th><th scope=\"col\">Provider</th></tr></thead><tbody>");
    for (guint i = 0; i < apis->len; i++) {
      TgApi *a = g_ptr_array_index(apis, i);
      g_autofree char *href = api_href("/publisher/apis/", a);
      html_fmt(
          out,
          "<tr><th scope=\"row\"><a href=\"%s\">%s</a>%R</th><td><code>%s</code></td><td>%s</td>"
          "<td><span class=\"badge\">%s</span></td><td>%s</td></tr>",
          href, a->name, a->isDefaultVersion ? " <span class=\"badge\">default</span>" : "",
          a->context, a->version, status_label(a->status), a->provider);
    }
    g_string_append(out, "</tbody></table></div>");
  }
  page_end(r, out);
  reply_html(r, 200, out);
}

static void pub_list(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(GPtrArray) apis = g_ptr_array_new_with_free_func(g_object_unref);
  GPtrArray *got = apis;
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_list_apis(HUB_IF, &got, req_hub_session(r), HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) return;
  if (req_wants_json(r)) {
    GString *out = g_string_new("{\"apis\":");
    pj_list(out, apis, (PjWriter)pj_api);
    g_string_append_c(out, '}');
    reply_json(r, 200, out);
    return;
  }
  list_html(r, apis);
}

/* ------------------------------------------------------------ create/import */

static void api_form_fields(GString *out, const TgApi *a, gboolean is_new) {
  g_autofree char *tags = publisher_join_list(a ? a->tags : NULL);
  g_autofree char *tiers = publisher_join_list(a ? a->subscriptionTiers : NULL);
  g_autofree char *res = publisher_format_resources(a ? a->resources : NULL);
  field_text(out, "name", "Name", a ? a->name : NULL,
             "required maxlength=\"100\" autocomplete=\"off\"");
  if (is_new) {
    field_text(out, "context", "Context", a ? a->context : NULL,
               "required maxlength=\"100\" placeholder=\"/pizza\" aria-describedby=\"h-context\"");
    g_string_append(out,
                    "<p class=\"hint\" id=\"h-context\">The first part of the API's address on the "
                    "gateway.</p>");
    field_text(out, "version", "Version", a ? a->version : NULL,
               "required maxlength=\"30\" placeholder=\"1.0.0\"");
  }
  html_fmt(out,
           "<div class=\"field\"><label for=\"f-description\">Description</label>"
           "<textarea id=\"f-description\" name=\"description\" rows=\"3\">%s</textarea></div>",
           a && a->description ? a->description : "");
  field_text(out, "tags", "Tags", tags,
             "aria-describedby=\"h-tags\" placeholder=\"food, delivery\"");
  g_string_append(out,
                  "<p class=\"hint\" id=\"h-tags\">Comma separated; the store searches them with "
                  "tag:NAME.</p>");
  field_input(out, "url", "productionEndpoint", "Production endpoint",
              a ? a->productionEndpoint : NULL, "placeholder=\"https://backend.example/pizza\"");
  field_input(out, "url", "sandboxEndpoint", "Sandbox endpoint", a ? a->sandboxEndpoint : NULL,
              NULL);
  html_fmt(
      out,
      "<div class=\"field\"><label for=\"f-resources\">Resources</label>"
      "<textarea id=\"f-resources\" name=\"resources\" rows=\"6\" spellcheck=\"false\" "
      "aria-describedby=\"h-resources\">%s</textarea>"
      "<p class=\"hint\" id=\"h-resources\">One a line: VERB /template [auth type] [tier] [scope], "
      "e.g. <code>GET /menu/{id} Any Unlimited read:menu</code>. Auth types: Any, Application, "
      "Application_User, None.</p></div>",
      res && *res ? res : (is_new ? "GET /*\n" : ""));
  field_text(out, "subscriptionTiers", "Subscription tiers", tiers,
             "aria-describedby=\"h-tiers\" placeholder=\"Gold, Silver, Bronze\"");
  g_string_append(out,
                  "<p class=\"hint\" id=\"h-tiers\">The tiers subscribers may pick; empty offers "
                  "every tier.</p>");
  field_text(out, "apiTier", "API throttling tier", a ? a->apiTier : NULL,
             "placeholder=\"Unlimited\"");
}

static void new_page(PortalReq *r, const char *error, const TgApi *prefill, const char *doc) {
  GString *out = g_string_new(NULL);
  page_begin(r, out, "Create an API");
  g_string_append(
      out, "<p class=\"meta\"><a href=\"/publisher\">Your APIs</a></p><h1>Create an API</h1>");
  if (error) html_fmt(out, "<p class=\"notice error\" role=\"alert\">%s</p>", error);
  g_string_append(out,
                  "<div class=\"cols\"><section class=\"card\" aria-labelledby=\"h-form\">"
                  "<h2 id=\"h-form\">From a form</h2>");
  form_begin(r, out, "/publisher/apis", "stack");
  api_form_fields(out, prefill, TRUE);
  form_submit(out, "Create API");
  form_end(out);
  g_string_append(out,
                  "</section><section class=\"card\" id=\"import\" aria-labelledby=\"h-import\">"
                  "<h2 id=\"h-import\">Import OpenAPI 3</h2>"
                  "<p class=\"hint\">Upload a file or paste a document, JSON or YAML. The "
                  "context comes from <code>x-tollgate-context</code> or the path of "
                  "<code>servers[0].url</code>; resources from its paths and operations.</p>");
  /* multipart, so the file input works without JavaScript; the token is a field of it */
  html_fmt(out,
           "<form method=\"post\" action=\"/publisher/import\" class=\"stack\" "
           "enctype=\"multipart/form-data\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
           "<div class=\"field\"><label for=\"f-file\">OpenAPI file (.json, .yaml)</label>"
           "<input type=\"file\" id=\"f-file\" name=\"file\" "
           "accept=\".json,.yaml,.yml,application/json,application/yaml\"></div>",
           req_csrf_token(r));
  html_fmt(out,
           "<div class=\"field\"><label for=\"f-document\">or paste it (JSON or YAML)</label>"
           "<textarea id=\"f-document\" name=\"document\" rows=\"14\" spellcheck=\"false\">%s"
           "</textarea></div>",
           doc ? doc : "");
  form_submit(out, "Import");
  form_end(out);
  g_string_append(out, "</section></div>");
  page_end(r, out);
  reply_html(r, error ? 400 : 200, out);
}

static void pub_new(PortalReq *r) { new_page(r, NULL, NULL, NULL); }

/* Creates api on the hub and answers (the new API's page, or its JSON). */
static void create_and_answer(PortalReq *r, TgApi *api, const char *doc) {
  HubErr he = {0};
  TgApi *created = g_object_new(TG_TYPE_API, NULL);
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_create_api(HUB_IF, &created, req_hub_session(r), api, HUB_EXC, HUB_ERR));
  if (he.code) {
    g_object_unref(created);
    if (req_wants_json(r) || he.code == 401 || he.code >= 500) {
      pub_hub_failed(r, &he);
      return;
    }
    new_page(r, he.message, api, doc);
    hub_err_clear(&he);
    return;
  }
  GString *json = g_string_new(NULL);
  pj_api(json, created);
  g_autofree char *href = api_href("/publisher/apis/", created);
  g_autofree char *flash = g_strdup_printf("Created %s %s. Publish it when it is ready.",
                                           created->name, created->version);
  g_object_unref(created);
  pub_done(r, flash, href, json);
}

static void pub_create(PortalReq *r) {
  TgApi *api = g_object_new(TG_TYPE_API, NULL);
  g_autoptr(GError) error = NULL;
  if (!api_from_request(r, api, &error)) {
    if (req_wants_json(r))
      reply_error(r, 400, error->message);
    else
      new_page(r, error->message, api, NULL);
  } else {
    create_and_answer(r, api, NULL);
  }
  g_object_unref(api);
}

/* Where an imported document comes from, first found: the uploaded file
   (multipart part "file" or "document" with a file name), the form field
   "document", or the body itself (JSON or YAML, by Content-Type and content). */
typedef struct ImportSource {
  const char *text;
  gsize len;
  OpenapiFormat format;
} ImportSource;

static const MultipartPart *uploaded_file(PortalReq *r) {
  static const char *const names[] = {"file", "document"};
  for (guint i = 0; r->multipart && i < G_N_ELEMENTS(names); i++) {
    const MultipartPart *p = multipart_get(r->multipart, names[i]);
    if (p && p->filename && p->len) return p; /* an empty file input sends filename="" */
  }
  return NULL;
}

static gboolean import_source(PortalReq *r, ImportSource *src) {
  const MultipartPart *file = uploaded_file(r);
  const char *field = tg_form_get(r->form, "document");
  if (file) {
    src->text = file->data;
    src->len = file->len;
    src->format = openapi_format_of(file->content_type, file->filename);
  } else if (field && *field) {
    src->text = field;
    src->len = strlen(field);
  } else if (r->body && !r->multipart && tg_form_count(r->form) == 0) {
    src->text = r->body;
    src->len = r->body_len;
    src->format = openapi_format_of(req_header(r, "Content-Type"), NULL);
  }
  return src->text && src->len;
}

static void pub_import(PortalReq *r) {
  ImportSource src = {0};
  if (!import_source(r, &src)) {
    if (req_wants_json(r))
      reply_error(r, 400,
                  "send the OpenAPI 3 document (JSON or YAML) as the body, in the form field "
                  "\"document\", or as the file \"file\" of a multipart/form-data body");
    else
      new_page(r, "Choose a file or paste a document to import.", NULL, NULL);
    return;
  }
  g_autoptr(GError) error = NULL;
  TgApi *api = openapi_import_as(src.text, src.len, src.format, &error);
  /* the page shows a pasted document again; an uploaded file is chosen again */
  const char *again = src.text == tg_form_get(r->form, "document") ? src.text : NULL;
  if (!api) {
    if (req_wants_json(r))
      reply_error(r, 400, error->message);
    else
      new_page(r, error->message, NULL, again);
    return;
  }
  create_and_answer(r, api, again);
  g_object_unref(api);
}

/* ------------------------------------------------------------- an API's page */

static void api_header(PortalReq *r, GString *out, const TgApi *a, const char *tab) {
  g_autofree char *base = api_href("/publisher/apis/", a);
  html_fmt(out,
           "<p class=\"meta\"><a href=\"/publisher\">Your APIs</a></p>"
           "<h1>%s <span class=\"badge\">%s</span>%R</h1>"
           "<p class=\"lead\"><code>%s</code> · version %s · by %s</p>",
           a->name, status_label(a->status),
           a->isDefaultVersion ? " <span class=\"badge\">default version</span>" : "", a->context,
           a->version, a->provider);
  static const char *const tabs[][2] = {
      {"overview", "Overview"},
      {"docs", "Documentation"},
      {"subscriptions", "Subscriptions"},
      {"usage", "Usage"},
  };
  g_string_append(out, "<nav class=\"tabs\" aria-label=\"API sections\">");
  for (guint i = 0; i < G_N_ELEMENTS(tabs); i++)
    html_fmt(out, "<a href=\"%s?tab=%s\"%R>%s</a>", base, tabs[i][0],
             strcmp(tab, tabs[i][0]) == 0 ? " aria-current=\"true\"" : "", tabs[i][1]);
  g_string_append(out, "</nav>");
}

static void lifecycle_card(PortalReq *r, GString *out, const TgApi *a) {
  g_autofree char *path = publisher_api_path(a->context, a->version);
  g_autofree char *action = g_strdup_printf("/publisher/lifecycle/%s", path);
  g_string_append(
      out, "<section class=\"card\" aria-labelledby=\"h-life\"><h2 id=\"h-life\">Lifecycle</h2>");
  html_fmt(out, "<p>Status: <strong>%s</strong>. Gateways follow a change within two seconds.</p>",
           status_label(a->status));
  const char *const *next = tg_lifecycle_next(a->status);
  if (!next[0]) g_string_append(out, "<p class=\"hint\">A retired API stays retired.</p>");
  g_string_append(out, "<div class=\"actions\">");
  for (; *next; next++) {
    if (tg_lifecycle_needs_reauth(*next)) continue;
    form_button(r, out, action, action_label(*next),
                strcmp(*next, "BLOCKED") == 0 ? "danger small" : "small", "status", *next);
  }
  g_string_append(out, "</div>");
  if (tg_lifecycle_allowed(a->status, "RETIRED")) {
    form_begin(r, out, action, "stack");
    g_string_append(out, "<input type=\"hidden\" name=\"status\" value=\"RETIRED\">");
    field_input(out, "password", "password", "Your password, to retire this API", NULL,
                "required autocomplete=\"current-password\"");
    g_string_append(out,
                    "<div><button type=\"submit\" class=\"danger small\">Retire</button></div>");
    form_end(out);
  }
  g_string_append(out, "</section>");
}

static void versions_card(PortalReq *r, GString *out, const TgApi *a) {
  g_autofree char *path = publisher_api_path(a->context, a->version);
  g_autofree char *vaction = g_strdup_printf("/publisher/version/%s", path);
  g_autofree char *daction = g_strdup_printf("/publisher/default/%s", path);
  g_autofree char *export = g_strdup_printf("/publisher/export/%s", path);
  g_string_append(
      out, "<section class=\"card\" aria-labelledby=\"h-ver\"><h2 id=\"h-ver\">Versions</h2>");
  form_begin(r, out, vaction, "stack");
  field_text(out, "newVersion", "New version", NULL,
             "required maxlength=\"30\" placeholder=\"2.0.0\"");
  form_submit(out, "Create new version");
  form_end(out);
  g_string_append(out, "<div class=\"actions\">");
  if (!a->isDefaultVersion)
    form_button(r, out, daction, "Make this the default version", "secondary small", NULL, NULL);
  html_fmt(out,
           "<a class=\"button secondary small\" href=\"%s\" download>Export OpenAPI</a>"
           "<a class=\"button secondary small\" href=\"%s?format=yaml\" download>Export as "
           "YAML</a></div></section>",
           export, export);
}

static void overview(PortalReq *r, GString *out, const TgApi *a) {
  g_autofree char *path = publisher_api_path(a->context, a->version);
  g_autofree char *action = g_strdup_printf("/publisher/update/%s", path);
  g_string_append(out,
                  "<div class=\"cols\"><section class=\"card\" aria-labelledby=\"h-edit\">"
                  "<h2 id=\"h-edit\">Edit</h2>");
  form_begin(r, out, action, "stack");
  api_form_fields(out, a, FALSE);
  form_submit(out, "Save changes");
  form_end(out);
  g_string_append(out, "</section><div>");
  lifecycle_card(r, out, a);
  versions_card(r, out, a);
  g_string_append(out, "</div></div>");
}

static void pub_api(PortalReq *r) {
  TgApi *a = api_of_path(r);
  if (!a) return;
  if (req_wants_json(r)) {
    GString *json = g_string_new(NULL);
    pj_api(json, a);
    g_object_unref(a);
    reply_json(r, 200, json);
    return;
  }
  const char *tab = req_arg(r, "tab");
  if (!tab || !g_strv_contains(
                  (const char *const[]){"overview", "docs", "subscriptions", "usage", NULL}, tab))
    tab = "overview";
  GString *out = g_string_new(NULL);
  g_autofree char *title =
      g_strdup_printf("%s %s", a->name ? a->name : "", a->version ? a->version : "");
  page_begin(r, out, title);
  api_header(r, out, a, tab);
  if (strcmp(tab, "docs") == 0)
    publisher_docs_section(r, out, a);
  else if (strcmp(tab, "subscriptions") == 0)
    publisher_subs_section(r, out, a);
  else if (strcmp(tab, "usage") == 0)
    publisher_usage_section(r, out, a);
  else
    overview(r, out, a);
  g_object_unref(a);
  page_end(r, out);
  reply_html(r, 200, out);
}

/* ---------------------------------------------------------------- changes */

static void answer_api(PortalReq *r, TgApi *api, const char *flash) {
  GString *json = g_string_new(NULL);
  pj_api(json, api);
  g_autofree char *href = api_href("/publisher/apis/", api);
  pub_done(r, flash, href, json);
}

static void pub_update(PortalReq *r) {
  TgApi *api = api_of_path(r);
  if (!api) return;
  g_autofree char *ctx = g_strdup(api->context), *ver = g_strdup(api->version);
  g_autoptr(GError) error = NULL;
  if (!api_from_request(r, api, &error)) {
    g_object_unref(api);
    reply_error(r, 400, error->message);
    return;
  }
  /* the identity is the address's: a form cannot move an API */
  g_free(api->context);
  api->context = g_steal_pointer(&ctx);
  g_free(api->version);
  api->version = g_steal_pointer(&ver);
  HubErr he = {0};
  TgApi *updated = g_object_new(TG_TYPE_API, NULL);
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_update_api(HUB_IF, &updated, req_hub_session(r), api, HUB_EXC, HUB_ERR));
  g_object_unref(api);
  if (pub_hub_failed(r, &he)) {
    g_object_unref(updated);
    return;
  }
  answer_api(r, updated, "Saved.");
  g_object_unref(updated);
}

/* RETIRED asks for the password again (verifyPassword on the hub). */
static gboolean reauthenticated(PortalReq *r) {
  const char *pw = req_arg(r, "password");
  if (!pw || !*pw) {
    reply_error(r, 401, "retiring an API needs your password again (field \"password\")");
    return FALSE;
  }
  HubErr he = {0};
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_verify_password(HUB_IF, req_hub_session(r), pw, HUB_EXC, HUB_ERR));
  if (he.code == 401 || he.code == 403) {
    hub_err_clear(&he);
    reply_error(r, 401, "that password is not right; the API was not retired");
    return FALSE;
  }
  return !pub_hub_failed(r, &he);
}

static void pub_lifecycle(PortalReq *r) {
  g_autofree char *ctx = NULL, *ver = NULL;
  if (!pub_api_from_path(r, &ctx, &ver)) return;
  const char *status = pub_required(r, "status", "status");
  if (!status) return;
  g_autofree char *up = g_ascii_strup(status, -1);
  if (tg_lifecycle_needs_reauth(up) && !reauthenticated(r)) return;
  HubErr he = {0};
  TgApi *api = g_object_new(TG_TYPE_API, NULL);
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_set_api_lifecycle(HUB_IF, &api, req_hub_session(r), ctx, ver, up, HUB_EXC,
                                            HUB_ERR));
  if (pub_hub_failed(r, &he)) {
    g_object_unref(api);
    return;
  }
  g_autofree char *flash = g_strdup_printf("%s is now %s.", api->name, status_label(api->status));
  answer_api(r, api, flash);
  g_object_unref(api);
}

static void pub_new_version(PortalReq *r) {
  g_autofree char *ctx = NULL, *ver = NULL;
  if (!pub_api_from_path(r, &ctx, &ver)) return;
  const char *nv = pub_required(r, "newVersion", "newVersion");
  if (!nv) return;
  HubErr he = {0};
  TgApi *api = g_object_new(TG_TYPE_API, NULL);
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_create_new_version(HUB_IF, &api, req_hub_session(r), ctx, ver, nv,
                                             HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) {
    g_object_unref(api);
    return;
  }
  g_autofree char *flash =
      g_strdup_printf("Created version %s (status %s).", api->version, status_label(api->status));
  answer_api(r, api, flash);
  g_object_unref(api);
}

static void pub_default(PortalReq *r) {
  TgApi *api = api_of_path(r);
  if (!api) return;
  api->isDefaultVersion = TRUE;
  api->__isset_isDefaultVersion = TRUE;
  HubErr he = {0};
  TgApi *updated = g_object_new(TG_TYPE_API, NULL);
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_update_api(HUB_IF, &updated, req_hub_session(r), api, HUB_EXC, HUB_ERR));
  g_object_unref(api);
  if (pub_hub_failed(r, &he)) {
    g_object_unref(updated);
    return;
  }
  answer_api(r, updated, "This is now the default version.");
  g_object_unref(updated);
}

/* The API as OpenAPI 3: JSON, or YAML with ?format=yaml. */
static void pub_export(PortalReq *r) {
  TgApi *api = api_of_path(r);
  if (!api) return;
  gboolean yaml = g_strcmp0(tg_form_get(r->query, "format"), "yaml") == 0;
  OpenapiExportOptions opts = {NULL, NULL, TRUE};
  g_autofree char *doc = yaml ? openapi_export_yaml(api, &opts) : openapi_export(api, &opts);
  g_autofree char *fname =
      g_strdup_printf("attachment; filename=\"%s-%s.openapi.%s\"",
                      api->context && api->context[0] == '/' ? api->context + 1 : "api",
                      api->version ? api->version : "", yaml ? "yaml" : "json");
  g_object_unref(api);
  for (char *p = fname + 22; *p && p[1]; p++) /* after 'filename="': a safe file name */
    if (!g_ascii_isalnum(*p) && *p != '.' && *p != '-' && *p != '_' && *p != '"') *p = '_';
  reply_header(r, "Content-Disposition", fname);
  reply_body(r, 200, yaml ? "application/yaml; charset=utf-8" : "application/json", doc,
             strlen(doc));
}

static const Route routes[] = {
    {"GET", "/publisher", pub_list, PUB_ROLES, 0},
    {"GET", "/publisher/new", pub_new, PUB_ROLES, 0},
    {"POST", "/publisher/apis", pub_create, PUB_ROLES, 0},
    {"POST", "/publisher/import", pub_import, PUB_ROLES, ROUTE_UPLOAD},
    {"GET", "/publisher/apis/*", pub_api, PUB_ROLES, 0},
    {"POST", "/publisher/update/*", pub_update, PUB_ROLES, 0},
    {"POST", "/publisher/lifecycle/*", pub_lifecycle, PUB_ROLES, 0},
    {"POST", "/publisher/version/*", pub_new_version, PUB_ROLES, 0},
    {"POST", "/publisher/default/*", pub_default, PUB_ROLES, 0},
    {"GET", "/publisher/export/*", pub_export, PUB_ROLES, 0},
    {"GET", "/api/publisher/v1/apis", pub_list, PUB_ROLES, ROUTE_API},
    {"POST", "/api/publisher/v1/apis", pub_create, PUB_ROLES, ROUTE_API},
    {"POST", "/api/publisher/v1/import", pub_import, PUB_ROLES, ROUTE_API | ROUTE_UPLOAD},
    {"GET", "/api/publisher/v1/apis/*", pub_api, PUB_ROLES, ROUTE_API},
    {"PUT", "/api/publisher/v1/apis/*", pub_update, PUB_ROLES, ROUTE_API},
    {"POST", "/api/publisher/v1/lifecycle/*", pub_lifecycle, PUB_ROLES, ROUTE_API},
    {"POST", "/api/publisher/v1/versions/*", pub_new_version, PUB_ROLES, ROUTE_API},
    {"POST", "/api/publisher/v1/default/*", pub_default, PUB_ROLES, ROUTE_API},
    {"GET", "/api/publisher/v1/openapi/*", pub_export, PUB_ROLES, ROUTE_API},
};
const RouteTable publisher_apis_table = {routes, G_N_ELEMENTS(routes)};
