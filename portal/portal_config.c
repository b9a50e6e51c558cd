/*
 * portal_config: one table of every key (group, name, type, default, range,
 * field), read generically; --print-config prints the same table with the
 * values in effect. Unknown keys are refused, so a typo never falls back to a
 * default silently.
 */
#include "portal_config.h"

#include <stddef.h>
#include <string.h>

typedef enum { K_STR, K_INT, K_BOOL, K_LIST, K_PORT } KeyKind;

typedef struct {
  const char *group, *key;
  KeyKind kind;
  const char *def;
  gint64 min, max;
  size_t field;
  const char *help;
} PortalKey;

#define F(name) offsetof(PortalConfig, name)

static const PortalKey keys[] = {
    {"portal", "bind", K_STR, "127.0.0.1", 0, 0, F(bind), "listen address"},
    {"portal", "port_offset", K_INT, "0", 0, 60000, F(port_offset), "added to port"},
    {"portal", "port", K_PORT, "9443", 1, 65535, F(port), "HTTPS port (before port_offset)"},
    {"portal", "threads", K_INT, "4", 1, 256, F(threads),
     "worker threads (each blocks on hub calls)"},
    {"portal", "tls_cert", K_STR, "var/tls/server.crt", 0, 0, F(tls_cert),
     "certificate chain (PEM)"},
    {"portal", "tls_key", K_STR, "var/tls/server.key", 0, 0, F(tls_key), "private key (PEM)"},
    {"portal", "public_url", K_STR, "", 0, 0, F(public_url),
     "URL users reach the portal at; empty: https://bind:port"},
    {"portal", "session_idle_s", K_INT, "1800", 60, 86400, F(session_idle_s),
     "a session ends after this long unused"},
    {"portal", "session_absolute_s", K_INT, "43200", 300, 604800, F(session_absolute_s),
     "a session ends this long after login"},
    {"portal", "bearer_ttl_s", K_INT, "3600", 60, 86400, F(bearer_ttl_s),
     "lifetime of a /api/auth/token token"},
    {"portal", "max_sessions", K_INT, "100000", 10, 10000000, F(max_sessions),
     "sessions kept in memory at most (oldest idle go first)"},
    {"portal", "max_body", K_INT, "1048576", 1024, 67108864, F(max_body),
     "request body limit in bytes"},
    {"portal", "signup_default", K_BOOL, "true", 0, 0, F(signup_default),
     "self sign-up when the hub has no signup_enabled setting"},
    {"portal", "gateway_urls", K_LIST, "", 0, 0, F(gateway_urls),
     "the gateways' base URLs (shown; the try-it console calls the first)"},
    {"portal", "token_url", K_STR, "", 0, 0, F(token_url),
     "the hubs' OAuth2 /token URL, shown in snippets; empty: none shown"},
    {"portal", "log_level", K_STR, "info", 0, 0, F(log_level), "error | warning | info | debug"},
    {"hubs", "key_validators", K_LIST, "127.0.0.1:10397", 0, 0, F(hubs),
     "hubs, host:port, failover in order"},
    {"hubs", "tls", K_BOOL, "true", 0, 0, F(hub_tls), "TLS to the hubs"},
    {"hubs", "ca_file", K_STR, "var/tls/ca.crt", 0, 0, F(hub_ca_file),
     "CA that signed the hubs' certificates"},
    {"hubs", "timeout_ms", K_INT, "5000", 50, 600000, F(hub_timeout_ms),
     "connect and call timeout"},
    {"hubs", "login_timeout_ms", K_INT, "10000", 50, 600000, F(hub_login_timeout_ms),
     "a login call's timeout (password hashing)"},
};

#define FIELD(pc, k, type) ((type *)((char *)(pc) + (k)->field))

static gboolean check_known(TgConfig *cfg, const char *group, GError **error) {
  const char *known[G_N_ELEMENTS(keys) + 1];
  guint n = 0;
  for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
    if (!strcmp(keys[i].group, group)) known[n++] = keys[i].key;
  known[n] = NULL;
  return tg_config_check_keys(cfg, group, known, error);
}

static gboolean read_key(TgConfig *cfg, PortalConfig *pc, const PortalKey *k, GError **error) {
  gint64 v = 0;
  gboolean b = FALSE;
  switch (k->kind) {
  case K_STR:
    *FIELD(pc, k, char *) = tg_config_string(cfg, k->group, k->key, k->def);
    return TRUE;
  case K_LIST: {
    g_autofree char *set = tg_config_string(cfg, k->group, k->key, NULL);
    *FIELD(pc, k, char **) =
        set ? tg_config_list(cfg, k->group, k->key) : g_strsplit_set(k->def, ", ", -1);
    if (!set) { /* drop the empty items of the default */
      char **l = *FIELD(pc, k, char **);
      guint w = 0;
      for (guint r = 0; l[r]; r++) {
        if (*l[r])
          l[w++] = l[r];
        else
          g_free(l[r]);
      }
      l[w] = NULL;
    }
    return TRUE;
  }
  case K_BOOL:
    if (!tg_config_bool(cfg, k->group, k->key, !strcmp(k->def, "true"), &b, error)) return FALSE;
    *FIELD(pc, k, gboolean) = b;
    return TRUE;
  case K_INT:
    if (!tg_config_int(cfg, k->group, k->key, g_ascii_strtoll(k->def, NULL, 10), k->min, k->max, &v,
                       error))
      return FALSE;
    *FIELD(pc, k, int) = (int)v;
    return TRUE;
  case K_PORT:
    return tg_config_port(cfg, k->group, k->key, (int)g_ascii_strtoll(k->def, NULL, 10),
                          pc->port_offset, FIELD(pc, k, int), error);
  }
  return FALSE;
}

PortalConfig *portal_config_load(TgConfig *cfg, GError **error) {
  if (!check_known(cfg, "portal", error) || !check_known(cfg, "hubs", error)) return NULL;
  g_autoptr(PortalConfig) pc = g_new0(PortalConfig, 1);
  for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
    if (!read_key(cfg, pc, &keys[i], error)) return NULL;
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
  for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
    if (keys[i].kind == K_STR) g_free(*FIELD(pc, &keys[i], char *));
    if (keys[i].kind == K_LIST) g_strfreev(*FIELD(pc, &keys[i], char **));
  }
  g_free(pc);
}

char *portal_config_print(TgConfig *cfg) {
  GString *out =
      g_string_new("# tollgate-portal: the configuration in effect (defaults filled in)\n");
  const char *group = NULL;
  for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
    const PortalKey *k = &keys[i];
    if (!group || strcmp(group, k->group)) {
      g_string_append_printf(out, "%s[%s]\n", group ? "\n" : "", k->group);
      group = k->group;
    }
    g_autofree char *v = tg_config_string(cfg, k->group, k->key, k->def);
    g_string_append_printf(out, "# %s (default: %s)\n%s = %s\n", k->help, *k->def ? k->def : "\"\"",
                           k->key, v);
  }
  return g_string_free(out, FALSE);
}
