/*
 * admin_traffic: throttling tiers and blocking conditions for an admin, as
 * pages and /api/admin/v1/{tiers,blocking}. The numbers are checked by the
 * hub (one place for each rule); the portal only parses them as integers.
 */
#include <string.h>

#include "hub_conn.h"
#include "portal.h"
#include "publisher_json.h"
#include "publisher_pages.h"
#include "publisher_reply.h"
#include "render.h"

static const char *const LEVELS[] = {"SUBSCRIPTION", "APPLICATION", "API", "RESOURCE", NULL};
static const char *const KINDS[] = {"API", "APPLICATION", "USER", "IP", NULL};
static const char *const UNITS[] = {"1", "60", "3600", "86400", NULL};

static void limit_text(GString *out, const TgTier *t) {
  if (t->requestCount <= 0) {
    g_string_append(out, "Unlimited");
    return;
  }
  const char *unit = t->unitTime == 1       ? "second"
                     : t->unitTime == 60    ? "minute"
                     : t->unitTime == 3600  ? "hour"
                     : t->unitTime == 86400 ? "day"
                                            : NULL;
  if (unit)
    html_fmt(out, "%L per %s", t->requestCount, unit);
  else
    html_fmt(out, "%L per %L s", t->requestCount, t->unitTime);
}

static void tiers_html(PortalReq *r, GPtrArray *tiers) {
  GString *out = g_string_new(NULL);
  admin_page_begin(r, out, "Administration", "tiers");
  g_string_append(
      out,
      "<div class=\"table-wrap\"><table><caption "
      "class=\"visually-hidden\">Tiers</caption><thead><tr>"
      "<th scope=\"col\">Tier</th><th scope=\"col\">Level</th><th scope=\"col\">Limit</th>"
      "<th scope=\"col\">On quota</th><th scope=\"col\">Approval</th><th scope=\"col\">Delete</th>"
      "</tr></thead><tbody>");
  for (guint i = 0; i < tiers->len; i++) {
    const TgTier *t = g_ptr_array_index(tiers, i);
    html_fmt(out, "<tr><th scope=\"row\">%s<br><span class=\"meta\">%s</span></th><td>%s</td><td>",
             t->name, t->description, t->level);
    limit_text(out, t);
    html_fmt(out, "</td><td>%s</td><td>%s</td><td>", t->stopOnQuotaReach ? "Stop" : "Let through",
             t->requiresApproval ? "Required" : "No");
    form_begin(r, out, "/admin/tiers/delete", "inline");
    html_fmt(out,
             "<input type=\"hidden\" name=\"name\" value=\"%s\"><input type=\"hidden\" "
             "name=\"level\" value=\"%s\">"
             "<button type=\"submit\" class=\"danger small\">Delete<span "
             "class=\"visually-hidden\"> %s</span>"
             "</button></form></td></tr>",
             t->name, t->level, t->name);
  }
  g_string_append(out,
                  "</tbody></table></div><section class=\"card\" aria-labelledby=\"h-tier\">"
                  "<h2 id=\"h-tier\">Add a tier</h2>");
  form_begin(r, out, "/admin/tiers", "stack");
  field_text(out, "name", "Name", NULL, "required maxlength=\"64\"");
  field_select(out, "level", "Level", LEVELS, "SUBSCRIPTION");
  field_input(out, "number", "requestCount", "Requests (0: unlimited)", "1000",
              "min=\"0\" required");
  field_select(out, "unitTime", "Per (seconds)", UNITS, "60");
  field_text(out, "description", "Description", NULL, "maxlength=\"200\"");
  g_string_append(
      out,
      "<label class=\"check\"><input type=\"checkbox\" name=\"stopOnQuotaReach\" value=\"true\" "
      "checked>"
      " Stop calls over the quota</label>"
      "<label class=\"check\"><input type=\"checkbox\" name=\"requiresApproval\" value=\"true\">"
      " Subscriptions need a publisher's approval</label>");
  form_submit(out, "Add tier");
  form_end(out);
  g_string_append(out, "</section>");
  page_end(r, out);
  reply_html(r, 200, out);
}

