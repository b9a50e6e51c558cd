/*
 * test_portal_http: the portal's request-side rules without a network: the
 * form/query/cookie parsers, the CSRF decision (with the bypass attempts kept
 * as cases), the route matcher and role rule, session expiry with the clock
 * passed in, and the try-it console's path rule.
 */
#include <string.h>

#include "csrf.h"
#include "form.h"
#include "router.h"
#include "session.h"
#include "store_tryit.h"

static void test_form_basic(void) {
  const char *in = "a=1&b=x+y&c=%41%42&empty=&flag&a=2";
  g_autoptr(GError) error = NULL;
  g_autoptr(TgForm) f = form_parse(in, strlen(in), &error);
  g_assert_no_error(error);
  g_assert_cmpstr(tg_form_get(f, "a"), ==, "1");
  g_assert_cmpstr(tg_form_get(f, "b"), ==, "x y");
  g_assert_cmpstr(tg_form_get(f, "c"), ==, "AB");
  g_assert_cmpstr(tg_form_get(f, "empty"), ==, "");
  g_assert_cmpstr(tg_form_get(f, "flag"), ==, "");
  g_assert_null(tg_form_get(f, "missing"));
  g_autofree const char **all = tg_form_get_all(f, "a");
  g_assert_cmpstr(all[0], ==, "1");
  g_assert_cmpstr(all[1], ==, "2");
  g_assert_null(all[2]);
}

static void test_form_refuses(void) {
  /* bad escapes, NUL, invalid UTF-8, empty names, escapes cut at the end */
  const char *bad[] = {"a=%zz", "a=%4",     "a=%", "a=%00",    "a=%ff",
                       "=x",    "a=%c3%28", "%=1", "a=%E2%82", NULL};
  for (const char **b = bad; *b; b++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(TgForm) f = form_parse(*b, strlen(*b), &error);
    if (f) g_error("accepted %s", *b);
    g_assert_error(error, TG_FORM_ERROR, TG_FORM_ERROR_MALFORMED);
  }
  /* a raw NUL inside the data (length-delimited input) */
  g_autoptr(GError) e2 = NULL;
  g_autoptr(TgForm) f2 = form_parse("a=b\0c", 5, &e2);
  g_assert_null(f2);
}

static void test_form_limits(void) {
  GString *s = g_string_new(NULL);
  for (int i = 0; i <= FORM_MAX_FIELDS; i++) g_string_append_printf(s, "f%d=1&", i);
  g_autoptr(GError) error = NULL;
  g_autoptr(TgForm) f = form_parse(s->str, s->len, &error);
  g_assert_null(f);
  g_assert_error(error, TG_FORM_ERROR, TG_FORM_ERROR_TOO_LARGE);
  g_string_free(s, TRUE);
  g_autofree char *longname = g_strnfill(FORM_MAX_NAME + 1, 'n');
  g_autofree char *in = g_strdup_printf("%s=1", longname);
  g_autoptr(TgForm) f2 = form_parse(in, strlen(in), NULL);
  g_assert_null(f2);
}

static void test_decode_plus(void) {
  g_autofree char *a = tg_form_decode("a+b%2B", 6, TRUE);
  g_autofree char *b = tg_form_decode("a+b%2B", 6, FALSE);
  g_assert_cmpstr(a, ==, "a b+");
  g_assert_cmpstr(b, ==, "a+b+");
}

static void test_cookie(void) {
  const char *h = "x=1; __Host-tg_session=abc; __Host-tg_session=second;  y=\"q\"";
  g_autofree char *v = cookie_get(h, "__Host-tg_session");
  g_assert_cmpstr(v, ==, "abc");
  g_autofree char *q = cookie_get(h, "y");
  g_assert_cmpstr(q, ==, "q");
  /* a name that merely starts or ends like ours is not ours */
  g_autofree char *n1 = cookie_get("x__Host-tg_session=evil", "__Host-tg_session");
  g_assert_null(n1);
  g_autofree char *n2 = cookie_get("__Host-tg_session2=evil", "__Host-tg_session");
  g_assert_null(n2);
  g_autofree char *n3 = cookie_get("__host-tg_session=evil", "__Host-tg_session");
  g_assert_null(n3);
  g_assert_null(cookie_get(NULL, "a"));
  g_autofree char *empty = cookie_get("a=", "a");
  g_assert_cmpstr(empty, ==, "");
}

static void test_url_encode(void) {
  GString *s = g_string_new(NULL);
  tg_form_append_encoded(s, "a b/<\"é&");
  g_assert_cmpstr(s->str, ==, "a%20b%2F%3C%22%C3%A9%26");
  g_string_free(s, TRUE);
}

