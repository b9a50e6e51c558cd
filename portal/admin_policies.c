/*
 * admin_policies: custom throttling policies for an admin (issue 14): a request count or a
 * bandwidth per second, minute, hour or day, keyed by user, application, API, client IP or a
 * header's value, optionally for one API; list, add, delete after a confirmation page. As a page
 * and as /api/admin/v1/policies. Trade-off: no edit (the hub has none: a changed policy is a new
 * one, so a ledger key never changes its limit).
 */
#include <string.h>

#include "admin_form.h"
#include "hub_conn.h"
#include "page_kit.h"
#include "portal.h"
#include "publisher_json.h"
#include "publisher_pages.h"
#include "publisher_reply.h"
#include "render.h"

static const AdminOption KEYS[] = {{"USER", "User"},
                                   {"APPLICATION", "Application"},
                                   {"API", "API"},
                                   {"IP", "Client IP address"},
                                   {"HEADER", "A header's value"},
                                   {NULL, NULL}};
static const AdminOption UNITS[] = {
    {"second", "second"}, {"minute", "minute"}, {"hour", "hour"}, {"day", "day"}, {NULL, NULL}};

/* The words of the hub's policy refusals and the form field each is about (first match
   wins: the headerName message names keyBy too). */
static const char *const POLICY_FIELDS[][2] = {
    {"headerName", "headerName"},     {"policy name", "name"}, {"keyBy", "keyBy"},
    {"requestCount", "requestCount"}, {"unitTime", "unit"},    {"apiContext", "apiContext"},
    {"description", "description"},   {" exists", "name"},     {NULL, NULL}};

static void limit_text(GString *out, const TgCustomPolicy *p) {
  g_autofree char *per = admin_unit_text(p->unitTime);
  if (p->requestCount > 0) html_fmt(out, "%L requests %s", p->requestCount, per);
  if (p->requestCount > 0 && p->bytesCount > 0) g_string_append(out, "<br>");
  if (p->bytesCount > 0) html_fmt(out, "%L bytes %s", p->bytesCount, per);
}

static void key_text(GString *out, const TgCustomPolicy *p) {
  html_text(out, admin_option_label(KEYS, p->keyBy));
  if (p->headerName && *p->headerName) html_fmt(out, " <code>%s</code>", p->headerName);
}

static void policy_row(GString *out, const TgCustomPolicy *p) {
  html_fmt(out, "<tr><th scope=\"row\">%s<br><span class=\"meta\">%s</span></th><td>", p->name,
           p->description);
  key_text(out, p);
  g_string_append(out, "</td><td>");
  limit_text(out, p);
  html_fmt(out, "</td><td>%s</td><td>", p->sliding ? "Sliding" : "Fixed");
  if (p->apiContext && *p->apiContext)
    html_fmt(out, "<code>%s</code>", p->apiContext);
  else
    g_string_append(out, "Every API");
  g_string_append(out, "</td><td>");
  html_time(out, p->createdAt);
  html_fmt(out,
           "</td><td><a class=\"button danger small\" href=\"/admin/policies/delete?id=%L\">"
           "Delete<span class=\"visually-hidden\"> %s</span></a></td></tr>",
           p->id, p->name);
}

static void policy_form(PortalReq *r, GString *out, const AdminRefusal *refused) {
  AdminForm f = {r, refused};
  g_string_append(out,
                  "<section class=\"card\" aria-labelledby=\"h-policy\"><h2 id=\"h-policy\">Add "
                  "a custom policy</h2>");
  admin_form_alert(out, &f);
  form_begin(r, out, "/admin/policies", "stack");
  admin_input(out, &f, "text", "name", "Name", NULL, "required maxlength=\"64\"",
              "Letters, digits and signs; no spaces.");
  admin_select(out, &f, "keyBy", "Counted per", KEYS, "IP", NULL);
  admin_input(out, &f, "text", "headerName", "Header name", NULL, "maxlength=\"128\"",
              "Only when counted per a header's value, for example X-Client-Id.");
  admin_input(out, &f, "number", "requestCount", "Requests", "100", "min=\"0\"",
              "0: no request limit (then set bytes).");
  admin_input(out, &f, "number", "bytesCount", "Bytes (bandwidth)", "0", "min=\"0\"",
              "Response bytes; 0: no bandwidth limit.");
  admin_select(out, &f, "unit", "Per", UNITS, "minute", NULL);
  admin_check(out, &f, "sliding", "Sliding window (instead of fixed windows)", FALSE);
  admin_input(out, &f, "text", "apiContext", "API context", NULL, "maxlength=\"255\"",
              "For example /pizza; empty: every API.");
  admin_input(out, &f, "text", "description", "Description", NULL, "maxlength=\"255\"", NULL);
  form_submit(out, "Add policy");
  form_end(out);
  g_string_append(out, "</section>");
}

