/*
 * proxy: one upstream exchange per request, on the request's loop thread; the answer's
 * framing is decided by backend_answer.c and the client's head written by response_head.c.
 * Trade-off: no body is ever held whole; each direction stops reading above HIGH_WATER bytes
 * queued (flow control by watermarks). Design notes: docs/HACKING.md.
 */
#include "proxy.h"

#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <string.h>

#include "backend_answer.h"
#include "connection.h"
#include "http_head.h"
#include "http_header.h"
#include "request.h"
#include "response_head.h"
#include "tg_json.h"
#include "upstream_pool.h"

#define HIGH_WATER        (1024 * 1024)
#define LOW_WATER         (256 * 1024)
#define MAX_RESPONSE_HEAD 65536

typedef enum { R_HEAD, R_BODY_LENGTH, R_CHUNKED, R_UNTIL_CLOSE, R_DONE } ResponseState;

struct ProxyCall {
  TgRequest *req;
  UpstreamConn *uc;
  struct event *connect_timer;
  struct event *resume_read;
  struct evbuffer_cb_entry *client_out_cb;
  const Endpoint *ep; /* the route's: the request's match keeps it alive */
  gboolean connected, body_sent, retried, read_timeout_set, upstream_read_paused;
  gboolean got_bytes, client_chunked;
  gboolean request_overrun; /* the client's body went past its declared length */
  ResponseState rstate;
  guint64 remaining;      /* body bytes left by Content-Length */
  guint64 body_forwarded; /* request body bytes queued for the backend */
  gint64 sent_us;
  BackendHeadScan scan;
  BackendHead answer;
  BackendChunks chunks;
};

static void upstream_read_cb(struct bufferevent *bev, void *arg);
static void upstream_read_start(ProxyCall *pc);
static void upstream_read_stop(ProxyCall *pc);
static void upstream_write_cb(struct bufferevent *bev, void *arg);
static void upstream_event_cb(struct bufferevent *bev, short events, void *arg);

/* --- endpoint --- */

static const Endpoint *choose_endpoint(TgRequest *req) {
  const TgAuthInfo *auth = tg_request_auth(req);
  if (auth->authenticated && auth->key_type && !g_ascii_strcasecmp(auth->key_type, "SANDBOX"))
    return req->match.sandbox_endpoint;
  return req->match.production_endpoint;
}

/* --- life of a call --- */

static void count_error(TgRequest *req, const char *kind) {
  g_autofree char *labels = g_strdup_printf("kind=\"%s\"", kind);
  tg_metrics_add(req->server->metrics, "tollgate_gateway_upstream_errors_total", labels, 1);
}

static void remove_client_out_cb(ProxyCall *pc) {
  if (pc->client_out_cb && pc->req->ev && pc->req->ev->conn && pc->req->ev->conn->bev)
    evbuffer_remove_cb_entry(bufferevent_get_output(pc->req->ev->conn->bev), pc->client_out_cb);
  pc->client_out_cb = NULL;
}

static void drop_upstream(ProxyCall *pc, gboolean reusable) {
  if (!pc->uc) return;
  bufferevent_setcb(pc->uc->bev, NULL, NULL, NULL, NULL);
  if (reusable)
    upstream_pool_put(pc->uc);
  else
    upstream_conn_free(pc->uc);
  pc->uc = NULL;
}

/* Ends the call: frees everything and drops the call's reference on req. */
static void call_free(ProxyCall *pc, gboolean reusable) {
  TgRequest *req = pc->req;
  remove_client_out_cb(pc);
  drop_upstream(pc, reusable);
  if (pc->connect_timer) event_free(pc->connect_timer);
  if (pc->resume_read) event_free(pc->resume_read);
  req->proxy = NULL;
  g_free(pc);
  tg_request_unref(req);
}

/* Fails before any response byte reached the client: a JSON fault. */
static void call_fail(ProxyCall *pc, const char *kind, int http_status, int code,
                      const char *message, const char *description) {
  TgRequest *req = tg_request_ref(pc->req);
  count_error(req, kind);
  g_message("request %s: upstream %s:%d %s: %s", req->request_id, pc->ep->host, pc->ep->port, kind,
            description);
  call_free(pc, FALSE);
  request_send_fault(req, http_status, code, message, description);
  tg_request_unref(req);
}

