/*
 * hub_config: GKeyFile ([hub], [database]) → HubConfig. The defaults and
 * ranges live in the two tables below, so adding a numeric key is adding a
 * row; strings and the password file are read by hand. See hub_config.h.
 */
#include "hub_config.h"

#include <string.h>

static const char *const hub_keys[] = {
    "bind", "thrift_port", "https_port", "port_offset", "tls", "tls_cert", "tls_key",
    "max_connections", "thrift_threads", "thrift_workers", "idle_timeout", "io_timeout",
    "max_message_size", "max_container_size", "max_string_size", "recursion_limit",
    "max_http_body", "session_secret_file", "session_ttl",
    "mgmt_write_rate", "mgmt_write_burst",
    "token_validity", "refresh_token_validity", "validation_cache_ttl", "validation_cache_size",
    "expired_token_retention", "token_prune_interval", "login_failure_delay_ms", "log_level", NULL};

static const char *const db_keys[] = {"host", "port", "socket", "user", "password_file",
                                      "apimgtdb", "userdb", "regdb", "statdb", "pool_size",
                                      "connect_timeout", NULL};

static const char *const log_levels[] = {"error", "warning", "info", "debug", NULL};

/* One numeric key: where it goes in HubConfig, its default and its range. */
typedef struct {
  const char *key;
  gsize offset;
  gboolean wide; /* gint64 field, else int */
  gint64 def, min, max;
} IntKey;

#define INT_KEY(k, field, d, lo, hi) {k, G_STRUCT_OFFSET(HubConfig, field), FALSE, d, lo, hi}
#define WIDE_KEY(k, field, d, lo, hi) {k, G_STRUCT_OFFSET(HubConfig, field), TRUE, d, lo, hi}

static const IntKey hub_ints[] = {
    INT_KEY("max_connections", max_connections, 4096, 1, 100000),
    INT_KEY("thrift_threads", thrift_threads, 0, 0, 256),
    INT_KEY("thrift_workers", thrift_workers, 128, 1, 4096),
    INT_KEY("idle_timeout", idle_timeout_s, 300, 1, 86400),
    INT_KEY("io_timeout", io_timeout_s, 10, 1, 3600),
    WIDE_KEY("max_message_size", max_message_size, 1048576, 1024, G_MAXINT32),
    INT_KEY("max_container_size", max_container_size, 10000, 1, G_MAXINT32),
    INT_KEY("max_string_size", max_string_size, 65536, 1, G_MAXINT32),
    /* Bounded so that walking a nested value fits a thread's stack. */
    INT_KEY("recursion_limit", recursion_limit, 64, 1, 1000),
    WIDE_KEY("max_http_body", max_http_body, 65536, 1, 1 << 30),
    INT_KEY("session_ttl", session_ttl_s, 28800, 1, G_MAXINT32),
    INT_KEY("token_validity", token_validity_s, 3600, 1, G_MAXINT32),
    INT_KEY("refresh_token_validity", refresh_token_validity_s, 86400, 1, G_MAXINT32),
    INT_KEY("validation_cache_ttl", validation_cache_ttl_s, 300, 0, G_MAXINT32),
    INT_KEY("validation_cache_size", validation_cache_size, 100000, 0, 100000000),
    /* per user and hub (admins exempt): a portal user never comes near it */
    INT_KEY("mgmt_write_rate", mgmt_write_rate, 10, 0, 1000000),
    INT_KEY("mgmt_write_burst", mgmt_write_burst, 50, 1, 1000000),
    INT_KEY("expired_token_retention", expired_token_retention_s, 86400, 0, G_MAXINT32),
    INT_KEY("token_prune_interval", token_prune_interval_s, 3600, 0, G_MAXINT32),
    INT_KEY("login_failure_delay_ms", login_failure_delay_ms, 250, 0, 60000),
};

static const IntKey db_ints[] = {
    INT_KEY("port", db_port, 3406, 1, 65535),
    INT_KEY("pool_size", db_pool_size, 16, 1, 1024),
    INT_KEY("connect_timeout", db_connect_timeout_s, 3, 1, 3600),
};

void hub_config_free(HubConfig *hc)
{
  if (hc == NULL)
    return;
  g_free(hc->bind);
  g_free(hc->tls_cert);
  g_free(hc->tls_key);
  g_free(hc->session_secret_file);
  g_free(hc->log_level);
  g_free(hc->db_host);
  g_free(hc->db_socket);
  g_free(hc->db_user);
  if (hc->db_password != NULL)
    memset(hc->db_password, 0, strlen(hc->db_password));
  g_free(hc->db_password);
  g_free(hc->db_apimgt);
  g_free(hc->db_user_store);
  g_free(hc->db_reg);
  g_free(hc->db_stat);
  g_free(hc);
}

