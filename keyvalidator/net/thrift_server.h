/*
 * thrift_server: the hub's Thrift port (default 10397 + port_offset): TLS unless tls = false;
 * strict binary or compact, framed or unframed, recognised per connection. Event-driven: loop
 * threads answer validations from the caches without waiting; calls that need the database
 * run on a bounded worker pool. Trade-off: a slow or bad client costs its buffer and nothing
 * else. Limits and timeouts: docs/HACKING.md.
 */
#ifndef TOLLGATE_THRIFT_SERVER_H
#define TOLLGATE_THRIFT_SERVER_H

#include <glib.h>
#include <openssl/ssl.h>

#include "hub.h"
#include "hub_rpc.h"
#include "tg_metrics.h"

typedef struct ThriftServer ThriftServer;

/* Binds cfg->bind:cfg->thrift_port and starts accepting. tls NULL: plaintext.
   tls, rpc and metrics are borrowed and must outlive the server. */
ThriftServer *thrift_server_start(const HubConfig *cfg, SSL_CTX *tls, HubRpc *rpc,
                                  TgMetrics *metrics, GError **error);

/* Stops accepting, closes idle connections, lets calls in flight finish for
   up to timeout_ms, then cuts what is left. Returns the number of connections
   still open. */
int thrift_server_drain(ThriftServer *server, int timeout_ms);

/* Stops the threads (a call still running is waited for) and closes what is left. */
void thrift_server_free(ThriftServer *server);

/* Open connections now. */
int thrift_server_connections(ThriftServer *server);

#endif
