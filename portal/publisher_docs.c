/*
 * publisher_docs: an API's documentation on its publisher page and in the
 * JSON API: Markdown written inline (rendered by markdown.c, raw HTML off) or
 * a link to an http(s) page; kept in regdb by the hub. Trade-off: the page
 * renders each document on every view instead of caching HTML: documents
 * are small and the hub keeps only the source, so nothing can go stale.
 */
#include <string.h>

#include "hub_conn.h"
#include "markdown.h"
#include "portal.h"
#include "publisher_form.h"
#include "publisher_json.h"
#include "publisher_pages.h"
#include "publisher_reply.h"
#include "render.h"

#define PUB_ROLES (ROLE_PUBLISHER | ROLE_ADMIN)

static const char *const DOC_TYPES[] = {
    "HOWTO", "SAMPLES", "PUBLIC_FORUM", "SUPPORT_FORUM", "API_MESSAGE_FORMAT", "OTHER", NULL};

static GPtrArray *hub_docs(PortalReq *r, const char *ctx, const char *ver, HubErr *he) {
  GPtrArray *docs = g_ptr_array_new_with_free_func(g_object_unref);
  HUB_CALL(
      r->portal->hub, he,
      tg_tollgate_if_list_documents(HUB_IF, &docs, req_hub_session(r), ctx, ver, HUB_EXC, HUB_ERR));
  return docs;
}

/* One document as the pages show it: rendered Markdown, or a link. */
static void doc_body(GString *out, const TgDocument *d) {
  if (g_strcmp0(d->sourceType, "URL") == 0) {
    if (markdown_url_allowed(d->sourceUrl))
      html_fmt(out, "<p><a href=\"%s\" rel=\"noopener noreferrer\">%s</a></p>", d->sourceUrl,
               d->sourceUrl);
    else
      html_fmt(out, "<p>%s</p>", d->sourceUrl);
    return;
  }
  const char *md = d->content ? d->content : "";
  g_autofree char *html = markdown_to_html(md, strlen(md), NULL);
  g_string_append(out, "<div class=\"doc\">");
  g_string_append(out, html ? html : "<p>(too long to show)</p>"); /* safe: markdown.c's output */
  g_string_append(out, "</div>");
}

void publisher_docs_section(PortalReq *r, GString *out, const TgApi *api) {
  HubErr he = {0};
  g_autoptr(GPtrArray) docs = hub_docs(r, api->context, api->version, &he);
  g_autofree char *path = publisher_api_path(api->context, api->version);
  g_autofree char *add = g_strdup_printf("/publisher/docs/%s", path);
  g_autofree char *del = g_strdup_printf("/publisher/docs-delete/%s", path);
  g_string_append(
      out,
      "<div class=\"cols\"><section aria-labelledby=\"h-docs\"><h2 id=\"h-docs\">Documents</h2>");
  if (he.code) {
    html_fmt(out, "<p class=\"notice error\" role=\"alert\">%s</p>", he.message);
    hub_err_clear(&he);
  } else if (!docs->len) {
    g_string_append(out,
                    "<div class=\"card\"><p>No documentation yet. Subscribers find an API with a "
                    "how-to far easier to use.</p></div>");
  }
  for (guint i = 0; i < docs->len; i++) {
    const TgDocument *d = g_ptr_array_index(docs, i);
    g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, d->id);
    html_fmt(out, "<article class=\"card\"><h3>%s <span class=\"badge\">%s</span></h3>", d->name,
             d->type);
    if (d->summary && *d->summary) html_fmt(out, "<p class=\"meta\">%s</p>", d->summary);
    doc_body(out, d);
    form_button(r, out, del, "Delete", "danger small", "id", id);
    g_string_append(out, "</article>");
  }
  g_string_append(out,
                  "</section><section class=\"card\" aria-labelledby=\"h-adddoc\">"
                  "<h2 id=\"h-adddoc\">Add a document</h2>");
  form_begin(r, out, add, "stack");
  field_text(out, "name", "Title", NULL, "required maxlength=\"100\"");
  field_select(out, "type", "Type", DOC_TYPES, "HOWTO");
  field_text(out, "summary", "Summary", NULL, "maxlength=\"200\"");
  g_string_append(
      out,
      "<div class=\"field\"><label for=\"f-content\">Markdown</label>"
      "<textarea id=\"f-content\" name=\"content\" rows=\"8\" aria-describedby=\"h-md\"></textarea>"
      "<p class=\"hint\" id=\"h-md\">CommonMark. HTML is not rendered; links and images "
      "must be http(s).</p></div>");
  field_input(out, "url", "sourceUrl", "Or a link to the documentation", NULL,
              "placeholder=\"https://\"");
  form_submit(out, "Add document");
  form_end(out);
  g_string_append(out, "</section></div>");
}

