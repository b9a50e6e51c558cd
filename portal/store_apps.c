/*
 * store_apps: the Applications pages (list, create, edit, delete with
 * re-authentication) and subscribe/unsubscribe. Each action is a POST that
 * redirects back with a flash message (post/redirect/get), so reloading a
 * page never repeats an action. Keys and tokens are drawn by store_keys.c.
 */
#include "store_apps.h"

#include <string.h>

#include "page_kit.h"
#include "pages.h"
#include "portal.h"
#include "render.h"
#include "store_account.h"
#include "store_keys.h"
#include "store_subs.h"

gboolean apps_list(PortalReq *r, GPtrArray **apps, HubErr *he) {
  *apps = obj_list();
  HUB_CALL(
      r->portal->hub, he,
      (g_ptr_array_set_size(*apps, 0),
       tg_tollgate_if_list_applications(HUB_IF, apps, req_hub_session(r), "", HUB_EXC, HUB_ERR)));
  return he->code == 0;
}

gboolean apps_page(PortalReq *r, const char *cursor, int limit, TgApplicationPage **page,
                   HubErr *he) {
  *page = g_object_new(TG_TYPE_APPLICATION_PAGE, NULL);
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_list_applications_page(HUB_IF, page, req_hub_session(r), "",
                                                 cursor ? cursor : "", limit, HUB_EXC, HUB_ERR));
  if (he->code) g_clear_object(page);
  return he->code == 0;
}

gboolean apps_get(PortalReq *r, const char *name, TgApplication **app, HubErr *he) {
  g_autoptr(GPtrArray) apps = NULL;
  *app = NULL;
  if (!apps_list(r, &apps, he)) return FALSE;
  for (guint i = 0; i < apps->len; i++) {
    TgApplication *a = apps->pdata[i];
    if (!g_strcmp0(a->name, name)) {
      *app = g_object_ref(a);
      return TRUE;
    }
  }
  he->code = 404;
  he->message = g_strdup("you have no application with that name");
  return FALSE;
}

static void set_str(char **field, gboolean *isset, const char *v) {
  if (!v) return;
  g_free(*field);
  *field = g_strdup(v);
  *isset = TRUE;
}

TgApplication *apps_from_request(PortalReq *r, const char *name) {
  TgApplication *a = g_object_new(TG_TYPE_APPLICATION, NULL);
  set_str(&a->name, &a->__isset_name, name);
  set_str(&a->tier, &a->__isset_tier, req_arg(r, "tier"));
  set_str(&a->callbackUrl, &a->__isset_callbackUrl, req_arg(r, "callbackUrl"));
  set_str(&a->description, &a->__isset_description, req_arg(r, "description"));
  const char *domains = req_arg(r, "allowedDomains");
  if (domains) {
    g_autoptr(GPtrArray) list = str_list_parse(domains);
    for (guint i = 0; i < list->len; i++)
      g_ptr_array_add(a->allowedDomains, g_strdup(list->pdata[i]));
    a->__isset_allowedDomains = TRUE;
  }
  a->owner = g_strdup("");
  a->__isset_owner = TRUE;
  return a;
}

gboolean apps_create(PortalReq *r, TgApplication *in, TgApplication **out, HubErr *he) {
  *out = g_object_new(TG_TYPE_APPLICATION, NULL);
  HUB_CALL(
      r->portal->hub, he,
      tg_tollgate_if_create_application(HUB_IF, out, req_hub_session(r), in, HUB_EXC, HUB_ERR));
  return he->code == 0;
}

gboolean apps_update(PortalReq *r, TgApplication *in, TgApplication **out, HubErr *he) {
  *out = g_object_new(TG_TYPE_APPLICATION, NULL);
  HUB_CALL(
      r->portal->hub, he,
      tg_tollgate_if_update_application(HUB_IF, out, req_hub_session(r), in, HUB_EXC, HUB_ERR));
  return he->code == 0;
}

