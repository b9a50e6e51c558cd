/*
 * tg_limited_protocol: the strict binary protocol of the hub's clients, which refuses to write
 * a call the hub's limits (tg_thrift_scan.h) would refuse: a string or binary over max_string,
 * a NUL byte in a binary, more string bytes than max_message, a container over max_container.
 * The hub refuses such a call, with an exception or by closing the connection, which its
 * clients took for "hub down". Trade-off: checked as the call is written (no second walk), so
 * the bytes already written are taken back; the message size counts string bytes only, a lower
 * bound that catches the messages users can make too large.
 */
#ifndef TG_LIMITED_PROTOCOL_H
#define TG_LIMITED_PROTOCOL_H

#include <glib-object.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>

#include "tg_thrift_scan.h"

G_BEGIN_DECLS

/* A call refused before sending: the hub is not at fault and must not be marked down. */
#define TG_THRIFT_LIMIT_ERROR (tg_thrift_limit_error_quark())
GQuark tg_thrift_limit_error_quark(void);
enum {
  TG_THRIFT_LIMIT_ERROR_STRING = 1, /* a string or binary longer than max_string */
  TG_THRIFT_LIMIT_ERROR_NUL,        /* a NUL byte in a binary */
  TG_THRIFT_LIMIT_ERROR_MESSAGE,    /* the call's strings alone are over max_message */
  TG_THRIFT_LIMIT_ERROR_CONTAINER,  /* a list, set or map of more than max_container elements */
  TG_THRIFT_LIMIT_ERROR_CLOSED,     /* the hub closed fresh connections on the call, twice, and
                                       took a new one at once (tg_hub_client_failure) */
};

#define TG_TYPE_LIMITED_PROTOCOL (tg_limited_protocol_get_type())
GType tg_limited_protocol_get_type(void);

/* A binary protocol over transport (referenced) checking limits (copied; NULL: the hub's
   defaults). When the transport is a TgSocketTransport, a refused call's bytes are dropped
   from its write buffer, so the connection stays in step. */
ThriftProtocol *tg_limited_protocol_new(ThriftTransport *transport,
                                        const TgThriftScanLimits *limits);

/* Is error a call refused for the hub's limits, by this protocol or by the hub's answer?
   Such a call must not be retried on another hub. */
gboolean tg_thrift_limit_error_is(const GError *error);

G_END_DECLS

#endif
