/*
 * test_path_norm: one table of (path, escaped slashes kept?, expected form
 * or refusal, low water) for the path the gateway routes on and forwards.
 */
#include <string.h>

#include "path_norm.h"

#define REFUSED NULL
#define NONE    G_MAXSIZE

static const struct {
  const char *in;
  gboolean keep;
  const char *out; /* REFUSED: refused */
  gsize low;
} cases[] = {
    {"/", FALSE, "/", NONE},
    {"/a/b", FALSE, "/a/b", NONE},
    {"/a/b/", FALSE, "/a/b/", NONE},
    {"//a///b//", FALSE, "/a/b/", NONE},
    {"/a/./b", FALSE, "/a/b", NONE},
    {"/a/.", FALSE, "/a/", NONE},
    {"/a/b/..", FALSE, "/a/", 2},
    {"/a/b/../c", FALSE, "/a/c", 2},
    {"/rec/1.0.0/public/../items/5", FALSE, "/rec/1.0.0/items/5", 10},
    {"/rec/1.0.0/public/%2e%2e/items/5", FALSE, "/rec/1.0.0/items/5", 10},
    {"/rec/1.0.0/public/%2E%2E/items/5", FALSE, "/rec/1.0.0/items/5", 10},
    {"/rec/1.0.0/public/.%2e/items/5", FALSE, "/rec/1.0.0/items/5", 10},
    {"/rec/1.0.0/public/%252e%252e/items", FALSE, "/rec/1.0.0/public/%252e%252e/items", NONE},
    {"/rec/1.0.0/../1.0.0/x", FALSE, "/rec/1.0.0/x", 4},
    {"/a/..", FALSE, "/", 0},
    {"/..", FALSE, REFUSED, 0},
    {"/a/../..", FALSE, REFUSED, 0},
    {"/a/%2e%2e/%2e%2e/b", FALSE, REFUSED, 0},
    {"/%7Euser/%41%62", FALSE, "/~user/Ab", NONE},
    {"/a%20b/%c3%a9", FALSE, "/a%20b/%C3%A9", NONE},
    {"/a%2fb", FALSE, REFUSED, 0},
    {"/a%2Fb", FALSE, REFUSED, 0},
    {"/a%5cb", FALSE, REFUSED, 0},
    {"/a%2fb", TRUE, "/a%2Fb", NONE},
    {"/a%5Cb", TRUE, "/a%5Cb", NONE},
    {"/a%00b", FALSE, REFUSED, 0},
    {"/a%00b", TRUE, REFUSED, 0},
    {"/a\\b", FALSE, REFUSED, 0},
    {"/a\\b", TRUE, REFUSED, 0},
    {"/a/..;/b", FALSE, REFUSED, 0},
    {"/a/.;x/b", FALSE, REFUSED, 0},
    {"/a/b;v=1/c", FALSE, "/a/b;v=1/c", NONE},
    {"/a/...", FALSE, "/a/...", NONE},
    {"/a/..x", FALSE, "/a/..x", NONE},
    {"/a%", FALSE, REFUSED, 0},
    {"/a%4", FALSE, REFUSED, 0},
    {"/a%zz", FALSE, REFUSED, 0},
    {"/a#b", FALSE, REFUSED, 0},
    {"/a?b", FALSE, REFUSED, 0},
    {"a/b", FALSE, REFUSED, 0},
    {"", FALSE, REFUSED, 0},
    {"/a b", FALSE, REFUSED, 0},
    {"/%2e", FALSE, "/", NONE},
    {"/./../a", FALSE, REFUSED, 0},
};

static void test_table(void) {
  for (gsize k = 0; k < G_N_ELEMENTS(cases); k++) {
    gsize n = strlen(cases[k].in);
    char *out = g_malloc(n + 1);
    PathNorm res;
    gboolean ok = path_normalize(cases[k].in, n, cases[k].keep, out, &res);
    g_test_message("%s (keep %d) -> %s %s", cases[k].in, cases[k].keep, ok ? out : "refused",
                   ok ? "" : res.reason);
    if (!cases[k].out) {
      g_assert_false(ok);
      g_assert_nonnull(res.reason);
    } else {
      g_assert_true(ok);
      g_assert_cmpstr(out, ==, cases[k].out);
      g_assert_cmpuint(res.len, ==, strlen(cases[k].out));
      g_assert_cmpuint(res.low_water, ==, cases[k].low);
      g_assert_cmpuint(res.len, <=, n);
    }
    g_free(out);
  }
}

/* A normalised path is a fixed point. */
static void test_idempotent(void) {
  for (gsize k = 0; k < G_N_ELEMENTS(cases); k++) {
    if (!cases[k].out) continue;
    gsize n = strlen(cases[k].out);
    char out[256];
    PathNorm res;
    g_assert_true(path_normalize(cases[k].out, n, TRUE, out, &res));
    g_assert_cmpstr(out, ==, cases[k].out);
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/path_norm/table", test_table);
  g_test_add_func("/path_norm/idempotent", test_idempotent);
  return g_test_run();
}
