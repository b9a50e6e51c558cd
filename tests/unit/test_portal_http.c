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
  g_autoptr(Form) f = form_parse(in, strlen(in), &error);
  g_assert_no_error(error);
  g_assert_cmpstr(form_get(f, "a"), ==, "1");
  g_assert_cmpstr(form_get(f, "b"), ==, "x y");
  g_assert_cmpstr(form_get(f, "c"), ==, "AB");
  g_assert_cmpstr(form_get(f, "empty"), ==, "");
  g_assert_cmpstr(form_get(f, "flag"), ==, "");
  g_assert_null(form_get(f, "missing"));
  g_autofree const char **all = form_get_all(f, "a");
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
    g_autoptr(Form) f = form_parse(*b, strlen(*b), &error);
    if (f) g_error("accepted %s", *b);
    g_assert_error(error, TG_FORM_ERROR, TG_FORM_ERROR_MALFORMED);
  }
  /* a raw NUL inside the data (length-delimited input) */
  g_autoptr(GError) e2 = NULL;
  g_autoptr(Form) f2 = form_parse("a=b\0c", 5, &e2);
  g_assert_null(f2);
}

static void test_form_limits(void) {
  GString *s = g_string_new(NULL);
  for (int i = 0; i <= FORM_MAX_FIELDS; i++) g_string_append_printf(s, "f%d=1&", i);
  g_autoptr(GError) error = NULL;
  g_autoptr(Form) f = form_parse(s->str, s->len, &error);
  g_assert_null(f);
  g_assert_error(error, TG_FORM_ERROR, TG_FORM_ERROR_TOO_LARGE);
  g_string_free(s, TRUE);
  g_autofree char *longname = g_strnfill(FORM_MAX_NAME + 1, 'n');
  g_autofree char *in = g_strdup_printf("%s=1", longname);
  g_autoptr(Form) f2 = form_parse(in, strlen(in), NULL);
  g_assert_null(f2);
}