gboolean apps_delete(PortalReq *r, const char *name, HubErr *he) {
  HUB_CALL(
      r->portal->hub, he,
      tg_tollgate_if_delete_application(HUB_IF, req_hub_session(r), "", name, HUB_EXC, HUB_ERR));
  return he->code == 0;
}

GPtrArray *apps_tier_names(PortalReq *r, const char *level) {
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) tiers = obj_list();
  HubErr he = {0};
  HUB_CALL(r->portal->hub, &he,
           (g_ptr_array_set_size(tiers, 0),
            tg_tollgate_if_list_tiers(HUB_IF, &tiers, req_hub_session(r), HUB_EXC, HUB_ERR)));
  for (guint i = 0; he.code == 0 && i < tiers->len; i++) {
    TgTier *t = tiers->pdata[i];
    if (!g_strcmp0(t->level, level)) g_ptr_array_add(names, g_strdup(t->name));
  }
  hub_err_clear(&he);
  return names;
}

/* --- pages --- */

static void tier_select(GString *out, GPtrArray *tiers, const char *selected) {
  g_ptr_array_add(tiers, NULL);
  field_select(out, "tier", "Tier", (const char *const *)tiers->pdata, selected);
  g_ptr_array_remove_index(tiers, tiers->len - 1);
}

static void app_fields(GString *out, GPtrArray *tiers, TgApplication *a) {
  tier_select(out, tiers, a ? a->tier : "Unlimited");
  field_input(out, "url", "callbackUrl", "Callback URL (optional)", a ? a->callbackUrl : "",
              "placeholder=\"https://example.com/callback\"");
  g_autofree char *domains = a ? str_list_join(a->allowedDomains) : NULL;
  field_text(out, "allowedDomains", "Allowed domains (optional, comma separated)", domains, NULL);
  field_textarea(out, "description", "Description (optional)", a ? a->description : "");
}

#define APPS_PER_PAGE 48

