/*
 * main: tollgate-portal. Reads the configuration, wires the session cache,
 * the hub connections, the route tables of every page module and the HTTPS
 * listener, and runs the loop. SIGTERM/SIGINT stop it. --print-config prints
 * the configuration in effect (defaults filled in) and exits.
 */
#include <event2/event.h>
#include <event2/thread.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "http/server.h"
#include "pages.h"
#include "portal.h"
#include "publisher_pages.h"
#include "tg_config.h"
#include "tg_daemon_options.h"
#include "tg_log.h"
#include "tg_thrift_setup.h"

static TgConfig *load_config(const TgDaemonOptions *o, GError **error) {
  TgConfig *cfg = tg_config_load(o->config, error);
  if (cfg) tg_daemon_options_apply(o, cfg, "portal");
  return cfg;
}

static void signal_cb(evutil_socket_t sig, short what, void *arg) {
  g_message("signal %d: stopping", (int)sig);
  event_base_loopbreak(arg);
}

static void sweep_cb(evutil_socket_t fd, short what, void *arg) {
  Portal *p = arg;
  guint n = session_cache_sweep(p->session_cache, g_get_monotonic_time());
  if (n) g_debug("%u stale cached sessions dropped", n);
}

static int run(Portal *p) {
  g_autoptr(GError) error = NULL;
  struct event_base *base = event_base_new();
  PortalServer *srv = portal_server_new(p, base, &error);
  if (!srv) {
    fprintf(stderr, "tollgate-portal: %s\n", error->message);
    event_base_free(base);
    return 1;
  }
  g_message("portal listening on %s (hubs: %u configured)", p->origin, g_strv_length(p->cfg->hubs));
  struct event *term = evsignal_new(base, SIGTERM, signal_cb, base);
  struct event *intr = evsignal_new(base, SIGINT, signal_cb, base);
  struct event *sweep = event_new(base, -1, EV_PERSIST, sweep_cb, p);
  struct timeval minute = {60, 0};
  event_add(term, NULL);
  event_add(intr, NULL);
  event_add(sweep, &minute);
  event_base_dispatch(base);
  event_free(term);
  event_free(intr);
  event_free(sweep);
  portal_server_free(srv);
  event_base_free(base);
  return 0;
}

int main(int argc, char **argv) {
  setlocale(LC_ALL, "");
  signal(SIGPIPE, SIG_IGN);
  evthread_use_pthreads();
  tg_thrift_types_ensure();
  g_auto(TgDaemonOptions) o = {0};
  g_autoptr(GError) error = NULL;
  g_autoptr(TgConfig) cfg = NULL;
  const TgDaemonOptionsSpec spec = {"- Tollgate API portal (publisher and store)",
                                    "print the configuration in effect and exit", NULL, TRUE};
  if (!tg_daemon_options_parse(argc, argv, &spec, &o, &error) || !(cfg = load_config(&o, &error))) {
    fprintf(stderr, "tollgate-portal: %s\n", error->message);
    return 2;
  }
  if (o.print_config) {
    g_autofree char *text = portal_config_print(cfg);
    fputs(text, stdout);
    return 0;
  }
  /* Every page module's table (pages.h); a new module adds one line here. */
  const RouteTable route_tables[] = {
      account_table,        catalog_table,        apps_table,
      keys_table,           tryit_table,          api_table,
      api_store_table,      publisher_apis_table, publisher_docs_table,
      publisher_subs_table, admin_users_table,    admin_traffic_table,
      admin_settings_table, admin_policies_table};
  Portal p = {.tables = route_tables, .ntables = G_N_ELEMENTS(route_tables)};
  p.cfg = portal_config_load(cfg, &error);
  if (p.cfg) p.hub = portal_hub_new(p.cfg, &error);
  if (!p.cfg || !p.hub) {
    fprintf(stderr, "tollgate-portal: %s\n", error->message);
    portal_config_free(p.cfg);
    return 1;
  }
  tg_log_init("portal", p.cfg->log_level);
  p.session_cache = session_cache_new(p.cfg->session_cache_ms, p.cfg->max_sessions);
  p.origin = *p.cfg->public_url ? g_strdup(p.cfg->public_url)
                                : g_strdup_printf("https://%s:%d", p.cfg->bind, p.cfg->port);
  int rc = run(&p);
  session_cache_free(p.session_cache);
  portal_hub_free(p.hub);
  portal_config_free(p.cfg);
  g_free(p.origin);
  return rc;
}
