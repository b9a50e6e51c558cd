/*
 * admin_traffic: throttling tiers and blocking conditions for an admin, as pages and as
 * /api/admin/v1/{tiers,blocking}: every field of the hub's Tier (requests, bandwidth, burst,
 * window, quota, approval, fail mode). The rules are the hub's (one place for each); the portal
 * reads numbers strictly and shows a refusal next to the field it is about (admin_form.h).
 */
#include <string.h>

#include "admin_form.h"
#include "hub_conn.h"
#include "portal.h"
#include "publisher_json.h"
#include "publisher_pages.h"
#include "publisher_reply.h"
#include "render.h"

static const AdminOption LEVELS[] = {{"SUBSCRIPTION", "Subscription"},
                                     {"APPLICATION", "Application"},
                                     {"API", "API"},
                                     {"RESOURCE", "Resource"},
                                     {NULL, NULL}};
static const AdminOption UNITS[] = {
    {"second", "second"}, {"minute", "minute"}, {"hour", "hour"}, {"day", "day"}, {NULL, NULL}};
static const AdminOption BURST_UNITS[] = {{"second", "second"}, {"minute", "minute"}, {NULL, NULL}};
static const AdminOption FAIL_MODES[] = {{"static", "Static share per gateway"},
                                         {"closed", "Closed (refuse)"},
                                         {"open", "Open (let through)"},
                                         {NULL, NULL}};
static const AdminOption KINDS[] = {{"API", "API context"},
                                    {"APPLICATION", "Application"},
                                    {"USER", "User"},
                                    {"IP", "IP address or range"},
                                    {NULL, NULL}};

/* The words of the hub's tier refusals and the form field each is about. */
static const char *const TIER_FIELDS[][2] = {{"tier name", "name"},
                                             {"level is", "level"},
                                             {"unitTime", "unit"},
                                             {"a burst is", "burstUnit"},
                                             {"failMode", "failMode"},
                                             {"description", "description"},
                                             {"requiresApproval", "requiresApproval"},
                                             {" exists", "name"},
                                             {NULL, NULL}};

/* ------------------------------------------------------------------ tiers */

static void count_text(GString *out, gint64 count, gint64 unit, const char *what) {
  if (count <= 0) {
    g_string_append(out, "&#8212;");
    return;
  }
  g_autofree char *per = admin_unit_text(unit);
  html_fmt(out, "%L%s %s", count, what, per);
}

static void tier_row(PortalReq *r, GString *out, const TgTier *t) {
  GString *href = g_string_new("/admin/tiers/");
  tg_form_append_encoded(href, t->level);
  g_string_append_c(href, '/');
  tg_form_append_encoded(href, t->name);
  html_fmt(out,
           "<tr><th scope=\"row\"><a href=\"%R\">%s</a><br><span class=\"meta\">%s</span></th>"
           "<td>%s</td><td>",
           href->str, t->name, t->description, admin_option_label(LEVELS, t->level));
  g_string_free(href, TRUE);
  if (t->requestCount <= 0)
    g_string_append(out, "Unlimited");
  else
    count_text(out, t->requestCount, t->unitTime, "");
  g_string_append(out, "</td><td>");
  count_text(out, t->bytesCount, t->unitTime, " bytes");
  g_string_append(out, "</td><td>");
  count_text(out, t->burstCount, t->burstUnitTime, "");
  html_fmt(out, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>",
           t->sliding ? "Sliding" : "Fixed", t->stopOnQuotaReach ? "Stop" : "Let through",
           t->requiresApproval ? "Required" : "No", t->failMode ? t->failMode : "static");
  form_begin(r, out, "/admin/tiers/delete", "inline");
  html_fmt(out,
           "<input type=\"hidden\" name=\"name\" value=\"%s\"><input type=\"hidden\" "
           "name=\"level\" value=\"%s\"><button type=\"submit\" class=\"danger small\">Delete"
           "<span class=\"visually-hidden\"> %s</span></button></form></td></tr>",
           t->name, t->level, t->name);
}

