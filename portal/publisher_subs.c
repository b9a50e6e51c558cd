/*
 * publisher_subs: the subscriptions to one API (list; block production and
 * sandbox or production only; unblock; approve or reject one waiting ON_HOLD)
 * and the API's usage charts (HOUR, DAY, WEEK from statdb through the hub),
 * for its publisher or an admin; and the same charts for a subscriber's own
 * application (/store/usage/NAME). Trade-off: a rejected subscription is
 * BLOCKED rather than deleted, so the subscriber sees the answer.
 */
#include <string.h>

#include "chart_svg.h"
#include "hub_conn.h"
#include "portal.h"
#include "publisher_form.h"
#include "publisher_json.h"
#include "publisher_pages.h"
#include "publisher_reply.h"
#include "render.h"

#define PUB_ROLES (ROLE_PUBLISHER | ROLE_ADMIN)

static const char *const RANGES[] = {"HOUR", "DAY", "WEEK", NULL};

static GPtrArray *hub_subs(PortalReq *r, const char *ctx, const char *ver, HubErr *he) {
  GPtrArray *subs = g_ptr_array_new_with_free_func(g_object_unref);
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_list_api_subscriptions(HUB_IF, &subs, req_hub_session(r), ctx, ver,
                                                 HUB_EXC, HUB_ERR));
  return subs;
}

static const char *sub_status_label(const char *s) {
  if (g_strcmp0(s, "UNBLOCKED") == 0) return "Active";
  if (g_strcmp0(s, "BLOCKED") == 0) return "Blocked";
  if (g_strcmp0(s, "PROD_ONLY_BLOCKED") == 0) return "Production blocked";
  if (g_strcmp0(s, "ON_HOLD") == 0) return "Waiting for approval";
  return s ? s : "";
}

static void sub_button(PortalReq *r, GString *out, const char *action, const TgSubscription *s,
                       const char *status, const char *label, const char *cls) {
  form_begin(r, out, action, "inline");
  html_fmt(out,
           "<input type=\"hidden\" name=\"owner\" value=\"%s\">"
           "<input type=\"hidden\" name=\"application\" value=\"%s\">"
           "<input type=\"hidden\" name=\"status\" value=\"%s\">"
           "<button type=\"submit\" class=\"%s\">%s<span class=\"visually-hidden\"> "
           "%s</span></button></form>",
           s->applicationOwner, s->applicationName, status, cls, label, s->applicationName);
}

void publisher_subs_section(PortalReq *r, GString *out, const TgApi *api) {
  HubErr he = {0};
  g_autoptr(GPtrArray) subs = hub_subs(r, api->context, api->version, &he);
  g_autofree char *path = publisher_api_path(api->context, api->version);
  g_autofree char *action = g_strdup_printf("/publisher/subscription/%s", path);
  g_string_append(out, "<h2>Subscriptions</h2>");
  if (he.code) {
    html_fmt(out, "<p class=\"notice error\" role=\"alert\">%s</p>", he.message);
    hub_err_clear(&he);
    return;
  }
  if (!subs->len) {
    g_string_append(out,
                    "<div class=\"card\"><p>No application subscribes to this API yet.</p></div>");
    return;
  }
  g_string_append(
      out,
      "<div class=\"table-wrap\"><table><caption class=\"visually-hidden\">Subscriptions</caption>"
      "<thead><tr><th scope=\"col\">Application</th><th scope=\"col\">Owner</th>"
      "<th scope=\"col\">Tier</th><th scope=\"col\">Status</th><th scope=\"col\">Since</th>"
      "<th scope=\"col\">Actions</th></tr></thead><tbody>");
  for (guint i = 0; i < subs->len; i++) {
    const TgSubscription *s = g_ptr_array_index(subs, i);
    html_fmt(out,
             "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td><span "
             "class=\"badge\">%s</span></td><td>",
             s->applicationName, s->applicationOwner, s->tier, sub_status_label(s->status));
    html_time(out, s->createdAt);
    g_string_append(out, "</td><td><div class=\"row-actions\">");
    if (g_strcmp0(s->status, "ON_HOLD") == 0) {
      sub_button(r, out, action, s, "UNBLOCKED", "Approve", "small");
      sub_button(r, out, action, s, "BLOCKED", "Reject", "danger small");
    } else {
      if (g_strcmp0(s->status, "UNBLOCKED") != 0)
        sub_button(r, out, action, s, "UNBLOCKED", "Unblock", "secondary small");
      if (g_strcmp0(s->status, "BLOCKED") != 0)
        sub_button(r, out, action, s, "BLOCKED", "Block", "danger small");
      if (g_strcmp0(s->status, "UNBLOCKED") == 0)
        sub_button(r, out, action, s, "PROD_ONLY_BLOCKED", "Block production", "danger small");
    }
    g_string_append(out, "</div></td></tr>");
  }
  g_string_append(out, "</tbody></table></div>");
}

