/*
 * uri_table: reads tests/data/uri_templates.tsv, the one table of URI-template
 * cases that the common matcher's, the hub's and the gateway's unit tests all
 * run (the columns are described in the file). Test code only.
 */
#ifndef TG_TEST_URI_TABLE_H
#define TG_TEST_URI_TABLE_H

#include <glib.h>

typedef struct {
  guint line;       /* in the .tsv, for messages */
  guint n;          /* resources */
  char **verbs;     /* n verbs, declared order */
  char **templates; /* n templates, same order */
  char *verb;       /* the request's method */
  char *path;       /* unescaped */
  int expected;     /* index into verbs/templates, -1 for none */
  gboolean refused; /* the hub's API rules answer 400 */
} UriTableRow;

/* The rows of the table (UriTableRow *); aborts the test program when the file cannot be
   read or a row is malformed. */
GPtrArray *uri_table_load(void);

/* "line N: VERB PATH with [resources]" for assertion messages; caller frees. */
char *uri_table_describe(const UriTableRow *row);

#endif