static gboolean read_ints(TgConfig *cfg, const char *group, const IntKey *keys, gsize n,
                          HubConfig *hc, GError **error)
{
  for (gsize i = 0; i < n; i++) {
    gint64 v;
    if (!tg_config_int(cfg, group, keys[i].key, keys[i].def, keys[i].min, keys[i].max, &v, error))
      return FALSE;
    gpointer field = G_STRUCT_MEMBER_P(hc, keys[i].offset);
    if (keys[i].wide)
      *(gint64 *)field = v;
    else
      *(int *)field = (int)v;
  }
  return TRUE;
}

static gboolean fail(TgConfig *cfg, const char *group, const char *key, const char *reason,
                     GError **error)
{
  g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID, "%s: [%s] %s: %s",
              tg_config_path(cfg), group, key, reason);
  return FALSE;
}

static gboolean read_ports(TgConfig *cfg, HubConfig *hc, GError **error)
{
  gint64 offset;
  if (!tg_config_int(cfg, "hub", "port_offset", 0, 0, 60000, &offset, error))
    return FALSE;
  hc->port_offset = (int)offset;
  return tg_config_port(cfg, "hub", "thrift_port", 10397, hc->port_offset, &hc->thrift_port,
                        error) &&
         tg_config_port(cfg, "hub", "https_port", 9444, hc->port_offset, &hc->https_port, error);
}

static gboolean read_hub(TgConfig *cfg, HubConfig *hc, GError **error)
{
  hc->bind = tg_config_string(cfg, "hub", "bind", "127.0.0.1");
  hc->tls_cert = tg_config_string(cfg, "hub", "tls_cert", "var/tls/server.crt");
  hc->tls_key = tg_config_string(cfg, "hub", "tls_key", "var/tls/server.key");
  hc->session_secret_file = tg_config_string(cfg, "hub", "session_secret_file",
                                             "var/session.secret");
  hc->log_level = tg_config_string(cfg, "hub", "log_level", "info");
  if (!g_strv_contains(log_levels, hc->log_level))
    return fail(cfg, "hub", "log_level", "must be one of error, warning, info, debug", error);
  if (*hc->bind == '\0')
    return fail(cfg, "hub", "bind", "must be an address", error);
  return read_ports(cfg, hc, error) && tg_config_bool(cfg, "hub", "tls", TRUE, &hc->tls, error) &&
         read_ints(cfg, "hub", hub_ints, G_N_ELEMENTS(hub_ints), hc, error);
}

/* The password: password_file's first line (an empty path: no password). */
static gboolean read_password(TgConfig *cfg, HubConfig *hc, GError **error)
{
  g_autofree char *path = tg_config_string(cfg, "database", "password_file", "var/db.password");
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  if (*path == '\0') {
    hc->db_password = g_strdup("");
    return TRUE;
  }
  if (!g_file_get_contents(path, &text, NULL, &local))
    return fail(cfg, "database", "password_file", local->message, error);
  text[strcspn(text, "\r\n")] = '\0';
  hc->db_password = g_steal_pointer(&text);
  return TRUE;
}

static gboolean read_database(TgConfig *cfg, HubConfig *hc, GError **error)
{
  hc->db_host = tg_config_string(cfg, "database", "host", "127.0.0.1");
  hc->db_socket = tg_config_string(cfg, "database", "socket", "");
  hc->db_user = tg_config_string(cfg, "database", "user", "tollgate");
  hc->db_apimgt = tg_config_string(cfg, "database", "apimgtdb", "apimgtdb");
  hc->db_user_store = tg_config_string(cfg, "database", "userdb", "userdb");
  hc->db_reg = tg_config_string(cfg, "database", "regdb", "regdb");
  hc->db_stat = tg_config_string(cfg, "database", "statdb", "statdb");
  return read_ints(cfg, "database", db_ints, G_N_ELEMENTS(db_ints), hc, error) &&
         read_password(cfg, hc, error);
}

HubConfig *hub_config_load(TgConfig *cfg, GError **error)
{
  if (!tg_config_check_keys(cfg, "hub", hub_keys, error) ||
      !tg_config_check_keys(cfg, "database", db_keys, error))
    return NULL;
  g_autoptr(HubConfig) hc = g_new0(HubConfig, 1);
  if (!read_hub(cfg, hc, error) || !read_database(cfg, hc, error))
    return NULL;
  return g_steal_pointer(&hc);
}
