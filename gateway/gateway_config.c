/*
 * gateway_config: typed reading of [gateway] on top of tg_config. One table holds
 * every key of the gateway's file (also [hubs] and [plugin.*], read elsewhere) with
 * its default and a line of help: the reader and --print-config walk it. Unknown
 * keys are refused so a typo does not silently fall back to a default.
 */
#include "gateway_config.h"

#include <arpa/inet.h>
#include <string.h>

#include "tg_config_table.h"

#define F(field) G_STRUCT_OFFSET(GatewayConfig, field)
#define STR(k, field, d, doc) \
  { "gateway", k, TG_KEY_STRING, F(field), d, 0, 0, NULL, doc }
#define INT(k, field, d, lo, hi, doc) \
  { "gateway", k, TG_KEY_INT, F(field), #d, lo, hi, NULL, doc }
#define SIZE(k, field, d, lo, hi, doc) \
  { "gateway", k, TG_KEY_INT64, F(field), #d, lo, hi, NULL, doc }
#define PORT(k, field, d, doc) \
  { "gateway", k, TG_KEY_PORT, F(field), #d, 1, 65535, NULL, doc }
#define CHOICE(k, field, d, alt, doc) \
  { "gateway", k, TG_KEY_CHOICE, F(field), d, 0, 0, alt, doc }
#define ELSEWHERE(g, k, d, doc) \
  { g, k, TG_KEY_ELSEWHERE, 0, d, 0, 0, NULL, doc }

/* Every key in the order --print-config writes them: the one place for a default. */
static const TgConfigKey keys[] = {
    STR("id", id, "gw1", "this gateway's name in usage records and logs"),
    STR("bind", bind, "127.0.0.1", "address of the HTTP and HTTPS listeners"),
    PORT("http_port", http_port, 8280, "API traffic, HTTP"),
    PORT("https_port", https_port, 8243, "API traffic, HTTPS"),
    PORT("admin_port", admin_port, 9280, "GET /health, GET /metrics"),
    STR("admin_bind", admin_bind, "127.0.0.1",
        "the admin listener's address; not loopback (127.0.0.0/8, ::1) only with admin_token"),
    STR("admin_token", admin_token, "",
        "empty: none; set (16+ characters): admin requests need Authorization: Bearer <it>"),
    INT("port_offset", port_offset, 0, 0, 60000, "added to every port (--port-offset overrides)"),
    STR("tls_cert", tls_cert, "var/tls/server.crt", "PEM certificate (chain) of the HTTPS port"),
    STR("tls_key", tls_key, "var/tls/server.key", "PEM private key of tls_cert"),
    INT("threads", threads, 0, 0, 256, "worker threads per listener; 0: one per core"),
    SIZE("max_body_size", max_body_size, 0, 0, G_MAXINT64,
         "bytes, 0: unlimited (bodies are streamed, never held whole); over: 413"),
    SIZE("max_header_size", max_header_size, 16384, 1024, 1048576,
         "bytes of request headers; over: 431"),
    INT("upstream_connect_timeout_ms", upstream_connect_timeout_ms, 2000, 1, 600000,
        "ms to connect to a backend; over: 504 (fault 101504)"),
    INT("upstream_read_timeout_ms", upstream_read_timeout_ms, 30000, 1, 3600000,
        "ms a backend may take to answer; over: 504 (fault 101504)"),
    INT("upstream_keepalive", upstream_keepalive, 256, 0, 65536,
        "idle connections kept per backend and worker thread (0: one per request)"),
    STR("upstream_ca", upstream_ca, "",
        "CA file HTTPS backends are verified against; empty: the system's trust store"),
    INT("client_timeout_ms", client_timeout_ms, 30000, 100, 3600000,
        "ms a client may take to send a request's headers; also the idle keep-alive limit"),
    CHOICE("escaped_slashes", escaped_slashes_keep, "reject", "keep",
           "%2F and %5C in a path: reject (400) or keep (routed, forwarded still encoded)"),
    CHOICE("underscores_in_headers", underscores_in_headers_keep, "drop", "keep",
           "client header names with '_': drop or keep (identity headers dropped either way)"),
    {"gateway", "plugins", TG_KEY_LIST, F(plugins), "key_auth, throttle, cors, headers, usage", 0,
     0, NULL, "the plugins every API runs, in order ([api /CTX:VERSION] plugins: one API's own)"},
    STR("plugin_dir", plugin_dir, "",
        "external plugins: plugin_dir/NAME.so for a name not built in"),
    STR("log_level", log_level, "info", "error | warning | info | debug (--log-level overrides)"),

    ELSEWHERE("hubs", "key_validators", "", "the hubs' Thrift host:port list (required)"),
    ELSEWHERE("hubs", "tls", "true", "TLS towards the hubs"),
    ELSEWHERE("hubs", "ca_file", "var/tls/ca.crt",
              "CA file the hubs' certificates are checked against"),
    ELSEWHERE("hubs", "user", "gateway", "the hub user (role gateway) this gateway logs in as"),
    ELSEWHERE("hubs", "password_file", "var/gateway.password",
              "its password: the file's first line"),
    ELSEWHERE(
        "hubs", "timeout_ms", "2000",
        "ms per call, connect and TLS handshake; over: hub marked down, call retried elsewhere"),
    ELSEWHERE("hubs", "login_timeout_ms", "10000",
              "ms for the login call alone (at least timeout_ms)"),
    ELSEWHERE("hubs", "connections_per_hub", "4", "pooled connections to each hub"),
    ELSEWHERE("hubs", "poll_interval_ms", "1000", "ms between two polls of the change feed"),
    ELSEWHERE("plugin.key_auth", "cache_size", "100000", "validations cached"),
    ELSEWHERE("plugin.key_auth", "negative_ttl", "5",
              "s a refused token stays refused in the cache"),
    ELSEWHERE("plugin.key_auth", "max_ttl", "900", "s a validation is cached at most"),
    ELSEWHERE("plugin.cors", "allow_origins", "*",
              "\"*\" or a list: https://a.example, https://b.example"),
    ELSEWHERE("plugin.cors", "allow_methods", "GET, POST, PUT, DELETE, PATCH, OPTIONS",
              "Access-Control-Allow-Methods"),
    ELSEWHERE("plugin.cors", "allow_headers", "authorization, content-type",
              "Access-Control-Allow-Headers"),
    ELSEWHERE("plugin.headers", "add_request", "",
              "Name: value, Name2: value2 added to requests (values cannot contain commas)"),
    ELSEWHERE("plugin.headers", "remove_request", "", "header names removed from requests"),
    ELSEWHERE("plugin.headers", "add_response", "", "Name: value, ... added to answers"),
    ELSEWHERE("plugin.headers", "remove_response", "", "header names removed from answers"),
    ELSEWHERE("plugin.usage", "flush_interval_ms", "1000", "ms between two usage reports to a hub"),
    ELSEWHERE("plugin.usage", "max_pending_records", "100000",
              "usage records kept while no hub answers; beyond, the oldest are dropped"),
};

const char *gateway_config_default(const char *group, const char *key) {
  return tg_config_table_default(keys, G_N_ELEMENTS(keys), group, key);
}

char *gateway_config_defaults(void) {
  return tg_config_table_defaults(
      "# tollgate-gateway: every key and its default "
      "(tollgate-gateway --print-config)\n"
      "# comments are whole lines; text after a value is part of it\n",
      keys, G_N_ELEMENTS(keys));
}

#define MIN_ADMIN_TOKEN 16

void gateway_config_free(GatewayConfig *gc) {
  if (!gc) return;
  tg_config_table_free(keys, G_N_ELEMENTS(keys), gc);
  if (gc->api_plugins) g_hash_table_unref(gc->api_plugins);
  g_free(gc);
}

/* 127.0.0.0/8, ::1 or "localhost": reachable from this machine only. */
static gboolean loopback_address(const char *addr) {
  struct in_addr v4;
  struct in6_addr v6;
  if (!g_ascii_strcasecmp(addr, "localhost")) return TRUE;
  if (inet_pton(AF_INET, addr, &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  return inet_pton(AF_INET6, addr, &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

/* The admin listener (/metrics, /health) is for this machine unless a token guards it. */
static gboolean check_admin(TgConfig *cfg, GatewayConfig *gc, GError **error) {
  if (*gc->admin_token && strlen(gc->admin_token) < MIN_ADMIN_TOKEN) {
    g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID,
                "%s: [gateway] admin_token: shorter than %d characters", tg_config_path(cfg),
                MIN_ADMIN_TOKEN);
    return FALSE;
  }
  if (!*gc->admin_token && !loopback_address(gc->admin_bind)) {
    g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID,
                "%s: [gateway] admin_bind: %s is not a loopback address; set admin_token too "
                "(requests then need Authorization: Bearer <admin_token>)",
                tg_config_path(cfg), gc->admin_bind);
    return FALSE;
  }
  return TRUE;
}

/* HTTPS backends are verified against upstream_ca, or the system's store. */
static gboolean check_upstream_ca(TgConfig *cfg, GatewayConfig *gc, GError **error) {
  if (*gc->upstream_ca && !g_file_test(gc->upstream_ca, G_FILE_TEST_IS_REGULAR)) {
    g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID,
                "%s: [gateway] upstream_ca: %s is not a readable file", tg_config_path(cfg),
                gc->upstream_ca);
    return FALSE;
  }
  return TRUE;
}

/* [api /ctx:1.0.0] groups: a plugin order for one API, a subset of [gateway] plugins. */
static gboolean read_api_plugins(TgConfig *cfg, GatewayConfig *gc, GError **error) {
  static const char *const api_keys[] = {"plugins", NULL};
  gc->api_plugins =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_strfreev);
  g_auto(GStrv) groups = tg_config_groups(cfg);
  for (char **g = groups; *g; g++) {
    if (!g_str_has_prefix(*g, "api ")) continue;
    const char *api = *g + 4;
    const char *colon = strrchr(api, ':');
    if (api[0] != '/' || !colon || colon[1] == '\0') {
      g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID,
                  "%s: [%s]: expected [api /CONTEXT:VERSION]", tg_config_path(cfg), *g);
      return FALSE;
    }
    if (!tg_config_check_keys(cfg, *g, api_keys, error)) return FALSE;
    g_hash_table_insert(gc->api_plugins, g_strdup(api), tg_config_list(cfg, *g, "plugins"));
  }
  return TRUE;
}

GatewayConfig *gateway_config_load(TgConfig *cfg, GError **error) {
  if (!tg_config_table_check(cfg, keys, G_N_ELEMENTS(keys), "gateway", error)) return NULL;
  g_autoptr(GatewayConfig) gc = g_new0(GatewayConfig, 1);
  if (!tg_config_table_read(cfg, keys, G_N_ELEMENTS(keys), "gateway", gc, &gc->port_offset,
                            error) ||
      !check_admin(cfg, gc, error) || !check_upstream_ca(cfg, gc, error) ||
      !read_api_plugins(cfg, gc, error))
    return NULL;
  if (gc->threads == 0) gc->threads = (int)g_get_num_processors();
  return g_steal_pointer(&gc);
}
