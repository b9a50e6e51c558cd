/*
 * main: tollgate-keyvalidator, the hub. Reads the configuration
 * (hub_config), builds the core (hub.h), then serves the Thrift port
 * (thrift_server) and the HTTPS port (http_server) until SIGTERM or SIGINT,
 * when it stops accepting, lets calls in flight finish (bounded), and exits 0.
 * --check-config, --print-config and --ensure-user do their one job and exit.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <glib-unix.h>

#include "handler.h"
#include "http_server.h"
#include "hub_config.h"
#include "hub_rpc.h"
#include "tg_config.h"
#include "tg_daemon_options.h"
#include "tg_log.h"
#include "tg_thrift_setup.h"
#include "tg_tls.h"
#include "thrift_server.h"

#define DRAIN_LIMIT_MS 10000

/* The shared options (tg_daemon_options) and the hub's own two. */
typedef struct {
  TgDaemonOptions common;
  char *ensure_user;
  gboolean check_config;
} Options;

typedef struct {
  HubConfig *cfg;
  TgMetrics *metrics;
  Hub *hub;
  SSL_CTX *tls;
  HubRpc *rpc;
  ThriftServer *thrift;
  HttpServer *http;
} Daemon;

static void options_clear(Options *o) {
  tg_daemon_options_clear(&o->common);
  g_free(o->ensure_user);
}

static gboolean parse_options(int argc, char **argv, Options *o, GError **error) {
  const GOptionEntry extra[] = {
      {"ensure-user", 0, 0, G_OPTION_ARG_STRING, &o->ensure_user,
       "create the user if missing (password from TOLLGATE_ENSURE_PASSWORD), then exit",
       "NAME:ROLE[,ROLE]"},
      {"check-config", 0, 0, G_OPTION_ARG_NONE, &o->check_config,
       "check the configuration, print what is wrong, exit", NULL},
      {NULL}};
  const TgDaemonOptionsSpec spec = {"- Tollgate key-validator hub",
                                    "print every key with its default, exit", extra, FALSE};
  return tg_daemon_options_parse(argc, argv, &spec, &o->common, error);
}

/* The configuration file with the command line's overrides applied. */
static HubConfig *load_config(const Options *o, GError **error) {
  g_autoptr(TgConfig) cfg = tg_config_load(o->common.config, error);
  if (cfg == NULL) return NULL;
  tg_daemon_options_apply(&o->common, cfg, "hub");
  return hub_config_load(cfg, error);
}

static SSL_CTX *tls_context(const HubConfig *cfg, GError **error) {
  SSL_CTX *ctx = tg_tls_server_ctx_new(cfg->tls_cert, cfg->tls_key, error);
  if (ctx == NULL) g_prefix_error(error, "[hub] tls_cert, tls_key: ");
  return ctx;
}

static int check_config(const HubConfig *cfg) {
  g_autoptr(GError) error = NULL;
  SSL_CTX *ctx = cfg->tls ? tls_context(cfg, &error) : NULL;
  if (cfg->tls && ctx == NULL) {
    fprintf(stderr, "tollgate-keyvalidator: %s\n", error->message);
    return 1;
  }
  if (ctx != NULL) SSL_CTX_free(ctx);
  printf("configuration OK: thrift port %d, https port %d, tls %s\n", cfg->thrift_port,
         cfg->https_port, cfg->tls ? "on" : "off");
  return 0;
}

static int ensure_user(Hub *hub, const char *spec) {
  g_autoptr(GError) error = NULL;
  const char *colon = strchr(spec, ':');
  const char *password = g_getenv("TOLLGATE_ENSURE_PASSWORD");
  if (colon == NULL || password == NULL || *password == '\0') {
    fprintf(stderr,
            "tollgate-keyvalidator: --ensure-user NAME:ROLE[,ROLE] with the password "
            "in TOLLGATE_ENSURE_PASSWORD\n");
    return 2;
  }
  g_autofree char *name = g_strndup(spec, (gsize)(colon - spec));
  if (!hub_core_ensure_user(hub, name, colon + 1, password, &error)) {
    fprintf(stderr, "tollgate-keyvalidator: --ensure-user %s: %s\n", name, error->message);
    return 1;
  }
  g_message("user %s present", name);
  return 0;
}

