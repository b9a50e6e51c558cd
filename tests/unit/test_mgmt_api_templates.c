/*
 * test_mgmt_api_templates: the hub's API rules (mgmt_api_check) on resource
 * templates, for every row of tests/data/uri_templates.tsv: a resource set the
 * table marks 400 is refused with 400, any other is accepted. The matching
 * itself is test_uri_template's, test_validation's and test_router's.
 */
#include "config.h"

#include <string.h>

#include "mgmt_apis.h"
#include "tg_tollgate.h"
#include "uri_table.h"

static TgApi *api_for(const UriTableRow *row) {
  TgApi *api = g_object_new(TG_TYPE_API, "name", "Table", "context", "/table", "version", "1.0.0",
                            "productionEndpoint", "http://backend:9800/p", NULL);
  for (guint i = 0; i < row->n; i++)
    g_ptr_array_add(api->resources, g_object_new(TG_TYPE_RESOURCE, "verb", row->verbs[i],
                                                 "uriTemplate", row->templates[i], NULL));
  return api;
}

static void test_table(void) {
  g_autoptr(GPtrArray) rows = uri_table_load();
  for (guint k = 0; k < rows->len; k++) {
    const UriTableRow *row = g_ptr_array_index(rows, k);
    g_autofree char *what = uri_table_describe(row);
    g_autoptr(TgApi) api = api_for(row);
    g_autoptr(GError) e = NULL;
    gboolean ok = mgmt_api_check(api, &e);
    if (ok == row->refused) g_error("%s: %s", what, ok ? "accepted, want 400" : e->message);
    if (!ok) {
      g_assert_true(e->domain == MGMT_ERROR);
      g_assert_cmpint(e->code, ==, 400);
    }
  }
}

/* The messages say which rule: an exact repeat, two spellings of the same paths, a
   template the parser refuses. */
static void test_messages(void) {
  struct {
    const char *a, *b, *want;
  } cases[] = {
      {"/menu", "/menu", "listed twice"},
      {"/menu", "/menu/", "match the same paths"},
      {"/i/{id}", "/i/{n}", "match the same paths"},
      {"/menu", "/a/*/b", "only as the whole last segment"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(TgApi) api = g_object_new(TG_TYPE_API, "name", "M", "context", "/m", "version",
                                        "1.0.0", "productionEndpoint", "http://b:1/p", NULL);
    g_ptr_array_add(api->resources,
                    g_object_new(TG_TYPE_RESOURCE, "verb", "GET", "uriTemplate", cases[i].a, NULL));
    g_ptr_array_add(api->resources,
                    g_object_new(TG_TYPE_RESOURCE, "verb", "get", "uriTemplate", cases[i].b, NULL));
    g_autoptr(GError) e = NULL;
    g_assert_false(mgmt_api_check(api, &e));
    g_assert_nonnull(strstr(e->message, cases[i].want));
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/mgmt_api_templates/table", test_table);
  g_test_add_func("/mgmt_api_templates/messages", test_messages);
  return g_test_run();
}