static void subs_list(PortalReq *r) {
  g_autofree char *ctx = NULL, *ver = NULL;
  if (!pub_api_from_path(r, &ctx, &ver)) return;
  HubErr he = {0};
  g_autoptr(GPtrArray) subs = hub_subs(r, ctx, ver, &he);
  if (pub_hub_failed(r, &he)) return;
  GString *out = g_string_new("{\"subscriptions\":");
  pj_list(out, subs, (PjWriter)pj_subscription);
  g_string_append_c(out, '}');
  reply_json(r, 200, out);
}

static void subs_set(PortalReq *r) {
  g_autofree char *ctx = NULL, *ver = NULL;
  if (!pub_api_from_path(r, &ctx, &ver)) return;
  const char *owner = pub_required(r, "owner", "owner");
  const char *app = owner ? pub_required(r, "application", "application") : NULL;
  const char *status = app ? pub_required(r, "status", "status") : NULL;
  if (!status) return;
  static const char *const allowed[] = {"UNBLOCKED", "BLOCKED", "PROD_ONLY_BLOCKED", NULL};
  if (!g_strv_contains(allowed, status)) {
    reply_error(r, 400, "status must be UNBLOCKED, BLOCKED or PROD_ONLY_BLOCKED");
    return;
  }
  HubErr he = {0};
  TgSubscription *s = g_object_new(TG_TYPE_SUBSCRIPTION, NULL);
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_set_subscription_status(HUB_IF, &s, req_hub_session(r), owner, app, ctx,
                                                  ver, status, HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) {
    g_object_unref(s);
    return;
  }
  GString *json = g_string_new(NULL);
  pj_subscription(json, s);
  g_autofree char *flash = g_strdup_printf("%s: %s.", s->applicationName ? s->applicationName : app,
                                           sub_status_label(s->status ? s->status : status));
  g_object_unref(s);
  g_autofree char *back = g_strdup_printf("/publisher/apis/%s?tab=subscriptions", r->rest);
  pub_done(r, flash, back, json);
}

/* ------------------------------------------------------------------ usage */

static TgUsageSeries *hub_usage(PortalReq *r, const char *scope, const char *subject,
                                const char *range, HubErr *he) {
  TgUsageSeries *u = g_object_new(TG_TYPE_USAGE_SERIES, NULL);
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_get_usage(HUB_IF, &u, req_hub_session(r), scope, subject, range, HUB_EXC,
                                    HUB_ERR));
  return u;
}

static const char *range_arg(PortalReq *r) {
  const char *range = req_arg(r, "range");
  return range && g_strv_contains(RANGES, range) ? range : "HOUR";
}

/* The range links, then the requests and latency charts of one subject (or the hub's error). */
static void usage_charts(PortalReq *r, GString *out, const char *scope, const char *subject,
                         const char *base, const char *what) {
  const char *range = range_arg(r);
  static const char *const labels[] = {"Last hour", "Last day", "Last week"};
  g_string_append(out, "<nav class=\"actions\" aria-label=\"Time range\">");
  for (guint i = 0; RANGES[i]; i++)
    html_fmt(out, "<a class=\"button small%R\" href=\"%srange=%s\"%R>%s</a>",
             strcmp(range, RANGES[i]) ? " secondary" : "", base, RANGES[i],
             strcmp(range, RANGES[i]) ? "" : " aria-current=\"true\"", labels[i]);
  g_string_append(out, "</nav>");
  HubErr he = {0};
  TgUsageSeries *u = hub_usage(r, scope, subject, range, &he);
  if (he.code) {
    html_fmt(out, "<p class=\"notice error\" role=\"alert\">%s</p>", he.message);
    hub_err_clear(&he);
  } else {
    g_autofree char *t1 = g_strdup_printf("Requests to %s", what);
    g_autofree char *t2 = g_strdup_printf("Latency of %s", what);
    g_string_append(out, "<section class=\"card\">");
    chart_svg_requests(out, "usage-req", t1, u);
    g_string_append(out, "</section><section class=\"card\">");
    chart_svg_latency(out, "usage-lat", t2, u);
    g_string_append(out, "</section>");
  }
  g_object_unref(u);
}