static void tier_form(PortalReq *r, GString *out, const AdminRefusal *refused) {
  AdminForm f = {r, refused};
  g_string_append(out,
                  "<section class=\"card\" aria-labelledby=\"h-tier\"><h2 id=\"h-tier\">Add a "
                  "tier</h2>");
  admin_form_alert(out, &f);
  form_begin(r, out, "/admin/tiers", "stack");
  admin_input(out, &f, "text", "name", "Name", NULL, "required maxlength=\"64\"",
              "Letters, digits and signs; no spaces.");
  admin_select(out, &f, "level", "Level", LEVELS, "SUBSCRIPTION", NULL);
  admin_input(out, &f, "number", "requestCount", "Requests", "1000", "min=\"0\"",
              "0: no request limit (Unlimited).");
  admin_select(out, &f, "unit", "Per", UNITS, "minute", "The window of requests and bytes.");
  admin_input(out, &f, "number", "bytesCount", "Bytes (bandwidth)", "0", "min=\"0\"",
              "Response bytes per window; 0: no bandwidth limit.");
  admin_input(out, &f, "number", "burstCount", "Burst (spike arrest)", "0", "min=\"0\"",
              "At most this many requests per second or minute; 0: none.");
  admin_select(out, &f, "burstUnit", "Burst per", BURST_UNITS, "second", NULL);
  admin_select(out, &f, "failMode", "When no hub answers", FAIL_MODES, "static", NULL);
  admin_input(out, &f, "text", "description", "Description", NULL, "maxlength=\"255\"", NULL);
  admin_check(out, &f, "stopOnQuotaReach", "Stop calls over the quota", TRUE);
  admin_check(out, &f, "sliding", "Sliding window (instead of fixed windows)", FALSE);
  admin_check(out, &f, "requiresApproval",
              "Subscriptions need a publisher's approval (subscription tiers)", FALSE);
  form_submit(out, "Add tier");
  form_end(out);
  g_string_append(out, "</section>");
}

static void tiers_html(PortalReq *r, int status, GPtrArray *tiers, const AdminRefusal *refused) {
  GString *out = g_string_new(NULL);
  admin_page_begin(r, out, "Administration", "tiers");
  g_string_append(
      out,
      "<div class=\"table-wrap\"><table><caption class=\"visually-hidden\">Tiers</caption>"
      "<thead><tr><th scope=\"col\">Tier</th><th scope=\"col\">Level</th>"
      "<th scope=\"col\">Requests</th><th scope=\"col\">Bandwidth</th><th scope=\"col\">Burst</th>"
      "<th scope=\"col\">Window</th><th scope=\"col\">On quota</th>"
      "<th scope=\"col\">Approval</th><th scope=\"col\">No hub</th><th scope=\"col\">Delete</th>"
      "</tr></thead><tbody>");
  for (guint i = 0; i < tiers->len; i++) tier_row(r, out, g_ptr_array_index(tiers, i));
  g_string_append(out, "</tbody></table></div>");
  tier_form(r, out, refused);
  page_end(r, out);
  reply_html(r, status, out);
}

static GPtrArray *hub_tiers(PortalReq *r, HubErr *he) {
  GPtrArray *tiers = g_ptr_array_new_with_free_func(g_object_unref);
  GPtrArray *got = tiers;
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_list_tiers(HUB_IF, &got, req_hub_session(r), HUB_EXC, HUB_ERR));
  return tiers;
}

static void tiers_list(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(GPtrArray) tiers = hub_tiers(r, &he);
  if (pub_hub_failed(r, &he)) return;
  if (!req_wants_json(r)) {
    tiers_html(r, 200, tiers, NULL);
    return;
  }
  GString *out = g_string_new("{\"tiers\":");
  pj_list(out, tiers, (PjWriter)pj_tier);
  g_string_append_c(out, '}');
  reply_json(r, 200, out);
}

/* A refused form: JSON answers the message; a browser gets the page again, the form filled
   with what it sent and the reason next to the field. */
