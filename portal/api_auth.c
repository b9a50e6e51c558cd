/*
 * api_auth: POST /api/auth/token, where a script trades a user name and
 * password for a bearer token (a portal session of kind bearer, expiring after
 * bearer_ttl_s, kept by the hubs like a cookie session) that carries the user's roles;
 * DELETE revokes it.
 */
#include <string.h>

#include "pages.h"
#include "portal.h"
#include "render.h"
#include "session_hub.h"
#include "store_account.h"
#include "tg_json.h"

static void token_post(PortalReq *r) {
  const char *user = req_arg(r, "username"), *password = req_arg(r, "password");
  if (!user || !*user || !password || !*password) {
    reply_error(r, 400, "send username and password");
    return;
  }
  HubErr he = {0};
  g_autofree char *token = session_hub_login(r, user, password, SESSION_BEARER, &he);
  if (!token) {
    reply_error(r, he.code, he.message);
    hub_err_clear(&he);
    return;
  }
  int ttl = r->portal->cfg->bearer_ttl_s;
  g_autofree char *u = NULL;
  guint roles = 0;
  hub_session_identity(token, &u, &roles);
  GString *out = g_string_new("{");
  tg_json_member_string(out, "access_token", token);
  tg_json_member_string(out, "token_type", "Bearer");
  tg_json_member_int(out, "expires_in", ttl);
  tg_json_member_string(out, "user", u);
  tg_json_member_key(out, "roles");
  g_string_append_c(out, '[');
  static const char *const names[] = {"admin", "publisher", "subscriber", "gateway"};
  gboolean first = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS(names); i++)
    if (roles & (1u << i)) {
      if (!first) g_string_append_c(out, ',');
      tg_json_append_string(out, names[i]);
      first = FALSE;
    }
  g_string_append(out, "]}");
  reply_json(r, 200, out);
}

static void token_delete(PortalReq *r) {
  session_hub_logout(r);
  reply_body(r, 204, "application/json", "", 0);
}

static const Route routes[] = {
    {"POST", "/api/auth/token", token_post, 0, ROUTE_API | ROUTE_NO_CSRF},
    {"DELETE", "/api/auth/token", token_delete, ROUTE_LOGGED_IN, ROUTE_API},
};
const RouteTable api_table = {routes, G_N_ELEMENTS(routes)};
