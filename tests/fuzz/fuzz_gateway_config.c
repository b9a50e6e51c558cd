/*
 * fuzz_gateway_config: a configuration file through tg_config and the
 * gateway's [gateway] / [api /CONTEXT:VERSION] reader
 * (gateway/gateway_config.c). A file is refused with a message naming it, or
 * read into ports, limits and plugin lists the gateway can start with.
 */
#include "config.h"

#include <string.h>

#include "gateway_config.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

#define NAME "fuzz.conf"

static void check_refusal(const GError *error) {
  g_assert_nonnull(error);
  g_assert_true(error->domain == TG_CONFIG_ERROR);
  g_assert_true(g_str_has_prefix(error->message, NAME ": "));
}

static void check_plugin_list(char **plugins) {
  g_assert_nonnull(plugins);
  for (char **p = plugins; *p; p++) {
    g_assert_cmpstr(*p, !=, "");
    g_assert_null(strchr(*p, ','));
    g_assert_false(g_ascii_isspace((*p)[0]) || g_ascii_isspace((*p)[strlen(*p) - 1]));
  }
}

static void check_loaded(GatewayConfig *gc) {
  g_assert_nonnull(gc->id);
  g_assert_nonnull(gc->bind);
  g_assert_nonnull(gc->log_level);
  g_assert_nonnull(gc->plugin_dir);
  g_assert_true(gc->http_port >= 1 && gc->http_port <= 65535);
  g_assert_true(gc->https_port >= 1 && gc->https_port <= 65535);
  g_assert_true(gc->admin_port >= 1 && gc->admin_port <= 65535);
  g_assert_cmpint(gc->threads, >=, 1);
  g_assert_cmpuint(gc->max_header_size, >=, 1024);
  g_assert_cmpint(gc->upstream_connect_timeout_ms, >=, 1);
  g_assert_cmpint(gc->upstream_read_timeout_ms, >=, 1);
  g_assert_cmpint(gc->client_timeout_ms, >=, 100);
  struct timeval tv = gateway_ms_timeval(gc->client_timeout_ms);
  g_assert_true(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
  check_plugin_list(gc->plugins);
  GHashTableIter it;
  gpointer api, plugins;
  g_hash_table_iter_init(&it, gc->api_plugins);
  while (g_hash_table_iter_next(&it, &api, &plugins)) {
    const char *colon = strrchr(api, ':');
    g_assert_true(((const char *)api)[0] == '/' && colon != NULL && colon[1] != '\0');
    check_plugin_list(plugins);
  }
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size) {
  g_autoptr(GError) error = NULL;
  g_autoptr(TgConfig) cfg = tg_config_load_data((const char *)data, size, NAME, &error);
  if (cfg == NULL) {
    check_refusal(error);
    return 0;
  }
  g_autoptr(GatewayConfig) gc = gateway_config_load(cfg, &error);
  if (gc == NULL)
    check_refusal(error);
  else
    check_loaded(gc);
  return 0;
}
