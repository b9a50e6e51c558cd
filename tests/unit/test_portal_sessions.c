/*
 * test_portal_sessions.c: portal sessions kept by the hub (issue 15) through the real handler:
 * portalLogin's limits (no database needed), the row's end, the CSRF token, and with
 * TG_TEST_DB_PORT (as test_session) login, check, idle end, ending one (handle wildcards and
 * other users' handles refused) and the others, and logout deleting the row.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "handler.h"
#include "hub_internal.h"
#include "hub_test_hub.h"
#include "methods_portal.h"
#include "session.h"
#include "store_portal_sessions.h"
#include "tg_crypto.h"

static char *secret_path;

static Hub *test_hub(void) {
  const char *port = g_getenv("TG_TEST_DB_PORT");
  return hub_test_hub_new(secret_path, port ? atoi(port) : 1, 10);
}

static gboolean limits(const char *kind, int idle, int absolute) {
  TgTollgateException *err = NULL;
  gboolean ok = portal_session_limits_valid(kind, idle, absolute, &err);
  g_assert_true(ok == (err == NULL));
  if (err) g_assert_cmpint(err->code, ==, 400);
  g_clear_object(&err);
  return ok;
}

static void test_limits(void) {
  g_assert_true(limits("cookie", 1800, 43200));
  g_assert_true(limits("cookie", 1, 2));
  g_assert_true(limits("bearer", 0, 3600));
  g_assert_false(limits("Cookie", 1800, 43200)); /* exact spelling */
  g_assert_false(limits("cookie ", 1800, 43200));
  g_assert_false(limits("", 1800, 43200));
  g_assert_false(limits(NULL, 1800, 43200));
  g_assert_false(limits("cookie", 0, 43200)); /* a cookie always has an idle end */
  g_assert_false(limits("cookie", 600, 300)); /* idle longer than absolute */
  g_assert_false(limits("cookie", 86401, 604800));
  g_assert_false(limits("cookie", 1, 1));
  g_assert_false(limits("cookie", 60, 604801));
  g_assert_false(limits("bearer", 60, 3600)); /* a bearer token has none */
  g_assert_false(limits("bearer", -1, 3600));
}

static void test_row_end(void) {
  PortalSessionRow r = {.created = 1000, .last_seen = 1500, .idle_s = 1800, .expires_at = 44200};
  g_assert_cmpint(portal_session_row_end(&r), ==, 3300);
  r.last_seen = 43000;
  g_assert_cmpint(portal_session_row_end(&r), ==, 44200); /* the absolute end wins */
  r.idle_s = 0;
  r.last_seen = 1000;
  g_assert_cmpint(portal_session_row_end(&r), ==, 44200); /* no idle end */
}

static void test_csrf_token(void) {
  Hub *hub = test_hub();
  g_autofree char *a = session_csrf_token(hub->sessions, "aa");
  g_autofree char *a2 = session_csrf_token(hub->sessions, "aa");
  g_autofree char *b = session_csrf_token(hub->sessions, "ab");
  g_assert_cmpstr(a, ==, a2); /* the same from every hub with the same secret */
  g_assert_cmpstr(a, !=, b);
  g_assert_cmpuint(strlen(a), ==, 64);
  g_assert_cmpuint(strspn(a, "0123456789abcdef"), ==, 64);
  hub_core_free(hub);
}

static char *login(TgTollgateIf *iface, const char *user, const char *kind, int idle, int abs) {
  g_autoptr(GError) error = NULL;
  TgTollgateException *err = NULL;
  char *id = NULL;
  g_assert_true(tg_tollgate_if_portal_login(iface, &id, user, "s3cret-pw", "10.1.2.3",
                                            "agent\x01<b>", kind, idle, abs, &err, &error));
  g_assert_null(err);
  return id;
}

/* The check's answer code: 0 live, else the exception's. */
static int check(TgTollgateIf *iface, const char *id, TgPortalSession **out) {
  g_autoptr(GError) error = NULL;
  TgTollgateException *err = NULL;
  TgPortalSession *s = g_object_new(TG_TYPE_PORTAL_SESSION, NULL);
  gboolean ok = tg_tollgate_if_portal_session_check(iface, &s, id, &err, &error);
  int code = ok ? 0 : err ? err->code : -1;
  g_clear_object(&err);
  if (out && ok)
    *out = s;
  else
    g_object_unref(s);
  return code;
}

static gint32 end(TgTollgateIf *iface, const char *id, const char *handle) {
  g_autoptr(GError) error = NULL;
  TgTollgateException *err = NULL;
  gint32 n = -1;
  g_assert_true(tg_tollgate_if_end_my_sessions(iface, &n, id, handle, &err, &error));
  return n;
}

static char *handle_of(const char *id) {
  g_autofree char *hash = tg_sha256_hex_str(id);
  return g_strndup(hash, 16);
}

