/*
 * connection: a client connection's state (ConnState, hung on evhtp's
 * connection hooks) and what the request and the proxy do to the connection:
 * its timeouts, resuming a connection held for a pipelined request, and
 * direct writes of a proxied response to a plain socket. Knows the request
 * in flight only as a pointer; server.c drives the request's lifecycle.
 */
#ifndef TG_GATEWAY_CONNECTION_H
#define TG_GATEWAY_CONNECTION_H

#include <evhtp.h>
#include <glib.h>

#include "conn_scan.h"
#include "plugin.h"
#include "worker.h"

#define TG_CLIENT_IP_MAX 46 /* INET6_ADDRSTRLEN */

typedef struct ConnState {
  Server *server;
  Worker *worker;
  evhtp_connection_t *conn;
  TgRequest *current;
  struct event *header_timer;
  gint64 idle_since_us; /* monotonic: when the connection last had no request in flight */
  guint64 header_bytes;
  int reject_status;                /* 431 when the headers grew too big */
  gboolean read_timeout_off;        /* while a long answer streams (connection_awaits_answer) */
  gboolean half_closed;             /* input ended while a request was held */
  char client_ip[TG_CLIENT_IP_MAX]; /* formatted once: inet_ntop's printf showed per request */
  ConnScan scan;                    /* the strict reading of the input, ahead of evhtp's parser */
} ConnState;

/* The connection's state, or NULL (not ours, or already gone). */
ConnState *connection_state(evhtp_connection_t *conn);

/* The client connection's timeouts (client_timeout_ms); the read one optional. */
void connection_set_timeouts(ConnState *cs, gboolean with_read);

/* Bytes wait in the connection's input (a pipelined request, or a half-close's last ones). */
gboolean connection_input_pending(evhtp_connection_t *conn);

/* The request in flight is all in (body_complete) and its answer will take a while: the
   client's read timeout is off until the request ends (the write timeout stays). */
void connection_awaits_answer(evhtp_connection_t *conn, gboolean body_complete);

/* Lets evhtp go on with a connection held for the request (pipelining). */
void connection_resume_held(evhtp_request_t *ev);

/* evhtp's write callback, guarded: it runs only while the connection has a request.
   server.c installs it with connection_guard_writes(evhtp's own callback). */
void connection_guard_writes(bufferevent_data_cb evhtp_writecb);
void connection_write_guard(struct bufferevent *bev, void *arg);

/* Direct writes of a proxied response to a plain client socket. hold: before the
   response starts, keep libevent from arming the write event; flush: write what is
   queued now, arming the write event only for what the socket did not take; with
   response_done and nothing left, end the request as evhtp's write callback does
   (conn may be freed). */
void connection_hold_writes(evhtp_connection_t *conn);
void connection_flush(evhtp_connection_t *conn, gboolean response_done);

#endif