static void tiers_list(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(GPtrArray) tiers = g_ptr_array_new_with_free_func(g_object_unref);
  GPtrArray *got = tiers;
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_list_tiers(HUB_IF, &got, req_hub_session(r), HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) return;
  if (!req_wants_json(r)) {
    tiers_html(r, tiers);
    return;
  }
  GString *out = g_string_new("{\"tiers\":");
  pj_list(out, tiers, (PjWriter)pj_tier);
  g_string_append_c(out, '}');
  reply_json(r, 200, out);
}

static gboolean flag(PortalReq *r, const char *name) {
  const char *v = req_arg(r, name);
  return v && (strcmp(v, "true") == 0 || strcmp(v, "on") == 0 || strcmp(v, "1") == 0);
}

static void tiers_add(PortalReq *r) {
  const char *name = pub_required(r, "name", "A tier name");
  if (!name) return;
  const char *level = req_arg(r, "level");
  TgTier *t = g_object_new(TG_TYPE_TIER, NULL);
  t->name = g_strdup(name);
  t->level = g_strdup(level && *level ? level : "SUBSCRIPTION");
  t->requestCount = req_arg_int(r, "requestCount", 0, 0, G_MAXINT64);
  t->unitTime = req_arg_int(r, "unitTime", 60, 1, 86400 * 31);
  t->description = g_strdup(req_arg(r, "description") ? req_arg(r, "description") : "");
  t->stopOnQuotaReach = flag(r, "stopOnQuotaReach");
  t->requiresApproval = flag(r, "requiresApproval");
  t->__isset_name = t->__isset_level = t->__isset_requestCount = t->__isset_unitTime = TRUE;
  t->__isset_description = t->__isset_stopOnQuotaReach = t->__isset_requiresApproval = TRUE;
  HubErr he = {0};
  TgTier *added = g_object_new(TG_TYPE_TIER, NULL);
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_add_tier(HUB_IF, &added, req_hub_session(r), t, HUB_EXC, HUB_ERR));
  g_object_unref(t);
  if (pub_hub_failed(r, &he)) {
    g_object_unref(added);
    return;
  }
  GString *json = g_string_new(NULL);
  pj_tier(json, added);
  g_object_unref(added);
  g_autofree char *flash = g_strdup_printf("Added the tier %s.", name);
  pub_done(r, flash, "/admin/tiers", json);
}

static void tiers_delete(PortalReq *r) {
  const char *name = pub_required(r, "name", "A tier name");
  const char *level = name ? pub_required(r, "level", "The tier's level") : NULL;
  if (!level) return;
  HubErr he = {0};
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_delete_tier(HUB_IF, req_hub_session(r), name, level, HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) return;
  g_autofree char *flash = g_strdup_printf("Deleted the tier %s.", name);
  pub_done(r, flash, "/admin/tiers", NULL);
}

/* --------------------------------------------------------------- blocking */

static void blocking_html(PortalReq *r, GPtrArray *conds) {
  GString *out = g_string_new(NULL);
  admin_page_begin(r, out, "Administration", "blocking");
  g_string_append(out,
                  "<p class=\"lead\">Calls matching a condition are refused by every gateway "
                  "within two seconds.</p>");
  if (!conds->len)
    g_string_append(out, "<div class=\"card\"><p>Nothing is blocked.</p></div>");
  else
    g_string_append(
        out,
        "<div class=\"table-wrap\"><table><caption class=\"visually-hidden\">Blocking conditions"
        "</caption><thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Value</th>"
        "<th scope=\"col\">Since</th><th scope=\"col\">Remove</th></tr></thead><tbody>");
  for (guint i = 0; i < conds->len; i++) {
    const TgBlockCondition *b = g_ptr_array_index(conds, i);
    g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, b->id);
    html_fmt(out, "<tr><td>%s</td><th scope=\"row\"><code>%s</code></th><td>", b->kind, b->value);
    html_time(out, b->createdAt);
    g_string_append(out, "</td><td>");
    form_button(r, out, "/admin/blocking/delete", "Remove", "secondary small", "id", id);
    g_string_append(out, "</td></tr>");
  }
  if (conds->len) g_string_append(out, "</tbody></table></div>");
  g_string_append(
      out, "<section class=\"card\" aria-labelledby=\"h-block\"><h2 id=\"h-block\">Block</h2>");
  form_begin(r, out, "/admin/blocking", "stack");
  field_select(out, "kind", "Kind", KINDS, "IP");
  field_text(out, "value", "Value", NULL,
             "required maxlength=\"200\" aria-describedby=\"h-value\"");
  g_string_append(
      out,
      "<p class=\"hint\" id=\"h-value\">API: <code>/context:version</code>; application: "
      "<code>owner:name</code>; user: a name; IP: an address or a prefix such as "
      "<code>10.0.0.0/8</code>.</p>");
  form_submit(out, "Add condition");
  form_end(out);
  g_string_append(out, "</section>");
  page_end(r, out);
  reply_html(r, 200, out);
}