/* Fails after the response started: the client can only see the connection close. */
static void call_abort_midstream(ProxyCall *pc, const char *kind) {
  TgRequest *req = tg_request_ref(pc->req);
  count_error(req, kind);
  g_message("request %s: upstream %s:%d %s in the middle of the response", req->request_id,
            pc->ep->host, pc->ep->port, kind);
  call_free(pc, FALSE);
  request_finished(req);
  if (req->ev && req->ev->conn) evhtp_connection_free(req->ev->conn);
  tg_request_unref(req);
}

static void call_error(ProxyCall *pc, const char *kind, gboolean timeout) {
  if (pc->req->response_started) {
    call_abort_midstream(pc, kind);
  } else if (timeout) {
    call_fail(pc, kind, 504, 101504, "Gateway Timeout", "The backend did not answer in time");
  } else {
    call_fail(pc, kind, 502, 101503, "Bad Gateway",
              !strcmp(kind, "refused") ? "The backend refused the connection"
                                       : "The backend closed the connection");
  }
}

/* --- request towards the backend --- */

/* Replaced by the gateway's own on the way to the backend. */
static gboolean upstream_header_replaced(HttpHeaderKind kind) {
  return kind == HTTP_H_AUTHORIZATION || kind == HTTP_H_X_FORWARDED_FOR ||
         kind == HTTP_H_X_FORWARDED_PROTO || kind == HTTP_H_X_END_USER;
}

/* The head towards the backend, at the end of out: the client's headers as
   plugins left them, then the gateway's (forwarding, request id, end user,
   framing). FALSE: no memory. */
static gboolean write_request_head(ProxyCall *pc, struct evbuffer *out) {
  TgRequest *req = pc->req;
  HttpHead h;
  http_head_init(&h, req->up_headers->len + 8);
  http_head_line(&h, req->method, strlen(req->method));
  http_head_line(&h, " ", 1);
  EndpointPiece target[ENDPOINT_TARGET_PIECES];
  guint pieces = endpoint_target_pieces(pc->ep, req->match.route.resource_path, req->query, target);
  for (guint i = 0; i < pieces; i++) http_head_line(&h, target[i].s, target[i].len);
  http_head_line(&h, " HTTP/1.1", 9);
  HTTP_HEAD_FIELD_LIT(&h, "Host", pc->ep->host_header);
  const char *xff = NULL;
  for (guint i = 0; i < req->up_headers->len; i++) {
    TgHeader *hd = g_ptr_array_index(req->up_headers, i);
    if (hd->kind == HTTP_H_X_FORWARDED_FOR && !xff) xff = hd->value;
    if (!upstream_header_replaced(hd->kind))
      http_head_field(&h, hd->name, hd->nlen, hd->value, hd->vlen);
  }
  g_autofree char *chain = xff ? g_strconcat(xff, ", ", req->client_ip, NULL) : NULL;
  HTTP_HEAD_FIELD_LIT(&h, "X-Forwarded-For", chain ? chain : req->client_ip);
  HTTP_HEAD_FIELD_LIT(&h, "X-Forwarded-Proto", req->tls ? "https" : "http");
  HTTP_HEAD_FIELD_LIT(&h, "X-Request-ID", req->request_id);
  const TgAuthInfo *auth = tg_request_auth(req);
  if (auth->end_user && *auth->end_user) HTTP_HEAD_FIELD_LIT(&h, "X-End-User", auth->end_user);
  char length[TG_INT_TEXT_LEN];
  if (req->req_chunked)
    HTTP_HEAD_FIELD_LIT(&h, "Transfer-Encoding", "chunked");
  else if (req->req_content_length >= 0)
    HTTP_HEAD_FIELD_LIT(&h, "Content-Length", tg_int_text(req->req_content_length, length));
  gboolean ok = http_head_write(&h, out);
  http_head_clear(&h);
  return ok;
}