static void tiers_refused(PortalReq *r, AdminRefusal *ar) {
  if (req_wants_json(r)) {
    reply_error(r, ar->status, ar->message);
    return;
  }
  HubErr he = {0};
  g_autoptr(GPtrArray) tiers = hub_tiers(r, &he);
  if (pub_hub_failed(r, &he)) return;
  tiers_html(r, ar->status, tiers, ar);
}

static void set_flag(PortalReq *r, TgTier *t, const char *name) {
  int v = admin_arg_flag(r, name);
  if (v < 0 && r->json) return; /* a script that leaves it out gets the hub's default */
  g_object_set(t, name, v == 1, NULL);
}

/* The tier the request describes, or NULL with a refusal (a malformed number or unit). */
static TgTier *tier_from_request(PortalReq *r, AdminRefusal *ar) {
  gint64 requests = 0, unit = 60, bytes = 0, burst = 0, burst_unit = 1;
  if (!admin_arg_int(r, "requestCount", &requests, ar) ||
      !admin_arg_unit(r, "unit", "unitTime", &unit, ar) ||
      !admin_arg_int(r, "bytesCount", &bytes, ar) || !admin_arg_int(r, "burstCount", &burst, ar) ||
      !admin_arg_unit(r, "burstUnit", "burstUnitTime", &burst_unit, ar))
    return NULL;
  const char *level = req_arg(r, "level");
  TgTier *t = g_object_new(
      TG_TYPE_TIER, "name", admin_arg_text(r, "name"), "level",
      level && *level ? level : "SUBSCRIPTION", "requestCount", requests, "unitTime", unit,
      "bytesCount", bytes, "burstCount", burst, "burstUnitTime", burst_unit, "description",
      admin_arg_text(r, "description"), "failMode", admin_arg_text(r, "failMode"), NULL);
  set_flag(r, t, "stopOnQuotaReach");
  set_flag(r, t, "sliding");
  set_flag(r, t, "requiresApproval");
  return t;
}

/* The form field a hub refusal of t is about. */
static const char *tier_field(const TgTier *t, const char *message) {
  if (message && strstr(message, "counts are"))
    return t->requestCount < 0 ? "requestCount" : t->bytesCount < 0 ? "bytesCount" : "burstCount";
  return admin_field_of(message, TIER_FIELDS);
}

static void tiers_add(PortalReq *r) {
  AdminRefusal ar = {0};
  g_autoptr(GObject) o = (GObject *)tier_from_request(r, &ar);
  if (o == NULL) {
    tiers_refused(r, &ar);
    admin_refusal_clear(&ar);
    return;
  }
  TgTier *t = (TgTier *)o;
  HubErr he = {0};
  g_autoptr(GObject) a = g_object_new(TG_TYPE_TIER, NULL);
  TgTier *added = (TgTier *)a;
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_add_tier(HUB_IF, &added, req_hub_session(r), t, HUB_EXC, HUB_ERR));
  if (he.code == 400 || he.code == 409) {
    admin_refusal_set(&ar, he.code, tier_field(t, he.message), he.message);
    hub_err_clear(&he);
    tiers_refused(r, &ar);
    admin_refusal_clear(&ar);
    return;
  }
  if (pub_hub_failed(r, &he)) return;
  GString *json = g_string_new(NULL);
  pj_tier(json, added);
  g_autofree char *flash = g_strdup_printf("Added the tier %s.", t->name);
  pub_done(r, flash, "/admin/tiers", json);
}

