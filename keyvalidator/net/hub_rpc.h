/*
 * hub_rpc: the Thrift side shared by the hub's two servers: one processor serves the Thrift
 * port (thrift_server.c) and POST /thriftAuthenticator (http_server.c) with the same [hub]
 * limits. Trade-off: c_glib 0.17 ignores the recursion limit, so the protocols made here count
 * nesting themselves. Design notes: docs/HACKING.md.
 */
#ifndef TOLLGATE_HUB_RPC_H
#define TOLLGATE_HUB_RPC_H

#include <glib-object.h>

#include "hub.h"
#include "tg_thrift_scan.h"

typedef struct HubRpc HubRpc;

typedef enum { HUB_RPC_BINARY, HUB_RPC_COMPACT } HubRpcProtocol;

/* The processor for hub's handler, with cfg's limits (copied). */
HubRpc *hub_rpc_new(Hub *hub, const HubConfig *cfg);

/* The limits both servers scan a call with before c_glib reads it (tg_thrift_scan): the
   configured sizes, and no NUL byte in any string (c_glib would cut the string there). */
TgThriftScanLimits hub_rpc_scan_limits(const HubConfig *cfg);
/* The hub rpc's calls go to. */
Hub *hub_rpc_hub(HubRpc *rpc);
void hub_rpc_free(HubRpc *rpc);

/* One call from a complete request in memory (a message, a frame, an HTTP
   body); the answer is appended to response (nothing for a oneway call). FALSE
   with error when the request was unreadable. Any thread; the transport and
   protocols are made once per thread. */
gboolean hub_rpc_process_buffer(HubRpc *rpc, HubRpcProtocol kind, const guint8 *request, gsize len,
                                GByteArray *response, GError **error);

/* Answers a call the scan REFUSED (a string over max_string or holding a NUL) without
   reading its arguments: TApplicationException PROTOCOL_ERROR whose message begins with
   TG_THRIFT_LIMIT_ANSWER, appended to response (nothing for a oneway call). FALSE when the
   message is not a call (type): the connection is dropped then. */
gboolean hub_rpc_answer_refused(HubRpc *rpc, HubRpcProtocol kind, const TgThriftScan *scan,
                                GByteArray *response, GError **error);

#endif
