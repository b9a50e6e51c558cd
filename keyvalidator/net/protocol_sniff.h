/*
 * protocol_sniff: what a client speaks, judged from the first bytes of its
 * connection. The hub's Thrift port takes TLS, and inside it (or on a
 * plaintext port) strict binary or compact Thrift, framed or not; anything
 * else (an HTTP request, garbage) is refused before a protocol object sees it.
 * A pure function: the caller reads, calls again while it says NEED_MORE (at
 * most PROTOCOL_SNIFF_MAX_BYTES), and hands the bytes back to the transport.
 */
#ifndef TOLLGATE_PROTOCOL_SNIFF_H
#define TOLLGATE_PROTOCOL_SNIFF_H

#include <glib.h>

#define PROTOCOL_SNIFF_MAX_BYTES 8

typedef enum {
  PROTOCOL_SNIFF_NEED_MORE,
  PROTOCOL_SNIFF_TLS,            /* a TLS record header: 0x16 0x03 */
  PROTOCOL_SNIFF_BINARY,         /* strict binary, unframed: 0x80 0x01 0x00 call|oneway */
  PROTOCOL_SNIFF_COMPACT,        /* compact, unframed: 0x82, version 1, call|oneway */
  PROTOCOL_SNIFF_FRAMED_BINARY,  /* 4-byte big-endian length, then binary */
  PROTOCOL_SNIFF_FRAMED_COMPACT, /* 4-byte big-endian length, then compact */
  PROTOCOL_SNIFF_HTTP,           /* refused: an HTTP request line */
  PROTOCOL_SNIFF_GARBAGE,        /* refused: anything else */
} ProtocolSniff;

/* Classifies the first len bytes of a connection. */
ProtocolSniff protocol_sniff(const guint8 *buf, gsize len);

/* A short name for logs and metrics ("binary", "framed-compact", "http"...). */
const char *protocol_sniff_name(ProtocolSniff s);

#endif