static void tier_detail(GString *out, const TgTier *t) {
  g_autofree char *per = admin_unit_text(t->unitTime);
  html_fmt(out,
           "<div class=\"table-wrap\"><table><caption class=\"visually-hidden\">The tier %s"
           "</caption><tbody><tr><th scope=\"row\">Level</th><td>%s</td></tr>"
           "<tr><th scope=\"row\">Requests</th><td>",
           t->name, admin_option_label(LEVELS, t->level));
  if (t->requestCount <= 0)
    g_string_append(out, "Unlimited");
  else
    count_text(out, t->requestCount, t->unitTime, "");
  g_string_append(out, "</td></tr><tr><th scope=\"row\">Bandwidth</th><td>");
  count_text(out, t->bytesCount, t->unitTime, " bytes");
  g_string_append(out, "</td></tr><tr><th scope=\"row\">Burst</th><td>");
  count_text(out, t->burstCount, t->burstUnitTime, "");
  html_fmt(out,
           "</td></tr><tr><th scope=\"row\">Window</th><td>%s, %s</td></tr>"
           "<tr><th scope=\"row\">Over the quota</th><td>%s</td></tr>"
           "<tr><th scope=\"row\">Approval</th><td>%s</td></tr>"
           "<tr><th scope=\"row\">When no hub answers</th><td>%s</td></tr>"
           "<tr><th scope=\"row\">Description</th><td>%s</td></tr></tbody></table></div>",
           t->sliding ? "sliding" : "fixed", per + 4,
           t->stopOnQuotaReach ? "calls are stopped" : "calls go through, marked over quota",
           t->requiresApproval ? "a publisher approves each subscription" : "not needed",
           admin_option_label(FAIL_MODES, t->failMode ? t->failMode : "static"), t->description);
}

