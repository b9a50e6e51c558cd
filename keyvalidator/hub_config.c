/*
 * hub_config: GKeyFile ([hub], [database]) → HubConfig. Every key, its default,
 * range and one-line description is a row of one table, which both the reader and
 * --print-config walk, so a default lives in one place; hosts and the password file
 * are read by hand after the table. See hub_config.h.
 */
#include "hub_config.h"

#include <string.h>

#include "tg_config_table.h"
#include "tg_thrift_scan.h"

static const char *const log_levels[] = {"error", "warning", "info", "debug", NULL};

#define F(field) G_STRUCT_OFFSET(HubConfig, field)
#define STR(g, k, field, d, doc) \
  { g, k, TG_KEY_STRING, F(field), d, 0, 0, NULL, doc }
#define INT(g, k, field, d, lo, hi, doc) \
  { g, k, TG_KEY_INT, F(field), G_STRINGIFY(d), lo, hi, NULL, doc }
#define WIDE(g, k, field, d, lo, hi, doc) \
  { g, k, TG_KEY_INT64, F(field), G_STRINGIFY(d), lo, hi, NULL, doc }
#define PORT(g, k, field, d, doc) \
  { g, k, TG_KEY_PORT, F(field), #d, 1, 65535, NULL, doc }
#define OTHER(g, k, d, doc) \
  { g, k, TG_KEY_ELSEWHERE, 0, d, 0, 0, NULL, doc } /* read by hand below */

/* Every key of both groups in the order --print-config writes them: the one place
   for a default (the samples, the launcher and docs/HACKING.md follow it). */
static const TgConfigKey keys[] = {
    STR("hub", "bind", bind, "127.0.0.1", "address of both ports"),
    PORT("hub", "thrift_port", thrift_port, 10397,
         "Thrift port (TLS; binary or compact, framed or unframed, sniffed)"),
    PORT("hub", "https_port", https_port, 9444,
         "/thriftAuthenticator, /token, /revoke, /health, /metrics"),
    INT("hub", "port_offset", port_offset, 0, 0, 60000,
        "added to both ports (--port-offset overrides it): several hubs on one machine"),
    {"hub", "tls", TG_KEY_BOOL, F(tls), "true", 0, 0, NULL,
     "TLS on both ports; false (plaintext) only when set explicitly"},
    STR("hub", "tls_cert", tls_cert, "var/tls/server.crt", "PEM certificate (chain) of both ports"),
    STR("hub", "tls_key", tls_key, "var/tls/server.key", "PEM private key of tls_cert"),
    INT("hub", "max_connections", max_connections, 4096, 1, 100000,
        "concurrent Thrift connections; over it a new connection is closed at once"),
    INT("hub", "thrift_threads", thrift_threads, 0, 0, 256,
        "event-loop threads of the Thrift port; 0: one per core"),
    INT("hub", "thrift_workers", thrift_workers, 128, 1, 4096,
        "most threads running gateways' calls that need the database (logins: login_workers)"),
    INT("hub", "idle_timeout", idle_timeout_s, 300, 1, 86400,
        "s a Thrift connection may sit between calls"),
    INT("hub", "io_timeout", io_timeout_s, 10, 1, 3600,
        "s to finish a message once its first byte arrived, or to take an answer"),
    WIDE("hub", "max_message_size", max_message_size, TG_THRIFT_DEFAULT_MAX_MESSAGE, 1024,
         G_MAXINT32, "bytes in one Thrift message or frame"),
    INT("hub", "max_container_size", max_container_size, TG_THRIFT_DEFAULT_MAX_CONTAINER, 1,
        G_MAXINT32, "elements in one list, set or map"),
    INT("hub", "max_string_size", max_string_size, TG_THRIFT_DEFAULT_MAX_STRING, 1, G_MAXINT32,
        "bytes in one string"),
    /* Bounded so that walking a nested value fits a thread's stack. */
    INT("hub", "recursion_limit", recursion_limit, TG_THRIFT_DEFAULT_MAX_DEPTH, 1, 1000,
        "nesting depth of structs and containers (at most 1000)"),
    WIDE("hub", "max_http_body", max_http_body, 65536, 1, 1 << 30,
         "bytes of request body on the HTTPS port; over: 413"),
    STR("hub", "session_secret_file", session_secret_file, "var/session.secret",
        "HMAC secret of session ids: the same content on every hub"),
    INT("hub", "session_ttl", session_ttl_s, 28800, 1, G_MAXINT32, "s a session lasts"),
    INT("hub", "token_validity", token_validity_s, 3600, 1, G_MAXINT32,
        "s, default access token lifetime"),
    INT("hub", "refresh_token_validity", refresh_token_validity_s, 86400, 1, G_MAXINT32,
        "s, default refresh token lifetime"),
    INT("hub", "validation_cache_ttl", validation_cache_ttl_s, 300, 0, G_MAXINT32,
        "s a cached validation is trusted"),
    INT("hub", "validation_cache_size", validation_cache_size, 100000, 0, 100000000,
        "cached validations; 0 switches the cache off (the API cache stays)"),
    /* per user and hub (admins exempt): a portal user never comes near it */
    INT("hub", "mgmt_write_rate", mgmt_write_rate, 10, 0, 1000000,
        "management writes a second per user on this hub (admins exempt; 0: no limit), 429 beyond"),
    INT("hub", "mgmt_write_burst", mgmt_write_burst, 50, 1, 1000000,
        "management writes a user may save up"),
    INT("hub", "expired_token_retention", expired_token_retention_s, 86400, 0, G_MAXINT32,
        "s after expiry (access and refresh) or revocation that a token row is deleted"),
    INT("hub", "token_prune_interval", token_prune_interval_s, 3600, 0, G_MAXINT32,
        "s between prunes, also one at start; 0: never"),
    INT("hub", "login_failure_delay_ms", login_failure_delay_ms, 250, 0, 60000,
        "first failed login's delay, doubling per failure of a user (or per 4 of an address)"),
    INT("hub", "login_failure_delay_max_ms", login_failure_delay_max_ms, 5000, 0, 60000,
        "the cap of that delay"),
    INT("hub", "login_max_failures", login_max_failures, 10, 1, 1000000,
        "failures of one user name, then \"too many attempts\" (429) until login_lockout"),
    INT("hub", "login_max_failures_per_address", login_max_failures_per_address, 100, 1, 1000000,
        "failures from one client address, then locked the same way"),
    INT("hub", "login_lockout", login_lockout_s, 300, 1, 86400,
        "s after the last failure that a user's or address's count is forgotten"),
    INT("hub", "login_workers", login_workers, 4, 1, 256,
        "threads for logins and management calls, per port"),
    INT("hub", "max_connections_per_peer", max_connections_per_peer, 1024, 1, 100000,
        "Thrift connections from one client address"),
    INT("hub", "first_call_timeout", first_call_timeout_s, 10, 1, 3600,
        "s from accept (TLS handshake included) to the first whole call"),
    INT("hub", "max_pipelined_calls", max_pipelined_calls, 64, 1, 100000,
        "answered-but-unsent calls per Thrift connection; past it the hub stops reading"),
    STR("hub", "metrics_token", metrics_token, "",
        "Bearer token for GET /metrics (16+ characters); empty: only an admin session"),
    STR("hub", "log_level", log_level, "info",
        "error, warning, info or debug (--log-level overrides it)"),

    STR("database", "host", db_host, "127.0.0.1", "MariaDB server"),
    INT("database", "port", db_port, 3406, 1, 65535, "its port, also the default port of hosts"),
    STR("database", "socket", db_socket, "", "unix socket; wins over host/port when set"),
    STR("database", "user", db_user, "tollgate", "MariaDB user"),
    OTHER("database", "password_file", "var/db.password",
          "its password: the file's first line; empty path: no password"),
    STR("database", "apimgtdb", db_apimgt, "apimgtdb", "database of APIs, apps, keys, tokens"),
    STR("database", "userdb", db_user_store, "userdb", "database of users and roles"),
    STR("database", "regdb", db_reg, "regdb", "database of documents"),
    STR("database", "statdb", db_stat, "statdb", "database of usage"),
    INT("database", "pool_size", db_pool_size, 16, 1, 1024, "connections kept to MariaDB"),
    INT("database", "connect_timeout", db_connect_timeout_s, 3, 1, 3600, "s to connect"),
    INT("database", "read_timeout", db_read_timeout_s, 30, 1, 3600,
        "s a statement may wait for its answer; over: the connection is dropped"),
    INT("database", "write_timeout", db_write_timeout_s, 30, 1, 3600,
        "s a statement may take to be sent"),
    OTHER("database", "hosts", "",
          "Galera nodes (host, host:port, [v6]:port) in one order on every hub; empty: host:port"),
    INT("database", "check_interval_ms", db_check_interval_ms, 1000, 50, 3600000,
        "ms between two health checks of each node of hosts"),
    /* wsrep_sync_wait is a bit mask: 1 reads, 2 UPDATE/DELETE, 4 INSERT/REPLACE, 8 SHOW */
    INT("database", "sync_wait", db_sync_wait, 1, 0, 15,
        "wsrep_sync_wait of validation reads (1: read-your-writes across hubs); 0: off"),
    INT("database", "sync_wait_timeout", db_sync_wait_timeout_s, 1, 1, 3600,
        "s such a read may wait, then it is read at the writer (keep under [hubs] timeout_ms)"),
};

static const char *default_of(const char *group, const char *key) {
  return tg_config_table_default(keys, G_N_ELEMENTS(keys), group, key);
}

char *hub_config_defaults(void) {
  return tg_config_table_defaults(
      "# tollgate-keyvalidator: every key and its default "
      "(tollgate-keyvalidator --print-config)\n"
      "# comments are whole lines; text after a value is part of it\n",
      keys, G_N_ELEMENTS(keys));
}

#define DB_MAX_NODES 64

void hub_config_free(HubConfig *hc) {
  if (hc == NULL) return;
  tg_config_table_free(keys, G_N_ELEMENTS(keys), hc);
  if (hc->db_password != NULL) memset(hc->db_password, 0, strlen(hc->db_password));
  g_free(hc->db_password);
  g_strfreev(hc->db_hosts);
  g_free(hc->db_ports);
  g_free(hc);
}

static gboolean fail(TgConfig *cfg, const char *group, const char *key, const char *reason,
                     GError **error) {
  g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID, "%s: [%s] %s: %s",
              tg_config_path(cfg), group, key, reason);
  return FALSE;
}

