/*
 * hub_rpc: the Thrift side shared by the hub's two servers. One processor
 * (TgTollgateProcessor around the core's handler) serves every connection
 * of the Thrift port (thrift_server.c) and every POST /thriftAuthenticator
 * (http_server.c), with the limits of the [hub] configuration applied the
 * same way: max_message_size (ThriftConfiguration), max_string_size,
 * max_container_size and recursion_limit. c_glib 0.17 ignores the
 * configuration's recursion limit and recurses without bound when it skips
 * an unknown nested field, so the protocols made here count nesting
 * themselves: a deeply nested message fails instead of overflowing a stack.
 */
#ifndef TOLLGATE_HUB_RPC_H
#define TOLLGATE_HUB_RPC_H

#include <glib-object.h>

#include "hub.h"

typedef struct HubRpc HubRpc;

typedef enum { HUB_RPC_BINARY, HUB_RPC_COMPACT } HubRpcProtocol;

/* The processor for hub's handler, with cfg's limits (copied). */
HubRpc *hub_rpc_new(Hub *hub, const HubConfig *cfg);
/* The hub rpc's calls go to. */
Hub *hub_rpc_hub(HubRpc *rpc);
void hub_rpc_free(HubRpc *rpc);

/* One call from a complete request in memory (a message, a frame, an HTTP
   body); the answer is appended to response (nothing for a oneway call). FALSE
   with error when the request was unreadable. Any thread; the transport and
   protocols are made once per thread. */
gboolean hub_rpc_process_buffer(HubRpc *rpc, HubRpcProtocol kind, const guint8 *request, gsize len,
                                GByteArray *response, GError **error);

#endif
