/*
 * throttle_headers: the rate-limit headers of an admitted request added to its answer in one
 * pass, lengths known (tg_request_add_response_headers_ref does the same for any names).
 * Trade-off: a built-in plugin's helper that reads the request's internals (request.h).
 */
#ifndef TG_GATEWAY_THROTTLE_HEADERS_H
#define TG_GATEWAY_THROTTLE_HEADERS_H

#include "plugin.h"
#include "ratelimit_headers.h"

/* Adds h's five headers (not copied: h must live until the request ends); the backend's
   headers of those names are dropped. Nothing once the response started. */
void throttle_headers_add(TgRequest *req, const RateLimitHeaders *h);

#endif
