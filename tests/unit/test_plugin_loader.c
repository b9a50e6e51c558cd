/*
 * test_plugin_loader: builds the example plugin (examples/plugins/
 * request_stamp) and a plugin declaring ABI version 99 into a
 * temporary directory with the C compiler the build used, then checks the
 * loader accepts the first, refuses the second with the ABI message, and
 * refuses missing files, unsafe names and modules without tollgate_plugin.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <gmodule.h>
#include <string.h>

#include "plugin_loader.h"

static char *tmpdir;

static void compile(const char *out_name, const char *source, const char *extra) {
  g_autofree char *out = g_build_filename(tmpdir, out_name, NULL);
  g_autofree char *cmd = g_strdup_printf("%s -fPIC -shared %s -I%s/gateway %s -o %s %s", TEST_CC,
                                         extra, TEST_TOP_SRCDIR, TEST_GLIB_CFLAGS, out, source);
  int status = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *err_out = NULL;
  g_assert_true(g_spawn_command_line_sync(cmd, NULL, &err_out, &status, &error));
  if (!g_spawn_check_wait_status(status, NULL)) g_error("%s failed: %s", cmd, err_out);
}

static void setup_plugins(void) {
  tmpdir = g_dir_make_tmp("tg-plugins-XXXXXX", NULL);
  g_assert_nonnull(tmpdir);
  g_autofree char *example =
      g_build_filename(TEST_TOP_SRCDIR, "examples/plugins/request_stamp/request_stamp.c", NULL);
  compile("request_stamp.so", example, "");
  g_autofree char *old = g_build_filename(tmpdir, "old_abi.c", NULL);
  g_assert_true(g_file_set_contents(
      old,
      "#include \"plugin.h\"\n"
      "const TgPlugin tollgate_plugin = {.abi_version = 99, .name = \"old_abi\"};\n",
      -1, NULL));
  compile("old_abi.so", old, "");
  g_autofree char *nosym = g_build_filename(tmpdir, "nosym.c", NULL);
  g_assert_true(g_file_set_contents(nosym, "int not_a_plugin = 1;\n", -1, NULL));
  compile("nosym.so", nosym, "");
}

static void test_loads_example(void) {
  g_autoptr(GError) error = NULL;
  GModule *m = NULL;
  const TgPlugin *p = plugin_loader_open(tmpdir, "request_stamp", &m, &error);
  g_assert_no_error(error);
  g_assert_nonnull(p);
  g_assert_nonnull(m);
  g_assert_cmpstr(p->name, ==, "request_stamp");
  g_assert_cmpint(p->abi_version, ==, TG_PLUGIN_ABI_VERSION);
  g_assert_nonnull(p->response_headers);
  g_module_close(m);
}

static void test_refuses_other_abi(void) {
  g_autoptr(GError) error = NULL;
  GModule *m = NULL;
  const TgPlugin *p = plugin_loader_open(tmpdir, "old_abi", &m, &error);
  g_assert_null(p);
  g_assert_null(m);
  g_assert_nonnull(error);
  g_autofree char *expected =
      g_strdup_printf("plugin old_abi: ABI version 99, gateway expects %d", TG_PLUGIN_ABI_VERSION);
  g_assert_cmpstr(error->message, ==, expected);
}

static void test_refuses_bad_input(void) {
  const char *names[] = {"missing", "../etc/passwd", "nosym", ""};
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
    g_autoptr(GError) error = NULL;
    GModule *m = NULL;
    g_assert_null(plugin_loader_open(tmpdir, names[i], &m, &error));
    g_assert_null(m);
    g_assert_nonnull(error);
    g_assert_true(g_str_has_prefix(error->message, "plugin "));
  }
  g_autoptr(GError) error = NULL;
  GModule *m = NULL;
  g_assert_null(plugin_loader_open("", "request_stamp", &m, &error));
  g_assert_nonnull(strstr(error->message, "plugin_dir is not set"));
}

static void remove_tmpdir(void) {
  g_autoptr(GDir) d = g_dir_open(tmpdir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    g_autofree char *p = g_build_filename(tmpdir, name, NULL);
    g_unlink(p);
  }
  g_rmdir(tmpdir);
  g_free(tmpdir);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  setup_plugins();
  g_test_add_func("/plugin_loader/loads_example", test_loads_example);
  g_test_add_func("/plugin_loader/refuses_other_abi", test_refuses_other_abi);
  g_test_add_func("/plugin_loader/refuses_bad_input", test_refuses_bad_input);
  int rc = g_test_run();
  remove_tmpdir();
  return rc;
}
