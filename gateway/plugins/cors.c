/*
 * cors: the built-in CORS plugin ([plugin.cors]). access answers an allowed preflight with
 * 204 here, never reaching key auth or the backend; response_headers adds
 * Access-Control-Allow-Origin. State is read-only after init, so threads share it without
 * locks. Details: docs/HACKING.md.
 */
#include <string.h>

#include "builtin.h"
#include "gateway_config.h"
#include "gateway_host.h"
#include "plugin.h"
#include "tg_config.h"

typedef struct {
  char **origins; /* "*" allows any */
  char *methods;
  char *headers;
} Cors;

static const char *const cors_keys[] = {"allow_origins", "allow_methods", "allow_headers", NULL};

static char *joined(TgConfig *cfg, const char *group, const char *key, const char *def) {
  g_auto(GStrv) items = tg_config_list(cfg, group, key);
  if (!items[0]) return g_strdup(def);
  return g_strjoinv(", ", items);
}

static void *cors_init(TgPluginHost *host, TgConfig *cfg, const char *group, GError **error) {
  if (!tg_config_check_keys(cfg, group, cors_keys, error)) return NULL;
  Cors *c = g_new0(Cors, 1);
  c->origins = tg_config_list(cfg, group, "allow_origins");
  if (!c->origins[0]) {
    g_strfreev(c->origins);
    c->origins = g_strsplit(gateway_config_default("plugin.cors", "allow_origins"), ",", -1);
  }
  c->methods =
      joined(cfg, group, "allow_methods", gateway_config_default("plugin.cors", "allow_methods"));
  c->headers =
      joined(cfg, group, "allow_headers", gateway_config_default("plugin.cors", "allow_headers"));
  return c;
}

static void cors_destroy(void *state) {
  Cors *c = state;
  g_strfreev(c->origins);
  g_free(c->methods);
  g_free(c->headers);
  g_free(c);
}

/* The value for Access-Control-Allow-Origin, or NULL when origin is not allowed. */
static const char *allowed_origin(Cors *c, const char *origin) {
  if (!origin || !*origin) return NULL;
  for (char **o = c->origins; *o; o++) {
    if (!strcmp(*o, "*")) return "*";
    if (!g_ascii_strcasecmp(*o, origin)) return origin;
  }
  return NULL;
}

static TgPluginStatus cors_access(void *state, TgRequest *req) {
  Cors *c = state;
  if (g_ascii_strcasecmp(tg_request_method(req), "OPTIONS") != 0 ||
      !tg_request_header(req, "Access-Control-Request-Method"))
    return TG_PLUGIN_CONTINUE;
  const char *allow = allowed_origin(c, tg_request_header(req, "Origin"));
  if (!allow) return TG_PLUGIN_CONTINUE;
  tg_request_set_response_header(req, "Access-Control-Allow-Methods", c->methods);
  tg_request_set_response_header(req, "Access-Control-Allow-Headers", c->headers);
  tg_request_set_response_header(req, "Access-Control-Max-Age", "600");
  tg_request_respond(req, 204, "text/plain", "", 0);
  return TG_PLUGIN_DONE;
}

static void cors_response_headers(void *state, TgRequest *req) {
  const char *allow = allowed_origin(state, tg_request_header(req, "Origin"));
  if (!allow) return;
  tg_request_set_response_header(req, "Access-Control-Allow-Origin", allow);
  if (strcmp(allow, "*") != 0) tg_request_set_response_header(req, "Vary", "Origin");
}

const TgPlugin tg_plugin_cors = {
    .abi_version = TG_PLUGIN_ABI_VERSION,
    .name = "cors",
    .init = cors_init,
    .destroy = cors_destroy,
    .access = cors_access,
    .response_headers = cors_response_headers,
};
