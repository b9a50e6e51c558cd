/*
 * hub_call: how one generated Thrift call to a hub ended, as the hub pool's
 * HubCallResult (ok, log in again, refused, transport failure). Shared by
 * every job that runs through the pool (feed, usage, key_auth, throttle), so
 * none of them needs the composition root (hubside) to classify an answer.
 */
#ifndef TG_GATEWAY_HUB_CALL_H
#define TG_GATEWAY_HUB_CALL_H

#include <glib-object.h>

#include "hub_pool.h"

/* ok, the exception object the call filled (may be NULL) with its message and code
   (-1: none), and the call's error. */
HubCallResult hub_call_result(gboolean ok, const GError *error, GObject *exception,
                              const char *exc_message, int exc_code);

#endif
