/*
 * store_account: sign-in, sign-up, sign-out and "my sessions". A login makes
 * a hub session (the hub's failure limiter sees every attempt) and a new
 * portal session with a new id; the pre-session cookie that carried the login
 * form's CSRF token is dropped. Re-authentication for sensitive actions is
 * account_reauth(), used by the pages that need it.
 */
#include "store_account.h"

#include <string.h>

#include "hub_conn.h"
#include "page_kit.h"
#include "pages.h"
#include "portal.h"
#include "render.h"
#include "session_hub.h"

gboolean account_reauth(PortalReq *r, HubErr *he) {
  const char *password = req_arg(r, "password");
  if (!r->session || !password || !*password) {
    he->code = 401;
    he->message = g_strdup("enter your password to confirm");
    return FALSE;
  }
  HUB_CALL(
      r->portal->hub, he,
      tg_tollgate_if_verify_password(HUB_IF, r->session->hub_session, password, HUB_EXC, HUB_ERR));
  if (he->code == 401) {
    g_free(he->message);
    he->message = g_strdup("that password is not right");
  }
  return he->code == 0;
}

gboolean account_signup_open(PortalReq *r) {
  GHashTable *settings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  HubErr he = {0};
  HUB_CALL(r->portal->hub, &he,
           (g_hash_table_remove_all(settings),
            tg_tollgate_if_get_settings(HUB_IF, &settings, "", HUB_EXC, HUB_ERR)));
  const char *v = he.code == 0 ? g_hash_table_lookup(settings, "signup_enabled") : NULL;
  gboolean open = v ? !g_strcmp0(v, "true") : r->portal->cfg->signup_default;
  hub_err_clear(&he);
  g_hash_table_unref(settings);
  return open;
}

/* --- pages --- */

static const char *safe_next(PortalReq *r) {
  const char *next = req_arg(r, "next");
  if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strpbrk(next, "\r\n"))
    return "/";
  return next;
}

static void login_form(PortalReq *r, int status, const char *error, const char *user) {
  GString *out = g_string_new(NULL);
  page_begin(r, out, "Sign in");
  g_string_append(out, "<div class=\"auth card\"><h1>Sign in</h1>");
  if (error) html_fmt(out, "<p class=\"notice error\" role=\"alert\">%s</p>", error);
  form_begin(r, out, "/login", "stack");
  html_fmt(out, "<input type=\"hidden\" name=\"next\" value=\"%s\">", safe_next(r));
  field_text(out, "username", "User name", user, "required autocomplete=\"username\" autofocus");
  field_input(out, "password", "password", "Password", "",
              "required autocomplete=\"current-password\"");
  form_submit(out, "Sign in");
  form_end(out);
  g_string_append(
      out, "<p class=\"meta\">New here? <a href=\"/signup\">Create an account</a></p></div>");
  page_end(r, out);
  reply_html(r, status, out);
}

static void login_get(PortalReq *r) {
  if (r->session) {
    reply_redirect(r, safe_next(r));
    return;
  }
  login_form(r, 200, NULL, NULL);
}

static void login_post(PortalReq *r) {
  const char *user = req_arg(r, "username"), *password = req_arg(r, "password");
  if (!user || !*user || !password || !*password) {
    login_form(r, 400, "enter your user name and password", user);
    return;
  }
  HubErr he = {0};
  g_autofree char *id = session_hub_login(r, user, password, SESSION_COOKIE, &he);
  if (!id) {
    login_form(r, he.code, he.message, user);
    hub_err_clear(&he);
    return;
  }
  if (r->session) session_hub_logout(r); /* never keep an old id */
  reply_set_cookie(r, SESSION_COOKIE_NAME, id, -1);
  reply_set_cookie(r, PRE_COOKIE_NAME, "", 0);
  reply_redirect(r, safe_next(r));
}

static void logout_post(PortalReq *r) {
  session_hub_logout(r);
  reply_set_cookie(r, SESSION_COOKIE_NAME, "", 0);
  reply_redirect(r, "/");
}

static void signup_form(PortalReq *r, int status, const char *error, const char *user) {
  GString *out = g_string_new(NULL);
  page_begin(r, out, "Create an account");
  g_string_append(out,
                  "<div class=\"auth card\"><h1>Create an account</h1>"
                  "<p class=\"lead\">Subscribe to APIs, get keys and tokens.</p>");
  if (error) html_fmt(out, "<p class=\"notice error\" role=\"alert\">%s</p>", error);
  form_begin(r, out, "/signup", "stack");
  field_text(out, "username", "User name", user,
             "required autocomplete=\"username\" maxlength=\"64\" aria-describedby=\"u-hint\"");
  g_string_append(out,
                  "<p class=\"hint\" id=\"u-hint\">Letters, digits, dot, dash and underscore.</p>");
  field_input(out, "password", "password", "Password", "",
              "required minlength=\"8\" autocomplete=\"new-password\" aria-describedby=\"p-hint\"");
  g_string_append(out, "<p class=\"hint\" id=\"p-hint\">At least 8 characters.</p>");
  form_submit(out, "Create account");
  form_end(out);
  g_string_append(out,
                  "<p class=\"meta\">Have an account? <a href=\"/login\">Sign in</a></p></div>");
  page_end(r, out);
  reply_html(r, status, out);
}