static void apps_list_page(PortalReq *r) {
  HubErr he = {0};
  const char *cursor = req_arg(r, "cursor");
  g_autoptr(TgApplicationPage) page = NULL;
  if (!apps_page(r, cursor, APPS_PER_PAGE, &page, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GPtrArray *apps = page->applications;
  g_autoptr(GPtrArray) tiers = apps_tier_names(r, "APPLICATION");
  GString *out = g_string_new(NULL);
  page_begin(r, out, "Applications");
  g_string_append(out,
                  "<h1>Applications</h1><p class=\"lead\">An application holds your keys "
                  "and subscriptions.</p>");
  if (apps->len == 0)
    g_string_append(out, "<div class=\"card\"><p>You have no applications yet.</p></div>");
  g_string_append(out, "<ul class=\"grid\">");
  for (guint i = 0; i < apps->len; i++) {
    TgApplication *a = apps->pdata[i];
    GString *href = g_string_new(NULL);
    app_href(href, a->name);
    html_fmt(out,
             "<li class=\"card\"><h2><a href=\"%s\">%s</a></h2><p class=\"meta\">Tier %s</p>"
             "<p>%s</p></li>",
             href->str, a->name, a->tier, a->description ? a->description : "");
    g_string_free(href, TRUE);
  }
  g_string_append(out, "</ul><nav class=\"pager\" aria-label=\"Pages\">");
  if (cursor && *cursor)
    g_string_append(out, "<a href=\"/store/apps\">First page</a>");
  else
    g_string_append(out, "<span></span>");
  if (page->nextCursor && *page->nextCursor)
    html_fmt(out, "<a href=\"/store/apps?cursor=%u\" rel=\"next\">Next page</a>", page->nextCursor);
  g_string_append(out,
                  "</nav><section class=\"card\" aria-labelledby=\"new-h\"><h2 id=\"new-h\">"
                  "New application</h2>");
  form_begin(r, out, "/store/apps", "stack");
  field_text(out, "name", "Name", NULL, "required maxlength=\"70\"");
  app_fields(out, tiers, NULL);
  form_submit(out, "Create application");
  form_end(out);
  g_string_append(out, "</section>");
  page_end(r, out);
  reply_html(r, 200, out);
}

static void apps_create_post(PortalReq *r) {
  const char *name = req_arg(r, "name");
  if (!name || !*name) {
    reply_error(r, 400, "give the application a name");
    return;
  }
  g_autoptr(TgApplication) in = apps_from_request(r, name);
  g_autoptr(TgApplication) made = NULL;
  HubErr he = {0};
  if (!apps_create(r, in, &made, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GString *href = g_string_new(NULL);
  app_href(href, name);
  redirect_with_flash(r, href->str,
                      "Application created. Subscribe it to an API, then generate keys.");
  g_string_free(href, TRUE);
}

static void subscriptions_section(PortalReq *r, GString *out, const char *app) {
  HubErr he = {0};
  g_autoptr(GPtrArray) subs = NULL;
  apps_subscriptions(r, app, &subs, &he);
  hub_err_clear(&he);
  g_string_append(out, "<h2 id=\"subs\">Subscriptions</h2>");
  if (!subs || subs->len == 0) {
    g_string_append(out,
                    "<p class=\"meta\">No subscriptions yet: pick an API in the "
                    "<a href=\"/\">catalogue</a> and subscribe.</p>");
    return;
  }
  g_string_append(
      out,
      "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">API</th>"
      "<th scope=\"col\">Tier</th><th scope=\"col\">Status</th>"
      "<th scope=\"col\"><span class=\"visually-hidden\">Action</span></th></tr></thead><tbody>");
  for (guint i = 0; i < subs->len; i++) {
    TgSubscription *s = subs->pdata[i];
    GString *href = g_string_new(NULL);
    api_href(href, s->apiContext, s->apiVersion);
    html_fmt(out,
             "<tr><td><a href=\"%s\">%s</a> <span class=\"meta\">%s v%s</span></td><td>%s</td>"
             "<td><span class=\"badge\">%s</span></td><td>",
             href->str, s->apiName ? s->apiName : s->apiContext, s->apiContext, s->apiVersion,
             s->tier, s->status);
    form_begin(r, out, "/store/unsubscribe", "inline");
    html_fmt(out,
             "<input type=\"hidden\" name=\"application\" value=\"%s\">"
             "<input type=\"hidden\" name=\"context\" value=\"%s\">"
             "<input type=\"hidden\" name=\"version\" value=\"%s\">"
             "<button type=\"submit\" class=\"danger small\">Unsubscribe</button></form></td></tr>",
             app, s->apiContext, s->apiVersion);
    g_string_free(href, TRUE);
  }
  g_string_append(out, "</tbody></table></div>");
}

static void edit_section(PortalReq *r, GString *out, TgApplication *a) {
  g_autoptr(GPtrArray) tiers = apps_tier_names(r, "APPLICATION");
  g_string_append(
      out,
      "<h2 id=\"settings\">Settings</h2><details class=\"card\"><summary>Edit application"
      "</summary>");
  form_begin(r, out, "/store/apps/edit", "stack");
  html_fmt(out, "<input type=\"hidden\" name=\"name\" value=\"%s\">", a->name);
  app_fields(out, tiers, a);
  form_submit(out, "Save");
  form_end(out);
  g_string_append(out,
                  "</details><details class=\"card\"><summary>Delete application</summary>"
                  "<p>Deleting removes its keys, tokens and subscriptions. Enter your password to "
                  "confirm.</p>");
  form_begin(r, out, "/store/apps/delete", "stack");
  html_fmt(out, "<input type=\"hidden\" name=\"name\" value=\"%s\">", a->name);
  field_input(out, "password", "password", "Your password", "",
              "required autocomplete=\"current-password\"");
  g_string_append(
      out, "<div><button type=\"submit\" class=\"danger\">Delete application</button></div>");
  form_end(out);
  g_string_append(out, "</details>");
}

static void app_page(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(TgApplication) a = NULL;
  if (!apps_get(r, r->rest, &a, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GString *out = g_string_new(NULL);
  page_begin(r, out, a->name);
  html_fmt(out,
           "<p class=\"meta\"><a href=\"/store/apps\">Applications</a> / %s</p><h1>%s</h1>"
           "<p class=\"lead\">Tier %s · created ",
           a->name, a->name, a->tier);
  html_time(out, a->createdAt);
  g_string_append(out, "</p>");
  if (a->description && *a->description) html_fmt(out, "<p>%s</p>", a->description);
  g_string_append(out,
                  "<nav class=\"tabs\" aria-label=\"Sections\"><a href=\"#subs\">Subscriptions</a>"
                  "<a href=\"#keys\">Keys</a><a href=\"#tokens\">Tokens</a>"
                  "<a href=\"#settings\">Settings</a></nav>");
  subscriptions_section(r, out, a->name);
  keys_section(r, out, a->name);
  edit_section(r, out, a);
  page_end(r, out);
  reply_html(r, 200, out);
}

static void apps_edit_post(PortalReq *r) {
  const char *name = req_arg(r, "name");
  g_autoptr(TgApplication) in = apps_from_request(r, name);
  g_autoptr(TgApplication) out = NULL;
  HubErr he = {0};
  if (!name || !apps_update(r, in, &out, &he)) {
    if (!name) he.code = 400, he.message = g_strdup("which application?");
    reply_hub_error(r, &he);
    return;
  }
  GString *href = g_string_new(NULL);
  app_href(href, name);
  redirect_with_flash(r, href->str, "Saved.");
  g_string_free(href, TRUE);
}

static void apps_delete_post(PortalReq *r) {
  const char *name = req_arg(r, "name");
  HubErr he = {0};
  if (!account_reauth(r, &he)) {
    reply_error(r, 403, he.message);
    hub_err_clear(&he);
    return;
  }
  if (!name || !apps_delete(r, name, &he)) {
    if (!name) he.code = 400, he.message = g_strdup("which application?");
    reply_hub_error(r, &he);
    return;
  }
  redirect_with_flash(r, "/store/apps", "Application deleted.");
}

static void subscribe_post(PortalReq *r) {
  const char *app = req_arg(r, "application");
  HubErr he = {0};
  g_autoptr(TgSubscription) sub = NULL;
  if (!apps_subscribe(r, app, req_arg(r, "context"), req_arg(r, "version"), req_arg(r, "tier"),
                      &sub, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GString *href = g_string_new(NULL);
  app_href(href, app);
  redirect_with_flash(r, href->str,
                      !g_strcmp0(sub->status, "ON_HOLD")
                          ? "Subscribed: waiting for the publisher's approval."
                          : "Subscribed. Generate keys below to call the API.");
  g_string_free(href, TRUE);
}

static void unsubscribe_post(PortalReq *r) {
  const char *app = req_arg(r, "application");
  HubErr he = {0};
  if (!apps_unsubscribe(r, app, req_arg(r, "context"), req_arg(r, "version"), &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GString *href = g_string_new(NULL);
  app_href(href, app);
  redirect_with_flash(r, href->str, "Unsubscribed.");
  g_string_free(href, TRUE);
}

static const Route routes[] = {
    {"GET", "/store/apps", apps_list_page, STORE_ROLES, 0},
    {"POST", "/store/apps", apps_create_post, STORE_ROLES, 0},
    {"POST", "/store/apps/edit", apps_edit_post, STORE_ROLES, 0},
    {"POST", "/store/apps/delete", apps_delete_post, STORE_ROLES, 0},
    {"GET", "/store/apps/*", app_page, STORE_ROLES, 0},
    {"POST", "/store/subscribe", subscribe_post, STORE_ROLES, 0},
    {"POST", "/store/unsubscribe", unsubscribe_post, STORE_ROLES, 0},
};
const RouteTable apps_table = {routes, G_N_ELEMENTS(routes)};
