/*
 * server: the libevhtp side of the gateway: HTTP and HTTPS listeners with
 * worker threads, and the request lifecycle (route, access, before_upstream,
 * proxy, response_headers, log) driven from evhtp's hooks.
 */
#ifndef TG_GATEWAY_SERVER_H
#define TG_GATEWAY_SERVER_H

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
  PluginChain *chain;      /* the gateway's plugins, in order */
  GHashTable *api_chains;  /* "CONTEXT:VERSION" -> PluginChain *: an API's own order */
  Router *router;
  TgMetrics *metrics;
  TgSeries *upstream_seconds;
  struct event_base *main_base;
  evhtp_t *http;
  evhtp_t *https;
  void *ssl_cfg;      /* evhtp_ssl_cfg_t, must outlive https */
  gint in_flight;     /* requests between headers and their end */
  gint stopping;
} Server;

/* One per worker thread (evthr aux). */
typedef struct Worker {
  Server *server;
  struct event_base *base;
  UpstreamPool *pool;
  GHashTable *connections; /* ConnState * of this thread's open connections */
  GHashTable *request_series; /* "API\nstatus" -> TgSeries * of requests_total (request.c) */
  /* The configured timeouts as libevent common timeouts of this thread's base:
     every client read and every request re-arms one, and a common timeout is a
     list append instead of a heap insertion. */
  struct timeval client_timeout, upstream_read_timeout, upstream_connect_timeout;
} Worker;

/* Creates the listeners (HTTP, HTTPS) on main_base; FALSE with an error when
   a port cannot be bound or the certificate cannot be loaded. */
Server *server_new(GatewayConfig *cfg, PluginChain *chain, Router *router, TgMetrics *metrics,
                   struct event_base *main_base, GError **error);
/* Stops accepting (the listening sockets close). */
void server_stop_accepting(Server *server);
int server_in_flight(Server *server);
void server_free(Server *server);

/* The plugin chain for a routed request (api_key: RouteMatch.api_key): the API's own, else
   the gateway's. */
PluginChain *server_chain_for(Server *server, const char *api_key);

/* Direct writes of a proxied response to a plain client socket (server.c).
   hold: before the response starts, keep libevent from arming the write
   event; flush: write what is queued now, arming the write event only for
   what the socket did not take; with response_done and nothing left, end
   the request as evhtp's write callback does (conn may be freed). */
void server_client_hold_writes(evhtp_connection_t *conn);
void server_client_flush(evhtp_connection_t *conn, gboolean response_done);
/* The request is all in and its answer will take a while: the client's read timeout is
   off until the request ends (the write timeout stays). */
void server_client_awaits_answer(evhtp_connection_t *conn);
/* Lets evhtp go on with a connection held for the request (pipelining). */
void server_resume_held(evhtp_request_t *ev);

#endif