static void apply_upload_backpressure(ProxyCall *pc) {
  struct evbuffer *out = bufferevent_get_output(pc->uc->bev);
  if (evbuffer_get_length(out) > HIGH_WATER) {
    request_block_client_read(pc->req, TRUE);
    bufferevent_setwatermark(pc->uc->bev, EV_WRITE, LOW_WATER, 0);
  }
}

static void set_read_timeout(ProxyCall *pc);

/* Writes what is queued for the backend now instead of a loop turn later:
   the write event (two epoll_ctl calls and a wake-up per request) is armed
   only while the socket does not take everything. With EV_WRITE enabled
   (connecting, TLS, or a backlog) libevent writes as usual. A write error
   leaves the bytes queued: libevent meets it again and reports it. The
   bufferevent keeps its output frozen at the front; like its own write
   callback, this thaws it for the write. */
static void upstream_flush(ProxyCall *pc) {
  struct bufferevent *bev = pc->uc->bev;
  struct evbuffer *out = bufferevent_get_output(bev);
  if (bufferevent_get_enabled(bev) & EV_WRITE) return;
  if (evbuffer_get_length(out) > 0) {
    evbuffer_unfreeze(out, 1);
    evbuffer_write(out, bufferevent_getfd(bev));
    evbuffer_freeze(out, 1);
  }
  if (evbuffer_get_length(out) > 0)
    bufferevent_enable(bev, EV_WRITE);
  else
    set_read_timeout(pc);
}

/* TRUE while libevent must drive writes: connecting, or TLS. */
static gboolean upstream_writes_itself(ProxyCall *pc) { return !pc->connected || pc->ep->tls; }

/* EV_WRITE stays off on a plain connected socket while nothing is queued. */
static void upstream_write_idle(ProxyCall *pc) {
  if (!upstream_writes_itself(pc)) bufferevent_disable(pc->uc->bev, EV_WRITE);
}

static gboolean request_has_body(TgRequest *req) {
  return req->req_chunked || req->req_content_length > 0;
}

/* "%zx\r\n" without printf; its length. */
static size_t chunk_line(size_t n, char buf[24]) {
  char digits[16];
  size_t d = 0;
  do digits[d++] = "0123456789abcdef"[n & 15];
  while (n >>= 4);
  for (size_t i = 0; i < d; i++) buf[i] = digits[d - 1 - i];
  memcpy(buf + d, "\r\n", 2);
  return d + 2;
}

/* The body length the client's head declared (no framing headers: none). */
static guint64 declared_length(const TgRequest *req) {
  return req->req_content_length > 0 ? (guint64)req->req_content_length : 0;
}

/* Of n body bytes, how many the client's head allows; bytes past it are
   dropped, the backend connection is not reused and the client's is closed
   after the answer (evhtp framed the body otherwise than the gateway read the
   head: what follows cannot be trusted to be the next request). */
static size_t body_allowed(ProxyCall *pc, size_t n) {
  TgRequest *req = pc->req;
  if (req->req_chunked) return n;
  guint64 declared = declared_length(req);
  guint64 room = declared - MIN(declared, pc->body_forwarded);
  if (n <= room) return n;
  if (!pc->request_overrun)
    g_warning("request %s: body bytes beyond the %" G_GUINT64_FORMAT " its head declared: dropped",
              req->request_id, declared);
  pc->request_overrun = TRUE;
  request_close_after(req);
  return (size_t)room;
}

static void flush_body(ProxyCall *pc) {
  TgRequest *req = pc->req;
  if (!pc->uc || pc->body_sent) return;
  struct evbuffer *out = bufferevent_get_output(pc->uc->bev);
  size_t pending = req->body_pending ? evbuffer_get_length(req->body_pending) : 0;
  size_t n = body_allowed(pc, pending);
  if (n > 0) {
    char line[24];
    if (req->req_chunked) evbuffer_add(out, line, chunk_line(n, line));
    evbuffer_remove_buffer(req->body_pending, out, n);
    if (req->req_chunked) evbuffer_add(out, "\r\n", 2);
    pc->body_forwarded += n;
  }
  if (pending > n) evbuffer_drain(req->body_pending, pending - n);
  /* without framing headers there is no body, whenever evhtp reports the request complete */
  if (req->body_complete || !request_has_body(req)) {
    if (req->req_chunked) evbuffer_add(out, "0\r\n\r\n", 5);
    pc->body_sent = TRUE;
  }
  upstream_flush(pc);
  apply_upload_backpressure(pc);
}