static void test_csrf(void) {
  const char *us = "https://portal.example:9443", *tok = "0123456789abcdef0123456789abcdef";
  g_assert_cmpint(csrf_check("same-origin", us, us, tok, tok), ==, CSRF_OK);
  g_assert_cmpint(csrf_check(NULL, NULL, us, tok, tok), ==,
                  CSRF_OK); /* no fetch metadata: token decides */
  g_assert_cmpint(csrf_check("cross-site", NULL, us, tok, tok), ==, CSRF_CROSS_SITE);
  g_assert_cmpint(csrf_check("same-site", NULL, us, tok, tok), ==, CSRF_CROSS_SITE);
  g_assert_cmpint(csrf_check("none", NULL, us, tok, tok), ==, CSRF_CROSS_SITE);
  g_assert_cmpint(csrf_check("", NULL, us, tok, tok), ==, CSRF_CROSS_SITE);
  g_assert_cmpint(csrf_check("same-origin ", NULL, us, tok, tok), ==, CSRF_CROSS_SITE);
  g_assert_cmpint(csrf_check("same-origin", "null", us, tok, tok), ==, CSRF_BAD_ORIGIN);
  g_assert_cmpint(csrf_check("same-origin", "https://evil.example", us, tok, tok), ==,
                  CSRF_BAD_ORIGIN);
  g_assert_cmpint(csrf_check("same-origin", "https://portal.example:9443.evil", us, tok, tok), ==,
                  CSRF_BAD_ORIGIN);
  g_assert_cmpint(csrf_check("same-origin", "http://portal.example:9443", us, tok, tok), ==,
                  CSRF_BAD_ORIGIN);
  g_assert_cmpint(csrf_check("same-origin", "HTTPS://PORTAL.EXAMPLE:9443", us, tok, tok), ==,
                  CSRF_OK);
  g_assert_cmpint(csrf_check("same-origin", us, us, tok, NULL), ==, CSRF_NO_TOKEN);
  g_assert_cmpint(csrf_check("same-origin", us, us, tok, ""), ==, CSRF_NO_TOKEN);
  g_assert_cmpint(csrf_check("same-origin", us, us, "", ""), ==, CSRF_NO_TOKEN);
  g_assert_cmpint(csrf_check("same-origin", us, us, NULL, tok), ==, CSRF_NO_TOKEN);
  g_assert_cmpint(csrf_check("same-origin", us, us, tok, "0123456789abcdef0123456789abcdeF"), ==,
                  CSRF_BAD_TOKEN);
  g_assert_cmpint(csrf_check("same-origin", us, us, tok, "0123456789abcdef"), ==, CSRF_BAD_TOKEN);
}

static void h(PortalReq *r) { (void)r; }
static void h2(PortalReq *r) { (void)r; }

static void test_router(void) {
  static const Route a[] = {
      {"GET", "/", h, 0, 0}, {"POST", "/login", h, 0, 0}, {"GET", "/store/apis/*", h2, 0, 0}};
  static const Route b[] = {{"GET", "/login", h2, 0, 0}, {"GET", "/store/apis/x", h, 0, 0}};
  RouteTable t[] = {{a, G_N_ELEMENTS(a)}, {b, G_N_ELEMENTS(b)}};
  const Route *r;
  const char *rest;
  g_assert_cmpint(router_find(t, 2, "GET", "/", &r, &rest), ==, ROUTE_FOUND);
  g_assert_true(r == &a[0]);
  g_assert_cmpint(router_find(t, 2, "HEAD", "/", &r, &rest), ==, ROUTE_FOUND);
  g_assert_cmpint(router_find(t, 2, "GET", "/login", &r, &rest), ==, ROUTE_FOUND);
  g_assert_true(r == &b[0]);
  g_assert_cmpint(router_find(t, 2, "GET", "/store/apis/pizza/1.0", &r, &rest), ==, ROUTE_FOUND);
  g_assert_cmpstr(rest, ==, "pizza/1.0");
  g_assert_cmpint(router_find(t, 2, "GET", "/store/apis/", &r, &rest), ==, ROUTE_NOT_FOUND);
  g_assert_cmpint(router_find(t, 2, "DELETE", "/login", &r, &rest), ==, ROUTE_BAD_METHOD);
  g_assert_cmpint(router_find(t, 2, "GET", "/LOGIN", &r, &rest), ==, ROUTE_NOT_FOUND);
  g_assert_cmpint(router_find(t, 2, "get", "/", &r, &rest), ==, ROUTE_BAD_METHOD);
  g_assert_cmpint(router_find(t, 2, "GET", "/nope", &r, &rest), ==, ROUTE_NOT_FOUND);

  Route anyone = {"GET", "/", h, 0, 0}, logged = {"GET", "/", h, ROUTE_LOGGED_IN, 0},
        store = {"GET", "/", h, ROLE_SUBSCRIBER | ROLE_ADMIN, 0};
  g_assert_true(router_roles_allow(&anyone, FALSE, 0));
  g_assert_false(router_roles_allow(&logged, FALSE, 0));
  g_assert_true(router_roles_allow(&logged, TRUE, 0));
  g_assert_false(router_roles_allow(&store, TRUE, ROLE_PUBLISHER));
  g_assert_false(router_roles_allow(&store, TRUE, ROLE_GATEWAY));
  g_assert_true(router_roles_allow(&store, TRUE, ROLE_SUBSCRIBER));
  g_assert_true(router_roles_allow(&store, TRUE, ROLE_ADMIN));
  g_assert_false(router_roles_allow(&store, FALSE, ROLE_ADMIN));
}

