/*
 * test_tg_config: tg_config read from text (tg_config_load_data, what the
 * fuzz targets use) behaves as from a file: values, and errors that name the
 * given name as they would name the path.
 */
#include <string.h>

#include "tg_config.h"

static void test_load_data_values(void) {
  static const char text[] = "# comment\n[g]\nn = 42\nlist = a, ,b ,\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TgConfig) cfg = tg_config_load_data(text, strlen(text), "inline.conf", &error);
  g_assert_no_error(error);
  g_assert_cmpstr(tg_config_path(cfg), ==, "inline.conf");
  gint64 n = 0;
  g_assert_true(tg_config_int(cfg, "g", "n", 1, 0, 100, &n, &error));
  g_assert_cmpint(n, ==, 42);
  g_auto(GStrv) list = tg_config_list(cfg, "g", "list");
  g_assert_cmpuint(g_strv_length(list), ==, 2);
  g_assert_cmpstr(list[1], ==, "b");
  g_assert_false(tg_config_int(cfg, "g", "n", 1, 0, 10, &n, &error));
  g_assert_true(g_str_has_prefix(error->message, "inline.conf: [g] n: "));
}

static void test_load_data_refused(void) {
  static const char *const bad[] = {"[g\nk=1\n", "k = 1 before any group\n",
                                    "[g]\nno equals sign\n"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    g_assert_null(tg_config_load_data(bad[i], strlen(bad[i]), "inline.conf", &error));
    g_assert_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_FILE);
    g_assert_true(g_str_has_prefix(error->message, "inline.conf: "));
  }
}

/* Only len bytes count: a NUL or text after them is not read. */
static void test_load_data_length(void) {
  static const char text[] = "[g]\nk = 1\n[h\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TgConfig) cfg = tg_config_load_data(text, strlen("[g]\nk = 1\n"), "x", &error);
  g_assert_no_error(error);
  g_auto(GStrv) groups = tg_config_groups(cfg);
  g_assert_cmpuint(g_strv_length(groups), ==, 1);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/tg_config/load_data_values", test_load_data_values);
  g_test_add_func("/tg_config/load_data_refused", test_load_data_refused);
  g_test_add_func("/tg_config/load_data_length", test_load_data_length);
  return g_test_run();
}
