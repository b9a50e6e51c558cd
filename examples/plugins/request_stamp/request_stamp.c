/*
 * request_stamp: an example external plugin for tollgate-gateway. It adds
 * "X-Request-Stamp: <gateway id>/<request id>" to every response and "X-Stamped-By:
 * request_stamp" to every request sent upstream. Built against gateway/plugin.h only; the
 * gateway refuses it if TG_PLUGIN_ABI_VERSION differs. Options: docs/HACKING.md.
 */
#include <string.h>

#include "plugin.h"

typedef struct {
  char *header;
  char *gateway_id;
} Stamp;

/* tg_config_string is in the gateway binary (exported); declared here so the
   plugin needs no other header. */
char *tg_config_string(TgConfig *cfg, const char *group, const char *key, const char *def);

static void *stamp_init(TgPluginHost *host, TgConfig *cfg, const char *group, GError **error) {
  Stamp *s = g_new0(Stamp, 1);
  s->header = tg_config_string(cfg, group, "header", "X-Request-Stamp");
  s->gateway_id = g_strdup(tg_plugin_host_gateway_id(host));
  return s;
}

static void stamp_destroy(void *state) {
  Stamp *s = state;
  g_free(s->header);
  g_free(s->gateway_id);
  g_free(s);
}

static TgPluginStatus stamp_before_upstream(void *state, TgRequest *req) {
  tg_request_set_header(req, "X-Stamped-By", "request_stamp");
  return TG_PLUGIN_CONTINUE;
}

static void stamp_response_headers(void *state, TgRequest *req) {
  Stamp *s = state;
  char *value = g_strconcat(s->gateway_id ? s->gateway_id : "-", "/", tg_request_id(req), NULL);
  tg_request_set_response_header(req, s->header, value);
  g_free(value);
}

const TgPlugin tollgate_plugin = {
    .abi_version = TG_PLUGIN_ABI_VERSION,
    .name = "request_stamp",
    .init = stamp_init,
    .destroy = stamp_destroy,
    .before_upstream = stamp_before_upstream,
    .response_headers = stamp_response_headers,
};