static Session *cached(const char *user, const char *csrf) {
  Session *s = session_new();
  s->handle = g_strdup("0123456789abcdef");
  s->user = g_strdup(user);
  s->roles = ROLE_SUBSCRIBER;
  s->hub_session = g_strdup("hub-session");
  s->csrf = g_strdup(csrf);
  return s;
}

/* The portal's cache only remembers a hub's answer for ttl: the hubs decide expiry. */
static void test_session_cache_ttl(void) {
  SessionCache *c = session_cache_new(1000, 100);
  gint64 t0 = 5000000;
  g_autoptr(Session) a = cached("alice", "c1");
  session_cache_put(c, "id-a", a, t0);
  g_autoptr(Session) hit = session_cache_get(c, "id-a", t0 + 999999);
  g_assert_nonnull(hit);
  g_assert_cmpstr(hit->user, ==, "alice");
  g_assert_cmpstr(hit->csrf, ==, "c1");
  g_assert_null(session_cache_get(c, "id-a", t0 + 1000000)); /* stale: ask a hub again */
  g_assert_null(session_cache_get(c, "id-b", t0));
  g_assert_null(session_cache_get(c, NULL, t0));
  session_cache_put(c, "id-a", a, t0);
  g_assert_null(session_cache_get(c, "id-a", t0 - 1)); /* a clock that went back: stale */
  session_cache_free(c);
  /* ttl 0: nothing is cached */
  SessionCache *none = session_cache_new(0, 100);
  session_cache_put(none, "id-a", a, t0);
  g_assert_null(session_cache_get(none, "id-a", t0));
  session_cache_free(none);
}

static void test_session_cache_forget(void) {
  SessionCache *c = session_cache_new(1000, 100);
  g_autoptr(Session) a = cached("alice", "c1");
  g_autoptr(Session) b = cached("bob", "c2");
  session_cache_put(c, "a1", a, 10);
  session_cache_put(c, "a2", a, 10);
  session_cache_put(c, "a3", a, 10);
  session_cache_put(c, "b1", b, 10);
  session_cache_forget(c, "a3");
  g_assert_null(session_cache_get(c, "a3", 11));
  session_cache_forget_user(c, "alice", "a1"); /* "end the others": a1 stays */
  g_autoptr(Session) keep = session_cache_get(c, "a1", 11);
  g_assert_nonnull(keep);
  g_assert_null(session_cache_get(c, "a2", 11));
  g_autoptr(Session) other = session_cache_get(c, "b1", 11); /* bob untouched */
  g_assert_nonnull(other);
  session_cache_forget_user(c, "alice", NULL);
  g_assert_null(session_cache_get(c, "a1", 11));
  session_cache_free(c);
}

static void test_session_cache_cap(void) {
  SessionCache *c = session_cache_new(1000, 10);
  g_autoptr(Session) a = cached("u", "c");
  for (int i = 0; i < 25; i++) {
    g_autofree char *id = g_strdup_printf("id-%d", i);
    session_cache_put(c, id, a, 100 + i);
    g_assert_cmpuint(session_cache_count(c), <=, 10);
  }
  g_autoptr(Session) last = session_cache_get(c, "id-24", 200);
  g_assert_nonnull(last);
  g_assert_cmpuint(session_cache_sweep(c, 100 + 24 + 1000000), >=, 1);
  g_assert_cmpuint(session_cache_count(c), ==, 0);
  session_cache_free(c);
}

static void test_tryit_path(void) {
  g_assert_true(tryit_path_ok("/"));
  g_assert_true(tryit_path_ok("/items/42?x=1&y=%20"));
  const char *bad[] = {
      "",       "items",     "//evil.example/", "/a b",  "/a\r\nHost: x", "/../admin", "/a/..",
      "/a/./b", "/%2e%2e/x", "/a#frag",         "/a\\b", "http://evil/",  NULL};
  for (const char **b = bad; *b; b++)
    if (tryit_path_ok(*b)) g_error("accepted %s", *b);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/portal/form/basic", test_form_basic);
  g_test_add_func("/portal/form/refuses", test_form_refuses);
  g_test_add_func("/portal/form/limits", test_form_limits);
  g_test_add_func("/portal/form/decode_plus", test_decode_plus);
  g_test_add_func("/portal/cookie", test_cookie);
  g_test_add_func("/portal/url_encode", test_url_encode);
  g_test_add_func("/portal/csrf", test_csrf);
  g_test_add_func("/portal/router", test_router);
  g_test_add_func("/portal/session/cache_ttl", test_session_cache_ttl);
  g_test_add_func("/portal/session/cache_forget", test_session_cache_forget);
  g_test_add_func("/portal/session/cache_cap", test_session_cache_cap);
  g_test_add_func("/portal/tryit/path", test_tryit_path);
  return g_test_run();
}