static void signup_get(PortalReq *r) {
  if (!account_signup_open(r)) {
    reply_error(r, 403, "self sign-up is off: ask an administrator for an account");
    return;
  }
  signup_form(r, 200, NULL, NULL);
}

static void signup_post(PortalReq *r) {
  const char *user = req_arg(r, "username"), *password = req_arg(r, "password");
  HubErr he = {0};
  if (!account_signup(r, user, password, &he)) {
    signup_form(r, he.code, he.message, user);
    hub_err_clear(&he);
    return;
  }
  g_autofree char *id = session_hub_login(r, user, password, SESSION_COOKIE, &he);
  if (!id) {
    login_form(r, he.code, he.message, user);
    hub_err_clear(&he);
    return;
  }
  reply_set_cookie(r, SESSION_COOKIE_NAME, id, -1);
  reply_set_cookie(r, PRE_COOKIE_NAME, "", 0);
  req_flash(r, "Welcome! Your account is ready.");
  reply_redirect(r, "/store/apps");
}

static void sessions_get(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(GPtrArray) list = session_hub_list(r, &he);
  if (!list) {
    reply_hub_error(r, &he);
    return;
  }
  GString *out = g_string_new(NULL);
  page_begin(r, out, "Your sessions");
  g_string_append(
      out,
      "<h1>Your sessions</h1><p class=\"lead\">Where you are signed in, on every server of this "
      "portal.</p>"
      "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Signed in</th>"
      "<th scope=\"col\">Last used</th><th scope=\"col\">From</th><th scope=\"col\">Kind</th>"
      "<th scope=\"col\"><span class=\"visually-hidden\">Action</span></th></tr></thead><tbody>");
  for (guint i = 0; i < list->len; i++) {
    TgPortalSession *s = list->pdata[i];
    g_string_append(out, "<tr><td>");
    html_time(out, s->created);
    g_string_append(out, "</td><td>");
    html_time(out, s->lastSeen);
    html_fmt(out, "</td><td>%s<br><span class=\"meta\">%s</span></td><td>%s</td><td>",
             s->clientAddress, s->userAgent,
             !g_strcmp0(s->kind, "bearer") ? "API token" : "browser");
    if (s->current)
      g_string_append(out, "<span class=\"badge\">this one</span>");
    else
      form_button(r, out, "/account/sessions/end", "End", "danger small", "handle", s->handle);
    g_string_append(out, "</td></tr>");
  }
  g_string_append(out, "</tbody></table></div>");
  if (list->len > 1)
    form_button(r, out, "/account/sessions/end-others", "End all other sessions", "danger", NULL,
                NULL);
  page_end(r, out);
  reply_html(r, 200, out);
}

static void sessions_end(PortalReq *r) {
  const char *handle = req_arg(r, "handle");
  HubErr he = {0};
  gboolean ok = handle && *handle && session_hub_end(r, handle, &he) > 0;
  hub_err_clear(&he);
  req_flash(r, ok ? "Session ended." : "That session had already ended.");
  reply_redirect(r, "/account/sessions");
}

static void sessions_end_others(PortalReq *r) {
  HubErr he = {0};
  int n = session_hub_end(r, NULL, &he);
  if (n < 0) {
    reply_hub_error(r, &he);
    return;
  }
  g_autofree char *msg = g_strdup_printf("%d other session%s ended.", n, n == 1 ? "" : "s");
  req_flash(r, msg);
  reply_redirect(r, "/account/sessions");
}

static const Route routes[] = {
    {"GET", "/login", login_get, 0, ROUTE_PRE_SESSION},
    {"POST", "/login", login_post, 0, ROUTE_PRE_SESSION},
    {"GET", "/signup", signup_get, 0, ROUTE_PRE_SESSION},
    {"POST", "/signup", signup_post, 0, ROUTE_PRE_SESSION},
    {"POST", "/logout", logout_post, ROUTE_LOGGED_IN, 0},
    {"GET", "/account/sessions", sessions_get, ROUTE_LOGGED_IN, 0},
    {"POST", "/account/sessions/end", sessions_end, ROUTE_LOGGED_IN, 0},
    {"POST", "/account/sessions/end-others", sessions_end_others, ROUTE_LOGGED_IN, 0},
};
const RouteTable account_table = {routes, G_N_ELEMENTS(routes)};

gboolean account_signup(PortalReq *r, const char *user, const char *password, HubErr *he) {
  if (!user || !*user || !password || !*password) {
    he->code = 400;
    he->message = g_strdup("choose a user name and a password");
    return FALSE;
  }
  TgUser *made = g_object_new(TG_TYPE_USER, NULL);
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_sign_up(HUB_IF, &made, user, password, r->client, HUB_EXC, HUB_ERR));
  if (made) g_object_unref(made);
  return he->code == 0;
}
