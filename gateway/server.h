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

#include "worker.h"

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

#endif