static void blocking_list(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(GPtrArray) conds = g_ptr_array_new_with_free_func(g_object_unref);
  GPtrArray *got = conds;
  HUB_CALL(
      r->portal->hub, &he,
      tg_tollgate_if_list_block_conditions(HUB_IF, &got, req_hub_session(r), HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) return;
  if (!req_wants_json(r)) {
    blocking_html(r, conds);
    return;
  }
  GString *out = g_string_new("{\"conditions\":");
  pj_list(out, conds, (PjWriter)pj_block);
  g_string_append_c(out, '}');
  reply_json(r, 200, out);
}

static void blocking_add(PortalReq *r) {
  const char *kind = pub_required(r, "kind", "A kind");
  const char *value = kind ? pub_required(r, "value", "A value") : NULL;
  if (!value) return;
  TgBlockCondition *b = g_object_new(TG_TYPE_BLOCK_CONDITION, NULL);
  b->kind = g_strdup(kind);
  b->value = g_strstrip(g_strdup(value));
  b->__isset_kind = b->__isset_value = TRUE;
  HubErr he = {0};
  TgBlockCondition *added = g_object_new(TG_TYPE_BLOCK_CONDITION, NULL);
  HUB_CALL(
      r->portal->hub, &he,
      tg_tollgate_if_add_block_condition(HUB_IF, &added, req_hub_session(r), b, HUB_EXC, HUB_ERR));
  g_object_unref(b);
  if (pub_hub_failed(r, &he)) {
    g_object_unref(added);
    return;
  }
  GString *json = g_string_new(NULL);
  pj_block(json, added);
  g_object_unref(added);
  pub_done(r, "Blocked.", "/admin/blocking", json);
}

static void blocking_delete(PortalReq *r) {
  gint64 id = req_arg_int(r, "id", 0, 1, G_MAXINT64);
  if (id <= 0) {
    reply_error(r, 400, "id (the condition's number) is required");
    return;
  }
  HubErr he = {0};
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_delete_block_condition(HUB_IF, req_hub_session(r), id, HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) return;
  pub_done(r, "Removed the condition.", "/admin/blocking", NULL);
}

static const Route routes[] = {
    {"GET", "/admin/tiers", tiers_list, ROLE_ADMIN, 0},
    {"POST", "/admin/tiers", tiers_add, ROLE_ADMIN, 0},
    {"POST", "/admin/tiers/delete", tiers_delete, ROLE_ADMIN, 0},
    {"GET", "/admin/blocking", blocking_list, ROLE_ADMIN, 0},
    {"POST", "/admin/blocking", blocking_add, ROLE_ADMIN, 0},
    {"POST", "/admin/blocking/delete", blocking_delete, ROLE_ADMIN, 0},
    {"GET", "/api/admin/v1/tiers", tiers_list, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/tiers", tiers_add, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/tiers/delete", tiers_delete, ROLE_ADMIN, ROUTE_API},
    {"GET", "/api/admin/v1/blocking", blocking_list, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/blocking", blocking_add, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/blocking/delete", blocking_delete, ROLE_ADMIN, ROUTE_API},
};
const RouteTable admin_traffic_table = {routes, G_N_ELEMENTS(routes)};