static void connect_timeout_cb(evutil_socket_t fd, short what, void *arg);

static gboolean open_upstream(ProxyCall *pc) {
  TgRequest *req = pc->req;
  g_autoptr(GError) error = NULL;
  pc->uc = upstream_pool_get(req->worker->pool, pc->ep, &error);
  if (!pc->uc) {
    call_fail(pc, "refused", 502, 101503, "Bad Gateway", error->message);
    return FALSE;
  }
  pc->connected = pc->uc->reused;
  const GatewayConfig *cfg = req->server->cfg;
  const struct timeval *wt = &req->worker->upstream_read_timeout;
  /* the read timeout starts once the body is sent; without a body, at once */
  pc->read_timeout_set = !request_has_body(req);
  bufferevent_set_timeouts(pc->uc->bev, pc->read_timeout_set ? wt : NULL, wt);
  bufferevent_setcb(pc->uc->bev, upstream_read_cb, upstream_write_cb, upstream_event_cb, pc);
  upstream_write_idle(pc);
  if (upstream_writes_itself(pc)) bufferevent_enable(pc->uc->bev, EV_WRITE);
  upstream_read_start(pc);
  if (!pc->connected) {
    if (!pc->connect_timer) pc->connect_timer = evtimer_new(req->base, connect_timeout_cb, pc);
    evtimer_add(pc->connect_timer, &req->worker->upstream_connect_timeout);
  }
  /* a backend allowed to think longer than a client may stay silent */
  if (cfg->upstream_read_timeout_ms >= cfg->client_timeout_ms)
    connection_awaits_answer(req->ev->conn, req->body_complete);
  if (!write_request_head(pc, bufferevent_get_output(pc->uc->bev))) {
    call_fail(pc, "memory", 502, 101503, "Bad Gateway", "Out of memory");
    return FALSE;
  }
  pc->sent_us = g_get_monotonic_time();
  return TRUE;
}

static void connect_timeout_cb(evutil_socket_t fd, short what, void *arg) {
  call_error(arg, "timeout", TRUE);
}

static void resume_read_cb(evutil_socket_t fd, short what, void *arg);

void proxy_start(TgRequest *req) {
  const Endpoint *ep = choose_endpoint(req);
  if (!*ep->url) {
    tg_request_fault(req, 900905, NULL);
    request_send_answer(req);
    return;
  }
  if (!ep->valid) {
    request_send_fault(req, 502, 101503, "Bad Gateway", "The API's endpoint is not an http(s) URL");
    return;
  }
  ProxyCall *pc = g_new0(ProxyCall, 1);
  pc->ep = ep;
  pc->req = tg_request_ref(req);
  req->proxy = pc;
  req->state = REQ_PROXYING;
  if (!req->backend_headers)
    req->backend_headers = g_array_sized_new(FALSE, FALSE, sizeof(BackendHeader), 16);
  /* connect_timer and resume_read are made when first needed: most calls reuse a
     connection and never pause, and two events per request showed in profiles */
  if (!open_upstream(pc)) return;
  flush_body(pc);
}

void proxy_body_ready(TgRequest *req) {
  if (req->proxy) flush_body(req->proxy);
}

void proxy_abort(TgRequest *req) {
  if (req->proxy) call_free(req->proxy, FALSE);
}

/* --- response towards the client --- */

static void set_read_timeout(ProxyCall *pc) {
  if (pc->read_timeout_set || !pc->body_sent) return;
  const struct timeval *rt = &pc->req->worker->upstream_read_timeout;
  bufferevent_set_timeouts(pc->uc->bev, rt, rt);
  pc->read_timeout_set = TRUE;
  if (!pc->upstream_read_paused) upstream_read_start(pc); /* the timer, for a raw reader */
}

