/*
 * proxy: the upstream exchange of one request: pick the endpoint by key
 * type, send the request line and headers, stream the body as it arrives,
 * parse the response and stream it to the client, with backpressure both
 * ways and timeouts turned into 504/502 faults.
 */
#ifndef TG_GATEWAY_PROXY_H
#define TG_GATEWAY_PROXY_H

#include <glib.h>

#include "plugin.h"

/* Starts the exchange (or answers a fault when no endpoint serves the key type). */
void proxy_start(TgRequest *req);
/* New request body bytes are in req->body_pending, or the body ended. */
void proxy_body_ready(TgRequest *req);
/* The client went away: drop the upstream side. */
void proxy_abort(TgRequest *req);

#endif
