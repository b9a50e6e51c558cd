/*
 * worker: the state the request path reads: Server (what every worker thread
 * shares, read-only after start-up, counters atomic) and Worker (one per
 * evhtp worker thread). Types only; server.c fills them in.
 */
#ifndef TG_GATEWAY_WORKER_H
#define TG_GATEWAY_WORKER_H

#include <event2/event.h>
#include <evhtp.h>
#include <glib.h>

#include "gateway_config.h"
#include "plugin_chain.h"
#include "router.h"
#include "tg_metrics.h"

typedef struct UpstreamPool UpstreamPool;

/* Shared, read-only after start-up (counters are atomic). */
typedef struct Server {
  GatewayConfig *cfg;
  PluginChain *chain;     /* the gateway's plugins, in order */
  GHashTable *api_chains; /* "CONTEXT:VERSION" -> PluginChain *: an API's own order */
  Router *router;
  TgMetrics *metrics;
  TgSeries *upstream_seconds;
  struct event_base *main_base;
  evhtp_t *http;
  evhtp_t *https;
  void *ssl_cfg;  /* evhtp_ssl_cfg_t, must outlive https */
  gint in_flight; /* requests between headers and their end */
  gint stopping;
} Server;

/* One per worker thread (evthr aux). */
typedef struct Worker {
  Server *server;
  struct event_base *base;
  UpstreamPool *pool;
  GHashTable *connections;    /* ConnState * of this thread's open connections */
  GHashTable *request_series; /* "API\nstatus" -> TgSeries * of requests_total (request.c) */
  char last_series_key[256];  /* the last request's key in request_series, and its series: */
  TgSeries *last_series;      /* requests to one API in a row skip the lookup */
  /* The configured timeouts as libevent common timeouts of this thread's base:
     every client read and every request re-arms one, and a common timeout is a
     list append instead of a heap insertion. */
  struct timeval client_timeout, upstream_read_timeout, upstream_connect_timeout;
} Worker;

#endif
