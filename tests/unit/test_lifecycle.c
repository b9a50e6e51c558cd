/*
 * test_lifecycle: the API lifecycle table (common/tg_lifecycle.c) as one table of every
 * pair of states, so a changed row shows up here before the hub or the portal notice;
 * spelling, unknown states and which move asks the password again.
 */
#include "tg_lifecycle.h"

/* allowed[from][to] in the order of tg_lifecycle_states(); a state to itself is no move. */
static const gboolean allowed[5][5] = {
    /*               CREATED PUBLISHED DEPRECATED RETIRED BLOCKED */
    /* CREATED */ {0, 1, 0, 0, 0},
    /* PUBLISHED */ {0, 0, 1, 1, 1},
    /* DEPRECATED */ {0, 1, 0, 1, 1},
    /* RETIRED */ {0, 0, 0, 0, 0},
    /* BLOCKED */ {0, 1, 1, 0, 0},
};

static void test_pairs(void) {
  const char *const *st = tg_lifecycle_states();
  g_assert_cmpuint(g_strv_length((char **)st), ==, 5);
  g_assert_cmpstr(st[0], ==, "CREATED");
  g_assert_cmpstr(st[3], ==, "RETIRED");
  for (guint f = 0; f < 5; f++) {
    guint moves = 0;
    for (guint t = 0; t < 5; t++) {
      if (tg_lifecycle_allowed(st[f], st[t]) != allowed[f][t])
        g_error("%s -> %s: expected %d", st[f], st[t], allowed[f][t]);
      moves += allowed[f][t];
    }
    g_assert_cmpuint(g_strv_length((char **)tg_lifecycle_next(st[f])), ==, moves);
  }
}

static void test_spelling(void) {
  g_assert_cmpstr(tg_lifecycle_state("published"), ==, "PUBLISHED");
  g_assert_cmpstr(tg_lifecycle_state("Blocked"), ==, "BLOCKED");
  g_assert_null(tg_lifecycle_state("LIVE"));
  g_assert_null(tg_lifecycle_state("PUBLISHED "));
  g_assert_null(tg_lifecycle_state(""));
  g_assert_null(tg_lifecycle_state(NULL));
  /* moves are between canonical states only */
  g_assert_false(tg_lifecycle_allowed("published", "DEPRECATED"));
  g_assert_false(tg_lifecycle_allowed("PUBLISHED", "deprecated"));
  g_assert_false(tg_lifecycle_allowed(NULL, "PUBLISHED"));
  g_assert_false(tg_lifecycle_allowed("CREATED", NULL));
  g_assert_null(tg_lifecycle_next("NOPE")[0]);
  g_assert_null(tg_lifecycle_next(NULL)[0]);
  g_assert_null(tg_lifecycle_next("RETIRED")[0]);
}

static void test_reauth(void) {
  const char *const *st = tg_lifecycle_states();
  for (guint i = 0; st[i]; i++)
    g_assert_cmpint(tg_lifecycle_needs_reauth(st[i]), ==, g_str_equal(st[i], "RETIRED"));
  g_assert_false(tg_lifecycle_needs_reauth("retired")); /* callers pass the canonical name */
  g_assert_false(tg_lifecycle_needs_reauth(NULL));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/lifecycle/pairs", test_pairs);
  g_test_add_func("/lifecycle/spelling", test_spelling);
  g_test_add_func("/lifecycle/reauth", test_reauth);
  return g_test_run();
}
