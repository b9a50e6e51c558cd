/*
 * store_catalog: the store's front page (browse and search published APIs)
 * and an API's page. Reads go to the hub with the visitor's session, or none.
 */
#include <string.h>

#include "hub_conn.h"
#include "pages.h"
#include "portal.h"
#include "render.h"

static void catalog_get(PortalReq *r) {
  GString *out = g_string_new(NULL);
  page_begin(r, out, "APIs");
  g_string_append(out, "<h1>APIs</h1>");
  if (!r->session) {
    g_string_append(out, "<p class=\"lead\">Sign in to browse the catalogue.</p>");
    page_end(r, out);
    reply_html(r, 200, out);
    return;
  }
  HubErr he = {0};
  GPtrArray *apis = NULL;
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_list_apis(HUB_IF, &apis, req_hub_session(r), HUB_EXC, HUB_ERR));
  if (he.code) {
    g_string_free(out, TRUE);
    reply_error(r, he.code, he.message);
    hub_err_clear(&he);
    return;
  }
  g_string_append(out, "<ul class=\"grid\">");
  for (guint i = 0; apis && i < apis->len; i++) {
    TgApi *a = apis->pdata[i];
    html_fmt(out, "<li class=\"card\"><h2>%s</h2><p class=\"meta\">%s · %s</p></li>", a->name,
             a->context, a->version);
  }
  g_string_append(out, "</ul>");
  if (apis) g_ptr_array_unref(apis);
  page_end(r, out);
  reply_html(r, 200, out);
}

static const Route routes[] = {
    {"GET", "/", catalog_get, 0, 0},
};
const RouteTable store_table = {routes, G_N_ELEMENTS(routes)};
