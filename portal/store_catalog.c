/*
 * store_catalog: the store's front page (browse and search published APIs,
 * keyset pages from the hub's searchApis) and an API's page (description,
 * resources, documentation, tiers, gateway URLs, subscribe form, try-it).
 * Anonymous visitors browse with an empty hub session: the hub shows them
 * PUBLISHED and DEPRECATED APIs only.
 */
#include <string.h>

#include "page_kit.h"
#include "pages.h"
#include "portal.h"
#include "render.h"
#include "store_catalog.h"

#define PAGE_SIZE 24

gboolean catalog_search(PortalReq *r, const char *query, const char *cursor, int limit,
                        TgApiPage **page, HubErr *he) {
  *page = g_object_new(TG_TYPE_API_PAGE, NULL);
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_search_apis(HUB_IF, page, req_hub_session(r), query ? query : "",
                                      cursor ? cursor : "", limit, HUB_EXC, HUB_ERR));
  if (he->code) g_clear_object(page);
  return he->code == 0;
}

gboolean catalog_get_api(PortalReq *r, const char *context, const char *version, TgApi **api,
                         HubErr *he) {
  *api = g_object_new(TG_TYPE_API, NULL);
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_get_public_api(HUB_IF, api, req_hub_session(r), context, version, HUB_EXC,
                                         HUB_ERR));
  if (he->code) g_clear_object(api);
  return he->code == 0;
}

static void api_card(GString *out, TgApi *a) {
  GString *href = g_string_new(NULL);
  api_href(href, a->context, a->version);
  html_fmt(out,
           "<li class=\"card\"><h2><a href=\"%s\">%s</a></h2>"
           "<p class=\"meta\"><code>%s</code> · v%s%R%s%R</p>",
           href->str, a->name, a->context, a->version,
           g_strcmp0(a->status, "PUBLISHED") ? " · <span class=\"badge\">" : "",
           g_strcmp0(a->status, "PUBLISHED") ? a->status : "",
           g_strcmp0(a->status, "PUBLISHED") ? "</span>" : "");
  if (a->description && *a->description) {
    g_autofree char *shortened =
        g_utf8_substring(a->description, 0, MIN(160, g_utf8_strlen(a->description, -1)));
    html_fmt(out, "<p>%s%s</p>", shortened, g_utf8_strlen(a->description, -1) > 160 ? "…" : "");
  }
  if (a->tags && a->tags->len) {
    g_string_append(out, "<p>");
    for (guint t = 0; t < a->tags->len; t++) {
      const char *tag = a->tags->pdata[t];
      html_fmt(out, "<a class=\"tag\" href=\"/?q=tag%%3A%u\">%s</a>", tag, tag);
    }
    g_string_append(out, "</p>");
  }
  html_fmt(out, "<p class=\"meta\">by %s</p></li>", a->provider);
  g_string_free(href, TRUE);
}

