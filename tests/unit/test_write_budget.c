/*
 * test_write_budget: the per-user token bucket of management writes
 * (keyvalidator/write_budget.h): a burst, then one write per 1/rate s, per user
 * name (one user's flood leaves another's budget whole), the retry hint, and
 * the bound on buckets held.
 */
#include "config.h"

#include "write_budget.h"

#define S ((gint64)G_USEC_PER_SEC)

static void test_burst_then_rate(void) {
  WriteBudget *b = write_budget_new(10, 5, 100);
  gint64 retry = 0, now = 1000 * S;
  for (int i = 0; i < 5; i++) g_assert_true(write_budget_take(b, "mallory", now, &retry));
  g_assert_false(write_budget_take(b, "mallory", now, &retry));
  g_assert_cmpint(retry, >, 0);
  g_assert_cmpint(retry, <=, 101);
  g_assert_true(write_budget_take(b, "alice", now, &retry)); /* per user */
  g_assert_false(write_budget_take(b, "mallory", now + S / 20, &retry));
  g_assert_true(write_budget_take(b, "mallory", now + S / 10 + 1, &retry));
  g_assert_false(write_budget_take(b, "mallory", now + S / 10 + 2, &retry));
  /* never more than the burst saved up, however long the pause */
  now += 3600 * S;
  for (int i = 0; i < 5; i++) g_assert_true(write_budget_take(b, "mallory", now, &retry));
  g_assert_false(write_budget_take(b, "mallory", now, &retry));
  /* a clock that goes back earns nothing */
  g_assert_false(write_budget_take(b, "mallory", now - S, &retry));
  write_budget_free(b);
}

static void test_names_are_exact(void) {
  WriteBudget *b = write_budget_new(1, 1, 100);
  gint64 retry = 0;
  g_assert_true(write_budget_take(b, "bob", S, &retry));
  g_assert_false(write_budget_take(b, "bob", S, &retry));
  g_assert_true(write_budget_take(b, "Bob", S, &retry)); /* another account */
  write_budget_free(b);
}

static void test_bounded(void) {
  WriteBudget *b = write_budget_new(1, 2, 4);
  gint64 retry = 0;
  for (int i = 0; i < 100; i++) {
    g_autofree char *user = g_strdup_printf("u%d", i);
    g_assert_true(write_budget_take(b, user, (gint64)i * 10 * S, &retry));
  }
  /* an empty bucket is kept while others come and go */
  g_assert_true(write_budget_take(b, "x", 2000 * S, &retry));
  g_assert_true(write_budget_take(b, "x", 2000 * S, &retry));
  for (int i = 0; i < 10; i++) {
    g_autofree char *user = g_strdup_printf("v%d", i);
    write_budget_take(b, user, 2000 * S, &retry);
  }
  g_assert_false(write_budget_take(b, "x", 2000 * S, &retry));
  write_budget_free(b);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/write_budget/burst_then_rate", test_burst_then_rate);
  g_test_add_func("/write_budget/names_are_exact", test_names_are_exact);
  g_test_add_func("/write_budget/bounded", test_bounded);
  return g_test_run();
}
