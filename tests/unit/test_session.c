/*
 * test_session.c: hub sessions and login through the real core (libhubcore.a).
 * Without a database the revocation check fails open, so signature, expiry,
 * malformed and role cases run anywhere. With TG_TEST_DB_PORT set (a MariaDB
 * with the sql/ schemas loaded and user tollgate / TG_TEST_DB_PASSWORD) it also
 * tests ensure_user, authenticate, wrong passwords and logout.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "handler.h"
#include "hub_test_hub.h"
#include "hub_internal.h"
#include "db.h"
#include "session.h"
#include "tg_crypto.h"
#include "tg_a_p_i_key_validation_service.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgAPIKeyValidationInfoDTO, g_object_unref)

static char *secret_path;

static Hub *test_hub(void) {
  const char *port = g_getenv("TG_TEST_DB_PORT");
  return hub_test_hub_new(secret_path, port ? atoi(port) : 1, 10);
}

static void test_roundtrip(void) {
  Hub *hub = test_hub();
  g_autofree char *id = session_issue(hub->sessions, "alice", ROLE_SUBSCRIBER);
  SessionInfo info;
  g_assert_true(hub_check_session(hub, id, 0, &info, NULL));
  g_assert_cmpstr(info.user, ==, "alice");
  g_assert_cmpuint(info.roles, ==, ROLE_SUBSCRIBER);
  g_autoptr(GError) e = NULL;
  g_assert_false(hub_check_session(hub, id, ROLE_ADMIN | ROLE_GATEWAY, NULL, &e));
  g_assert_error(e, HUB_SESSION_ERROR, HUB_SESSION_FORBIDDEN);
  hub_core_free(hub);
}

/* authenticateFrom: the end client's address travels signed inside the session. */
static void test_client_address(void) {
  Hub *hub = test_hub();
  g_autofree char *id = session_issue_from(hub->sessions, "erin", ROLE_PUBLISHER, "192.0.2.7");
  SessionInfo info;
  g_assert_true(hub_check_session(hub, id, 0, &info, NULL));
  g_assert_cmpstr(info.user, ==, "erin");
  g_assert_cmpstr(info.address, ==, "192.0.2.7");
  g_autofree char *plain = session_issue(hub->sessions, "erin", ROLE_PUBLISHER);
  g_assert_true(hub_check_session(hub, plain, 0, &info, NULL));
  g_assert_cmpstr(info.address, ==, "");
  /* an address that could split the payload or overflow is never signed in */
  const char *bad[] = {
      "a b",         "x\ny", "", "0123456789012345678901234567890123456789012345678901234567890123",
      "caf\xc3\xa9", NULL};
  for (guint i = 0; bad[i]; i++) {
    g_assert_false(session_address_valid(bad[i]));
    g_autofree char *other = session_issue_from(hub->sessions, "erin", ROLE_PUBLISHER, bad[i]);
    g_assert_true(hub_check_session(hub, other, 0, &info, NULL));
    g_assert_cmpstr(info.address, ==, "");
    g_assert_cmpuint(info.roles, ==, ROLE_PUBLISHER);
  }
  g_assert_true(session_address_valid("2001:db8::1"));
  hub_core_free(hub);
}

static void expect(Hub *hub, const char *id, int code) {
  g_autoptr(GError) e = NULL;
  g_assert_false(hub_check_session(hub, id, 0, NULL, &e));
  g_assert_error(e, HUB_SESSION_ERROR, code);
}

static void test_bad_ids(void) {
  Hub *hub = test_hub();
  g_autofree char *id = session_issue(hub->sessions, "bob", ROLE_ADMIN);
  expect(hub, NULL, HUB_SESSION_MISSING);
  expect(hub, "", HUB_SESSION_MISSING);
  expect(hub, "nodot", HUB_SESSION_MALFORMED);
  g_autofree char *forged = g_strdup(id);
  forged[strlen(forged) - 2] ^= 1;
  expect(hub, forged, HUB_SESSION_BAD_SIGNATURE);
  /* a payload with more roles, old signature */
  g_autofree char *swapped = g_strdup(id);
  swapped[1] ^= 1;
  expect(hub, swapped, HUB_SESSION_BAD_SIGNATURE);
  TgTollgateException *err = NULL;
  g_assert_false(hub_require_session(hub, forged, NULL, NULL, &err));
  g_assert_cmpint(err->code, ==, 401);
  g_assert_nonnull(strstr(err->message, "signature"));
  g_object_unref(err);
  err = NULL;
  static const char *const gw[] = {"gateway", NULL};
  g_autofree char *sub = session_issue(hub->sessions, "carol", ROLE_SUBSCRIBER);
  g_assert_false(hub_require_session(hub, sub, gw, NULL, &err));
  g_assert_cmpint(err->code, ==, 403);
  g_object_unref(err);
  hub_core_free(hub);
}

