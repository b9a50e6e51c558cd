/*
 * tg_thrift_scan: where does a Thrift message end? An unframed stream carries no lengths, so
 * event-driven code asks this scanner whether a whole message has arrived before handing it to
 * c_glib's protocols. Walks binary and compact without allocating, checks the hub's limits as
 * headers arrive, and resumes where it stopped. Design notes: docs/HACKING.md.
 */
#ifndef TG_THRIFT_SCAN_H
#define TG_THRIFT_SCAN_H

#include <glib.h>

typedef enum {
  TG_THRIFT_SCAN_COMPLETE,  /* a whole message: see TgThriftScan.length */
  TG_THRIFT_SCAN_NEED_MORE, /* a valid beginning; wait for more bytes */
  TG_THRIFT_SCAN_INVALID,   /* not Thrift, or over a limit: see TgThriftScan.error */
  TG_THRIFT_SCAN_REFUSED,   /* a whole message (length, name, seqid as COMPLETE), still in
                               step, with a string argument over max_string or holding a NUL
                               (TgThriftScan.error): never to be read by c_glib, but the call
                               can be answered with an exception and the stream goes on */
} TgThriftScanResult;

typedef enum { TG_THRIFT_WIRE_BINARY, TG_THRIFT_WIRE_COMPACT } TgThriftWire;

typedef struct {
  guint32 max_message;   /* bytes in one message */
  guint32 max_string;    /* bytes in one string or binary */
  guint32 max_container; /* elements in one list, set or map */
  guint32 max_depth;     /* nested structs and containers */
  gboolean refuse_nul;   /* a 0 byte in a string (or the method name) is INVALID: c_glib reads
                            strings into gchar*, so the text after it would be dropped unseen */
} TgThriftScanLimits;

/* The hub's limits unless its configuration says otherwise ([hub] max_message_size,
   max_string_size, max_container_size, recursion_limit): the one place for these defaults,
   read by the hub's configuration table and by its clients (tg_limited_protocol), which
   refuse a call the hub would refuse before sending it. Plain literals (config tables
   print them). */
#define TG_THRIFT_DEFAULT_MAX_MESSAGE   1048576
#define TG_THRIFT_DEFAULT_MAX_STRING    65536
#define TG_THRIFT_DEFAULT_MAX_CONTAINER 10000
#define TG_THRIFT_DEFAULT_MAX_DEPTH     64

/* How the hub begins the message of a TApplicationException (PROTOCOL_ERROR) that answers a
   call it refused for its limits, so that clients can tell it from other failures. */
#define TG_THRIFT_LIMIT_ANSWER "the call breaks the hub's limits: "

/* The defaults above, NUL bytes refused. */
TgThriftScanLimits tg_thrift_scan_default_limits(void);

typedef struct {
  gsize length;       /* COMPLETE: bytes of the message */
  const guint8 *name; /* COMPLETE or NEED_MORE once read: method name (not terminated) */
  guint32 name_len;
  gint32 type; /* message type (1 call, 2 reply, 3 exception, 4 oneway) */
  gint32 seqid;
  const char *error; /* INVALID, REFUSED: why (static text) */
} TgThriftScan;

/* One open struct, list, set or map of the walk. */
typedef struct {
  guint8 kind;  /* binary type id: struct, list (sets too) or map */
  guint8 key;   /* list: element type; map: key type (binary ids) */
  guint8 value; /* map: value type */
  guint32 left; /* list: elements to go; map: keys and values to go */
} TgThriftScanFrame;

/* Where an incremental scan stands. Frames: at least limits->max_depth of them, owned by
   the caller (TG_THRIFT_SCAN_FRAMES(depth) bytes), never reallocated by the scanner. */
typedef struct {
  TgThriftScanFrame *frames;
  guint32 capacity;
  guint32 depth;    /* open frames */
  gboolean started; /* the message header has been read */
  gsize pos;        /* bytes walked, at a value boundary */
  guint32 name_off, name_len;
  gint32 type, seqid;
  const char *refused; /* the first string refused so far (static text) */
} TgThriftScanState;

#define TG_THRIFT_SCAN_FRAMES(depth) ((gsize)(depth) * sizeof(TgThriftScanFrame))

/* Starts (or restarts, for the next message) a scan with caller-owned frames. */
void tg_thrift_scan_begin(TgThriftScanState *st, TgThriftScanFrame *frames, guint32 capacity);

/* Goes on with the message that starts at buf[0], len bytes available. Between calls the
   buffer may move, but must hold the same bytes plus any new ones. After COMPLETE or
   INVALID, tg_thrift_scan_begin before the next message. */
TgThriftScanResult tg_thrift_scan_more(TgThriftScanState *st, TgThriftWire wire, const guint8 *buf,
                                       gsize len, const TgThriftScanLimits *limits,
                                       TgThriftScan *out);

/* tg_thrift_scan_more without the binary fast lane (every value through the general step):
   what the fast lane must agree with, for the differential fuzz target and tests. */
TgThriftScanResult tg_thrift_scan_more_general(TgThriftScanState *st, TgThriftWire wire,
                                               const guint8 *buf, gsize len,
                                               const TgThriftScanLimits *limits, TgThriftScan *out);

/* Scans the message that starts at buf[0] with len bytes available, in one go (frames on
   the stack; depth past 1000 is refused). */
TgThriftScanResult tg_thrift_scan(TgThriftWire wire, const guint8 *buf, gsize len,
                                  const TgThriftScanLimits *limits, TgThriftScan *out);

/* Is the scanned method name equal to name? */
gboolean tg_thrift_scan_name_is(const TgThriftScan *scan, const char *name);

#endif
