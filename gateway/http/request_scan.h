/*
 * request_scan: the gateway's one strict reading of a client's byte stream (RFC 9112), run on
 * the raw bytes before libevhtp's parser sees them, incrementally and without allocating.
 * Trade-off: it refuses some valid but rare shapes that evhtp would frame differently (trailer
 * fields, chunk extensions). Design notes: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_REQUEST_SCAN_H
#define TG_GATEWAY_REQUEST_SCAN_H

#include <glib.h>

typedef enum {
  RSCAN_NEED_MORE = 0, /* every byte given was consumed; more are wanted */
  RSCAN_HEAD,          /* a request head ended: facts in scan->head */
  RSCAN_INVALID,       /* scan->status and scan->reason say why; stays so */
} RequestScanResult;

typedef enum {
  RTARGET_ORIGIN = 0, /* /path?query */
  RTARGET_ABSOLUTE,   /* scheme://authority/path */
  RTARGET_AUTHORITY,  /* host:port (CONNECT) */
  RTARGET_ASTERISK,   /* * (OPTIONS) */
} RequestTargetForm;

#define RSCAN_METHOD_MAX    32 /* bytes of a method, NUL included; longer: 501 */
#define RSCAN_AUTHORITY_MAX 256

typedef struct {
  char method[RSCAN_METHOD_MAX];
  RequestTargetForm form;
  char authority[RSCAN_AUTHORITY_MAX]; /* absolute or authority form; "" else */
  gboolean https;                      /* absolute form with scheme https */
  gint64 content_length;               /* -1: none */
  gboolean chunked;
  gboolean http10;
} RequestHead;

typedef struct {
  /* internal state; zeroed by request_scan_init */
  int phase, sub;
  gsize head_bytes, max_head;
  guint64 left; /* body or chunk bytes still to come */
  guint digits;
  gsize mlen, alen;
  int field; /* kind of the field being read */
  char name[24];
  gsize nlen;
  char value[24];
  gsize vlen;
  gboolean value_long, value_lead_tab, value_started;
  guint n_cl, n_te, n_host;
  /* results */
  gsize target_off, target_len; /* request-target bytes in the last feed's input (p + off) */
  RequestHead head;
  int status;         /* INVALID: 400, 414, 431, 501 or 505 */
  const char *reason; /* INVALID: static text */
} RequestScan;

/* max_head: bytes a head may take (request line and fields). */
void request_scan_init(RequestScan *s, gsize max_head);

/* Reads up to n bytes of the stream. *used: bytes consumed (all of them for
   NEED_MORE; up to the head's last byte for HEAD; the offending byte for
   INVALID). Call again with the rest after HEAD. The request-target's bytes
   among those consumed are p[target_off .. target_off + target_len): a caller
   that wants the target (split across feeds as the packets split it) copies
   them after each call. */
RequestScanResult request_scan_feed(RequestScan *s, const char *p, gsize n, gsize *used);

/* TRUE between requests (no head or body half read). */
gboolean request_scan_idle(const RequestScan *s);

#endif