/* A thread and a descriptor per Thrift connection: lift the soft descriptor limit. */
static void raise_fd_limit(int wanted) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= rl.rlim_max) return;
  rl.rlim_cur = rl.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
    g_warning("cannot raise the descriptor limit: %s", g_strerror(errno));
  else if (rl.rlim_cur < (rlim_t)wanted + 64)
    g_warning("descriptor limit %lu is below max_connections %d", (unsigned long)rl.rlim_cur,
              wanted);
}

static gboolean on_signal(gpointer loop) {
  g_main_loop_quit(loop);
  return G_SOURCE_CONTINUE; /* removed by run() */
}

static gboolean start_servers(Daemon *d, GError **error) {
  if (d->cfg->tls && (d->tls = tls_context(d->cfg, error)) == NULL) return FALSE;
  if (!d->cfg->tls) g_warning("tls = false: the Thrift and HTTP ports are plaintext");
  d->rpc = hub_rpc_new(d->hub, d->cfg);
  d->thrift = thrift_server_start(d->cfg, d->tls, d->rpc, d->metrics, error);
  if (d->thrift == NULL) return FALSE;
  d->http = http_server_start(d->cfg, d->tls, d->hub, d->rpc, d->metrics, error);
  return d->http != NULL;
}

static void run(Daemon *d) {
  g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
  guint term = g_unix_signal_add(SIGTERM, on_signal, loop);
  guint intr = g_unix_signal_add(SIGINT, on_signal, loop);
  g_message("ready: thrift %s:%d, %s %s:%d, tls %s, max_connections %d", d->cfg->bind,
            d->cfg->thrift_port, d->cfg->tls ? "https" : "http", d->cfg->bind, d->cfg->https_port,
            d->cfg->tls ? "on" : "off", d->cfg->max_connections);
  g_main_loop_run(loop);
  g_source_remove(term);
  g_source_remove(intr);
  g_message("stopping: no new connections; finishing calls in flight");
}

/* Stops the servers, then frees what nothing uses any more. With connection
   threads still stuck after the drain, the core is left for exit to reclaim. */
static void shutdown_daemon(Daemon *d) {
  int left = d->thrift ? thrift_server_drain(d->thrift, DRAIN_LIMIT_MS) : 0;
  http_server_stop(d->http);
  if (left > 0) {
    g_warning("%d Thrift connections did not finish; exiting anyway", left);
    return;
  }
  thrift_server_free(d->thrift);
  hub_rpc_free(d->rpc);
  hub_core_free(d->hub);
  if (d->tls != NULL) SSL_CTX_free(d->tls);
  tg_metrics_free(d->metrics);
}

/* Builds the core, then either --ensure-user or serving until a signal. */
static int daemon_main(Daemon *d, const Options *opts) {
  g_autoptr(GError) error = NULL;
  int rc = 0;
  raise_fd_limit(d->cfg->max_connections);
  tg_thrift_types_ensure(); /* before any thread: generated get_type is not thread-safe */
  d->metrics = tg_metrics_new();
  d->hub = hub_core_new(d->cfg, d->metrics, &error);
  if (d->hub != NULL && d->metrics != NULL) hub_handler_describe_metrics(d->metrics);
  if (d->hub == NULL) {
    g_critical("cannot start: %s", error->message);
    rc = 1;
  } else if (opts->ensure_user != NULL) {
    rc = ensure_user(d->hub, opts->ensure_user);
  } else if (!start_servers(d, &error)) {
    g_critical("cannot start: %s", error->message);
    rc = 1;
  } else {
    run(d);
  }
  shutdown_daemon(d);
  return rc;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  g_autoptr(GError) error = NULL;
  Options opts = {0};
  Daemon d = {0};
  int rc;
  if (!parse_options(argc, argv, &opts, &error)) {
    fprintf(stderr, "tollgate-keyvalidator: %s (try --help)\n", error->message);
    rc = 2;
  } else if (opts.common.print_config) {
    g_autofree char *text = hub_config_defaults();
    fputs(text, stdout);
    rc = 0;
  } else if ((d.cfg = load_config(&opts, &error)) == NULL) {
    fprintf(stderr, "tollgate-keyvalidator: %s\n", error->message);
    rc = 1;
  } else {
    tg_log_init("hub", d.cfg->log_level);
    rc = opts.check_config ? check_config(d.cfg) : daemon_main(&d, &opts);
  }
  hub_config_free(d.cfg);
  options_clear(&opts);
  return rc;
}
