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
#include <thrift/c_glib/protocol/thrift_protocol.h>
#include <thrift/c_glib/thrift_configuration.h>

#include "hub.h"

#ifndef TG_THRIFT_PROTOCOL_AUTOPTR
#define TG_THRIFT_PROTOCOL_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThriftProtocol, g_object_unref)
#endif

typedef struct HubRpc HubRpc;

typedef enum { HUB_RPC_BINARY, HUB_RPC_COMPACT } HubRpcProtocol;

/* The processor for hub's handler, with cfg's limits (copied). */
HubRpc *hub_rpc_new(Hub *hub, const HubConfig *cfg);
void hub_rpc_free(HubRpc *rpc);

/* Carries max_message_size (also the frame limit) and recursion_limit. Borrowed. */
ThriftConfiguration *hub_rpc_configuration(HubRpc *rpc);

/* A protocol over transport with the limits applied (caller unrefs). */
ThriftProtocol *hub_rpc_protocol_new(HubRpc *rpc, ThriftTransport *transport,
                                     HubRpcProtocol kind);

/* Reads one call from in, runs it, writes the answer to out. FALSE with error
   when the input was unreadable or the connection failed. */
gboolean hub_rpc_process(HubRpc *rpc, ThriftProtocol *in, ThriftProtocol *out, GError **error);

/* One call from a complete request in memory (a frame, an HTTP body); the
   answer is appended to response (left empty for a oneway call). */
gboolean hub_rpc_process_buffer(HubRpc *rpc, HubRpcProtocol kind, const guint8 *request,
                                gsize len, GByteArray *response, GError **error);

#endif