static void policies_html(PortalReq *r, int status, GPtrArray *policies,
                          const AdminRefusal *refused) {
  GString *out = g_string_new(NULL);
  admin_page_begin(r, out, "Administration", "policies");
  g_string_append(out,
                  "<p class=\"lead\">A custom policy counts every matching call on every "
                  "gateway together; over the limit a call gets 429 (code 900806).</p>");
  if (!policies->len)
    g_string_append(out, "<div class=\"card\"><p>No custom policy yet.</p></div>");
  else
    g_string_append(
        out,
        "<div class=\"table-wrap\"><table><caption class=\"visually-hidden\">Custom policies"
        "</caption><thead><tr><th scope=\"col\">Policy</th><th scope=\"col\">Counted per</th>"
        "<th scope=\"col\">Limit</th><th scope=\"col\">Window</th><th scope=\"col\">API</th>"
        "<th scope=\"col\">Since</th><th scope=\"col\">Delete</th></tr></thead><tbody>");
  for (guint i = 0; i < policies->len; i++) policy_row(out, g_ptr_array_index(policies, i));
  if (policies->len) g_string_append(out, "</tbody></table></div>");
  policy_form(r, out, refused);
  page_end(r, out);
  reply_html(r, status, out);
}

static GPtrArray *hub_policies(PortalReq *r, HubErr *he) {
  GPtrArray *policies = obj_list();
  GPtrArray *got = policies;
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_list_custom_policies(HUB_IF, &got, req_hub_session(r), HUB_EXC, HUB_ERR));
  return policies;
}

static void policies_list(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(GPtrArray) policies = hub_policies(r, &he);
  if (pub_hub_failed(r, &he)) return;
  if (!req_wants_json(r)) {
    policies_html(r, 200, policies, NULL);
    return;
  }
  GString *out = g_string_new("{\"policies\":");
  pj_list(out, policies, (PjWriter)pj_custom_policy);
  g_string_append_c(out, '}');
  reply_json(r, 200, out);
}

static void policies_refused(PortalReq *r, AdminRefusal *ar) {
  if (req_wants_json(r)) {
    reply_error(r, ar->status, ar->message);
    return;
  }
  HubErr he = {0};
  g_autoptr(GPtrArray) policies = hub_policies(r, &he);
  if (pub_hub_failed(r, &he)) return;
  policies_html(r, ar->status, policies, ar);
}

/* The policy the request describes, or NULL with a refusal (a malformed number or unit). */
static TgCustomPolicy *policy_from_request(PortalReq *r, AdminRefusal *ar) {
  gint64 requests = 0, bytes = 0, unit = 60;
  if (!admin_arg_int(r, "requestCount", &requests, ar) ||
      !admin_arg_int(r, "bytesCount", &bytes, ar) ||
      !admin_arg_unit(r, "unit", "unitTime", &unit, ar))
    return NULL;
  g_autofree char *header = g_strstrip(g_strdup(admin_arg_text(r, "headerName")));
  g_autofree char *context = g_strstrip(g_strdup(admin_arg_text(r, "apiContext")));
  return g_object_new(TG_TYPE_CUSTOM_POLICY, "name", admin_arg_text(r, "name"), "keyBy",
                      admin_arg_text(r, "keyBy"), "headerName", header, "requestCount", requests,
                      "bytesCount", bytes, "unitTime", unit, "sliding",
                      admin_arg_flag(r, "sliding") == 1, "apiContext", context, "description",
                      admin_arg_text(r, "description"), NULL);
}