static void docs_list(PortalReq *r) {
  g_autofree char *ctx = NULL, *ver = NULL;
  if (!pub_api_from_path(r, &ctx, &ver)) return;
  HubErr he = {0};
  g_autoptr(GPtrArray) docs = hub_docs(r, ctx, ver, &he);
  if (pub_hub_failed(r, &he)) return;
  GString *out = g_string_new("{\"documents\":");
  pj_list(out, docs, (PjWriter)pj_document);
  g_string_append_c(out, '}');
  reply_json(r, 200, out);
}

static char *back_to_docs(PortalReq *r) {
  return g_strdup_printf("/publisher/apis/%s?tab=docs", r->rest);
}

static void docs_add(PortalReq *r) {
  g_autofree char *ctx = NULL, *ver = NULL;
  if (!pub_api_from_path(r, &ctx, &ver)) return;
  const char *name = pub_required(r, "name", "A title");
  if (!name) return;
  const char *content = req_arg(r, "content"), *url = req_arg(r, "sourceUrl");
  gboolean is_url = url && *url && !(content && *content);
  if (is_url && !markdown_url_allowed(url)) {
    reply_error(r, 400, "the documentation link must be an http:// or https:// address");
    return;
  }
  if (!is_url && !(content && *content)) {
    reply_error(r, 400, "write the document in Markdown, or give a link to it");
    return;
  }
  if (!is_url && strlen(content) > MARKDOWN_MAX_BYTES) {
    reply_error(r, 400, "the document is too long (at most 256 KB)");
    return;
  }
  const char *type = req_arg(r, "type");
  TgDocument *d = g_object_new(TG_TYPE_DOCUMENT, NULL);
  d->apiContext = g_strdup(ctx);
  d->apiVersion = g_strdup(ver);
  d->name = g_strdup(name);
  d->type = g_strdup(type && g_strv_contains(DOC_TYPES, type) ? type : "HOWTO");
  d->summary = g_strdup(req_arg(r, "summary") ? req_arg(r, "summary") : "");
  d->sourceType = g_strdup(is_url ? "URL" : "INLINE");
  d->content = g_strdup(is_url ? "" : content);
  d->sourceUrl = g_strdup(is_url ? url : "");
  d->__isset_apiContext = d->__isset_apiVersion = d->__isset_name = d->__isset_type = TRUE;
  d->__isset_summary = d->__isset_sourceType = d->__isset_content = d->__isset_sourceUrl = TRUE;
  HubErr he = {0};
  TgDocument *added = g_object_new(TG_TYPE_DOCUMENT, NULL);
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_add_document(HUB_IF, &added, req_hub_session(r), d, HUB_EXC, HUB_ERR));
  g_object_unref(d);
  if (pub_hub_failed(r, &he)) {
    g_object_unref(added);
    return;
  }
  GString *json = g_string_new(NULL);
  pj_document(json, added);
  g_object_unref(added);
  g_autofree char *back = back_to_docs(r);
  pub_done(r, "Document added.", back, json);
}

static void docs_delete(PortalReq *r) {
  g_autofree char *ctx = NULL, *ver = NULL;
  if (!pub_api_from_path(r, &ctx, &ver)) return;
  gint64 id = req_arg_int(r, "id", 0, 1, G_MAXINT64);
  if (id <= 0) {
    reply_error(r, 400, "id (the document's number) is required");
    return;
  }
  HubErr he = {0};
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_delete_document(HUB_IF, req_hub_session(r), id, HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) return;
  g_autofree char *back = back_to_docs(r);
  pub_done(r, "Document deleted.", back, NULL);
}

static const Route routes[] = {
    {"POST", "/publisher/docs/*", docs_add, PUB_ROLES, 0},
    {"POST", "/publisher/docs-delete/*", docs_delete, PUB_ROLES, 0},
    {"GET", "/api/publisher/v1/docs/*", docs_list, PUB_ROLES, ROUTE_API},
    {"POST", "/api/publisher/v1/docs/*", docs_add, PUB_ROLES, ROUTE_API},
    {"POST", "/api/publisher/v1/docs-delete/*", docs_delete, PUB_ROLES, ROUTE_API},
};
const RouteTable publisher_docs_table = {routes, G_N_ELEMENTS(routes)};
