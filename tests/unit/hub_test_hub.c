/*
 * hub_test_hub.c: the one configuration of a whole Hub for unit tests (hub_test_hub.h).
 */
#include "config.h"

#include <glib.h>

#include "handler.h"
#include "hub_test_hub.h"

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
