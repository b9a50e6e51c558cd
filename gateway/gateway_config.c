/*
 * gateway_config: typed reading of [gateway] on top of tg_config. Unknown
 * keys are refused so a typo does not silently fall back to a default.
 */
#include "gateway_config.h"

#include <arpa/inet.h>
#include <string.h>

static const char *const known_keys[] = {
    "id", "bind", "http_port", "https_port", "admin_port", "port_offset", "tls_cert", "tls_key",
    "threads", "max_body_size", "max_header_size", "upstream_connect_timeout_ms",
    "upstream_read_timeout_ms", "upstream_keepalive", "client_timeout_ms", "plugins",
    "plugin_dir", "log_level", "escaped_slashes", "underscores_in_headers", "admin_bind",
    "admin_token", "upstream_ca", NULL};

#define MIN_ADMIN_TOKEN 16

void gateway_config_free(GatewayConfig *gc) {
  if (!gc) return;
  g_free(gc->id);
  g_free(gc->bind);
  g_free(gc->tls_cert);
  g_free(gc->tls_key);
  g_free(gc->admin_bind);
  g_free(gc->admin_token);
  g_free(gc->upstream_ca);
  g_strfreev(gc->plugins);
  if (gc->api_plugins) g_hash_table_unref(gc->api_plugins);
  g_free(gc->plugin_dir);
  g_free(gc->log_level);
  g_free(gc);
}

static gboolean read_int(TgConfig *cfg, const char *key, gint64 def, gint64 min, gint64 max,
                         int *out, GError **error) {
  gint64 v;
  if (!tg_config_int(cfg, "gateway", key, def, min, max, &v, error)) return FALSE;
  *out = (int)v;
  return TRUE;
}

static gboolean read_ports(TgConfig *cfg, GatewayConfig *gc, GError **error) {
  if (!read_int(cfg, "port_offset", 0, 0, 60000, &gc->port_offset, error)) return FALSE;
  return tg_config_port(cfg, "gateway", "http_port", 8280, gc->port_offset, &gc->http_port, error) &&
         tg_config_port(cfg, "gateway", "https_port", 8243, gc->port_offset, &gc->https_port,
                        error) &&
         tg_config_port(cfg, "gateway", "admin_port", 9280, gc->port_offset, &gc->admin_port,
                        error);
}

static gboolean read_limits(TgConfig *cfg, GatewayConfig *gc, GError **error) {
  gint64 body, header;
  if (!tg_config_int(cfg, "gateway", "max_body_size", 0, 0, G_MAXINT64, &body, error) ||
      !tg_config_int(cfg, "gateway", "max_header_size", 16384, 1024, 1048576, &header, error))
    return FALSE;
  gc->max_body_size = (guint64)body;
  gc->max_header_size = (guint64)header;
  return read_int(cfg, "threads", 0, 0, 256, &gc->threads, error) &&
         read_int(cfg, "upstream_connect_timeout_ms", 2000, 1, 600000,
                  &gc->upstream_connect_timeout_ms, error) &&
         read_int(cfg, "upstream_read_timeout_ms", 30000, 1, 3600000,
                  &gc->upstream_read_timeout_ms, error) &&
         read_int(cfg, "upstream_keepalive", 256, 0, 65536, &gc->upstream_keepalive, error) &&
         read_int(cfg, "client_timeout_ms", 30000, 100, 3600000, &gc->client_timeout_ms, error);
}

/* key = a | b: *second is TRUE for b; def is a. */
static gboolean read_choice(TgConfig *cfg, const char *key, const char *a, const char *b,
                            gboolean *second, GError **error) {
  g_autofree char *v = tg_config_string(cfg, "gateway", key, a);
  *second = !g_ascii_strcasecmp(v, b);
  if (*second || !g_ascii_strcasecmp(v, a)) return TRUE;
  g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID, "%s: [gateway] %s: expected %s or %s",
              tg_config_path(cfg), key, a, b);
  return FALSE;
}

/* The request rules an edge may loosen (docs/HACKING.md). */
static gboolean read_request_rules(TgConfig *cfg, GatewayConfig *gc, GError **error) {
  return read_choice(cfg, "escaped_slashes", "reject", "keep", &gc->escaped_slashes_keep, error) &&
         read_choice(cfg, "underscores_in_headers", "drop", "keep", &gc->underscores_in_headers_keep,
                     error);
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
static gboolean read_admin(TgConfig *cfg, GatewayConfig *gc, GError **error) {
  gc->admin_bind = tg_config_string(cfg, "gateway", "admin_bind", "127.0.0.1");
  gc->admin_token = tg_config_string(cfg, "gateway", "admin_token", "");
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
static gboolean read_upstream_ca(TgConfig *cfg, GatewayConfig *gc, GError **error) {
  gc->upstream_ca = tg_config_string(cfg, "gateway", "upstream_ca", "");
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
  gc->api_plugins = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_strfreev);
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
  if (!tg_config_check_keys(cfg, "gateway", known_keys, error)) return NULL;
  g_autoptr(GatewayConfig) gc = g_new0(GatewayConfig, 1);
  gc->id = tg_config_string(cfg, "gateway", "id", "gw1");
  gc->bind = tg_config_string(cfg, "gateway", "bind", "127.0.0.1");
  gc->tls_cert = tg_config_string(cfg, "gateway", "tls_cert", "var/tls/server.crt");
  gc->tls_key = tg_config_string(cfg, "gateway", "tls_key", "var/tls/server.key");
  gc->plugin_dir = tg_config_string(cfg, "gateway", "plugin_dir", "");
  gc->log_level = tg_config_string(cfg, "gateway", "log_level", "info");
  if (!read_ports(cfg, gc, error) || !read_limits(cfg, gc, error) ||
      !read_request_rules(cfg, gc, error) || !read_admin(cfg, gc, error) ||
      !read_upstream_ca(cfg, gc, error))
    return NULL;
  if (gc->threads == 0) gc->threads = (int)g_get_num_processors();
  g_autofree char *plugins = tg_config_string(cfg, "gateway", "plugins", NULL);
  gc->plugins = plugins ? tg_config_list(cfg, "gateway", "plugins")
                        : g_strsplit("key_auth,throttle,cors,headers,usage", ",", -1);
  if (!read_api_plugins(cfg, gc, error)) return NULL;
  return g_steal_pointer(&gc);
}