static void client_out_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg) {
  ProxyCall *pc = arg;
  if (pc->upstream_read_paused && evbuffer_get_length(buf) < LOW_WATER)
    event_active(pc->resume_read, EV_TIMEOUT, 1);
}

static void pause_upstream_if_client_full(ProxyCall *pc) {
  struct evbuffer *out = bufferevent_get_output(pc->req->ev->conn->bev);
  if (evbuffer_get_length(out) <= HIGH_WATER) return;
  pc->upstream_read_paused = TRUE;
  upstream_read_stop(pc);
  if (!pc->resume_read) pc->resume_read = event_new(pc->req->base, -1, 0, resume_read_cb, pc);
  if (!pc->client_out_cb) pc->client_out_cb = evbuffer_add_cb(out, client_out_cb, pc);
}

/* Moves n body bytes from the backend's input to the client's output, framed
   as one chunk when the client gets chunked encoding. */
static void relay(ProxyCall *pc, struct evbuffer *in, size_t n) {
  if (n == 0) return;
  struct evbuffer *out = bufferevent_get_output(pc->req->ev->conn->bev);
  pc->req->bytes_out += n;
  if (pc->client_chunked) {
    char line[24];
    evbuffer_add(out, line, chunk_line(n, line));
  }
  evbuffer_remove_buffer(in, out, n);
  if (pc->client_chunked) evbuffer_add(out, "\r\n", 2);
  connection_flush(pc->req->ev->conn, FALSE);
}

/* TRUE when the backend got exactly the request its head announced: the
   body to its declared end (or the last chunk), nothing beyond. */
static gboolean request_framed(ProxyCall *pc) {
  TgRequest *req = pc->req;
  if (!pc->body_sent || pc->request_overrun) return FALSE;
  return req->req_chunked || pc->body_forwarded == declared_length(req);
}

static void call_complete(ProxyCall *pc) {
  TgRequest *req = tg_request_ref(pc->req);
  evhtp_connection_t *conn = req->ev->conn;
  pc->rstate = R_DONE;
  if (pc->client_chunked)
    evhtp_send_reply_chunk_end(req->ev);
  else
    evhtp_send_reply_end(req->ev);
  gboolean reusable = !pc->answer.close && request_framed(pc);
  call_free(pc, reusable);
  request_finished(req);
  connection_flush(conn, TRUE); /* last: it may end the request and free conn */
  tg_request_unref(req);
}

/* The backend's answer is not well framed (why: for the log): a 502 while
   nothing went to the client, else the client's connection is closed (never
   a second answer after the first head). */
static void call_invalid(ProxyCall *pc, const char *why) {
  g_message("request %s: upstream %s:%d sent an answer that is not well framed: %s",
            pc->req->request_id, pc->ep->host, pc->ep->port, why ? why : "?");
  if (pc->req->response_started)
    call_abort_midstream(pc, "invalid");
  else
    call_fail(pc, "invalid", 502, 101503, "Bad Gateway",
              "The backend's answer is not well-framed HTTP");
}

/* The head of the client's response: the backend's status and headers, the
   gateway's, and framing of the gateway's choosing. */
static ResponseHead client_head(ProxyCall *pc) {
  evhtp_request_t *ev = pc->req->ev;
  const BackendHead *a = &pc->answer;
  ResponseHead head = {
      .http10 = ev->proto == EVHTP_PROTO_10,
      .status = a->status,
      .reason = evhtp_request_get_status_code_str(ev),
      .backend = pc->req->backend_headers,
      .connection = a->connection,
      .added = ev->headers_out,
      .ref = pc->req->ref_headers,
      .n_ref = pc->req->n_ref_headers,
      .connection_lists = a->connection_lists,
  };
  if (a->mode == BA_BODY_LENGTH ||
      (a->mode == BA_BODY_NONE && a->content_length && a->status != 204 && a->status != 304))
    head.content_length = a->content_length;
  if (a->mode == BA_BODY_CHUNKED || a->mode == BA_BODY_UNTIL_CLOSE) {
    if (!head.http10)
      head.chunked = pc->client_chunked = TRUE;
    else
      request_close_after(pc->req); /* the end of the body is the end of the connection */
  }
  gboolean keepalive = (ev->flags & EVHTP_REQ_FLAG_KEEPALIVE) != 0;
  head.connection_option =
      head.http10 ? (keepalive ? "keep-alive" : NULL) : (keepalive ? NULL : "close");
  return head;
}

