/*
 * fuzz_uri_template: the one URI-template matcher (common/tg_uri_template.c).
 * Input: a template, then paths, separated by NUL bytes. Whatever the bytes:
 * no crash or read past a string, the same answer twice, a template that
 * parses matches its own text, equivalent templates match the same paths, the
 * order is antisymmetric, and a matched path is in normal form (checked
 * here by a second, independent reading of the rule).
 */
#include <string.h>

#include "tg_uri_template.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

/* TRUE when the path part of p (before '?' or '#'; "" is "/") starts with '/', has no
   empty segment but a final one and no "." or ".." segment. */
static gboolean normal_form(const char *p) {
  gsize n = strcspn(p, "?#");
  if (n == 0) return TRUE;
  if (p[0] != '/') return FALSE;
  for (gsize i = 0; i < n;) {
    gsize s = i + 1, e = s;
    while (e < n && p[e] != '/') e++;
    gsize len = e - s;
    if (len == 0 && e < n) return FALSE;
    /* a dot segment, also as %2e and before ";params" */
    g_autofree char *seg = g_strndup(p + s, len);
    seg[strcspn(seg, ";")] = '\0';
    g_autofree char *low = g_ascii_strdown(seg, -1);
    if (!strcmp(low, ".") || !strcmp(low, "..") || !strcmp(low, "%2e") || !strcmp(low, "%2e%2e") ||
        !strcmp(low, ".%2e") || !strcmp(low, "%2e."))
      return FALSE;
    i = e;
  }
  return TRUE;
}

/* match on an exact-size copy, so ASan sees a read past the path's NUL */
static gboolean match_copy(const TgUriTemplate *t, const char *path) {
  g_autofree char *copy = g_strdup(path);
  gboolean m = tg_uri_template_match(t, copy);
  g_assert_true(m == tg_uri_template_match(t, copy));
  g_assert_true(!m || normal_form(copy));
  return m;
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size) {
  if (size > 4096) return 0;
  /* NUL-separated strings; the last one ends at the input's end */
  g_autofree char *buf = g_malloc(size + 1);
  memcpy(buf, data, size);
  buf[size] = '\0';
  GPtrArray *parts = g_ptr_array_new();
  for (gsize i = 0; i <= size; i += strlen(buf + i) + 1) g_ptr_array_add(parts, buf + i);

  /* the template from an exact-size copy too */
  g_autofree char *text = g_strdup(g_ptr_array_index(parts, 0));
  TgUriTemplate t;
  GError *error = NULL;
  gboolean ok = tg_uri_template_parse(&t, text, &error);
  g_assert_true(ok == (error == NULL));
  if (!ok) {
    g_assert_true(error->domain == TG_URI_TEMPLATE_ERROR);
    g_error_free(error);
    for (guint i = 1; i < parts->len; i++) {
      TgUriTemplate other;
      if (tg_uri_template_parse(&other, g_ptr_array_index(parts, i), NULL))
        match_copy(&other, text);
    }
    g_ptr_array_unref(parts);
    return 0;
  }
  g_assert_cmpuint(t.literals, <=, t.segments);
  g_assert_cmpuint(t.path_len, <=, strlen(text));
  g_assert_cmpint(tg_uri_template_compare(&t, &t), ==, 0);
  g_assert_true(tg_uri_template_equivalent(&t, &t));
  /* a template matches its own text (a {name} or "*" segment is a path segment too) */
  g_assert_true(match_copy(&t, text));
  if (t.literals == t.segments && !t.wildcard) {
    g_autofree char *slash = g_strndup(text, t.path_len);
    g_autofree char *with = g_strconcat(*slash ? slash : "", "/", NULL);
    g_assert_true(match_copy(&t, with));
  }
  for (guint i = 1; i < parts->len; i++) {
    const char *p = g_ptr_array_index(parts, i);
    gboolean m = match_copy(&t, p);
    TgUriTemplate other;
    if (!tg_uri_template_parse(&other, p, NULL)) continue;
    int c = tg_uri_template_compare(&t, &other);
    g_assert_cmpint(c, ==, -tg_uri_template_compare(&other, &t));
    g_assert_true((c == 0) == (strcmp(text, p) == 0));
    gboolean eq = tg_uri_template_equivalent(&t, &other);
    g_assert_true(eq == tg_uri_template_equivalent(&other, &t));
    for (guint j = 1; eq && j < parts->len; j++)
      g_assert_true(match_copy(&t, g_ptr_array_index(parts, j)) ==
                    match_copy(&other, g_ptr_array_index(parts, j)));
    (void)m;
  }
  g_ptr_array_unref(parts);
  return 0;
}