static void policies_add(PortalReq *r) {
  AdminRefusal ar = {0};
  g_autoptr(GObject) o = (GObject *)policy_from_request(r, &ar);
  if (o == NULL) {
    policies_refused(r, &ar);
    admin_refusal_clear(&ar);
    return;
  }
  HubErr he = {0};
  g_autoptr(GObject) a = g_object_new(TG_TYPE_CUSTOM_POLICY, NULL);
  TgCustomPolicy *added = (TgCustomPolicy *)a;
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_add_custom_policy(HUB_IF, &added, req_hub_session(r), (TgCustomPolicy *)o,
                                            HUB_EXC, HUB_ERR));
  if (he.code == 400 || he.code == 409) {
    admin_refusal_set(&ar, he.code, admin_field_of(he.message, POLICY_FIELDS), he.message);
    hub_err_clear(&he);
    policies_refused(r, &ar);
    admin_refusal_clear(&ar);
    return;
  }
  if (pub_hub_failed(r, &he)) return;
  GString *json = g_string_new(NULL);
  pj_custom_policy(json, added);
  g_autofree char *flash = g_strdup_printf("Added the custom policy %s.", added->name);
  pub_done(r, flash, "/admin/policies", json);
}

/* GET /admin/policies/delete?id=N: the confirmation page (the hub has no get by id). */
static void policies_confirm(PortalReq *r) {
  gint64 id = req_arg_int(r, "id", 0, 1, G_MAXINT64);
  HubErr he = {0};
  g_autoptr(GPtrArray) policies = hub_policies(r, &he);
  if (pub_hub_failed(r, &he)) return;
  const TgCustomPolicy *p = NULL;
  for (guint i = 0; !p && i < policies->len; i++)
    if (((TgCustomPolicy *)g_ptr_array_index(policies, i))->id == id)
      p = g_ptr_array_index(policies, i);
  if (!p) {
    reply_error(r, 404, "no such custom policy (deleted already?)");
    return;
  }
  g_autofree char *sid = g_strdup_printf("%" G_GINT64_FORMAT, id);
  GString *out = g_string_new(NULL);
  admin_page_begin(r, out, "Administration", "policies");
  html_fmt(out,
           "<section class=\"card\" aria-labelledby=\"h-confirm\"><h2 id=\"h-confirm\">Delete "
           "the custom policy %s?</h2><p>Limit: ",
           p->name);
  limit_text(out, p);
  g_string_append(out, "<br>Counted per: ");
  key_text(out, p);
  g_string_append(out,
                  "</p><p>Every gateway stops counting calls against it within two "
                  "seconds.</p><div class=\"row-actions\">");
  form_button(r, out, "/admin/policies/delete", "Delete", "danger", "id", sid);
  g_string_append(out,
                  "<a class=\"button secondary\" href=\"/admin/policies\">Cancel</a>"
                  "</div></section>");
  page_end(r, out);
  reply_html(r, 200, out);
}

static void policies_delete(PortalReq *r) {
  gint64 id = req_arg_int(r, "id", 0, 1, G_MAXINT64);
  if (id <= 0) {
    reply_error(r, 400, "id (the policy's number) is required");
    return;
  }
  HubErr he = {0};
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_delete_custom_policy(HUB_IF, req_hub_session(r), id, HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) return;
  pub_done(r, "Deleted the custom policy.", "/admin/policies", NULL);
}

static const Route routes[] = {
    {"GET", "/admin/policies", policies_list, ROLE_ADMIN, 0},
    {"POST", "/admin/policies", policies_add, ROLE_ADMIN, 0},
    {"GET", "/admin/policies/delete", policies_confirm, ROLE_ADMIN, 0},
    {"POST", "/admin/policies/delete", policies_delete, ROLE_ADMIN, 0},
    {"GET", "/api/admin/v1/policies", policies_list, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/policies", policies_add, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/policies/delete", policies_delete, ROLE_ADMIN, ROUTE_API},
};
const RouteTable admin_policies_table = {routes, G_N_ELEMENTS(routes)};