static void test_expired(void) {
  Hub *hub = test_hub();
  session_manager_free(hub->sessions); /* a manager with a 1 s ttl instead */
  g_autoptr(GError) error = NULL;
  hub->sessions = session_manager_new(secret_path, 1, &error);
  g_autofree char *id = session_issue(hub->sessions, "dave", ROLE_ADMIN);
  g_usleep(2100 * 1000);
  expect(hub, id, HUB_SESSION_EXPIRED);
  hub_core_free(hub);
}

static void test_db_login_logout(void) {
  if (g_getenv("TG_TEST_DB_PORT") == NULL) {
    g_test_skip("TG_TEST_DB_PORT not set");
    return;
  }
  Hub *hub = test_hub();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf("u'; DROP TABLE x; -- %d", g_random_int());
  g_assert_true(hub_core_ensure_user(hub, name, "subscriber,publisher", "s3cret'\"", &error));
  g_assert_no_error(error);
  g_assert_true(hub_core_ensure_user(hub, name, "subscriber", "other", &error)); /* no-op */
  g_assert_true(hub_core_db_ok(hub));
  TgTollgateIf *iface = (TgTollgateIf *)hub_test_handler(hub);
  g_autofree char *sid = NULL;
  TgAuthenticationException *ae = NULL;
  g_assert_true(tg_tollgate_if_authenticate(iface, &sid, name, "s3cret'\"", &ae, &error));
  SessionInfo info;
  g_assert_true(hub_check_session(hub, sid, ROLE_PUBLISHER, &info, NULL));
  g_assert_cmpstr(info.user, ==, name);
  g_autofree char *bad = NULL;
  gint64 t0 = g_get_monotonic_time();
  g_assert_false(tg_tollgate_if_authenticate(iface, &bad, name, "wrong", &ae, &error));
  g_assert_nonnull(ae);
  g_assert_nonnull(strstr(ae->message, "invalid"));
  g_clear_object(&ae);
  g_assert_false(tg_tollgate_if_authenticate(iface, &bad, name, "wrong", &ae, &error));
  g_clear_object(&ae);
  g_assert_cmpint(g_get_monotonic_time() - t0, >=, 30 * 1000); /* 10 + 20 ms delays */
  gboolean authed = FALSE;
  g_assert_true(tg_tollgate_if_is_authenticated(iface, &authed, sid, &error));
  g_assert_true(authed);
  g_assert_true(tg_tollgate_if_logout(iface, sid, &error));
  expect(hub, sid, HUB_SESSION_LOGGED_OUT);
  g_assert_true(tg_tollgate_if_is_authenticated(iface, &authed, sid, &error));
  g_assert_false(authed);
  hub_core_free(hub);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  /* without a database the revocation check warns (fail open): not a test failure */
  g_log_set_always_fatal(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
  g_autofree char *dir = g_dir_make_tmp("tg-session-XXXXXX", NULL);
  secret_path = g_build_filename(dir, "secret", NULL);
  g_file_set_contents(secret_path, "0123456789abcdef0123456789abcdef\n", -1, NULL);
  g_test_add_func("/session/roundtrip", test_roundtrip);
  g_test_add_func("/session/client_address", test_client_address);
  g_test_add_func("/session/bad_ids", test_bad_ids);
  g_test_add_func("/session/expired", test_expired);
  g_test_add_func("/session/db_login_logout", test_db_login_logout);
  int rc = g_test_run();
  g_unlink(secret_path);
  g_rmdir(dir);
  g_free(secret_path);
  return rc;
}
