/*
 * admin_settings: the portal settings an admin changes (self sign-up on or
 * off) and the audit log of every publisher and admin action, newest first,
 * a page of 50 at a time with the hub's keyset cursor.
 */
#include <string.h>

#include "hub_conn.h"
#include "portal.h"
#include "publisher_json.h"
#include "publisher_pages.h"
#include "publisher_reply.h"
#include "render.h"
#include "tg_json.h"

#define AUDIT_PAGE 50

static GHashTable *hub_settings(PortalReq *r, HubErr *he) {
  GHashTable *s = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_get_settings(HUB_IF, &s, req_hub_session(r), HUB_EXC, HUB_ERR));
  return s;
}

static void settings_get(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(GHashTable) s = hub_settings(r, &he);
  if (pub_hub_failed(r, &he)) return;
  const char *signup = g_hash_table_lookup(s, "signup_enabled");
  gboolean on = g_strcmp0(signup, "false") != 0;
  if (req_wants_json(r)) {
    GString *out = g_string_new("{");
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, s);
    while (g_hash_table_iter_next(&it, &k, &v)) tg_json_member_string(out, k, v);
    g_string_append_c(out, '}');
    reply_json(r, 200, out);
    return;
  }
  GString *out = g_string_new(NULL);
  admin_page_begin(r, out, "Administration", "settings");
  g_string_append(
      out,
      "<section class=\"card\" aria-labelledby=\"h-signup\"><h2 id=\"h-signup\">Self sign-up</h2>");
  html_fmt(out, "<p>Anyone may create a subscriber account in the store: <strong>%s</strong>.</p>",
           on ? "on" : "off");
  form_begin(r, out, "/admin/settings", "inline");
  html_fmt(out,
           "<input type=\"hidden\" name=\"name\" value=\"signup_enabled\">"
           "<input type=\"hidden\" name=\"value\" value=\"%s\">"
           "<button type=\"submit\" class=\"%s\">%s</button></form></section>",
           on ? "false" : "true", on ? "danger" : "", on ? "Turn sign-up off" : "Turn sign-up on");
  page_end(r, out);
  reply_html(r, 200, out);
}

static void settings_set(PortalReq *r) {
  const char *name = pub_required(r, "name", "A setting name");
  const char *value = name ? req_arg(r, "value") : NULL;
  if (!name) return;
  if (!value) {
    reply_error(r, 400, "value is required");
    return;
  }
  HubErr he = {0};
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_set_setting(HUB_IF, req_hub_session(r), name, value, HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) return;
  g_autofree char *flash = g_strdup_printf("%s is now %s.", name, value);
  pub_done(r, flash, "/admin/settings", NULL);
}

static void audit_html(PortalReq *r, TgAuditPage *page) {
  GString *out = g_string_new(NULL);
  admin_page_begin(r, out, "Administration", "audit");
  g_string_append(
      out,
      "<p class=\"lead\">Every publisher and admin action: who, what, when and from where.</p>");
  if (!page->entries || !page->entries->len) {
    g_string_append(out, "<div class=\"card\"><p>Nothing recorded yet.</p></div>");
  } else {
    g_string_append(
        out,
        "<div class=\"table-wrap\"><table><caption class=\"visually-hidden\">Audit log</caption>"
        "<thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th><th "
        "scope=\"col\">Action</th>"
        "<th scope=\"col\">Subject</th><th scope=\"col\">From</th><th scope=\"col\">Detail</th>"
        "</tr></thead><tbody>");
    for (guint i = 0; i < page->entries->len; i++) {
      const TgAuditEntry *e = g_ptr_array_index(page->entries, i);
      g_string_append(out, "<tr><td>");
      html_time(out, e->at);
      html_fmt(out,
               "</td><td>%s</td><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td></tr>",
               e->actor, e->action, e->subject, e->clientAddress, e->detail);
    }
    g_string_append(out, "</tbody></table></div>");
  }
  if (page->nextCursor && *page->nextCursor)
    html_fmt(out,
             "<nav class=\"pager\" aria-label=\"Audit pages\"><a href=\"/admin/audit\">Newest</a>"
             "<a href=\"/admin/audit?cursor=%u\">Older entries</a></nav>",
             page->nextCursor);
  page_end(r, out);
  reply_html(r, 200, out);
}

static void audit_get(PortalReq *r) {
  const char *cursor = req_arg(r, "cursor");
  gint32 limit = (gint32)req_arg_int(r, "limit", AUDIT_PAGE, 1, 100);
  HubErr he = {0};
  TgAuditPage *page = g_object_new(TG_TYPE_AUDIT_PAGE, NULL);
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_list_audit(HUB_IF, &page, req_hub_session(r), cursor ? cursor : "", limit,
                                     HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) {
    g_object_unref(page);
    return;
  }
  if (req_wants_json(r)) {
    GString *out = g_string_new("{\"entries\":");
    pj_list(out, page->entries, (PjWriter)pj_audit);
    tg_json_member_string(out, "nextCursor", page->nextCursor ? page->nextCursor : "");
    g_string_append_c(out, '}');
    reply_json(r, 200, out);
  } else {
    audit_html(r, page);
  }
  g_object_unref(page);
}

static const Route routes[] = {
    {"GET", "/admin/settings", settings_get, ROLE_ADMIN, 0},
    {"POST", "/admin/settings", settings_set, ROLE_ADMIN, 0},
    {"GET", "/admin/audit", audit_get, ROLE_ADMIN, 0},
    {"GET", "/api/admin/v1/settings", settings_get, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/settings", settings_set, ROLE_ADMIN, ROUTE_API},
    {"GET", "/api/admin/v1/audit", audit_get, ROLE_ADMIN, ROUTE_API},
};
const RouteTable admin_settings_table = {routes, G_N_ELEMENTS(routes)};
