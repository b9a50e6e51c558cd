/*
 * test_uri_template: the common matcher and resource order
 * (common/tg_uri_template.c) against tests/data/uri_templates.tsv, plus the
 * order's promise checked exhaustively over small templates: a template whose
 * paths are a proper subset of another's sorts first.
 */
#include <string.h>

#include <glib.h>

#include "tg_uri_template.h"
#include "uri_table.h"

static const char *const hub_verbs[] = {"GET",   "POST", "PUT",     "DELETE",
                                        "PATCH", "HEAD", "OPTIONS", NULL};

static gboolean hub_verb(const char *verb) { return g_strv_contains(hub_verbs, verb); }

/* The resource the shared rules pick: the most specific of those whose verb and template
   match, the first declared among equals. -1 for none. */
static int pick(const UriTableRow *row, const TgUriTemplate *t, const gboolean *ok) {
  int best = -1;
  for (guint i = 0; i < row->n; i++) {
    if (!ok[i] || !tg_uri_verb_matches(row->verbs[i], row->verb) ||
        !tg_uri_template_match(&t[i], row->path))
      continue;
    if (best < 0 || tg_uri_resource_compare(&t[i], row->verbs[i], &t[best], row->verbs[best]) < 0)
      best = (int)i;
  }
  return best;
}

static gboolean has_equivalent_pair(const UriTableRow *row, const TgUriTemplate *t,
                                    const gboolean *ok) {
  for (guint i = 0; i < row->n; i++)
    for (guint j = i + 1; j < row->n; j++)
      if (ok[i] && ok[j] && !g_ascii_strcasecmp(row->verbs[i], row->verbs[j]) &&
          tg_uri_template_equivalent(&t[i], &t[j]))
        return TRUE;
  return FALSE;
}

static void test_table(void) {
  g_autoptr(GPtrArray) rows = uri_table_load();
  for (guint r = 0; r < rows->len; r++) {
    const UriTableRow *row = g_ptr_array_index(rows, r);
    g_autofree char *what = uri_table_describe(row);
    TgUriTemplate t[16];
    gboolean ok[16];
    g_assert_cmpuint(row->n, <=, G_N_ELEMENTS(t));
    gboolean all_ok = TRUE, verbs_ok = TRUE;
    for (guint i = 0; i < row->n; i++) {
      ok[i] = tg_uri_template_parse(&t[i], row->templates[i], NULL);
      all_ok = all_ok && ok[i];
      verbs_ok = verbs_ok && hub_verb(row->verbs[i]);
    }
    int got = pick(row, t, ok);
    if (got != row->expected)
      g_error("%s: picked %s, want %s", what, got < 0 ? "none" : row->templates[got],
              row->expected < 0 ? "none" : row->templates[row->expected]);
    gboolean refusable = !all_ok || has_equivalent_pair(row, t, ok) || !verbs_ok;
    if (refusable != row->refused)
      g_error("%s: the create column says %s", what, row->refused ? "400" : "accepted");
  }
}

static void test_parse_errors(void) {
  const char *bad[] = {
      NULL,     "",      "x",      "?",      "/a b",     "/a\tb",
      "/a\nb",  "/a#b",  "/a\x7f", "/*/*",   "/{",       "/}",
      "/{{x}}", "/{x}}", "/{ x}",  "/{x/y}", "/{x}/*/z", "/caf\xc3\xa9/{x}?q={q}&r=#"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    TgUriTemplate t;
    if (tg_uri_template_parse(&t, bad[i], &error)) g_error("template \"%s\" parsed", bad[i]);
    g_assert_error(error, TG_URI_TEMPLATE_ERROR, TG_URI_TEMPLATE_ERROR_INVALID);
  }
  TgUriTemplate t;
  g_assert_true(tg_uri_template_parse(&t, "/*/", NULL)); /* the trailing '/' is ignored */
  g_assert_true(t.wildcard);
  g_assert_true(tg_uri_template_parse(&t, "/caf\xc3\xa9/{x}?q={q}&r=1", NULL));
  g_assert_cmpuint(t.literals, ==, 1);
  g_assert_cmpuint(t.segments, ==, 2);
}

