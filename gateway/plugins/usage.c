/*
 * usage: the log-phase plugin that counts every routed request into the hub
 * side's usage reporter (per second, API, resource, application, status).
 * Recording is a hash-table update under a short lock; sending happens on
 * the reporter's own thread, so traffic never waits for a hub.
 */
#include "builtin.h"
#include "gateway_host.h"
#include "hubside.h"
#include "plugin.h"
#include "usage_reporter.h"

static void *usage_init(TgPluginHost *host, TgConfig *cfg, const char *group, GError **error) {
  if (!host->hubside || !host->hubside->usage) {
    g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID,
                "usage needs the gateway's hub side ([hubs] configuration)");
    return NULL;
  }
  return host->hubside->usage;
}

static void usage_log(void *state, TgRequest *req) {
  const TgRoute *route = tg_request_route(req);
  if (!route) return; /* no API matched: nothing to attribute it to */
  const TgAuthInfo *auth = tg_request_auth(req);
  UsageEvent ev = {
      .second = g_get_real_time() / G_USEC_PER_SEC,
      .context = route->context,
      .version = route->version,
      .resource = route->uri_template,
      .verb = route->verb,
      .application_id = auth->authenticated ? auth->application_id : "",
      .subscriber = auth->authenticated ? auth->subscriber : "",
      .key_type = auth->authenticated ? auth->key_type : "",
      .status = tg_request_response_status(req),
      .latency_ms = tg_request_latency_ms(req),
      .bytes_in = tg_request_bytes_in(req),
      .bytes_out = tg_request_bytes_out(req),
      .over_quota = tg_request_over_quota(req),
  };
  usage_reporter_record(state, &ev);
}

const TgPlugin tg_plugin_usage = {
    .abi_version = TG_PLUGIN_ABI_VERSION,
    .name = "usage",
    .init = usage_init,
    .log = usage_log,
};
