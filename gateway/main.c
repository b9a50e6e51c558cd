/*
 * main: tollgate-gateway. Reads the configuration, wires the router, the hub
 * side, the plugin chain, the API listeners and the admin listener together,
 * and runs the main loop (listeners accept there; requests run on evhtp's
 * worker threads). SIGTERM/SIGINT stop accepting, let requests in flight
 * finish (up to 30 s), then exit 0.
 */
#include <event2/event.h>
#include <event2/thread.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "admin.h"
#include "gateway_config.h"
#include "gateway_host.h"
#include "hubside.h"
#include "plugin_chain.h"
#include "router.h"
#include "server.h"
#include "tg_config.h"
#include "tg_daemon_options.h"
#include "tg_log.h"
#include "tg_metrics.h"
#include "tg_thrift_setup.h"

#define DRAIN_LIMIT_S 30

typedef struct {
  Server *server;
  struct event_base *base;
  struct event *drain_timer;
  gint64 drain_deadline;
} Shutdown;

static void drain_cb(evutil_socket_t fd, short what, void *arg) {
  Shutdown *sd = arg;
  int left = server_in_flight(sd->server);
  if (left == 0 || g_get_monotonic_time() > sd->drain_deadline) {
    if (left) g_warning("stopping with %d requests still in flight", left);
    event_base_loopbreak(sd->base);
    return;
  }
  struct timeval tv = {0, 100000};
  evtimer_add(sd->drain_timer, &tv);
}

static void signal_cb(evutil_socket_t sig, short what, void *arg) {
  Shutdown *sd = arg;
  if (sd->drain_deadline) return;
  g_message("signal %d: no longer accepting; finishing %d requests in flight", (int)sig,
            server_in_flight(sd->server));
  server_stop_accepting(sd->server);
  sd->drain_deadline = g_get_monotonic_time() + DRAIN_LIMIT_S * G_USEC_PER_SEC;
  drain_cb(-1, 0, sd);
}

static TgConfig *load_config(const TgDaemonOptions *opts, GError **error) {
  TgConfig *cfg = tg_config_load(opts->config, error);
  if (cfg) tg_daemon_options_apply(opts, cfg, "gateway");
  return cfg;
}

typedef struct {
  TgConfig *cfg;
  GatewayConfig *gc;
  TgMetrics *metrics;
  Router *router;
  TgPluginHost host;
  PluginChain *chain;
  struct event_base *base;
  Server *server;
  Admin *admin;
} Gateway;

static gboolean gateway_start(Gateway *gw, GError **error) {
  gw->metrics = tg_metrics_new();
  gw->router = router_new();
  gw->host = (TgPluginHost){gw->gc->id, gw->cfg, gw->router, gw->metrics, NULL};
  gw->host.hubside = hubside_start(&gw->host, error);
  if (!gw->host.hubside) return FALSE;
  gw->chain = plugin_chain_new(&gw->host, gw->cfg, gw->gc->plugins, gw->gc->plugin_dir, error);
  if (!gw->chain) return FALSE;
  gw->base = event_base_new();
  gw->server = server_new(gw->gc, gw->chain, gw->router, gw->metrics, gw->base, error);
  if (!gw->server) return FALSE;
  gw->admin = admin_start(&gw->host, gw->base, gw->gc->admin_bind, gw->gc->admin_port,
                          gw->gc->admin_token, error);
  return gw->admin != NULL;
}

static void gateway_stop(Gateway *gw) {
  admin_stop(gw->admin);
  server_free(gw->server);
  plugin_chain_free(gw->chain); /* before the hub side: the throttle plugin's last report uses it */
  if (gw->host.hubside) hubside_stop(gw->host.hubside);
  if (gw->base) event_base_free(gw->base);
  router_free(gw->router);
  tg_metrics_free(gw->metrics);
  gateway_config_free(gw->gc);
  tg_config_free(gw->cfg);
}

static void run_loop(Gateway *gw) {
  Shutdown sd = {gw->server, gw->base, NULL, 0};
  sd.drain_timer = evtimer_new(gw->base, drain_cb, &sd);
  struct event *term = evsignal_new(gw->base, SIGTERM, signal_cb, &sd);
  struct event *intr = evsignal_new(gw->base, SIGINT, signal_cb, &sd);
  event_add(term, NULL);
  event_add(intr, NULL);
  event_base_dispatch(gw->base);
  event_free(term);
  event_free(intr);
  event_free(sd.drain_timer);
}

int main(int argc, char **argv) {
  setlocale(LC_ALL, "");
  signal(SIGPIPE, SIG_IGN);
  evthread_use_pthreads();
  tg_thrift_types_ensure();
  g_auto(TgDaemonOptions) opts = {0};
  g_autoptr(GError) error = NULL;
  const TgDaemonOptionsSpec spec = {"- Tollgate API gateway",
                                    "print every key with its default, exit", NULL, FALSE};
  if (!tg_daemon_options_parse(argc, argv, &spec, &opts, &error)) {
    fprintf(stderr, "tollgate-gateway: %s\n", error->message);
    return 2;
  }
  if (opts.print_config) {
    g_autofree char *text = gateway_config_defaults();
    fputs(text, stdout);
    return 0;
  }
  Gateway gw = {0};
  gw.cfg = load_config(&opts, &error);
  if (gw.cfg) gw.gc = gateway_config_load(gw.cfg, &error);
  int rc = 0;
  if (gw.gc) {
    tg_log_init("gateway", gw.gc->log_level);
    g_message("gateway %s starting (config %s)", gw.gc->id, opts.config);
  }
  if (!gw.gc || !gateway_start(&gw, &error)) {
    fprintf(stderr, "tollgate-gateway: %s\n", error ? error->message : "start-up failed");
    rc = 1;
  } else {
    run_loop(&gw);
    g_message("gateway %s stopped", gw.gc->id);
  }
  gateway_stop(&gw);
  return rc;
}