void publisher_usage_section(PortalReq *r, GString *out, const TgApi *api) {
  g_autofree char *subject = g_strdup_printf("%s:%s", api->context, api->version);
  g_autofree char *path = publisher_api_path(api->context, api->version);
  g_autofree char *base = g_strdup_printf("/publisher/apis/%s?tab=usage&", path);
  g_autofree char *what =
      g_strdup_printf("%s %s", api->name ? api->name : "", api->version ? api->version : "");
  g_string_append(out, "<h2>Usage</h2>");
  usage_charts(r, out, "API", subject, base, what);
}

/* A subscriber's own application: /store/usage/NAME (the hub checks the owner). */
static void app_usage(PortalReq *r) {
  const char *name = r->rest;
  if (!name || !*name || strpbrk(name, "/?#") || strlen(name) > 100) {
    reply_error(r, 404, "no such application");
    return;
  }
  g_autofree char *subject = g_strdup_printf("%s:%s", req_user(r), name);
  if (req_wants_json(r)) {
    HubErr he = {0};
    TgUsageSeries *u = hub_usage(r, "APPLICATION", subject, range_arg(r), &he);
    if (!pub_hub_failed(r, &he)) {
      GString *json = g_string_new(NULL);
      pj_usage(json, u);
      reply_json(r, 200, json);
    }
    g_object_unref(u);
    return;
  }
  GString *out = g_string_new(NULL);
  g_autofree char *title = g_strdup_printf("Usage of %s", name);
  page_begin(r, out, title);
  html_fmt(out,
           "<p class=\"meta\"><a href=\"/store/apps\">Applications</a> / <a "
           "href=\"/store/apps/%u\">%s</a></p>"
           "<h1>Usage of %s</h1>",
           name, name, name);
  GString *base = g_string_new("/store/usage/");
  tg_form_append_encoded(base, name);
  g_string_append_c(base, '?');
  usage_charts(r, out, "APPLICATION", subject, base->str, name);
  g_string_free(base, TRUE);
  page_end(r, out);
  reply_html(r, 200, out);
}

static void usage_json(PortalReq *r) {
  g_autofree char *ctx = NULL, *ver = NULL;
  if (!pub_api_from_path(r, &ctx, &ver)) return;
  g_autofree char *subject = g_strdup_printf("%s:%s", ctx, ver);
  HubErr he = {0};
  TgUsageSeries *u = hub_usage(r, "API", subject, range_arg(r), &he);
  if (pub_hub_failed(r, &he)) {
    g_object_unref(u);
    return;
  }
  GString *out = g_string_new(NULL);
  pj_usage(out, u);
  g_object_unref(u);
  reply_json(r, 200, out);
}

static const Route routes[] = {
    {"POST", "/publisher/subscription/*", subs_set, PUB_ROLES, 0},
    {"GET", "/api/publisher/v1/subscriptions/*", subs_list, PUB_ROLES, ROUTE_API},
    {"POST", "/api/publisher/v1/subscriptions/*", subs_set, PUB_ROLES, ROUTE_API},
    {"GET", "/api/publisher/v1/usage/*", usage_json, PUB_ROLES, ROUTE_API},
    {"GET", "/store/usage/*", app_usage, ROUTE_LOGGED_IN, 0},
    {"GET", "/api/store/v1/usage/*", app_usage, ROUTE_LOGGED_IN, ROUTE_API},
};
const RouteTable publisher_subs_table = {routes, G_N_ELEMENTS(routes)};
