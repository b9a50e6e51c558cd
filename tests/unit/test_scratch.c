/*
 * test_scratch: the per-thread key buffer, and keys joined from parts (NULL parts
 * empty, boundaries kept).
 */
#include "scratch.h"

static GPrivate buf = SCRATCH_STRING_INIT;

static void test_join(void) {
  GString *s = scratch_string(&buf);
  const char *parts[] = {"abc", NULL, "", "d"};
  scratch_join(s, parts, G_N_ELEMENTS(parts), '|');
  g_assert_cmpstr(s->str, ==, "abc|||d");
  g_assert_cmpuint(s->len, ==, 7);
  g_assert_true(scratch_string(&buf) == s); /* the same buffer, emptied */
  g_assert_cmpuint(s->len, ==, 0);
  const char *one[] = {"x"};
  scratch_join(s, one, 1, '|');
  g_assert_cmpstr(s->str, ==, "x");
  scratch_join(s, one, 0, '|');
  g_assert_cmpstr(s->str, ==, "");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/scratch/join", test_join);
  return g_test_run();
}