/* Headers are complete: start the client's response. FALSE if it ended. */
static gboolean start_client_response(ProxyCall *pc) {
  TgRequest *req = pc->req;
  evhtp_request_t *ev = req->ev;
  req->latency_ms = (double)(g_get_monotonic_time() - pc->sent_us) / 1000.0;
  tg_series_observe(req->server->upstream_seconds, req->latency_ms / 1000.0);
  pc->remaining = pc->answer.length;
  req->status = pc->answer.status;
  ev->status = (evhtp_res)pc->answer.status;
  request_prepare_response_headers(req);
  req->response_started = TRUE;
  connection_hold_writes(ev->conn);
  ResponseHead head = client_head(pc);
  if (head.chunked) ev->flags |= EVHTP_REQ_FLAG_CHUNKED; /* evhtp's chunk writers frame the body */
  if (!response_head_write(bufferevent_get_output(ev->conn->bev), &head)) {
    call_abort_midstream(pc, "memory");
    return FALSE;
  }
  BackendBodyMode mode = pc->answer.mode;
  if (mode == BA_BODY_NONE || (mode == BA_BODY_LENGTH && pc->remaining == 0)) {
    call_complete(pc);
    return FALSE;
  }
  return TRUE;
}

typedef enum { STEP_MORE, STEP_WAIT, STEP_STOP } Step;

/* TRUE when more bytes came with the head than its Content-Length allows
   (the next answer on this connection would start inside them). After an
   answer without a body, such bytes only keep the connection out of the pool. */
static gboolean answer_overlong(ProxyCall *pc, struct evbuffer *in) {
  size_t rest = evbuffer_get_length(in);
  if (pc->answer.mode == BA_BODY_NONE && rest > 0) pc->answer.close = TRUE;
  return pc->answer.mode == BA_BODY_LENGTH && rest > pc->answer.length;
}

/* The whole head is taken at once, into one block that the request keeps:
   reading it line by line cost an allocation per line and two per header. */
static Step step_head(ProxyCall *pc, struct evbuffer *in) {
  size_t len = evbuffer_get_length(in), avail = MIN(len, (size_t)MAX_RESPONSE_HEAD);
  const char *p = (const char *)evbuffer_pullup(in, (ev_ssize_t)avail);
  gsize n = 0;
  BackendAnswerResult r =
      p ? backend_head_scan(&pc->scan, p, len, MAX_RESPONSE_HEAD, &n) : BA_INVALID;
  if (r == BA_NEED_MORE) return STEP_WAIT;
  if (r != BA_COMPLETE) {
    call_invalid(pc, p ? pc->scan.error : "out of memory");
    return STEP_STOP;
  }
  pc->scan = (BackendHeadScan){0};
  g_autofree char *head = g_malloc(n + 1);
  evbuffer_remove(in, head, n);
  head[n] = '\0';
  TgRequest *req = pc->req;
  gboolean head_request = !strcmp(req->method, "HEAD");
  if (backend_head_parse(head, n, head_request, req->backend_headers, &pc->answer) != BA_COMPLETE) {
    call_invalid(pc, pc->answer.error);
    return STEP_STOP;
  }
  if (pc->answer.status < 200) { /* interim: the answer follows */
    g_array_set_size(req->backend_headers, 0);
    return STEP_MORE;
  }
  if (answer_overlong(pc, in)) {
    call_invalid(pc, "a body longer than its Content-Length");
    return STEP_STOP;
  }
  g_free(req->response_head);
  req->response_head = g_steal_pointer(&head);
  if (!start_client_response(pc)) return STEP_STOP;
  pc->rstate = pc->answer.mode == BA_BODY_LENGTH    ? R_BODY_LENGTH
               : pc->answer.mode == BA_BODY_CHUNKED ? R_CHUNKED
                                                    : R_UNTIL_CLOSE;
  return STEP_MORE;
}

