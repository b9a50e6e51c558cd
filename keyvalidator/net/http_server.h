/*
 * http_server: the hub's HTTPS port (default 9444 + port_offset; plain HTTP
 * only with tls = false), on libevhtp with a few worker threads:
 *   POST /thriftAuthenticator  Thrift over HTTP (compact), the same processor
 *                              as the Thrift port (hub_rpc)
 *   POST /token, POST /revoke  OAuth2 (hub_oauth_token / hub_oauth_revoke)
 *   GET  /health               {"status":"ok"|"degraded","db":true|false}
 *   GET  /metrics              Prometheus text (tg_metrics)
 * Request bodies over max_http_body get 413; unknown paths 404; a known
 * path with the wrong method 405.
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
