/*
 * test_gateway_config: [gateway] defaults and the per-API plugin orders
 * ([api /CONTEXT:VERSION] plugins = ...), with the errors a bad group gives.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "gateway_config.h"

/* Loads text as a gateway config file; NULL with *error on failure. */
static GatewayConfig *load(const char *text, GError **error) {
  g_autofree char *dir = g_dir_make_tmp("test_gateway_config-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "gw.conf", NULL);
  g_assert_true(g_file_set_contents(path, text, -1, NULL));
  g_autoptr(TgConfig) cfg = tg_config_load(path, error);
  GatewayConfig *gc = cfg ? gateway_config_load(cfg, error) : NULL;
  g_unlink(path);
  g_rmdir(dir);
  return gc;
}

static void test_defaults(void) {
  g_autoptr(GError) error = NULL;
  g_autoptr(GatewayConfig) gc = load("[gateway]\n", &error);
  g_assert_no_error(error);
  g_assert_cmpint(gc->http_port, ==, 8280);
  g_assert_cmpstr(gc->plugins[0], ==, "key_auth");
  g_assert_cmpuint(g_hash_table_size(gc->api_plugins), ==, 0);
  g_assert_cmpint(gc->upstream_keepalive, ==, 256);
}

/* --print-config's text loads into the same configuration as an empty file, names
   every [gateway] key with a comment above it, and covers the other groups too. */
static void test_print_config(void) {
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gateway_config_defaults();
  g_autoptr(GatewayConfig) printed = load(text, &error);
  g_assert_no_error(error);
  g_autoptr(GatewayConfig) empty = load("[gateway]\n", &error);
  g_assert_no_error(error);
  g_assert_cmpstr(printed->id, ==, empty->id);
  g_assert_cmpstr(printed->bind, ==, empty->bind);
  g_assert_cmpint(printed->http_port, ==, empty->http_port);
  g_assert_cmpint(printed->https_port, ==, empty->https_port);
  g_assert_cmpint(printed->admin_port, ==, empty->admin_port);
  g_assert_cmpint(printed->threads, ==, empty->threads);
  g_assert_cmpuint(printed->max_body_size, ==, empty->max_body_size);
  g_assert_cmpuint(printed->max_header_size, ==, 16384);
  g_assert_cmpint(printed->upstream_connect_timeout_ms, ==, 2000);
  g_assert_cmpint(printed->upstream_read_timeout_ms, ==, 30000);
  g_assert_cmpint(printed->client_timeout_ms, ==, 30000);
  g_assert_false(printed->escaped_slashes_keep);
  g_assert_false(printed->underscores_in_headers_keep);
  g_assert_cmpstr(printed->admin_token, ==, "");
  g_assert_cmpstr(printed->upstream_ca, ==, "");
  g_assert_cmpstr(printed->log_level, ==, "info");
  g_assert_cmpuint(g_strv_length(printed->plugins), ==, g_strv_length(empty->plugins));
  for (guint i = 0; empty->plugins[i]; i++)
    g_assert_cmpstr(printed->plugins[i], ==, empty->plugins[i]);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    if (lines[i][0] && lines[i][0] != '#' && lines[i][0] != '[')
      g_assert_true(g_str_has_prefix(lines[i - 1], "# "));
  g_assert_nonnull(strstr(text, "\n[hubs]\n"));
  g_assert_nonnull(strstr(text, "\n[plugin.key_auth]\n"));
  g_assert_nonnull(strstr(text, "\n[plugin.usage]\n"));
  g_assert_cmpstr(gateway_config_default("hubs", "timeout_ms"), ==, "2000");
  g_assert_cmpstr(gateway_config_default("gateway", "http_port"), ==, "8280");
  g_assert_null(gateway_config_default("gateway", "no_such_key"));
}

static void test_upstream_keepalive(void) {
  g_autoptr(GError) error = NULL;
  g_autoptr(GatewayConfig) none = load("[gateway]\nupstream_keepalive = 0\n", &error);
  g_assert_no_error(error);
  g_assert_cmpint(none->upstream_keepalive, ==, 0);
  g_autoptr(GatewayConfig) bad = load("[gateway]\nupstream_keepalive = -1\n", &error);
  g_assert_null(bad);
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, "upstream_keepalive"));
}

static void test_request_rules(void) {
  g_autoptr(GError) error = NULL;
  g_autoptr(GatewayConfig) dflt = load("[gateway]\n", &error);
  g_assert_false(dflt->escaped_slashes_keep);
  g_assert_false(dflt->underscores_in_headers_keep);
  g_autoptr(GatewayConfig) kept =
      load("[gateway]\nescaped_slashes = keep\nunderscores_in_headers = KEEP\n", &error);
  g_assert_no_error(error);
  g_assert_true(kept->escaped_slashes_keep);
  g_assert_true(kept->underscores_in_headers_keep);
  g_autoptr(GatewayConfig) bad = load("[gateway]\nescaped_slashes = decode\n", &error);
  g_assert_null(bad);
  g_assert_nonnull(strstr(error->message, "escaped_slashes"));
  g_clear_error(&error);
  g_autoptr(GatewayConfig) bad2 = load("[gateway]\nunderscores_in_headers = yes\n", &error);
  g_assert_null(bad2);
  g_assert_nonnull(strstr(error->message, "underscores_in_headers"));
}

