/*
 * test_scratch: the per-thread key buffer, keys joined from parts (NULL parts
 * empty, boundaries kept), and the key hash: equal bytes hash equal, and every
 * byte counts, the tail bytes past the last 8-byte step included.
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

static void test_hash_every_byte_counts(void) {
  char a[40], b[40];
  for (size_t len = 1; len < sizeof a; len++) {
    for (size_t i = 0; i < len; i++) a[i] = b[i] = (char)('a' + i % 26);
    g_assert_cmpuint(scratch_hash(a, len), ==, scratch_hash(b, len));
    for (size_t i = 0; i < len; i++) {
      b[i] ^= 1;
      g_assert_cmpuint(scratch_hash(a, len), !=, scratch_hash(b, len));
      b[i] ^= 1;
    }
  }
  g_assert_cmpuint(scratch_hash("ab", 2), !=, scratch_hash("ab\0", 3)); /* the length counts */
  g_assert_cmpuint(scratch_str_hash("token|api"), ==, scratch_hash("token|api", 9));
}

static void test_hash_spreads(void) {
  /* 10,000 keys that differ in a few digits land in at least 9,990 of 2^32 values */
  GHashTable *seen = g_hash_table_new(NULL, NULL);
  for (int i = 0; i < 10000; i++) {
    g_autofree char *k = g_strdup_printf(
        "0f3a9c\x1f/menu\x1f"
        "1.0.%d\x1f/items/{id}\x1fGET",
        i);
    g_hash_table_add(seen, GUINT_TO_POINTER(scratch_str_hash(k)));
  }
  g_assert_cmpuint(g_hash_table_size(seen), >=, 9990);
  g_hash_table_unref(seen);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/scratch/join", test_join);
  g_test_add_func("/scratch/hash_every_byte_counts", test_hash_every_byte_counts);
  g_test_add_func("/scratch/hash_spreads", test_hash_spreads);
  return g_test_run();
}