static void test_db_sessions(void) {
  if (g_getenv("TG_TEST_DB_PORT") == NULL) {
    g_test_skip("TG_TEST_DB_PORT not set");
    return;
  }
  Hub *hub = test_hub();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf("ps-unit-%u", g_random_int());
  g_autofree char *other = g_strdup_printf("ps-other-%u", g_random_int());
  g_assert_true(hub_core_ensure_user(hub, name, "subscriber", "s3cret-pw", &error));
  g_assert_true(hub_core_ensure_user(hub, other, "subscriber", "s3cret-pw", &error));
  TgTollgateIf *iface = (TgTollgateIf *)hub_test_handler(hub);
  g_autofree char *a = login(iface, name, "cookie", 1800, 43200);
  g_autofree char *b = login(iface, name, "cookie", 1800, 43200);
  g_autofree char *t = login(iface, name, "bearer", 0, 3600);
  g_autofree char *o = login(iface, other, "cookie", 1800, 43200);
  TgPortalSession *s = NULL;
  g_assert_cmpint(check(iface, a, &s), ==, 0);
  g_autofree char *ha = handle_of(a);
  g_autofree char *hash_a = tg_sha256_hex_str(a);
  g_autofree char *csrf = session_csrf_token(hub->sessions, hash_a);
  g_assert_cmpstr(s->handle, ==, ha);
  g_assert_cmpstr(s->csrf, ==, csrf);
  g_assert_cmpstr(s->kind, ==, "cookie");
  g_assert_cmpstr(s->userAgent, ==, "agent?<b>"); /* control bytes replaced */
  g_assert_cmpstr(s->clientAddress, ==, "10.1.2.3");
  g_clear_object(&s);
  /* a plain hub session is no portal session */
  g_autofree char *plain = session_issue(hub->sessions, name, ROLE_SUBSCRIBER);
  g_assert_cmpint(check(iface, plain, NULL), ==, 401);
  /* handles: wildcards, upper case and another user's match nothing */
  g_autofree char *ho = handle_of(o);
  const char *bad[] = {"%", "________________", "%%%%%%%%%%%%%%%%", NULL};
  for (const char **h = bad; *h; h++) g_assert_cmpint(end(iface, a, *h), ==, 0);
  g_autofree char *upper = g_ascii_strup(ho, -1);
  g_assert_cmpint(end(iface, a, upper), ==, 0);
  g_assert_cmpint(end(iface, a, ho), ==, 0);
  g_assert_cmpint(check(iface, o, NULL), ==, 0);
  /* one by handle, then the others; the caller's own stays */
  g_autofree char *hb = handle_of(b);
  g_assert_cmpint(end(iface, a, hb), ==, 1);
  g_assert_cmpint(check(iface, b, NULL), ==, 401);
  g_assert_cmpint(end(iface, a, ""), ==, 1); /* the bearer token */
  g_assert_cmpint(check(iface, t, NULL), ==, 401);
  g_assert_cmpint(check(iface, a, NULL), ==, 0);
  /* idle end: a session of 1 s idle unused for 2 s is refused, and its row is gone */
  g_autofree char *quick = login(iface, name, "cookie", 1, 60);
  g_assert_cmpint(check(iface, quick, NULL), ==, 0);
  g_usleep(2100 * 1000);
  g_assert_cmpint(check(iface, quick, NULL), ==, 401);
  /* logout deletes the row: the list no longer has it */
  g_assert_true(tg_tollgate_if_logout(iface, a, &error));
  g_assert_cmpint(check(iface, a, NULL), ==, 401);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(g_object_unref);
  TgTollgateException *err = NULL;
  g_assert_true(tg_tollgate_if_list_my_sessions(iface, &list, o, &err, &error));
  g_assert_cmpuint(list->len, ==, 1);
  g_assert_true(((TgPortalSession *)list->pdata[0])->current);
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_user_store, &error);
  g_assert_nonnull(conn);
  g_autoptr(GPtrArray) rows = store_portal_session_list(conn, name, &error);
  g_assert_nonnull(rows);
  g_assert_cmpuint(rows->len, ==, 0);
  hub_db_release(hub, conn);
  hub_core_free(hub);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_log_set_always_fatal(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
  g_autofree char *dir = g_dir_make_tmp("tg-portal-session-XXXXXX", NULL);
  secret_path = g_build_filename(dir, "secret", NULL);
  g_file_set_contents(secret_path, "0123456789abcdef0123456789abcdef\n", -1, NULL);
  g_test_add_func("/portal_sessions/limits", test_limits);
  g_test_add_func("/portal_sessions/row_end", test_row_end);
  g_test_add_func("/portal_sessions/csrf_token", test_csrf_token);
  g_test_add_func("/portal_sessions/db", test_db_sessions);
  int rc = g_test_run();
  g_unlink(secret_path);
  g_rmdir(dir);
  g_free(secret_path);
  return rc;
}
