/*
 * uri_table: the reader of tests/data/uri_templates.tsv (see uri_table.h).
 * The file's path comes from the build (URI_TABLE_PATH), so each test program
 * runs the same file whatever its working directory.
 */
#include "uri_table.h"

#include <string.h>

static void row_free(gpointer p) {
  UriTableRow *r = p;
  g_strfreev(r->verbs);
  g_strfreev(r->templates);
  g_free(r->verb);
  g_free(r->path);
  g_free(r);
}

static int find_expected(const UriTableRow *r, const char *expected) {
  if (strcmp(expected, "-") == 0) return -1;
  g_auto(GStrv) w = g_strsplit(expected, " ", 2);
  for (guint i = 0; w[0] && w[1] && i < r->n; i++)
    if (strcmp(r->verbs[i], w[0]) == 0 && strcmp(r->templates[i], w[1]) == 0) return (int)i;
  g_error("uri_templates.tsv line %u: expected \"%s\" is not one of the resources", r->line,
          expected);
}

static UriTableRow *row_parse(const char *line, guint lineno) {
  g_auto(GStrv) col = g_strsplit(line, "\t", -1);
  if (g_strv_length(col) != 5)
    g_error("uri_templates.tsv line %u: %u columns, want 5", lineno, g_strv_length(col));
  g_auto(GStrv) words = g_strsplit_set(col[0], " ", -1);
  guint nw = g_strv_length(words);
  if (nw == 0 || nw % 2)
    g_error("uri_templates.tsv line %u: resources are VERB TEMPLATE pairs", lineno);
  UriTableRow *r = g_new0(UriTableRow, 1);
  r->line = lineno;
  r->n = nw / 2;
  r->verbs = g_new0(char *, r->n + 1);
  r->templates = g_new0(char *, r->n + 1);
  for (guint i = 0; i < r->n; i++) {
    r->verbs[i] = g_strdup(words[2 * i]);
    r->templates[i] = g_strdup(words[2 * i + 1]);
  }
  r->verb = g_strdup(col[1]);
  r->path = g_strcompress(col[2]);
  r->expected = find_expected(r, col[3]);
  if (*col[4] != '\0' && strcmp(col[4], "400") != 0)
    g_error("uri_templates.tsv line %u: create is \"\" or \"400\"", lineno);
  r->refused = *col[4] != '\0';
  return r;
}

GPtrArray *uri_table_load(void) {
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  if (!g_file_get_contents(URI_TABLE_PATH, &text, NULL, &error)) g_error("%s", error->message);
  GPtrArray *rows = g_ptr_array_new_with_free_func(row_free);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (lines[i][0] != '\0' && lines[i][0] != '#')
      g_ptr_array_add(rows, row_parse(lines[i], i + 1));
  if (rows->len < 50) g_error("uri_templates.tsv: only %u rows", rows->len);
  return rows;
}

char *uri_table_describe(const UriTableRow *row) {
  g_autofree char *path = g_strescape(row->path, NULL);
  GString *s = g_string_new(NULL);
  g_string_printf(s, "uri_templates.tsv line %u: %s \"%s\" with [", row->line, row->verb, path);
  for (guint i = 0; i < row->n; i++)
    g_string_append_printf(s, "%s%s %s", i ? ", " : "", row->verbs[i], row->templates[i]);
  g_string_append(s, "]");
  return g_string_free(s, FALSE);
}