static void test_decode_plus(void) {
  g_autofree char *a = form_decode("a+b%2B", 6, TRUE);
  g_autofree char *b = form_decode("a+b%2B", 6, FALSE);
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
  url_append_encoded(s, "a b/<\"é&");
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

static void test_session_expiry(void) {
  SessionStore *st = session_store_new(1800, 43200, 100);
  gint64 t0 = 1000000;
  g_autofree char *id =
      session_create(st, SESSION_COOKIE, "alice", ROLE_SUBSCRIBER, "hub", "1.2.3.4", "ua", 0, t0);
  g_assert_cmpuint(strlen(id), ==, 64);
  /* used every 29 minutes: alive until the 12 h absolute limit */
  gint64 t = t0;
  for (; t + 1740 < t0 + 43200; t += 1740) {
    g_autoptr(Session) s = session_lookup(st, id, t + 1740);
    g_assert_nonnull(s);
    g_assert_cmpstr(s->user, ==, "alice");
  }
  g_autoptr(Session) late = session_lookup(st, id, t0 + 43200);
  g_assert_null(late);
  /* idle 30 minutes: gone */
  g_autofree char *id2 = session_create(st, SESSION_COOKIE, "bob", 0, "hub", "", "", 0, t0);
  g_autoptr(Session) ok = session_lookup(st, id2, t0 + 1799);
  g_assert_nonnull(ok);
  g_autoptr(Session) idle = session_lookup(st, id2, t0 + 1799 + 1800);
  g_assert_null(idle);
  /* bearer: its own lifetime, no idle rule */
  g_autofree char *b = session_create(st, SESSION_BEARER, "carl", 0, "hub", "", "", 3600, t0);
  g_autoptr(Session) b1 = session_lookup(st, b, t0 + 3599);
  g_assert_nonnull(b1);
  g_autoptr(Session) b2 = session_lookup(st, b, t0 + 3600);
  g_assert_null(b2);
  /* unknown, short and tampered ids */
  g_assert_null(session_lookup(st, "", t0));
  g_assert_null(session_lookup(st, NULL, t0));
  g_autofree char *tampered = g_strdup(id2);
  tampered[0] = tampered[0] == 'a' ? 'b' : 'a';
  g_assert_null(session_lookup(st, tampered, t0));
  session_store_free(st);
}

static void test_session_rotate_and_others(void) {
  SessionStore *st = session_store_new(1800, 43200, 100);
  gint64 t0 = 5000;
  g_autofree char *a =
      session_create(st, SESSION_COOKIE, "alice", ROLE_SUBSCRIBER, "h1", "", "", 0, t0);
  g_autofree char *b =
      session_create(st, SESSION_COOKIE, "alice", ROLE_SUBSCRIBER, "h2", "", "", 0, t0 + 1);
  g_autofree char *c =
      session_create(st, SESSION_COOKIE, "bob", ROLE_SUBSCRIBER, "h3", "", "", 0, t0);
  g_autoptr(Session) sa = session_lookup(st, a, t0);
  g_autofree char *csrf_before = g_strdup(sa->csrf);
  g_autofree char *a2 = session_rotate(st, a, ROLE_SUBSCRIBER | ROLE_PUBLISHER, NULL, t0 + 2);
  g_assert_nonnull(a2);
  g_assert_cmpstr(a2, !=, a);
  g_assert_null(session_lookup(st, a, t0 + 2)); /* the old id is dead */
  g_autoptr(Session) sa2 = session_lookup(st, a2, t0 + 2);
  g_assert_nonnull(sa2);
  g_assert_cmpuint(sa2->roles, ==, ROLE_SUBSCRIBER | ROLE_PUBLISHER);
  g_assert_cmpstr(sa2->csrf, !=, csrf_before);
  g_assert_cmpstr(sa2->hub_session, ==, "h1");
  g_autoptr(GPtrArray) mine = session_list_user(st, "alice", t0 + 3);
  g_assert_cmpuint(mine->len, ==, 2);
  /* another user's handle cannot end alice's session */
  g_autoptr(Session) sb = session_lookup(st, b, t0 + 3);
  g_autoptr(GPtrArray) ended = g_ptr_array_new_with_free_func(g_free);
  g_assert_false(session_end_handle(st, "bob", sb->handle, ended));
  g_assert_cmpuint(ended->len, ==, 0);
  g_assert_cmpuint(session_end_others(st, "alice", a2, ended), ==, 1);
  g_assert_cmpuint(ended->len, ==, 1);
  g_assert_cmpstr(ended->pdata[0], ==, "h2"); /* the ended session's hub session, to log out */
  g_assert_null(session_lookup(st, b, t0 + 4));
  g_autoptr(Session) still = session_lookup(st, a2, t0 + 4);
  g_assert_nonnull(still);
  g_autoptr(Session) sc = session_lookup(st, c, t0 + 4);
  g_assert_nonnull(sc); /* bob untouched */
  g_assert_true(session_end_handle(st, "bob", sc->handle, NULL));
  g_assert_null(session_lookup(st, c, t0 + 5));
  session_store_free(st);
}

static void test_session_flash_and_cap(void) {
  SessionStore *st = session_store_new(1800, 43200, 10);
  char *ids[12];
  for (int i = 0; i < 12; i++)
    ids[i] = session_create(st, SESSION_COOKIE, "u", 0, "h", "", "", 0, 100 + i);
  g_assert_cmpuint(session_count(st), ==, 10);
  g_assert_null(session_lookup(st, ids[0], 200)); /* least recently used went first */
  g_autoptr(Session) s11 = session_lookup(st, ids[11], 200);
  g_assert_nonnull(s11);
  session_set_flash(st, ids[11], "hello");
  g_autofree char *f1 = session_take_flash(st, ids[11]);
  g_autofree char *f2 = session_take_flash(st, ids[11]);
  g_assert_cmpstr(f1, ==, "hello");
  g_assert_null(f2);
  g_assert_cmpuint(session_sweep(st, 100 + 11 + 1800 + 1), >=, 9);
  for (int i = 0; i < 12; i++) g_free(ids[i]);
  session_store_free(st);
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
  g_test_add_func("/portal/session/expiry", test_session_expiry);
  g_test_add_func("/portal/session/rotate_and_others", test_session_rotate_and_others);
  g_test_add_func("/portal/session/flash_and_cap", test_session_flash_and_cap);
  g_test_add_func("/portal/tryit/path", test_tryit_path);
  return g_test_run();
}
