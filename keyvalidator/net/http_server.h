/*
 * http_server: the hub's HTTPS port (default 9444 + port_offset; plain HTTP only with tls =
 * false), on libevhtp: Thrift over HTTP (/thriftAuthenticator), OAuth2 (/token, /revoke),
 * /health and /metrics. Handlers run on thread pools, never on evhtp's connection threads.
 * Bodies over max_http_body get 413. Routes: docs/HACKING.md.
 */
#ifndef TOLLGATE_HTTP_SERVER_H
#define TOLLGATE_HTTP_SERVER_H

#include <glib.h>
#include <openssl/ssl.h>

#include "hub.h"
#include "hub_rpc.h"
#include "tg_metrics.h"

typedef struct HttpServer HttpServer;

/* Binds cfg->bind:cfg->https_port and serves from its own threads. tls NULL:
   plain HTTP. hub, rpc and metrics are borrowed and must outlive the server. */
HttpServer *http_server_start(const HubConfig *cfg, SSL_CTX *tls, Hub *hub, HubRpc *rpc,
                              TgMetrics *metrics, GError **error);

/* Stops accepting, lets the workers finish the request each is running, frees. */
void http_server_stop(HttpServer *server);

#endif
