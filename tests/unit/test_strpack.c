/*
 * test_strpack: strings packed after a caller's header in one block, NULLs
 * kept, and an empty pack; sources given by length (not NUL-terminated).
 */
#include <string.h>

#include "tg_strpack.h"

typedef struct {
  int tag;
  char *a, *b, *c;
} Record;

static void test_after_header(void) {
  const char *src[] = {"alpha", NULL, ""};
  char *s[3];
  Record *r = tg_strpack(sizeof *r, src, 3, s);
  r->tag = 7;
  r->a = s[0];
  r->b = s[1];
  r->c = s[2];
  g_assert_cmpstr(r->a, ==, "alpha");
  g_assert_null(r->b);
  g_assert_cmpstr(r->c, ==, "");
  g_assert_true((char *)r->a >= (char *)(r + 1));
  g_assert_true(r->a != src[0]);
  g_assert_cmpint(r->tag, ==, 7);
  g_free(r);
}

static void test_no_header_no_strings(void) {
  char *s[1];
  gpointer block = tg_strpack(0, NULL, 0, s);
  g_assert_nonnull(block);
  g_free(block);
  const char *one[] = {NULL};
  block = tg_strpack(0, one, 1, s);
  g_assert_null(s[0]);
  g_free(block);
}

static void test_sources_by_length(void) {
  static const char wire[] = "contextversionXYZ"; /* three fields side by side */
  const char *src[] = {wire, wire + 7, NULL, wire + 14};
  const gsize len[] = {7, 7, 5, 0};
  char *s[4];
  gpointer block = tg_strpack_len(0, src, len, 4, s);
  g_assert_cmpstr(s[0], ==, "context");
  g_assert_cmpstr(s[1], ==, "version");
  g_assert_null(s[2]);
  g_assert_cmpstr(s[3], ==, "");
  g_free(block);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/strpack/after_header", test_after_header);
  g_test_add_func("/strpack/no_header_no_strings", test_no_header_no_strings);
  g_test_add_func("/strpack/sources_by_length", test_sources_by_length);
  return g_test_run();
}
