/*
 * upstream_pool: keep-alive connections to backends, one pool per worker thread (no
 * locking), keyed by scheme://host:port. A connection is a libevent bufferevent (plain or
 * OpenSSL, verified unless the endpoint opts out); the proxy takes one with upstream_pool_get
 * and gives it back with upstream_pool_put when the exchange ended cleanly.
 */
#ifndef TG_GATEWAY_UPSTREAM_POOL_H
#define TG_GATEWAY_UPSTREAM_POOL_H

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <glib.h>

#include "endpoint.h"

typedef struct UpstreamPool UpstreamPool;

typedef struct UpstreamConn {
  struct bufferevent *bev;
  char *key;
  UpstreamPool *pool;
  GQueue *idle_queue; /* the pool's idle list for key once known (it lives as long as the pool) */
  gboolean reused;    /* came from the idle list */
  /* plain connections: read by the pool's own event, never the bufferevent's */
  struct event *raw_read;
  void (*reader)(struct UpstreamConn *c, short what, void *arg);
  void *reader_arg;
  /* the reader's timeout, kept lazily (upstream_pool.c): monotonic microseconds */
  gint64 timeout_us;   /* 0: none */
  gint64 since_us;     /* silence counts from here: the reader was set, or the last read */
  gint64 armed_us;     /* the raw event's timer period (0: none) */
  gboolean armed_left; /* armed_us is what was left of a timeout: re-armed at the next change */
  gboolean added;      /* the raw event is added */
} UpstreamConn;

typedef void (*UpstreamReader)(UpstreamConn *c, short what, void *arg);

/* max_idle: idle connections kept per backend (scheme, host, port). ca_file:
   the CAs HTTPS backends are checked against; NULL or "": the system's. */
UpstreamPool *upstream_pool_new(struct event_base *base, guint max_idle, const char *ca_file);
void upstream_pool_free(UpstreamPool *pool);

/* An idle connection to the endpoint's host and port, or a new one (connect started; the
   caller sees BEV_EVENT_CONNECTED or an error in its event callback). NULL
   with an error when the name does not resolve or no socket can be made. */
UpstreamConn *upstream_pool_get(UpstreamPool *pool, const Endpoint *ep, GError **error);
/* Plain (not TLS) connections are read with one persistent event for their
   whole life, so passing a connection between the pool and a request costs no
   epoll_ctl, and reads skip the FIONREAD ioctl libevent makes before each
   bufferevent read. TRUE for such a connection; TLS ones use the bufferevent. */
gboolean upstream_conn_reads_raw(const UpstreamConn *c);
/* Who is called when the socket is readable (what = EV_READ) or silent for
   timeout_us since this call or its last read (what = EV_TIMEOUT; timeout NULL:
   none). timeout is the same span as libevent takes it (it may be a common
   timeout). fn NULL stops reading. */
void upstream_conn_set_reader(UpstreamConn *c, UpstreamReader fn, void *arg,
                              const struct timeval *timeout, gint64 timeout_us);
/* Reads what the socket has into the bufferevent's input buffer: bytes read,
   0 at EOF, -1 on an error (errno set), -2 when there was nothing after all. */
gssize upstream_conn_read(UpstreamConn *c);

/* Back to the idle list (at most max_idle per key; extras are closed). */
void upstream_pool_put(UpstreamConn *conn);
void upstream_conn_free(UpstreamConn *conn);

#endif
