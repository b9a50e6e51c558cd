/*
 * test_mgmt_users.c: the user methods (the /mgmt/users/ test paths): their rules
 * (keyvalidator/methods/mgmt_users.h) without a database, table-driven; with
 * TG_TEST_DB_PORT set, add/list/roles/password/delete through the real handler on MariaDB.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "hub_internal.h"
#include "hub_test_hub.h"
#include "mgmt_users.h"
#include "session.h"
#include "store_users.h"
#include "tg_tollgate.h"

typedef struct {
  const char *s;
  gboolean ok;
} Case;

static char *secret_path;

static void test_user_rules(void) {
  static const Case names[] = {
      {"alice", TRUE},   {"o'brien\"; DROP TABLE UM_USER; --", TRUE},
      {"a b", TRUE},     {"", FALSE},
      {NULL, FALSE},     {" alice", FALSE},
      {"alice ", FALSE}, {"a\nb", FALSE},
  };
  for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
    g_autoptr(GError) e = NULL;
    g_assert_cmpint(mgmt_user_name_valid(names[i].s, &e), ==, names[i].ok);
    if (!names[i].ok) hub_test_assert_refused(e, 400);
  }
  g_assert_true(mgmt_password_valid("x", NULL));
  g_assert_false(mgmt_password_valid("", NULL));
  g_autofree char *long_pw = g_strnfill(USER_MAX_PASSWORD + 1, 'p');
  g_assert_false(mgmt_password_valid(long_pw, NULL));

  g_autoptr(GPtrArray) roles = g_ptr_array_new();
  guint mask = 0;
  g_autoptr(GError) e = NULL;
  g_assert_false(mgmt_roles_parse(roles, &mask, &e)); /* none */
  hub_test_assert_refused(e, 400);
  g_clear_error(&e);
  g_ptr_array_add(roles, "Publisher");
  g_ptr_array_add(roles, "subscriber");
  g_assert_true(mgmt_roles_parse(roles, &mask, NULL));
  g_assert_cmpuint(mask, ==, ROLE_PUBLISHER | ROLE_SUBSCRIBER);
  g_ptr_array_add(roles, "root");
  g_assert_false(mgmt_roles_parse(roles, &mask, &e));
  hub_test_assert_refused(e, 400);
  g_clear_error(&e);

  g_assert_true(mgmt_user_delete_allowed("root", "alice", NULL));
  g_assert_false(mgmt_user_delete_allowed("root", "root", &e));
  hub_test_assert_refused(e, 409);
  g_clear_error(&e);
  g_assert_true(mgmt_user_roles_allowed("root", "root", ROLE_ADMIN | ROLE_GATEWAY, NULL));
  g_assert_true(mgmt_user_roles_allowed("root", "alice", ROLE_GATEWAY, NULL));
  g_assert_false(mgmt_user_roles_allowed("root", "root", ROLE_PUBLISHER, &e));
  hub_test_assert_refused(e, 409);
  g_clear_error(&e);

  gboolean need_old = FALSE;
  g_assert_true(mgmt_password_change_allowed("alice", FALSE, "alice", &need_old, NULL));
  g_assert_true(need_old);
  g_assert_true(mgmt_password_change_allowed("root", TRUE, "alice", &need_old, NULL));
  g_assert_false(need_old);
  g_assert_true(mgmt_password_change_allowed("root", TRUE, "root", &need_old, NULL));
  g_assert_true(need_old);
  g_assert_false(mgmt_password_change_allowed("alice", FALSE, "bob", &need_old, &e));
  hub_test_assert_refused(e, 403);
}