/* Every key of group (ports last, since they add port_offset). */
static gboolean read_keys(TgConfig *cfg, const char *group, HubConfig *hc, GError **error) {
  return tg_config_table_read(cfg, keys, G_N_ELEMENTS(keys), group, hc, &hc->port_offset, error);
}

/* Fails on a key of group that the table does not have: catches typos. */
static gboolean check_keys(TgConfig *cfg, const char *group, GError **error) {
  return tg_config_table_check(cfg, keys, G_N_ELEMENTS(keys), group, error);
}

static gboolean read_hub(TgConfig *cfg, HubConfig *hc, GError **error) {
  if (!read_keys(cfg, "hub", hc, error)) return FALSE;
  if (!g_strv_contains(log_levels, hc->log_level))
    return fail(cfg, "hub", "log_level", "must be one of error, warning, info, debug", error);
  if (*hc->metrics_token != '\0' && strlen(hc->metrics_token) < 16)
    return fail(cfg, "hub", "metrics_token", "must be empty or at least 16 characters", error);
  if (*hc->bind == '\0') return fail(cfg, "hub", "bind", "must be an address", error);
  return TRUE;
}

/* The password: password_file's first line (an empty path: no password). */
static gboolean read_password(TgConfig *cfg, HubConfig *hc, GError **error) {
  g_autofree char *path =
      tg_config_string(cfg, "database", "password_file", default_of("database", "password_file"));
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
static gboolean node_parse(const char *entry, int default_port, char **host, int *port) {
  g_autofree char *name = NULL;
  const char *colon = NULL;
  if (*entry == '[') {
    const char *close = strchr(entry, ']');
    if (close == NULL || (close[1] != '\0' && close[1] != ':')) return FALSE;
    name = g_strndup(entry + 1, (gsize)(close - entry - 1));
    colon = close[1] == ':' ? close + 1 : NULL;
  } else {
    colon = strchr(entry, ':');
    if (colon != NULL && strchr(colon + 1, ':') != NULL)
      return FALSE; /* an IPv6 address needs brackets */
    name = colon ? g_strndup(entry, (gsize)(colon - entry)) : g_strdup(entry);
  }
  if (*name == '\0' || strpbrk(name, " \t/[]") != NULL) return FALSE;
  *port = default_port;
  if (colon != NULL) {
    guint64 v;
    if (!g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &v, NULL)) return FALSE;
    *port = (int)v;
  }
  *host = g_steal_pointer(&name);
  return TRUE;
}

