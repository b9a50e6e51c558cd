/*
 * tg_thrift_scan: where does a Thrift message end?
 *
 * An unframed Thrift stream carries no lengths: the end of a message is known
 * only by walking it. Event-driven code (the hub's Thrift port, the hub
 * benchmark client) reads whatever bytes have arrived into a buffer and asks
 * this scanner whether a whole message is there yet; only then does it hand
 * the message to c_glib's protocols over a memory transport, which never have
 * to wait for the network.
 *
 * The scanner walks the strict or old binary protocol and the compact
 * protocol without allocating. It checks the same limits as the hub's
 * protocols (string and container sizes, nesting depth, message size), so a
 * 2 GiB string length or a thousand nested structs is refused as soon as its
 * header arrives, not after the bytes pile up.
 */
#ifndef TG_THRIFT_SCAN_H
#define TG_THRIFT_SCAN_H

#include <glib.h>

typedef enum {
  TG_THRIFT_SCAN_COMPLETE,  /* a whole message: see TgThriftScan.length */
  TG_THRIFT_SCAN_NEED_MORE, /* a valid beginning; wait for more bytes */
  TG_THRIFT_SCAN_INVALID,   /* not Thrift, or over a limit: see TgThriftScan.error */
} TgThriftScanResult;

typedef enum { TG_THRIFT_WIRE_BINARY, TG_THRIFT_WIRE_COMPACT } TgThriftWire;

typedef struct {
  guint32 max_message;   /* bytes in one message */
  guint32 max_string;    /* bytes in one string or binary */
  guint32 max_container; /* elements in one list, set or map */
  guint32 max_depth;     /* nested structs and containers */
} TgThriftScanLimits;

typedef struct {
  gsize length;         /* COMPLETE: bytes of the message */
  const guint8 *name;   /* COMPLETE or NEED_MORE once read: method name (not terminated) */
  guint32 name_len;
  gint32 type;          /* message type (1 call, 2 reply, 3 exception, 4 oneway) */
  gint32 seqid;
  const char *error;    /* INVALID: why (static text) */
} TgThriftScan;

/* Scans the message that starts at buf[0] with len bytes available. */
TgThriftScanResult tg_thrift_scan(TgThriftWire wire, const guint8 *buf, gsize len,
                                  const TgThriftScanLimits *limits, TgThriftScan *out);

/* Is the scanned method name equal to name? */
gboolean tg_thrift_scan_name_is(const TgThriftScan *scan, const char *name);

#endif
