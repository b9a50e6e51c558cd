/*
 * test_login_limiter.c: the password-failure limiter (login_limiter.c) with
 * the clock passed in: exponential delays, lock-out per user and per address,
 * attempts counted from their start (parallel guesses), the cool-down, the
 * success rule, the table bound and the name rule.
 */
#include "config.h"

#include "login_limiter.h"

#define T0 1700000000000LL

static const LoginLimits limits = {.delay_ms = 250,
                                   .max_delay_ms = 5000,
                                   .user_failures = 5,
                                   .address_failures = 12,
                                   .lockout_s = 300,
                                   .max_tracked = 100};

/* One failed attempt that was allowed; its delay. */
static guint fail(LoginLimiter *l, const char *user, const char *address, gint64 now) {
  g_assert_cmpint(login_limiter_begin(l, user, address, now), ==, LOGIN_ALLOWED);
  return login_limiter_end(l, user, address, FALSE, now);
}

static void test_delay_doubles_and_caps(void) {
  LoginLimiter *l = login_limiter_new(&limits);
  static const guint want[] = {250, 500, 1000, 2000, 4000};
  for (guint i = 0; i < G_N_ELEMENTS(want); i++)
    g_assert_cmpuint(fail(l, "alice", "10.0.0.1", T0), ==, want[i]);
  LoginLimits big = limits;
  big.user_failures = 100;
  LoginLimiter *m = login_limiter_new(&big);
  guint last = 0;
  for (int i = 0; i < 40; i++) last = fail(m, "bob", NULL, T0);
  g_assert_cmpuint(last, ==, 5000);
  login_limiter_free(m);
  login_limiter_free(l);
}

static void test_user_locked_until_cool_down(void) {
  LoginLimiter *l = login_limiter_new(&limits);
  for (int i = 0; i < 5; i++) { /* each from another address: the user's count is what locks */
    g_autofree char *addr = g_strdup_printf("10.0.0.%d", i);
    fail(l, "alice", addr, T0 + i);
  }
  g_assert_cmpint(login_limiter_begin(l, "alice", "10.9.9.9", T0 + 10), ==, LOGIN_LOCKED_USER);
  /* a refused attempt is not counted: the address stays clean */
  g_assert_cmpint(login_limiter_begin(l, "carol", "10.9.9.9", T0 + 10), ==, LOGIN_ALLOWED);
  g_assert_cmpuint(login_limiter_end(l, "carol", "10.9.9.9", TRUE, T0 + 10), ==, 0);
  /* names are exact: another spelling is another user, which the database does not find */
  g_assert_cmpint(login_limiter_begin(l, "Alice", "10.9.9.8", T0 + 10), ==, LOGIN_ALLOWED);
  g_assert_cmpint(login_limiter_begin(l, "alice", NULL, T0 + 4 + 299999), ==, LOGIN_LOCKED_USER);
  /* forgotten: allowed, and the next failure starts again at the first delay */
  g_assert_cmpuint(fail(l, "alice", NULL, T0 + 4 + 300000), ==, 250);
  login_limiter_free(l);
}

static void test_parallel_attempts_counted_from_start(void) {
  /* five guesses in flight at once (five connections): the sixth is refused before any of
     the five has been checked */
  LoginLimiter *l = login_limiter_new(&limits);
  for (int i = 0; i < 5; i++) {
    g_autofree char *addr = g_strdup_printf("10.1.0.%d", i);
    g_assert_cmpint(login_limiter_begin(l, "alice", addr, T0), ==, LOGIN_ALLOWED);
  }
  g_assert_cmpint(login_limiter_begin(l, "alice", "10.1.0.9", T0), ==, LOGIN_LOCKED_USER);
  /* an attempt the database could not check is not held against anyone */
  login_limiter_cancel(l, "alice", "10.1.0.0");
  g_assert_cmpint(login_limiter_begin(l, "alice", "10.1.0.9", T0), ==, LOGIN_ALLOWED);
  login_limiter_free(l);
}

static void test_address_locked_across_names(void) {
  LoginLimiter *l = login_limiter_new(&limits);
  guint delay = 0;
  for (int i = 0; i < 12; i++) {
    g_autofree char *user = g_strdup_printf("guess%d", i);
    delay = fail(l, user, "192.0.2.7", T0);
  }
  /* every name is new, yet the address's delay grew: 12 / LOGIN_ADDRESS_SPREAD failures */
  g_assert_cmpuint(delay, ==, 250u << (12 / LOGIN_ADDRESS_SPREAD - 1));
  g_assert_cmpint(login_limiter_begin(l, "newname", "192.0.2.7", T0), ==, LOGIN_LOCKED_ADDRESS);
  g_assert_cmpint(login_limiter_begin(l, "newname", "192.0.2.8", T0), ==, LOGIN_ALLOWED);
  /* what the login pools order their queues by */
  g_assert_cmpuint(login_limiter_address_failures(l, "192.0.2.7", T0), ==, 12);
  g_assert_cmpuint(login_limiter_address_failures(l, "192.0.2.8", T0), ==, 1);
  g_assert_cmpuint(login_limiter_address_failures(l, "192.0.2.9", T0), ==, 0);
  g_assert_cmpuint(login_limiter_address_failures(l, "192.0.2.7", T0 + 300000), ==, 0);
  login_limiter_free(l);
}

