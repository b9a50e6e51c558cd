/*
 * hub_test_hub.c: the one configuration of a whole Hub for unit tests (hub_test_hub.h).
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>

#include "handler.h"
#include "hub_test_hub.h"
#include "mgmt_rules.h"

static GHashTable *handlers; /* Hub * -> its handler (never freed: lives as long as the test) */

Hub *hub_test_hub_new(const char *secret_path, int db_port, int login_delay_ms) {
  HubConfig cfg = {
      .session_secret_file = (char *)secret_path,
      .session_ttl_s = 60,
      .login_failure_delay_ms = login_delay_ms,
      .db_host = "127.0.0.1",
      .db_port = db_port,
      .db_user = "tollgate",
      .db_password = (char *)(g_getenv("TG_TEST_DB_PASSWORD") ?: "pw"),
      .db_apimgt = "apimgtdb",
      .db_user_store = "userdb",
      .db_reg = "regdb",
      .db_stat = "statdb",
      .db_pool_size = 4,
      .db_connect_timeout_s = 1,
      .login_failure_delay_max_ms = 50,
      .login_max_failures = 10,
      .login_max_failures_per_address = 100,
      .login_lockout_s = 300,
      .login_workers = 4,
      .token_validity_s = 3600,
      .refresh_token_validity_s = 86400,
      .validation_cache_ttl_s = 300,
      .validation_cache_size = 0,
      .mgmt_write_rate = 0,
      .mgmt_write_burst = 50,
      .expired_token_retention_s = 86400,
      .max_string_size = 65536,
      .max_container_size = 10000,
      .db_read_timeout_s = 30,
      .db_write_timeout_s = 30,
      .db_check_interval_ms = 1000,
      .db_sync_wait_timeout_s = 1,
  };
  g_autoptr(GError) error = NULL;
  Hub *hub = hub_core_new(&cfg, NULL, &error);
  g_assert_no_error(error);
  if (handlers == NULL)
    handlers = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_object_unref);
  g_hash_table_replace(handlers, hub, hub_handler_new(hub));
  return hub;
}

GObject *hub_test_handler(Hub *hub) { return g_hash_table_lookup(handlers, hub); }

char *hub_test_secret_new(void) {
  g_autofree char *dir = g_dir_make_tmp("tg-hub-test-XXXXXX", NULL);
  g_assert_nonnull(dir);
  char *path = g_build_filename(dir, "secret", NULL);
  g_assert_true(g_file_set_contents(path, "0123456789abcdef0123456789abcdef\n", -1, NULL));
  return path;
}

void hub_test_secret_free(char *secret_path) {
  g_autofree char *dir = g_path_get_dirname(secret_path);
  g_unlink(secret_path);
  g_rmdir(dir);
  g_free(secret_path);
}

gboolean hub_test_need_db(void) {
  if (g_getenv("TG_TEST_DB_PORT") != NULL) return TRUE;
  g_test_skip("TG_TEST_DB_PORT not set");
  return FALSE;
}

void hub_test_expect_code(gboolean ok, TgTollgateException **tex, int code) {
  g_assert_false(ok);
  g_assert_nonnull(*tex);
  if ((*tex)->code != code) g_error("expected %d, got %d: %s", code, (*tex)->code, (*tex)->message);
  g_clear_object(tex);
}

void hub_test_expect_ok(gboolean ok, TgTollgateException **tex) {
  if (!ok) g_error("call failed: %d %s", *tex ? (*tex)->code : 0, *tex ? (*tex)->message : "");
}

void hub_test_assert_refused(GError *error, int code) {
  g_assert_nonnull(error);
  g_assert_true(error->domain == MGMT_ERROR);
  g_assert_cmpint(error->code, ==, code);
  g_assert_cmpstr(error->message, !=, "");
}