static void test_db_users(void) {
  if (!hub_test_need_db()) return;
  Hub *hub = hub_test_hub_new(secret_path, atoi(g_getenv("TG_TEST_DB_PORT")), 1);
  g_autofree char *name = g_strdup_printf("u'%u\"; DROP TABLE UM_USER; --", g_random_int());
  g_autofree char *admin = session_issue(hub->sessions, "root", ROLE_ADMIN);
  g_autofree char *self = session_issue(hub->sessions, name, ROLE_SUBSCRIBER);
  TgTollgateException *tex = NULL;
  g_autoptr(GPtrArray) roles = g_ptr_array_new();
  g_ptr_array_add(roles, "subscriber");
  g_ptr_array_add(roles, "Publisher");

  TgUser *u = g_object_new(TG_TYPE_USER, NULL);
  hub_test_expect_code(
      tg_tollgate_if_add_user(HUB_TEST_IFACE(hub), &u, self, name, "pw'1", roles, &tex, NULL), &tex,
      403);
  hub_test_expect_ok(
      tg_tollgate_if_add_user(HUB_TEST_IFACE(hub), &u, admin, name, "pw'1", roles, &tex, NULL),
      &tex);
  g_assert_cmpstr(u->name, ==, name);
  g_assert_cmpuint(u->roles->len, ==, 2);
  g_assert_cmpstr(g_ptr_array_index(u->roles, 0), ==, "publisher");
  g_assert_cmpint(u->createdAt, >, 0);
  hub_test_expect_code(
      tg_tollgate_if_add_user(HUB_TEST_IFACE(hub), &u, admin, name, "x", roles, &tex, NULL), &tex,
      409);
  hub_test_expect_code(
      tg_tollgate_if_add_user(HUB_TEST_IFACE(hub), &u, admin, "x", "", roles, &tex, NULL), &tex,
      400);
  g_object_unref(u);

  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func(g_object_unref);
  hub_test_expect_ok(tg_tollgate_if_list_users(HUB_TEST_IFACE(hub), &users, admin, &tex, NULL),
                     &tex);
  gboolean found = FALSE;
  for (guint i = 0; i < users->len; i++)
    found |= g_strcmp0(((TgUser *)g_ptr_array_index(users, i))->name, name) == 0;
  g_assert_true(found);

  g_autoptr(GPtrArray) gw = g_ptr_array_new();
  g_ptr_array_add(gw, "gateway");
  hub_test_expect_ok(
      tg_tollgate_if_set_user_roles(HUB_TEST_IFACE(hub), admin, name, gw, &tex, NULL), &tex);
  hub_test_expect_code(
      tg_tollgate_if_set_user_roles(HUB_TEST_IFACE(hub), admin, "nobody-here", gw, &tex, NULL),
      &tex, 404);
  hub_test_expect_code(
      tg_tollgate_if_set_user_roles(HUB_TEST_IFACE(hub), admin, "root", gw, &tex, NULL), &tex, 409);

  /* new roles end the user's sessions (a session epoch): log in again */
  hub_test_expect_code(
      tg_tollgate_if_change_password(HUB_TEST_IFACE(hub), self, name, "wrong", "n", &tex, NULL),
      &tex, 401);
  g_usleep(2000); /* a session issued in the epoch's millisecond would pass */
  g_free(self);
  self = session_issue(hub->sessions, name, ROLE_GATEWAY);

  /* passwords: one's own needs the old one; an admin's change needs none */
  hub_test_expect_code(
      tg_tollgate_if_change_password(HUB_TEST_IFACE(hub), self, name, "wrong", "n", &tex, NULL),
      &tex, 403);
  hub_test_expect_ok(
      tg_tollgate_if_change_password(HUB_TEST_IFACE(hub), self, name, "pw'1", "pw'2", &tex, NULL),
      &tex);
  /* so does a new password */
  hub_test_expect_code(
      tg_tollgate_if_change_password(HUB_TEST_IFACE(hub), self, "root", "", "n", &tex, NULL), &tex,
      401);
  g_usleep(2000);
  g_free(self);
  self = session_issue(hub->sessions, name, ROLE_GATEWAY);
  hub_test_expect_code(
      tg_tollgate_if_change_password(HUB_TEST_IFACE(hub), self, "root", "", "n", &tex, NULL), &tex,
      403);
  hub_test_expect_ok(
      tg_tollgate_if_change_password(HUB_TEST_IFACE(hub), admin, name, NULL, "pw'3", &tex, NULL),
      &tex);
  g_autoptr(GError) error = NULL;
  MYSQL *conn = hub_db_acquire(hub, "userdb", &error);
  g_assert_true(store_user_verify_password(conn, name, "pw'3", &error));
  guint mask = 0;
  g_assert_true(store_user_roles(conn, name, &mask, &error) && mask == ROLE_GATEWAY);
  hub_db_release(hub, conn);

  hub_test_expect_code(tg_tollgate_if_delete_user(HUB_TEST_IFACE(hub), admin, "root", &tex, NULL),
                       &tex, 409);
  hub_test_expect_ok(tg_tollgate_if_delete_user(HUB_TEST_IFACE(hub), admin, name, &tex, NULL),
                     &tex);
  hub_test_expect_code(tg_tollgate_if_delete_user(HUB_TEST_IFACE(hub), admin, name, &tex, NULL),
                       &tex, 404);

  /* a deleted user's session ends with it */
  g_autoptr(GPtrArray) tiers = g_ptr_array_new_with_free_func(g_object_unref);
  hub_test_expect_code(tg_tollgate_if_list_tiers(HUB_TEST_IFACE(hub), &tiers, self, &tex, NULL),
                       &tex, 401);
  g_autofree char *reader = session_issue(hub->sessions, "reader", ROLE_SUBSCRIBER);
  hub_test_expect_ok(tg_tollgate_if_list_tiers(HUB_TEST_IFACE(hub), &tiers, reader, &tex, NULL),
                     &tex);
  gboolean gold = FALSE;
  for (guint i = 0; i < tiers->len; i++) {
    TgTier *t = g_ptr_array_index(tiers, i);
    gold |= g_strcmp0(t->name, "Gold") == 0 && t->requestCount == 5000 && t->unitTime == 60;
  }
  g_assert_true(gold);
  hub_core_free(hub);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_log_set_always_fatal(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
  secret_path = hub_test_secret_new();
  g_test_add_func("/mgmt/users/rules", test_user_rules);
  g_test_add_func("/mgmt/db/users", test_db_users);
  int rc = g_test_run();
  hub_test_secret_free(secret_path);
  return rc;
}
