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
    "expired_token_retention", "token_prune_interval", "login_failure_delay_ms",
    "login_failure_delay_max_ms", "login_max_failures", "login_max_failures_per_address",
    "login_lockout", "login_workers", "max_connections_per_peer", "first_call_timeout",
    "max_pipelined_calls", "metrics_token", "log_level", NULL};

static const char *const db_keys[] = {"host", "port", "socket", "user", "password_file",
                                      "apimgtdb", "userdb", "regdb", "statdb", "pool_size",
                                      "connect_timeout", "hosts", "read_timeout",
                                      "write_timeout", "check_interval_ms", "sync_wait",
                                      "sync_wait_timeout", NULL};

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
    INT_KEY("login_failure_delay_max_ms", login_failure_delay_max_ms, 5000, 0, 60000),
    INT_KEY("login_max_failures", login_max_failures, 10, 1, 1000000),
    INT_KEY("login_max_failures_per_address", login_max_failures_per_address, 100, 1, 1000000),
    INT_KEY("login_lockout", login_lockout_s, 300, 1, 86400),
    INT_KEY("login_workers", login_workers, 4, 1, 256),
    INT_KEY("max_connections_per_peer", max_connections_per_peer, 1024, 1, 100000),
    INT_KEY("first_call_timeout", first_call_timeout_s, 10, 1, 3600),
    INT_KEY("max_pipelined_calls", max_pipelined_calls, 64, 1, 100000),
};

static const IntKey db_ints[] = {
    INT_KEY("port", db_port, 3406, 1, 65535),
    INT_KEY("pool_size", db_pool_size, 16, 1, 1024),
    INT_KEY("connect_timeout", db_connect_timeout_s, 3, 1, 3600),
    INT_KEY("read_timeout", db_read_timeout_s, 30, 1, 3600),
    INT_KEY("write_timeout", db_write_timeout_s, 30, 1, 3600),
    INT_KEY("check_interval_ms", db_check_interval_ms, 1000, 50, 3600000),
    /* wsrep_sync_wait is a bit mask: 1 reads, 2 UPDATE/DELETE, 4 INSERT/REPLACE, 8 SHOW */
    INT_KEY("sync_wait", db_sync_wait, 1, 0, 15),
    INT_KEY("sync_wait_timeout", db_sync_wait_timeout_s, 1, 1, 3600),
};

#define DB_MAX_NODES 64

void hub_config_free(HubConfig *hc)
{
  if (hc == NULL)
    return;
  g_free(hc->bind);
  g_free(hc->tls_cert);
  g_free(hc->tls_key);
  g_free(hc->session_secret_file);
  g_free(hc->log_level);
  g_free(hc->metrics_token);
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
  g_strfreev(hc->db_hosts);
  g_free(hc->db_ports);
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
  hc->metrics_token = tg_config_string(cfg, "hub", "metrics_token", "");
  if (*hc->metrics_token != '\0' && strlen(hc->metrics_token) < 16)
    return fail(cfg, "hub", "metrics_token", "must be empty or at least 16 characters", error);
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

/* One entry of hosts: "name", "name:port" or "[v6]:port"; FALSE when malformed. */
static gboolean node_parse(const char *entry, int default_port, char **host, int *port)
{
  g_autofree char *name = NULL;
  const char *colon = NULL;
  if (*entry == '[') {
    const char *close = strchr(entry, ']');
    if (close == NULL || (close[1] != '\0' && close[1] != ':'))
      return FALSE;
    name = g_strndup(entry + 1, (gsize)(close - entry - 1));
    colon = close[1] == ':' ? close + 1 : NULL;
  } else {
    colon = strchr(entry, ':');
    if (colon != NULL && strchr(colon + 1, ':') != NULL)
      return FALSE;   /* an IPv6 address needs brackets */
    name = colon ? g_strndup(entry, (gsize)(colon - entry)) : g_strdup(entry);
  }
  if (*name == '\0' || strpbrk(name, " \t/[]") != NULL)
    return FALSE;
  *port = default_port;
  if (colon != NULL) {
    guint64 v;
    if (!g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &v, NULL))
      return FALSE;
    *port = (int)v;
  }
  *host = g_steal_pointer(&name);
  return TRUE;
}

/* hosts = a, b:3307, [::1]:3308 (the port defaults to [database] port); unset: host:port.
   Each node once, at most DB_MAX_NODES. */
static gboolean read_hosts(TgConfig *cfg, HubConfig *hc, GError **error)
{
  g_autofree char *list = tg_config_string(cfg, "database", "hosts", "");
  g_auto(GStrv) parts = g_strsplit(*g_strstrip(list) ? list : hc->db_host, ",", -1);
  guint n = g_strv_length(parts);
  if (n > DB_MAX_NODES)
    return fail(cfg, "database", "hosts", "more than 64 nodes", error);
  hc->db_hosts = g_new0(char *, n + 1);
  hc->db_ports = g_new0(int, MAX(n, 1));
  for (guint i = 0; i < n; i++) {
    if (!node_parse(g_strstrip(parts[i]), hc->db_port, &hc->db_hosts[i], &hc->db_ports[i]))
      return fail(cfg, "database", "hosts",
                  "each entry must be host or host:port (port 1-65535, IPv6 in brackets)",
                  error);
    for (guint j = 0; j < i; j++)
      if (hc->db_ports[j] == hc->db_ports[i] && strcmp(hc->db_hosts[j], hc->db_hosts[i]) == 0)
        return fail(cfg, "database", "hosts", "a node is listed twice", error);
  }
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
         read_hosts(cfg, hc, error) && read_password(cfg, hc, error);
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