/* hosts = a, b:3307, [::1]:3308 (the port defaults to [database] port); unset: host:port.
   Each node once, at most DB_MAX_NODES. */
static gboolean read_hosts(TgConfig *cfg, HubConfig *hc, GError **error) {
  g_autofree char *list =
      tg_config_string(cfg, "database", "hosts", default_of("database", "hosts"));
  g_auto(GStrv) parts = g_strsplit(*g_strstrip(list) ? list : hc->db_host, ",", -1);
  guint n = g_strv_length(parts);
  if (n > DB_MAX_NODES) return fail(cfg, "database", "hosts", "more than 64 nodes", error);
  hc->db_hosts = g_new0(char *, n + 1);
  hc->db_ports = g_new0(int, MAX(n, 1));
  for (guint i = 0; i < n; i++) {
    if (!node_parse(g_strstrip(parts[i]), hc->db_port, &hc->db_hosts[i], &hc->db_ports[i]))
      return fail(cfg, "database", "hosts",
                  "each entry must be host or host:port (port 1-65535, IPv6 in brackets)", error);
    for (guint j = 0; j < i; j++)
      if (hc->db_ports[j] == hc->db_ports[i] && strcmp(hc->db_hosts[j], hc->db_hosts[i]) == 0)
        return fail(cfg, "database", "hosts", "a node is listed twice", error);
  }
  return TRUE;
}

static gboolean read_database(TgConfig *cfg, HubConfig *hc, GError **error) {
  return read_keys(cfg, "database", hc, error) && read_hosts(cfg, hc, error) &&
         read_password(cfg, hc, error);
}

HubConfig *hub_config_load(TgConfig *cfg, GError **error) {
  if (!check_keys(cfg, "hub", error) || !check_keys(cfg, "database", error)) return NULL;
  g_autoptr(HubConfig) hc = g_new0(HubConfig, 1);
  if (!read_hub(cfg, hc, error) || !read_database(cfg, hc, error)) return NULL;
  return g_steal_pointer(&hc);
}
