/*
 * portal_config: one table of every key (group, name, type, default, range,
 * field), read generically; --print-config prints the same table with the
 * values in effect. Unknown keys are refused, so a typo never falls back to a
 * default silently.
 */
#include "portal_config.h"

#include "tg_config_table.h"

#define F(name) G_STRUCT_OFFSET(PortalConfig, name)

static const TgConfigKey keys[] = {
    {"portal", "bind", TG_KEY_STRING, F(bind), "127.0.0.1", 0, 0, NULL, "listen address"},
    {"portal", "port_offset", TG_KEY_INT, F(port_offset), "0", 0, 60000, NULL, "added to port"},
    {"portal", "port", TG_KEY_PORT, F(port), "9443", 1, 65535, NULL,
     "HTTPS port (before port_offset)"},
    {"portal", "threads", TG_KEY_INT, F(threads), "4", 1, 256, NULL,
     "worker threads (each blocks on hub calls)"},
    {"portal", "tls_cert", TG_KEY_STRING, F(tls_cert), "var/tls/server.crt", 0, 0, NULL,
     "certificate chain (PEM)"},
    {"portal", "tls_key", TG_KEY_STRING, F(tls_key), "var/tls/server.key", 0, 0, NULL,
     "private key (PEM)"},
    {"portal", "public_url", TG_KEY_STRING, F(public_url), "", 0, 0, NULL,
     "URL users reach the portal at; empty: https://bind:port"},
    {"portal", "session_idle_s", TG_KEY_INT, F(session_idle_s), "1800", 1, 86400, NULL,
     "a session ends after this long unused (kept by the hubs, for every portal)"},
    {"portal", "session_absolute_s", TG_KEY_INT, F(session_absolute_s), "43200", 2, 604800, NULL,
     "a session ends this long after login"},
    {"portal", "bearer_ttl_s", TG_KEY_INT, F(bearer_ttl_s), "3600", 60, 86400, NULL,
     "lifetime of a /api/auth/token token"},
    {"portal", "max_sessions", TG_KEY_INT, F(max_sessions), "100000", 10, 10000000, NULL,
     "sessions cached in memory at most (the hubs keep them all)"},
    {"portal", "session_cache_ms", TG_KEY_INT, F(session_cache_ms), "1000", 0, 10000, NULL,
     "how long a hub's check of a session is reused (a session ended elsewhere works here "
     "that long at most); 0: ask a hub every request"},
    {"portal", "max_body", TG_KEY_INT, F(max_body), "1048576", 1024, 67108864, NULL,
     "request body limit in bytes (larger: 413 before the body is read)"},
    /* 4259840: portal/openapi.h's 4 MB document limit plus 64 KB of multipart framing,
       so a document just past it still gets the importer's own "too large". */
    {"portal", "upload_max_body", TG_KEY_INT, F(upload_max_body), "4259840", 1024, 67108864, NULL,
     "request body limit of the upload routes (OpenAPI import) in bytes"},
    {"portal", "signup_default", TG_KEY_BOOL, F(signup_default), "true", 0, 0, NULL,
     "self sign-up when the hub has no signup_enabled setting"},
    {"portal", "gateway_urls", TG_KEY_LIST, F(gateway_urls), "", 0, 0, NULL,
     "the gateways' base URLs (shown; the try-it console calls the first)"},
    {"portal", "token_url", TG_KEY_STRING, F(token_url), "", 0, 0, NULL,
     "the hubs' OAuth2 /token URL, shown in snippets; empty: none shown"},
    {"portal", "log_level", TG_KEY_STRING, F(log_level), "info", 0, 0, NULL,
     "error | warning | info | debug"},
    {"hubs", "key_validators", TG_KEY_LIST, F(hubs), "127.0.0.1:10397", 0, 0, NULL,
     "hubs, host:port, failover in order"},
    {"hubs", "tls", TG_KEY_BOOL, F(hub_tls), "true", 0, 0, NULL, "TLS to the hubs"},
    {"hubs", "ca_file", TG_KEY_STRING, F(hub_ca_file), "var/tls/ca.crt", 0, 0, NULL,
     "CA that signed the hubs' certificates"},
    {"hubs", "timeout_ms", TG_KEY_INT, F(hub_timeout_ms), "5000", 50, 600000, NULL,
     "connect and call timeout"},
    {"hubs", "login_timeout_ms", TG_KEY_INT, F(hub_login_timeout_ms), "10000", 50, 600000, NULL,
     "a login call's timeout (password hashing)"},
};

PortalConfig *portal_config_load(TgConfig *cfg, GError **error) {
  if (!tg_config_table_check(cfg, keys, G_N_ELEMENTS(keys), "portal", error) ||
      !tg_config_table_check(cfg, keys, G_N_ELEMENTS(keys), "hubs", error))
    return NULL;
  g_autoptr(PortalConfig) pc = g_new0(PortalConfig, 1);
  if (!tg_config_table_read(cfg, keys, G_N_ELEMENTS(keys), "portal", pc, &pc->port_offset, error) ||
      !tg_config_table_read(cfg, keys, G_N_ELEMENTS(keys), "hubs", pc, NULL, error))
    return NULL;
  if (pc->session_idle_s > pc->session_absolute_s) {
    g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID,
                "%s: [portal] session_idle_s: longer than session_absolute_s", tg_config_path(cfg));
    return NULL;
  }
  if (!pc->hubs[0]) {
    g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID,
                "%s: [hubs] key_validators: no hub", tg_config_path(cfg));
    return NULL;
  }
  return g_steal_pointer(&pc);
}

void portal_config_free(PortalConfig *pc) {
  if (!pc) return;
  tg_config_table_free(keys, G_N_ELEMENTS(keys), pc);
  g_free(pc);
}

char *portal_config_print(TgConfig *cfg) {
  return tg_config_table_effective(
      cfg, "# tollgate-portal: the configuration in effect (defaults filled in)\n", keys,
      G_N_ELEMENTS(keys));
}
