/*
 * conn_scan: request_scan run on a client connection's input as its bytes arrive, before evhtp
 * parses them, and what it learnt about each head (method, request-target) kept until evhtp's
 * on_headers asks for it. Trade-off: a small ring per connection; past CONN_SCAN_RING
 * pipelined heads ahead the facts are dropped. Design notes: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_CONN_SCAN_H
#define TG_GATEWAY_CONN_SCAN_H

#include <event2/buffer.h>
#include <glib.h>

#include "request_scan.h"

#define CONN_SCAN_RING 16

typedef struct {
  guint64 seq; /* 1 + the head's number; 0: empty */
  char method[RSCAN_METHOD_MAX];
  char *target;      /* the request-target as sent (owned; passed on by conn_scan_take) */
  gsize path_off;    /* where its path starts (past scheme://authority for absolute-form) */
  int target_status; /* 0, or the refusal for the request-target's form */
  const char *target_reason;
} ConnScanHead;

typedef struct {
  RequestScan scan;
  struct evbuffer *input;
  gboolean https;
  char local_host[48]; /* the address the client connected to, as text ("[::1]" for IPv6) */
  gboolean local_loopback;
  int local_port;
  guint64 pushed, popped;
  char *target; /* the target being read, kept across feeds; reused */
  gsize target_len, target_cap;
  ConnScanHead ring[CONN_SCAN_RING];
} ConnScan;

typedef enum {
  CONN_SCAN_OK,   /* *head filled */
  CONN_SCAN_LOST, /* a checked head whose facts were dropped (ring full) */
  CONN_SCAN_NONE, /* evhtp parsed a head the scanner did not accept: refuse it */
} ConnScanTake;

/* fd: the client socket (its local address is "this gateway" for absolute-form targets). */
void conn_scan_start(ConnScan *cs, struct evbuffer *input, int fd, gboolean https, gsize max_head);
void conn_scan_stop(ConnScan *cs);

/* The next head in order, for evhtp's on_headers; OK: head->target is the caller's. */
ConnScanTake conn_scan_take(ConnScan *cs, ConnScanHead *head);

/* 0 while the stream is well formed; else the status for the refusal. */
static inline int conn_scan_status(const ConnScan *cs) { return cs->scan.status; }
static inline const char *conn_scan_reason(const ConnScan *cs) { return cs->scan.reason; }

/* TRUE when authority (host[:port]) names this connection's local end. */
gboolean conn_scan_names_us(const ConnScan *cs, const char *authority, gboolean https);

#endif