static void test_verbs(void) {
  g_assert_true(tg_uri_verb_matches("GET", "get"));
  g_assert_false(tg_uri_verb_matches("ANY", "PURGE"));
  g_assert_true(tg_uri_verb_matches("PURGE", "purge"));
  g_assert_true(tg_uri_verb_matches("*", "PATCH"));
  g_assert_true(tg_uri_verb_matches("any", "GET"));
  g_assert_true(tg_uri_verb_matches("*", "GET"));
  g_assert_false(tg_uri_verb_matches("GET", "GETX"));
  g_assert_false(tg_uri_verb_matches("ANY", ""));
  g_assert_false(tg_uri_verb_matches("ANY", NULL));
  g_assert_false(tg_uri_verb_matches(NULL, "GET"));
  g_assert_false(tg_uri_verb_matches("", ""));
}

/* Every template of up to 3 segments over {a, b, {x}} with or without a final "*", and
   every path of up to 4 segments over {a, b, c}. */
static GPtrArray *small_templates(void) {
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  const char *segs[] = {"a", "b", "{x}"};
  for (guint len = 0; len <= 3; len++) {
    guint combos = 1;
    for (guint i = 0; i < len; i++) combos *= 3;
    for (guint c = 0; c < combos; c++) {
      GString *s = g_string_new(NULL);
      for (guint i = 0, k = c; i < len; i++, k /= 3) g_string_append_printf(s, "/%s", segs[k % 3]);
      g_ptr_array_add(out, g_strdup_printf("%s/*", s->str));
      if (s->len == 0) g_string_append_c(s, '/');
      g_ptr_array_add(out, g_string_free(s, FALSE));
    }
  }
  return out;
}

static GPtrArray *small_paths(void) {
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  const char *segs[] = {"a", "b", "c"};
  for (guint len = 0; len <= 5; len++) {
    guint combos = 1;
    for (guint i = 0; i < len; i++) combos *= 3;
    for (guint c = 0; c < combos; c++) {
      GString *s = g_string_new(NULL);
      for (guint i = 0, k = c; i < len; i++, k /= 3) g_string_append_printf(s, "/%s", segs[k % 3]);
      if (s->len == 0) g_string_append_c(s, '/');
      g_ptr_array_add(out, g_string_free(s, FALSE));
    }
  }
  return out;
}

static void test_order_never_shadows(void) {
  g_autoptr(GPtrArray) texts = small_templates();
  g_autoptr(GPtrArray) paths = small_paths();
  guint n = texts->len, np = paths->len;
  TgUriTemplate *t = g_new(TgUriTemplate, n);
  gboolean *m = g_new(gboolean, (gsize)n * np);
  for (guint i = 0; i < n; i++) {
    g_assert_true(tg_uri_template_parse(&t[i], g_ptr_array_index(texts, i), NULL));
    for (guint p = 0; p < np; p++)
      m[i * np + p] = tg_uri_template_match(&t[i], g_ptr_array_index(paths, p));
  }
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++) {
      gboolean sub = TRUE, same = TRUE;
      for (guint p = 0; p < np; p++) {
        sub = sub && (!m[i * np + p] || m[j * np + p]);
        same = same && m[i * np + p] == m[j * np + p];
      }
      int c = tg_uri_template_compare(&t[i], &t[j]);
      g_assert_cmpint(c, ==, -tg_uri_template_compare(&t[j], &t[i]));
      g_assert_true((c == 0) == (i == j));
      if (sub && !same && c >= 0) g_error("%s (narrower) sorts after %s", t[i].text, t[j].text);
      if (tg_uri_template_equivalent(&t[i], &t[j]) != same)
        g_error("%s and %s: equivalent says %d", t[i].text, t[j].text, !same);
    }
  g_free(m);
  g_free(t);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/uri_template/table", test_table);
  g_test_add_func("/uri_template/parse_errors", test_parse_errors);
  g_test_add_func("/uri_template/verbs", test_verbs);
  g_test_add_func("/uri_template/order_never_shadows", test_order_never_shadows);
  return g_test_run();
}