static void test_success_clears_user_not_address(void) {
  LoginLimiter *l = login_limiter_new(&limits);
  for (int i = 0; i < 4; i++) fail(l, "alice", "192.0.2.1", T0);
  g_assert_cmpint(login_limiter_begin(l, "alice", "192.0.2.1", T0), ==, LOGIN_ALLOWED);
  g_assert_cmpuint(login_limiter_end(l, "alice", "192.0.2.1", TRUE, T0), ==, 0);
  g_assert_cmpuint(fail(l, "alice", "192.0.2.9", T0), ==, 250);
  /* the guesser's address keeps its count through a good login of its own account */
  for (int i = 0; i < 4; i++) fail(l, "mallory", "192.0.2.66", T0);
  g_assert_cmpint(login_limiter_begin(l, "mallory", "192.0.2.66", T0), ==, LOGIN_ALLOWED);
  login_limiter_end(l, "mallory", "192.0.2.66", TRUE, T0);
  for (int i = 0; i < 8; i++) { /* 4 + 8 = 12: only with the 4 kept */
    g_autofree char *user = g_strdup_printf("x%d", i);
    fail(l, user, "192.0.2.66", T0);
  }
  g_assert_cmpint(login_limiter_begin(l, "admin", "192.0.2.66", T0), ==, LOGIN_LOCKED_ADDRESS);
  login_limiter_free(l);
}

static void test_table_bound(void) {
  LoginLimits small = limits;
  small.max_tracked = 8;
  small.address_failures = 1000;
  LoginLimiter *l = login_limiter_new(&small);
  for (int i = 0; i < 5; i++) fail(l, "victim", "203.0.113.1", T0);
  g_assert_cmpint(login_limiter_begin(l, "victim", NULL, T0), ==, LOGIN_LOCKED_USER);
  /* a flood of names from one address: the user table is swept, the address is still counted */
  for (int i = 0; i < 50; i++) {
    g_autofree char *user = g_strdup_printf("flood%d", i);
    fail(l, user, "203.0.113.1", T0 + 1);
  }
  g_assert_cmpuint(fail(l, "other", "203.0.113.1", T0 + 2), ==, 5000);
  /* forgotten entries go first: an old lock-out makes room, a live one is kept */
  LoginLimiter *m = login_limiter_new(&small);
  for (int i = 0; i < 5; i++) fail(m, "live", NULL, T0 + 300000);
  for (int i = 0; i < 7; i++) {
    g_autofree char *user = g_strdup_printf("old%d", i);
    fail(m, user, NULL, T0);
  }
  fail(m, "new", NULL, T0 + 300001);
  g_assert_cmpint(login_limiter_begin(m, "live", NULL, T0 + 300001), ==, LOGIN_LOCKED_USER);
  login_limiter_free(m);
  login_limiter_free(l);
}

static void test_names(void) {
  g_assert_true(login_name_acceptable("admin"));
  g_assert_true(login_name_acceptable("a b"));
  g_assert_false(login_name_acceptable(NULL));
  g_assert_false(login_name_acceptable(""));
  g_assert_false(login_name_acceptable("admin "));
  g_assert_false(login_name_acceptable(" admin"));
  g_assert_false(login_name_acceptable("admin\t"));
  g_assert_false(login_name_acceptable("admin\n"));
  g_assert_false(login_name_acceptable("\vadmin"));
  g_assert_false(login_name_acceptable("admin\x7f"));
  g_autofree char *long_name = g_strnfill(256, 'a');
  g_assert_false(login_name_acceptable(long_name));
  long_name[255] = '\0';
  g_assert_true(login_name_acceptable(long_name));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/login_limiter/delay", test_delay_doubles_and_caps);
  g_test_add_func("/login_limiter/user_lockout", test_user_locked_until_cool_down);
  g_test_add_func("/login_limiter/parallel", test_parallel_attempts_counted_from_start);
  g_test_add_func("/login_limiter/address_lockout", test_address_locked_across_names);
  g_test_add_func("/login_limiter/success", test_success_clears_user_not_address);
  g_test_add_func("/login_limiter/bound", test_table_bound);
  g_test_add_func("/login_limiter/names", test_names);
  return g_test_run();
}