/* GET /admin/tiers/LEVEL/NAME */
static void tier_show(PortalReq *r) {
  const char *slash = r->rest ? strchr(r->rest, '/') : NULL;
  if (!slash || slash == r->rest || !slash[1]) {
    reply_error(r, 404, "no such tier: the address ends in /LEVEL/NAME");
    return;
  }
  g_autofree char *level = g_strndup(r->rest, slash - r->rest);
  HubErr he = {0};
  g_autoptr(GObject) o = g_object_new(TG_TYPE_TIER, NULL);
  TgTier *t = (TgTier *)o;
  HUB_CALL(
      r->portal->hub, &he,
      tg_tollgate_if_get_tier(HUB_IF, &t, req_hub_session(r), slash + 1, level, HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) return;
  if (req_wants_json(r)) {
    GString *json = g_string_new(NULL);
    pj_tier(json, t);
    reply_json(r, 200, json);
    return;
  }
  GString *out = g_string_new(NULL);
  admin_page_begin(r, out, "Administration", "tiers");
  html_fmt(out, "<h2>Tier %s</h2>", t->name);
  tier_detail(out, t);
  g_string_append(out,
                  "<section class=\"card\" aria-labelledby=\"h-del\"><h2 id=\"h-del\">Delete "
                  "this tier</h2><p>APIs, subscriptions and applications that name it lose "
                  "their limit.</p>");
  g_string_append(out, "<div class=\"row-actions\">");
  form_begin(r, out, "/admin/tiers/delete", "inline");
  html_fmt(out,
           "<input type=\"hidden\" name=\"name\" value=\"%s\"><input type=\"hidden\" "
           "name=\"level\" value=\"%s\"><button type=\"submit\" class=\"danger\">Delete %s"
           "</button></form><a class=\"button secondary\" href=\"/admin/tiers\">Back to the "
           "tiers</a></div></section>",
           t->name, t->level, t->name);
  page_end(r, out);
  reply_html(r, 200, out);
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

static void blocking_html(PortalReq *r, int status, GPtrArray *conds, const AdminRefusal *refused) {
  AdminForm f = {r, refused};
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
    html_fmt(out, "<tr><td>%s</td><th scope=\"row\"><code>%s</code></th><td>",
             admin_option_label(KINDS, b->kind), b->value);
    html_time(out, b->createdAt);
    g_string_append(out, "</td><td>");
    form_button(r, out, "/admin/blocking/delete", "Remove", "secondary small", "id", id);
    g_string_append(out, "</td></tr>");
  }
  if (conds->len) g_string_append(out, "</tbody></table></div>");
  g_string_append(
      out, "<section class=\"card\" aria-labelledby=\"h-block\"><h2 id=\"h-block\">Block</h2>");
  admin_form_alert(out, &f);
  form_begin(r, out, "/admin/blocking", "stack");
  admin_select(out, &f, "kind", "Kind", KINDS, "IP", NULL);
  admin_input(out, &f, "text", "value", "Value", NULL, "required maxlength=\"512\"",
              "API: /context:version; application: owner:name; user: a name; IP: an IPv4 or "
              "IPv6 address or a range such as 10.0.0.0/8 or 2001:db8::/32.");
  form_submit(out, "Add condition");
  form_end(out);
  g_string_append(out, "</section>");
  page_end(r, out);
  reply_html(r, status, out);
}

static GPtrArray *hub_blocks(PortalReq *r, HubErr *he) {
  GPtrArray *conds = g_ptr_array_new_with_free_func(g_object_unref);
  GPtrArray *got = conds;
  HUB_CALL(
      r->portal->hub, he,
      tg_tollgate_if_list_block_conditions(HUB_IF, &got, req_hub_session(r), HUB_EXC, HUB_ERR));
  return conds;
}

static void blocking_list(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(GPtrArray) conds = hub_blocks(r, &he);
  if (pub_hub_failed(r, &he)) return;
  if (!req_wants_json(r)) {
    blocking_html(r, 200, conds, NULL);
    return;
  }
  GString *out = g_string_new("{\"conditions\":");
  pj_list(out, conds, (PjWriter)pj_block);
  g_string_append_c(out, '}');
  reply_json(r, 200, out);
}

static void blocking_refused(PortalReq *r, int status, const char *message) {
  if (req_wants_json(r)) {
    reply_error(r, status, message);
    return;
  }
  AdminRefusal ar = {0};
  admin_refusal_set(&ar, status, message && strstr(message, "kind is") ? "kind" : "value", message);
  HubErr he = {0};
  g_autoptr(GPtrArray) conds = hub_blocks(r, &he);
  if (!pub_hub_failed(r, &he)) blocking_html(r, status, conds, &ar);
  admin_refusal_clear(&ar);
}

static void blocking_add(PortalReq *r) {
  const char *kind = req_arg(r, "kind");
  const char *value = req_arg(r, "value");
  g_autofree char *trimmed = g_strstrip(g_strdup(value ? value : ""));
  g_autoptr(GObject) o =
      g_object_new(TG_TYPE_BLOCK_CONDITION, "kind", kind ? kind : "", "value", trimmed, NULL);
  HubErr he = {0};
  g_autoptr(GObject) a = g_object_new(TG_TYPE_BLOCK_CONDITION, NULL);
  TgBlockCondition *added = (TgBlockCondition *)a;
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_add_block_condition(HUB_IF, &added, req_hub_session(r),
                                              (TgBlockCondition *)o, HUB_EXC, HUB_ERR));
  if (he.code == 400 || he.code == 409) {
    blocking_refused(r, he.code, he.message);
    hub_err_clear(&he);
    return;
  }
  if (pub_hub_failed(r, &he)) return;
  GString *json = g_string_new(NULL);
  pj_block(json, added);
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
    {"GET", "/admin/tiers/*", tier_show, ROLE_ADMIN, 0},
    {"GET", "/admin/blocking", blocking_list, ROLE_ADMIN, 0},
    {"POST", "/admin/blocking", blocking_add, ROLE_ADMIN, 0},
    {"POST", "/admin/blocking/delete", blocking_delete, ROLE_ADMIN, 0},
    {"GET", "/api/admin/v1/tiers", tiers_list, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/tiers", tiers_add, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/tiers/delete", tiers_delete, ROLE_ADMIN, ROUTE_API},
    {"GET", "/api/admin/v1/tiers/*", tier_show, ROLE_ADMIN, ROUTE_API},
    {"GET", "/api/admin/v1/blocking", blocking_list, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/blocking", blocking_add, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/blocking/delete", blocking_delete, ROLE_ADMIN, ROUTE_API},
};
const RouteTable admin_traffic_table = {routes, G_N_ELEMENTS(routes)};