static void catalog_get(PortalReq *r) {
  const char *q = req_arg(r, "q"), *cursor = req_arg(r, "cursor");
  HubErr he = {0};
  g_autoptr(TgApiPage) page = NULL;
  if (!catalog_search(r, q, cursor, PAGE_SIZE, &page, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GString *out = g_string_new(NULL);
  page_begin(r, out, "APIs");
  g_string_append(out,
                  "<h1>APIs</h1><form class=\"search\" role=\"search\" method=\"get\" action=\"/\">"
                  "<label class=\"visually-hidden\" for=\"q\">Search APIs</label>");
  html_fmt(out,
           "<input id=\"q\" name=\"q\" type=\"search\" value=\"%s\" "
           "placeholder=\"Search: pizza, name:pizza tag:food, context:/pizza\" "
           "aria-describedby=\"q-hint\"><button type=\"submit\">Search</button></form>"
           "<p class=\"hint\" id=\"q-hint\">Words match names and descriptions; "
           "fields: <code>name:</code> <code>tag:</code> <code>context:</code> "
           "<code>provider:</code> <code>version:</code></p>",
           q ? q : "");
  guint n = page->apis ? page->apis->len : 0;
  if (page->__isset_total && page->total >= 0)
    html_fmt(out, "<p class=\"meta\" role=\"status\">%L API%s%s%s</p>", page->total,
             page->total == 1 ? "" : "s", q && *q ? " match " : "", q && *q ? q : "");
  if (n == 0) {
    g_string_append(out, "<div class=\"card\"><p>No APIs here yet.</p></div>");
  } else {
    g_string_append(out, "<ul class=\"grid\">");
    for (guint i = 0; i < n; i++) api_card(out, page->apis->pdata[i]);
    g_string_append(out, "</ul>");
  }
  g_string_append(out, "<nav class=\"pager\" aria-label=\"Pages\">");
  if (cursor && *cursor)
    html_fmt(out, "<a href=\"/?q=%u\">First page</a>", q ? q : "");
  else
    g_string_append(out, "<span></span>");
  if (page->nextCursor && *page->nextCursor)
    html_fmt(out, "<a href=\"/?q=%u&amp;cursor=%u\" rel=\"next\">Next page</a>", q ? q : "",
             page->nextCursor);
  g_string_append(out, "</nav>");
  page_end(r, out);
  reply_html(r, 200, out);
}

/* The tiers a subscriber may pick: the API's list, else every SUBSCRIPTION tier. */
GPtrArray *catalog_tiers(PortalReq *r, TgApi *api) {
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; api->subscriptionTiers && i < api->subscriptionTiers->len; i++)
    g_ptr_array_add(names, g_strdup(api->subscriptionTiers->pdata[i]));
  if (names->len || !r->session) return names;
  g_autoptr(GPtrArray) tiers = obj_list();
  HubErr he = {0};
  HUB_CALL(r->portal->hub, &he,
           (g_ptr_array_set_size(tiers, 0),
            tg_tollgate_if_list_tiers(HUB_IF, &tiers, req_hub_session(r), HUB_EXC, HUB_ERR)));
  for (guint i = 0; he.code == 0 && i < tiers->len; i++) {
    TgTier *t = tiers->pdata[i];
    if (!g_strcmp0(t->level, "SUBSCRIPTION")) g_ptr_array_add(names, g_strdup(t->name));
  }
  hub_err_clear(&he);
  return names;
}

static void resources_table(GString *out, TgApi *api) {
  g_string_append(out,
                  "<h2>Resources</h2><div class=\"table-wrap\"><table><thead><tr>"
                  "<th scope=\"col\">Method</th><th scope=\"col\">Path</th>"
                  "<th scope=\"col\">Auth</th><th scope=\"col\">Scope</th></tr></thead><tbody>");
  for (guint i = 0; api->resources && i < api->resources->len; i++) {
    TgResource *res = api->resources->pdata[i];
    html_fmt(out,
             "<tr><td><span class=\"verb\">%s</span></td><td><code>%s</code></td>"
             "<td>%s</td><td>%s</td></tr>",
             res->verb, res->uriTemplate, res->authType,
             res->scope && *res->scope ? res->scope : "—");
  }
  g_string_append(out, "</tbody></table></div>");
}

static void docs_list(PortalReq *r, GString *out, TgApi *api) {
  if (!r->session) return;
  g_autoptr(GPtrArray) docs = obj_list();
  HubErr he = {0};
  HUB_CALL(r->portal->hub, &he,
           (g_ptr_array_set_size(docs, 0),
            tg_tollgate_if_list_documents(HUB_IF, &docs, req_hub_session(r), api->context,
                                          api->version, HUB_EXC, HUB_ERR)));
  hub_err_clear(&he);
  g_string_append(out, "<h2>Documentation</h2>");
  if (docs->len == 0) {
    g_string_append(out, "<p class=\"meta\">No documents yet.</p>");
    return;
  }
  g_string_append(out, "<ul>");
  for (guint i = 0; i < docs->len; i++) {
    TgDocument *d = docs->pdata[i];
    gboolean link =
        !g_strcmp0(d->sourceType, "URL") && d->sourceUrl &&
        (g_str_has_prefix(d->sourceUrl, "https://") || g_str_has_prefix(d->sourceUrl, "http://"));
    if (link)
      html_fmt(out,
               "<li><a href=\"%s\" rel=\"noopener noreferrer\">%s</a> <span "
               "class=\"meta\">%s</span></li>",
               d->sourceUrl, d->name, d->type);
    else
      html_fmt(out,
               "<li><details><summary>%s <span class=\"meta\">%s</span></summary>"
               "<p>%s</p><pre>%s</pre></details></li>",
               d->name, d->type, d->summary ? d->summary : "", d->content ? d->content : "");
  }
  g_string_append(out, "</ul>");
}

static void gateway_urls(PortalReq *r, GString *out, TgApi *api) {
  g_string_append(out, "<h2>Gateway URLs</h2>");
  char **urls = r->portal->cfg->gateway_urls;
  if (!urls || !*urls) {
    g_string_append(out, "<p class=\"meta\">No gateway URL is configured for this portal.</p>");
    return;
  }
  for (guint i = 0; urls[i]; i++) {
    g_autofree char *url = g_strdup_printf("%s%s/%s", urls[i], api->context, api->version);
    g_autofree char *id = g_strdup_printf("gw-%u", i);
    html_copyable(out, id, i == 0 ? "Gateway" : "Also at", url);
  }
}

static void subscribe_form(PortalReq *r, GString *out, TgApi *api, GPtrArray *tiers) {
  g_string_append(
      out, "<section class=\"card\" aria-labelledby=\"sub-h\"><h2 id=\"sub-h\">Subscribe</h2>");
  if (!r->session) {
    html_fmt(out,
             "<p><a href=\"/login?next=%u\">Sign in</a> to subscribe and get keys.</p></section>",
             r->path);
    return;
  }
  g_autoptr(GPtrArray) apps = obj_list();
  HubErr he = {0};
  HUB_CALL(
      r->portal->hub, &he,
      (g_ptr_array_set_size(apps, 0),
       tg_tollgate_if_list_applications(HUB_IF, &apps, req_hub_session(r), "", HUB_EXC, HUB_ERR)));
  hub_err_clear(&he);
  if (apps->len == 0) {
    g_string_append(
        out,
        "<p>Create an application first.</p><p><a class=\"button\" href=\"/store/apps\">"
        "New application</a></p></section>");
    return;
  }
  form_begin(r, out, "/store/subscribe", "stack");
  html_fmt(out,
           "<input type=\"hidden\" name=\"context\" value=\"%s\">"
           "<input type=\"hidden\" name=\"version\" value=\"%s\">",
           api->context, api->version);
  g_autofree const char **names = g_new0(const char *, apps->len + 1);
  for (guint i = 0; i < apps->len; i++) names[i] = ((TgApplication *)apps->pdata[i])->name;
  field_select(out, "application", "Application", names, NULL);
  g_ptr_array_add(tiers, NULL);
  field_select(out, "tier", "Tier", (const char *const *)tiers->pdata, NULL);
  g_ptr_array_remove_index(tiers, tiers->len - 1);
  form_submit(out, "Subscribe");
  form_end(out);
  g_string_append(out, "</section>");
}

static void tryit_form(PortalReq *r, GString *out, TgApi *api) {
  if (!r->session || !r->portal->cfg->gateway_urls[0]) return;
  const char *first = "/";
  if (api->resources && api->resources->len) {
    const char *t = ((TgResource *)api->resources->pdata[0])->uriTemplate;
    if (t && t[0] == '/' && !strpbrk(t, "*{"))
      first = t; /* a template with wildcards: let the user fill it */
  }
  g_string_append(
      out,
      "<section class=\"card\" aria-labelledby=\"try-h\"><h2 id=\"try-h\">Try it</h2>"
      "<p class=\"meta\">Sent by the portal to this API's gateway with your token.</p>");
  html_fmt(out,
           "<form method=\"post\" action=\"/store/tryit\" class=\"stack\" id=\"tryit\">"
           "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
           req_csrf_token(r));
  html_fmt(out,
           "<input type=\"hidden\" name=\"context\" value=\"%s\">"
           "<input type=\"hidden\" name=\"version\" value=\"%s\">",
           api->context, api->version);
  static const char *const verbs[] = {"GET", "POST", "PUT", "DELETE", "PATCH", NULL};
  field_select(out, "method", "Method", verbs, "GET");
  field_text(out, "path", "Path", first, "required");
  field_input(out, "password", "token", "Access token", "", "required autocomplete=\"off\"");
  field_textarea(out, "body", "Body (optional)", "");
  form_submit(out, "Send");
  form_end(out);
  g_string_append(
      out, "<pre class=\"tryit-out\" id=\"tryit-out\" aria-live=\"polite\"></pre></section>");
}

static void api_page(PortalReq *r) {
  g_autofree char *context = NULL, *version = NULL;
  if (!api_ref_parse(r->rest, &context, &version)) {
    reply_error(r, 404, "no such API");
    return;
  }
  HubErr he = {0};
  g_autoptr(TgApi) api = NULL;
  if (!catalog_get_api(r, context, version, &api, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  g_autoptr(GPtrArray) tiers = catalog_tiers(r, api);
  GString *out = g_string_new(NULL);
  page_begin(r, out, api->name);
  html_fmt(
      out,
      "<p class=\"meta\"><a href=\"/\">APIs</a> / %s</p><h1>%s <span class=\"badge\">v%s</span>"
      " <span class=\"badge\">%s</span></h1><p class=\"lead\"><code>%s</code> · by %s</p>",
      api->name, api->name, api->version, api->status, api->context, api->provider);
  g_string_append(out, "<div class=\"cols\"><div>");
  if (api->description && *api->description) html_fmt(out, "<p>%s</p>", api->description);
  if (api->tags && api->tags->len) {
    g_string_append(out, "<p>");
    for (guint t = 0; t < api->tags->len; t++)
      html_fmt(out, "<a class=\"tag\" href=\"/?q=tag%%3A%u\">%s</a>", (char *)api->tags->pdata[t],
               (char *)api->tags->pdata[t]);
    g_string_append(out, "</p>");
  }
  resources_table(out, api);
  gateway_urls(r, out, api);
  docs_list(r, out, api);
  g_string_append(out, "<h2>Tiers</h2><p>");
  for (guint i = 0; i < tiers->len; i++)
    html_fmt(out, "<span class=\"tag\">%s</span>", (char *)tiers->pdata[i]);
  if (!tiers->len) g_string_append(out, "<span class=\"meta\">Sign in to see the tiers.</span>");
  g_string_append(out, "</p></div><div>");
  subscribe_form(r, out, api, tiers);
  tryit_form(r, out, api);
  g_string_append(out, "</div></div>");
  page_end(r, out);
  reply_html(r, 200, out);
}

static const Route routes[] = {
    {"GET", "/", catalog_get, 0, 0},
    {"GET", "/store/apis/*", api_page, 0, 0},
};
const RouteTable catalog_table = {routes, G_N_ELEMENTS(routes)};