static void test_api_plugin_order(void) {
  g_autoptr(GError) error = NULL;
  g_autoptr(GatewayConfig) gc = load(
      "[gateway]\nplugins = key_auth, cors, usage\n"
      "[api /pets:1.0.0]\nplugins = usage , key_auth\n"
      "[api /a:b:2]\nplugins =\n",
      &error);
  g_assert_no_error(error);
  char **pets = g_hash_table_lookup(gc->api_plugins, "/pets:1.0.0");
  g_assert_nonnull(pets);
  g_assert_cmpuint(g_strv_length(pets), ==, 2);
  g_assert_cmpstr(pets[0], ==, "usage");
  g_assert_cmpstr(pets[1], ==, "key_auth");
  char **empty = g_hash_table_lookup(gc->api_plugins, "/a:b:2"); /* version after the last ':' */
  g_assert_nonnull(empty);
  g_assert_cmpuint(g_strv_length(empty), ==, 0);
}

static void test_bad_api_group(void) {
  const char *bad[] = {"[api pets:1.0.0]\nplugins = usage\n", "[api /pets]\nplugins = usage\n",
                       "[api /pets:]\nplugins = usage\n"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = g_strconcat("[gateway]\n", bad[i], NULL);
    g_autoptr(GatewayConfig) gc = load(text, &error);
    g_assert_null(gc);
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, "expected [api /CONTEXT:VERSION]"));
  }
}

static void test_unknown_key_in_api_group(void) {
  g_autoptr(GError) error = NULL;
  g_autoptr(GatewayConfig) gc = load("[gateway]\n[api /pets:1.0.0]\nplugin = usage\n", &error);
  g_assert_null(gc);
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, "plugin"));
}

/* The admin listener stays on loopback unless admin_token guards it. */
static void test_admin_bind(void) {
  static const struct {
    const char *conf;
    gboolean ok;
  } cases[] = {
      {"[gateway]\n", TRUE},
      {"[gateway]\nbind = 0.0.0.0\n", TRUE}, /* the API listeners do not move the admin one */
      {"[gateway]\nadmin_bind = 127.0.0.2\n", TRUE},
      {"[gateway]\nadmin_bind = ::1\n", TRUE},
      {"[gateway]\nadmin_bind = localhost\n", TRUE},
      {"[gateway]\nadmin_bind = 0.0.0.0\n", FALSE},
      {"[gateway]\nadmin_bind = ::\n", FALSE},
      {"[gateway]\nadmin_bind = 10.1.2.3\n", FALSE},
      {"[gateway]\nadmin_bind = 128.0.0.1\n", FALSE},
      {"[gateway]\nadmin_bind = ::ffff:127.0.0.1\n", FALSE},
      {"[gateway]\nadmin_bind = gw.example\n", FALSE},
      {"[gateway]\nadmin_bind = 0.0.0.0\nadmin_token = 0123456789abcdef\n", TRUE},
      {"[gateway]\nadmin_bind = 0.0.0.0\nadmin_token = short\n", FALSE},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GatewayConfig) gc = load(cases[i].conf, &error);
    if (cases[i].ok) {
      g_assert_no_error(error);
      g_assert_nonnull(gc->admin_bind);
    } else {
      g_assert_null(gc);
      g_assert_nonnull(error);
      g_assert_nonnull(strstr(error->message, "admin_"));
    }
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(GatewayConfig) gc = load("[gateway]\nbind = 0.0.0.0\n", &error);
  g_assert_cmpstr(gc->admin_bind, ==, "127.0.0.1");
  g_assert_cmpstr(gc->admin_token, ==, "");
}

static void test_upstream_ca(void) {
  g_autoptr(GError) error = NULL;
  g_autoptr(GatewayConfig) gc = load("[gateway]\n", &error);
  g_assert_cmpstr(gc->upstream_ca, ==, "");
  g_autoptr(GatewayConfig) bad = load("[gateway]\nupstream_ca = /nonexistent/ca.crt\n", &error);
  g_assert_null(bad);
  g_assert_nonnull(strstr(error->message, "upstream_ca"));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/gateway_config/defaults", test_defaults);
  g_test_add_func("/gateway_config/print_config", test_print_config);
  g_test_add_func("/gateway_config/upstream_keepalive", test_upstream_keepalive);
  g_test_add_func("/gateway_config/api_plugin_order", test_api_plugin_order);
  g_test_add_func("/gateway_config/request_rules", test_request_rules);
  g_test_add_func("/gateway_config/bad_api_group", test_bad_api_group);
  g_test_add_func("/gateway_config/unknown_key_in_api_group", test_unknown_key_in_api_group);
  g_test_add_func("/gateway_config/admin_bind", test_admin_bind);
  g_test_add_func("/gateway_config/upstream_ca", test_upstream_ca);
  return g_test_run();
}