/* The body ended: nothing may follow it. */
static Step body_end(ProxyCall *pc, struct evbuffer *in) {
  if (evbuffer_get_length(in) > 0)
    call_invalid(pc, "bytes after the end of the body");
  else
    call_complete(pc);
  return STEP_STOP;
}

/* Chunk framing read byte by byte from the first extent of the input; the
   data between is relayed as it comes. */
static Step step_chunked(ProxyCall *pc, struct evbuffer *in) {
  struct evbuffer_iovec v;
  if (evbuffer_peek(in, -1, NULL, &v, 1) < 1 || v.iov_len == 0) return STEP_WAIT;
  gsize used = 0;
  BackendAnswerResult r = backend_chunks_scan(&pc->chunks, v.iov_base, v.iov_len, &used);
  evbuffer_drain(in, used);
  if (r == BA_INVALID) {
    call_invalid(pc, pc->chunks.error);
    return STEP_STOP;
  }
  if (r == BA_COMPLETE) return body_end(pc, in);
  if (r == BA_NEED_MORE) return STEP_MORE;
  size_t avail = evbuffer_get_length(in);
  size_t n = pc->chunks.remaining < avail ? (size_t)pc->chunks.remaining : avail;
  relay(pc, in, n);
  backend_chunks_data(&pc->chunks, n);
  return n == avail ? STEP_WAIT : STEP_MORE;
}

static Step step_body(ProxyCall *pc, struct evbuffer *in) {
  size_t avail = evbuffer_get_length(in);
  if (pc->rstate == R_UNTIL_CLOSE) {
    relay(pc, in, avail);
    return STEP_WAIT;
  }
  size_t n = pc->remaining < avail ? (size_t)pc->remaining : avail;
  relay(pc, in, n);
  pc->remaining -= n;
  if (pc->remaining > 0) return STEP_WAIT;
  return body_end(pc, in);
}

static void process_input(ProxyCall *pc) {
  struct evbuffer *in = bufferevent_get_input(pc->uc->bev);
  if (evbuffer_get_length(in) > 0) pc->got_bytes = TRUE;
  while (pc->req->ev && evbuffer_get_length(in) > 0 && !pc->upstream_read_paused) {
    Step s;
    switch (pc->rstate) {
    case R_HEAD:
      s = step_head(pc, in);
      break;
    case R_CHUNKED:
      s = step_chunked(pc, in);
      break;
    default:
      s = step_body(pc, in);
      break;
    }
    if (s == STEP_STOP) return;
    if (pc->req->response_started) pause_upstream_if_client_full(pc);
    if (s == STEP_WAIT) break;
  }
  /* still here: the answer spans reads (a long body, or a paused relay) */
  if (pc->req->ev && pc->req->response_started)
    connection_awaits_answer(pc->req->ev->conn, pc->req->body_complete);
}

static void upstream_read_cb(struct bufferevent *bev, void *arg) { process_input(arg); }

/* --- reading the backend ---
   A plain connection is read through the pool's persistent event
   (upstream_conn_set_reader): no epoll_ctl to take or return it, and no FIONREAD
   ioctl before each read. A TLS connection is read by its bufferevent. Either
   way the bytes land in the bufferevent's input buffer for process_input. */

static void upstream_event_cb(struct bufferevent *bev, short events, void *arg);

static void raw_reader(UpstreamConn *uc, short what, void *arg) {
  ProxyCall *pc = arg;
  if (what & EV_TIMEOUT) {
    upstream_event_cb(uc->bev, BEV_EVENT_READING | BEV_EVENT_TIMEOUT, pc);
    return;
  }
  gssize got = upstream_conn_read(uc);
  if (got == -2) return;
  if (got <= 0) {
    short kind = got == 0 ? BEV_EVENT_EOF : BEV_EVENT_ERROR;
    upstream_event_cb(uc->bev, BEV_EVENT_READING | kind, pc);
    return;
  }
  process_input(pc);
}

