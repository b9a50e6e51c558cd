/*
 * test_uri_template: parsing, matching and specificity order of resource
 * templates. Data-driven: add a row to add a case.
 */
#include <glib.h>

#include "uri_template.h"

typedef struct {
  const char *tmpl, *path;
  gboolean match;
} MatchCase;

static const MatchCase match_cases[] = {
    {"/items/{id}", "/items/7", TRUE},
    {"/items/{id}", "/items/7/", TRUE},
    {"/items/{id}", "/items", FALSE},
    {"/items/{id}", "/items/7/parts", FALSE},
    {"/items/*", "/items", TRUE},
    {"/items/*", "/items/7/parts/9", TRUE},
    {"/items/*", "/itemsx/7", FALSE},
    {"/*", "/", TRUE},
    {"/*", "/anything/at/all", TRUE},
    {"/", "/", TRUE},
    {"/", "/x", FALSE},
    {"/menu", "/menu", TRUE},
    {"/menu", "/Menu", FALSE},
    {"/menu?size={s}", "/menu", TRUE},
    {"/a/{b}/c", "/a/x/c", TRUE},
    {"/a/{b}/c", "/a/x/d", FALSE},
    {"//a//b", "/a/b", TRUE},
};

static void test_match(void) {
  for (gsize i = 0; i < G_N_ELEMENTS(match_cases); i++) {
    const MatchCase *c = &match_cases[i];
    g_autoptr(GError) error = NULL;
    g_autoptr(UriTemplate) t = uri_template_parse(c->tmpl, &error);
    g_assert_no_error(error);
    if (uri_template_match(t, c->path) != c->match)
      g_error("%s vs %s: expected %s", c->tmpl, c->path, c->match ? "match" : "no match");
  }
}

static void test_malformed(void) {
  const char *bad[] = {"/a/*/b", "/a/{", "/a/{}", "/a/x{y}", "/a/{b}c"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    UriTemplate *t = uri_template_parse(bad[i], &error);
    g_assert_null(t);
    g_assert_nonnull(error);
  }
}

static gint by_specificity(gconstpointer a, gconstpointer b) {
  return uri_template_compare_specificity(*(UriTemplate *const *)a, *(UriTemplate *const *)b);
}

static void test_specificity(void) {
  const char *in[] = {"/*", "/items/*", "/{x}/{y}", "/items/{id}", "/items/7", "/items"};
  const char *expected[] = {"/items/7", "/items/{id}", "/items", "/items/*", "/{x}/{y}", "/*"};
  g_autoptr(GPtrArray) arr = g_ptr_array_new_with_free_func((GDestroyNotify)uri_template_free);
  for (gsize i = 0; i < G_N_ELEMENTS(in); i++) g_ptr_array_add(arr, uri_template_parse(in[i], NULL));
  g_ptr_array_sort(arr, by_specificity);
  for (gsize i = 0; i < G_N_ELEMENTS(expected); i++)
    g_assert_cmpstr(uri_template_text(g_ptr_array_index(arr, i)), ==, expected[i]);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/uri_template/match", test_match);
  g_test_add_func("/uri_template/malformed", test_malformed);
  g_test_add_func("/uri_template/specificity", test_specificity);
  return g_test_run();
}
