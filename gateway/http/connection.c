/*
 * connection: the client connection's timeouts, hold/resume and direct
 * writes (see connection.h). libevent writes a bufferevent's output a loop
 * turn after it is queued, arming and disarming the socket's write event
 * around it: two epoll_ctl calls and a wake-up per response. A proxied
 * response to a plain socket is written at once instead; TLS keeps libevent's path.
 */
#include "connection.h"

ConnState *connection_state(evhtp_connection_t *conn) {
  return conn && conn->hooks ? conn->hooks->on_connection_fini_arg : NULL;
}

void connection_set_timeouts(ConnState *cs, gboolean with_read) {
  const struct timeval *tv = &cs->worker->client_timeout;
  bufferevent_set_timeouts(cs->conn->bev, with_read ? tv : NULL, tv);
}

gboolean connection_input_pending(evhtp_connection_t *conn) {
  return conn && conn->bev && evbuffer_get_length(bufferevent_get_input(conn->bev)) > 0;
}

/* A client whose whole request is in has nothing left to send while its answer streams:
   its read timeout would cut a download that takes longer than client_timeout_ms (evhtp
   frees a connection on any timeout). Called only for answers that span reads, so short
   exchanges pay nothing; server.c's on_request_fini turns the read timeout back on. */
void connection_awaits_answer(evhtp_connection_t *conn, gboolean body_complete) {
  ConnState *cs = connection_state(conn);
  if (!cs || !cs->current || cs->read_timeout_off || !body_complete || !conn->bev) return;
  cs->read_timeout_off = TRUE;
  connection_set_timeouts(cs, FALSE);
}

/* A client may half-close after its request and still read the answer: evhtp marks
   the connection to be freed on resume; a half-closed one drops that mark (it closes
   after its last pipelined request instead). */
void connection_resume_held(evhtp_request_t *ev) {
  ConnState *cs = connection_state(ev->conn);
  if (cs && cs->half_closed) ev->conn->flags &= ~EVHTP_CONN_FLAG_FREE_CONN;
  evhtp_request_resume(ev);
}

/* evhtp's write callback frees the connection when it runs with no request
   (it assumes a write always belongs to one), which happens when libevent
   reports a drained buffer once more after the keep-alive path already
   freed the finished request. The guard ignores that call. */
static bufferevent_data_cb evhtp_writecb;

void connection_guard_writes(bufferevent_data_cb writecb) { evhtp_writecb = writecb; }

void connection_write_guard(struct bufferevent *bev, void *arg) {
  evhtp_connection_t *conn = arg;
  if (conn->request) evhtp_writecb(bev, arg);
}

static gboolean client_writes_direct(evhtp_connection_t *conn) {
  return conn && conn->bev && !conn->ssl && !(bufferevent_get_enabled(conn->bev) & EV_WRITE);
}

void connection_hold_writes(evhtp_connection_t *conn) {
  if (conn && conn->bev && !conn->ssl && (bufferevent_get_enabled(conn->bev) & EV_WRITE) &&
      evbuffer_get_length(bufferevent_get_output(conn->bev)) == 0)
    bufferevent_disable(conn->bev, EV_WRITE);
}

void connection_flush(evhtp_connection_t *conn, gboolean response_done) {
  if (!client_writes_direct(conn)) return;
  struct evbuffer *out = bufferevent_get_output(conn->bev);
  if (evbuffer_get_length(out) > 0) { /* the last call of a response often has nothing left */
    evbuffer_unfreeze(out, 1);        /* a bufferevent's output is frozen but for its own writes */
    evbuffer_write(out, bufferevent_getfd(conn->bev));
    evbuffer_freeze(out, 1);
  }
  if (evbuffer_get_length(out) > 0)
    bufferevent_enable(conn->bev, EV_WRITE);
  else if (response_done)
    connection_write_guard(conn->bev, conn);
}
