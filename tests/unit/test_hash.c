/*
 * test_hash: the one hot-table string hash (tg_hash.h): equal bytes hash equal, every
 * byte counts, the tail bytes past the last 8-byte step included, and keys that differ in
 * a few digits spread; a GHashTable keyed with it finds what it holds.
 */
#include "tg_hash.h"

static void test_hash_every_byte_counts(void) {
  char a[40], b[40];
  for (size_t len = 1; len < sizeof a; len++) {
    for (size_t i = 0; i < len; i++) a[i] = b[i] = (char)('a' + i % 26);
    g_assert_cmpuint(tg_hash_bytes(a, len), ==, tg_hash_bytes(b, len));
    for (size_t i = 0; i < len; i++) {
      b[i] ^= 1;
      g_assert_cmpuint(tg_hash_bytes(a, len), !=, tg_hash_bytes(b, len));
      b[i] ^= 1;
    }
  }
  g_assert_cmpuint(tg_hash_bytes("ab", 2), !=, tg_hash_bytes("ab\0", 3)); /* the length counts */
  g_assert_cmpuint(tg_str_hash("token|api"), ==, tg_hash_bytes("token|api", 9));
}

static void test_hash_spreads(void) {
  /* 10,000 keys that differ in a few digits land in at least 9,990 of 2^32 values */
  GHashTable *seen = g_hash_table_new(NULL, NULL);
  for (int i = 0; i < 10000; i++) {
    g_autofree char *k = g_strdup_printf(
        "0f3a9c\x1f/menu\x1f"
        "1.0.%d\x1f/items/{id}\x1fGET",
        i);
    g_hash_table_add(seen, GUINT_TO_POINTER(tg_str_hash(k)));
  }
  g_assert_cmpuint(g_hash_table_size(seen), >=, 9990);
  g_hash_table_unref(seen);
}

static void test_hash_table(void) {
  GHashTable *t = g_hash_table_new_full(tg_str_hash, g_str_equal, g_free, NULL);
  for (int i = 0; i < 1000; i++)
    g_hash_table_insert(t, g_strdup_printf("%064d|/ctx|1.0.%d", i, i % 7), GINT_TO_POINTER(i + 1));
  for (int i = 0; i < 1000; i++) {
    g_autofree char *k = g_strdup_printf("%064d|/ctx|1.0.%d", i, i % 7);
    g_assert_cmpint(GPOINTER_TO_INT(g_hash_table_lookup(t, k)), ==, i + 1);
  }
  g_assert_null(g_hash_table_lookup(t, "absent"));
  g_hash_table_unref(t);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/hash/every_byte_counts", test_hash_every_byte_counts);
  g_test_add_func("/hash/spreads", test_hash_spreads);
  g_test_add_func("/hash/table", test_hash_table);
  return g_test_run();
}