static void upstream_read_start(ProxyCall *pc) {
  if (!upstream_conn_reads_raw(pc->uc)) {
    bufferevent_enable(pc->uc->bev, EV_READ);
    return;
  }
  const struct timeval *rt = &pc->req->worker->upstream_read_timeout;
  upstream_conn_set_reader(pc->uc, raw_reader, pc, pc->read_timeout_set ? rt : NULL,
                           (gint64)pc->req->server->cfg->upstream_read_timeout_ms * 1000);
}

static void upstream_read_stop(ProxyCall *pc) {
  if (upstream_conn_reads_raw(pc->uc))
    upstream_conn_set_reader(pc->uc, NULL, NULL, NULL, 0);
  else
    bufferevent_disable(pc->uc->bev, EV_READ);
}

static void resume_read_cb(evutil_socket_t fd, short what, void *arg) {
  ProxyCall *pc = arg;
  if (!pc->upstream_read_paused || !pc->uc) return;
  pc->upstream_read_paused = FALSE;
  upstream_read_start(pc);
  process_input(pc);
}

static void upstream_write_cb(struct bufferevent *bev, void *arg) {
  ProxyCall *pc = arg;
  size_t queued = evbuffer_get_length(bufferevent_get_output(bev));
  if (pc->req->client_read_blocked && queued <= LOW_WATER) {
    bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
    request_block_client_read(pc->req, FALSE);
  }
  if (queued > 0) return;
  upstream_write_idle(pc);
  set_read_timeout(pc);
}

/* A handshake that failed (most often: the backend's certificate or name did
   not verify) is a 502 of its own, with OpenSSL's reason in the log. FALSE
   when the failure was not TLS's (refused, reset). */
static gboolean tls_failed(ProxyCall *pc) {
  if (!pc->ep->tls || !pc->uc) return FALSE;
  SSL *ssl = bufferevent_openssl_get_ssl(pc->uc->bev);
  long verify = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
  unsigned long err = bufferevent_get_openssl_error(pc->uc->bev);
  if (verify == X509_V_OK && err == 0) return FALSE;
  char reason[256] = "";
  if (err) ERR_error_string_n(err, reason, sizeof reason);
  g_message("request %s: upstream %s:%d TLS handshake failed: %s%s%s", pc->req->request_id,
            pc->ep->host, pc->ep->port,
            verify != X509_V_OK ? X509_verify_cert_error_string(verify) : "", *reason ? "; " : "",
            reason);
  call_fail(pc, "tls", 502, 101503, "Bad Gateway",
            verify != X509_V_OK ? "The backend's TLS certificate did not verify"
                                : "The TLS handshake with the backend failed");
  return TRUE;
}

static gboolean can_retry(ProxyCall *pc) {
  return pc->uc && pc->uc->reused && !pc->got_bytes && !pc->retried && !request_has_body(pc->req);
}

static void upstream_event_cb(struct bufferevent *bev, short events, void *arg) {
  ProxyCall *pc = arg;
  if (events & BEV_EVENT_CONNECTED) {
    pc->connected = TRUE;
    if (pc->connect_timer) evtimer_del(pc->connect_timer);
    return;
  }
  if ((events & BEV_EVENT_EOF) && pc->rstate == R_UNTIL_CLOSE) {
    process_input(pc);
    if (pc->req->proxy == pc) call_complete(pc);
    return;
  }
  if (events & BEV_EVENT_TIMEOUT) {
    call_error(pc, "timeout", TRUE);
    return;
  }
  if (can_retry(pc)) {
    pc->retried = TRUE;
    pc->body_sent = pc->read_timeout_set = FALSE; /* both belong to the connection */
    pc->body_forwarded = 0;
    drop_upstream(pc, FALSE);
    if (open_upstream(pc)) flush_body(pc);
    return;
  }
  if (!pc->connected && tls_failed(pc)) return;
  call_error(pc, pc->connected ? "reset" : "refused", FALSE);
}
