/*
 * fuzz_hub_config: a configuration file through tg_config (common/tg_config.c)
 * and the hub's [hub] / [database] reader (keyvalidator/hub_config.c). A file
 * is refused with a message naming it, or read into values inside their
 * documented ranges; tg_config's own getters keep their promises on every key.
 * password_file always names one small file, so inputs never read the disk.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub_config.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

#define NAME "fuzz.conf"

static char *password_file;

static void remove_password_file(void) { g_unlink(password_file); }

static const char *fixed_password_file(void) {
  if (password_file == NULL) {
    int fd = g_file_open_tmp("fuzz_hub_config-XXXXXX", &password_file, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, "pw\n", 3), ==, 3);
    close(fd);
    atexit(remove_password_file);
  }
  return password_file;
}

static void check_refusal(const GError *error) {
  g_assert_nonnull(error);
  g_assert_true(error->domain == TG_CONFIG_ERROR);
  g_assert_true(g_str_has_prefix(error->message, NAME ": "));
}

/* Every key of every group through the generic getters. */
static void check_getters(TgConfig *cfg) {
  g_auto(GStrv) groups = tg_config_groups(cfg);
  for (char **g = groups; *g; g++) {
    g_autoptr(GError) error = NULL;
    const char *none[] = {NULL};
    if (!tg_config_check_keys(cfg, *g, none, &error)) check_refusal(error);
  }
  static const char *const probes[][2] = {
      {"hub", "bind"}, {"hub", "thrift_port"}, {"database", "host"}, {"gateway", "plugins"}};
  for (gsize i = 0; i < G_N_ELEMENTS(probes); i++) {
    const char *g = probes[i][0], *k = probes[i][1];
    g_autofree char *s = tg_config_string(cfg, g, k, "def");
    g_assert_nonnull(s);
    g_auto(GStrv) items = tg_config_list(cfg, g, k);
    for (char **it = items; *it; it++) {
      g_assert_cmpstr(*it, !=, "");
      g_assert_null(strchr(*it, ','));
      g_assert_false(g_ascii_isspace((*it)[0]) || g_ascii_isspace((*it)[strlen(*it) - 1]));
    }
    gint64 n = 7;
    g_autoptr(GError) error = NULL;
    if (tg_config_int(cfg, g, k, 5, -3, 100, &n, &error))
      g_assert_true(n >= -3 && n <= 100);
    else
      check_refusal(error);
  }
}

static void check_loaded(const HubConfig *hc) {
  static const char *const levels[] = {"error", "warning", "info", "debug", NULL};
  g_assert_true(hc->bind != NULL && *hc->bind != '\0');
  g_assert_true(g_strv_contains(levels, hc->log_level));
  g_assert_true(hc->thrift_port >= 1 && hc->thrift_port <= 65535);
  g_assert_true(hc->https_port >= 1 && hc->https_port <= 65535);
  g_assert_true(hc->db_port >= 1 && hc->db_port <= 65535);
  g_assert_true(hc->port_offset >= 0);
  g_assert_true(hc->thrift_workers >= 1 && hc->max_connections >= 1);
  g_assert_true(hc->max_message_size >= 1024 && hc->max_message_size <= G_MAXINT32);
  g_assert_true(hc->recursion_limit >= 1 && hc->recursion_limit <= 1000);
  g_assert_true(hc->db_pool_size >= 1);
  g_assert_nonnull(hc->tls_cert);
  g_assert_nonnull(hc->tls_key);
  g_assert_nonnull(hc->db_host);
  g_assert_nonnull(hc->db_user);
  g_assert_cmpstr(hc->db_password, ==, "pw");
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size) {
  g_autoptr(GError) error = NULL;
  g_autoptr(TgConfig) cfg = tg_config_load_data((const char *)data, size, NAME, &error);
  if (cfg == NULL) {
    check_refusal(error);
    return 0;
  }
  check_getters(cfg);
  tg_config_set(cfg, "database", "password_file", fixed_password_file());
  g_autoptr(HubConfig) hc = hub_config_load(cfg, &error);
  if (hc == NULL)
    check_refusal(error);
  else
    check_loaded(hc);
  return 0;
}
