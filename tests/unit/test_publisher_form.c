/*
 * test_publisher_form: the API form's formats: resource lines (defaults,
 * case, every refusal naming its line, the limit), format/parse round trip,
 * comma lists, API page paths (nested contexts, malformed ones).
 */
#include <string.h>

#include "publisher_form.h"

static GPtrArray *resources(void) { return g_ptr_array_new_with_free_func(g_object_unref); }

static void test_resources(void) {
  g_autoptr(GPtrArray) out = resources();
  g_autoptr(GError) error = NULL;
  g_assert_true(
      publisher_parse_resources("get /menu\n\n  POST\t/order  application Gold write:orders \r\n"
                                "delete /order/{id} NONE",
                                out, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(out->len, ==, 3);
  TgResource *r = g_ptr_array_index(out, 0);
  g_assert_cmpstr(r->verb, ==, "GET");
  g_assert_cmpstr(r->authType, ==, "Any");
  g_assert_cmpstr(r->throttlingTier, ==, "Unlimited");
  g_assert_cmpstr(r->scope, ==, "");
  r = g_ptr_array_index(out, 1);
  g_assert_cmpstr(r->authType, ==, "Application");
  g_assert_cmpstr(r->throttlingTier, ==, "Gold");
  g_assert_cmpstr(r->scope, ==, "write:orders");
  g_assert_cmpstr(((TgResource *)g_ptr_array_index(out, 2))->authType, ==, "None");
  g_autofree char *text = publisher_format_resources(out);
  g_assert_cmpstr(text, ==,
                  "GET /menu Any Unlimited\nPOST /order Application Gold write:orders\n"
                  "DELETE /order/{id} None Unlimited\n");
  g_autoptr(GPtrArray) again = resources();
  g_assert_true(publisher_parse_resources(text, again, NULL));
  g_autofree char *text2 = publisher_format_resources(again);
  g_assert_cmpstr(text, ==, text2);
}

static void refused(const char *text, const char *part) {
  g_autoptr(GPtrArray) out = resources();
  g_autoptr(GError) error = NULL;
  g_assert_false(publisher_parse_resources(text, out, &error));
  g_assert_error(error, PUBLISHER_FORM_ERROR, 1);
  if (!strstr(error->message, part)) g_error("\"%s\" does not say \"%s\"", error->message, part);
}

static void test_resource_refusals(void) {
  refused("FETCH /x", "line 1: \"FETCH\" is not one of");
  refused("GET /ok\nGET", "line 2: the URI template");
  refused("GET menu", "start with /");
  refused("GET /x Admin", "auth type \"Admin\"");
  refused("GET /x Any Gold s extra", "at most 5 words");
  g_autoptr(GString) many = g_string_new(NULL);
  for (int i = 0; i <= PUBLISHER_MAX_RESOURCES; i++) g_string_append_printf(many, "GET /r%d\n", i);
  refused(many->str, "more than");
}

static void test_lists(void) {
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
  publisher_parse_list(" Food, ,pizza\nFAST ,", out, TRUE, 16);
  g_assert_cmpuint(out->len, ==, 3);
  g_assert_cmpstr(g_ptr_array_index(out, 0), ==, "food");
  g_assert_cmpstr(g_ptr_array_index(out, 2), ==, "fast");
  g_autofree char *joined = publisher_join_list(out);
  g_assert_cmpstr(joined, ==, "food, pizza, fast");
  g_autoptr(GPtrArray) two = g_ptr_array_new_with_free_func(g_free);
  publisher_parse_list("Gold,Silver,Bronze", two, FALSE, 2);
  g_assert_cmpuint(two->len, ==, 2);
  g_assert_cmpstr(g_ptr_array_index(two, 1), ==, "Silver");
}

static void test_api_paths(void) {
  g_autofree char *c = NULL, *v = NULL;
  g_assert_true(publisher_split_api_path("pizza/1.0.0", &c, &v));
  g_assert_cmpstr(c, ==, "/pizza");
  g_assert_cmpstr(v, ==, "1.0.0");
  g_free(c);
  g_free(v);
  g_assert_true(publisher_split_api_path("/shop/pizza/v2", &c, &v));
  g_assert_cmpstr(c, ==, "/shop/pizza");
  g_assert_cmpstr(v, ==, "v2");
  char *x = NULL, *y = NULL;
  g_assert_false(publisher_split_api_path("pizza", &x, &y));
  g_assert_false(publisher_split_api_path("pizza/", &x, &y));
  g_assert_false(publisher_split_api_path("/1.0", &x, &y));
  g_assert_false(publisher_split_api_path("", &x, &y));
  g_assert_false(publisher_split_api_path(NULL, &x, &y));
  g_assert_null(x);
  g_autofree char *p = publisher_api_path("/shop/pizza", "v2");
  g_assert_cmpstr(p, ==, "shop/pizza/v2");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/publisher_form/resources", test_resources);
  g_test_add_func("/publisher_form/resource_refusals", test_resource_refusals);
  g_test_add_func("/publisher_form/lists", test_lists);
  g_test_add_func("/publisher_form/api_paths", test_api_paths);
  return g_test_run();
}
