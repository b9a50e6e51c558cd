/*
 * proxy: one upstream exchange per request, on the request's loop thread.
 *
 * The request goes out as soon as the access phase passes: head first, then
 * body bytes as evhtp hands them over (re-chunked when the client sent
 * chunked). The response is parsed here with a small incremental parser
 * (the head taken whole once its empty line is in, into one block that the
 * request keeps and its BackendHeader list points into; then a body by
 * Content-Length, chunked or until close). The client's head is written by
 * response_head.c, the body moved from the backend's input buffer to the
 * client's output (framed as chunks when the client gets chunked encoding),
 * so no body is ever held whole: each direction stops reading its source when the
 * destination has more than HIGH_WATER bytes queued and starts again below
 * LOW_WATER. The trade-off: a hand-written parser (about 150 lines) instead
 * of htparser, whose pause semantics do not fit a relay.
 */
#include "proxy.h"

#include <string.h>

#include "http_head.h"
#include "http_header.h"
#include "request.h"
#include "response_head.h"
#include "server.h"
#include "tg_json.h"
#include "upstream_pool.h"

#define HIGH_WATER (1024 * 1024)
#define LOW_WATER (256 * 1024)
#define MAX_RESPONSE_HEAD 65536

typedef enum { R_STATUS, R_BODY_LENGTH, R_CHUNK_SIZE, R_CHUNK_DATA, R_CHUNK_CRLF,
               R_TRAILERS, R_UNTIL_CLOSE, R_DONE } ResponseState;

typedef enum { MODE_NONE, MODE_LENGTH, MODE_CHUNKED, MODE_UNTIL_CLOSE } BodyMode;

struct ProxyCall {
  TgRequest *req;
  UpstreamConn *uc;
  struct event *connect_timer;
  struct event *resume_read;
  struct evbuffer_cb_entry *client_out_cb;
  const Endpoint *ep; /* the route's: the request's match keeps it alive */
  char *target;
  gboolean connected, body_sent, retried, read_timeout_set, upstream_read_paused;
  gboolean got_bytes, client_chunked, upstream_close;
  ResponseState rstate;
  BodyMode mode;
  guint64 remaining, head_bytes;
  int status;
  gint64 sent_us;
  const char *r_connection, *r_transfer_encoding, *r_content_length; /* first of each */
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
  if (reusable) upstream_pool_put(pc->uc);
  else upstream_conn_free(pc->uc);
  pc->uc = NULL;
}

/* Ends the call: frees everything and drops the call's reference on req. */
static void call_free(ProxyCall *pc, gboolean reusable) {
  TgRequest *req = pc->req;
  remove_client_out_cb(pc);
  drop_upstream(pc, reusable);
  if (pc->connect_timer) event_free(pc->connect_timer);
  if (pc->resume_read) event_free(pc->resume_read);
  g_free(pc->target);
  req->proxy = NULL;
  g_free(pc);
  tg_request_unref(req);
}

/* Fails before any response byte reached the client: a JSON fault. */
static void call_fail(ProxyCall *pc, const char *kind, int http_status, int code,
                      const char *message, const char *description) {
  TgRequest *req = tg_request_ref(pc->req);
  count_error(req, kind);
  g_message("request %s: upstream %s:%d %s: %s", req->request_id, pc->ep->host, pc->ep->port,
            kind, description);
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
  http_head_line(&h, pc->target, strlen(pc->target));
  http_head_line(&h, " HTTP/1.1", 9);
  HTTP_HEAD_FIELD_LIT(&h, "Host", pc->ep->host_header);
  const char *xff = NULL;
  for (guint i = 0; i < req->up_headers->len; i++) {
    TgHeader *hd = g_ptr_array_index(req->up_headers, i);
    size_t nlen = strlen(hd->name);
    HttpHeaderKind kind = http_header_kind(hd->name, nlen);
    if (kind == HTTP_H_X_FORWARDED_FOR && !xff) xff = hd->value;
    if (!upstream_header_replaced(kind)) http_head_field(&h, hd->name, nlen, hd->value, strlen(hd->value));
  }
  g_autofree char *chain = xff ? g_strconcat(xff, ", ", req->client_ip, NULL) : NULL;
  HTTP_HEAD_FIELD_LIT(&h, "X-Forwarded-For", chain ? chain : req->client_ip);
  HTTP_HEAD_FIELD_LIT(&h, "X-Forwarded-Proto", req->tls ? "https" : "http");
  HTTP_HEAD_FIELD_LIT(&h, "X-Request-ID", req->request_id);
  const TgAuthInfo *auth = tg_request_auth(req);
  if (auth->end_user && *auth->end_user) HTTP_HEAD_FIELD_LIT(&h, "X-End-User", auth->end_user);
  char length[TG_INT_TEXT_LEN];
  if (req->req_chunked) HTTP_HEAD_FIELD_LIT(&h, "Transfer-Encoding", "chunked");
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
  if (evbuffer_get_length(out) > 0) bufferevent_enable(bev, EV_WRITE);
  else set_read_timeout(pc);
}

/* TRUE while libevent must drive writes: connecting, or TLS. */
static gboolean upstream_writes_itself(ProxyCall *pc) {
  return !pc->connected || pc->ep->tls;
}

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

static void flush_body(ProxyCall *pc) {
  TgRequest *req = pc->req;
  if (!pc->uc || pc->body_sent) return;
  struct evbuffer *out = bufferevent_get_output(pc->uc->bev);
  size_t n = req->body_pending ? evbuffer_get_length(req->body_pending) : 0;
  if (n > 0) {
    char line[24];
    if (req->req_chunked) evbuffer_add(out, line, chunk_line(n, line));
    evbuffer_add_buffer(out, req->body_pending);
    if (req->req_chunked) evbuffer_add(out, "\r\n", 2);
  }
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
    server_client_awaits_answer(req->ev->conn);
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
  pc->target = endpoint_target(ep, req->match.route.resource_path, req->query);
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
  server_client_flush(pc->req->ev->conn, FALSE);
}

static void call_complete(ProxyCall *pc) {
  TgRequest *req = tg_request_ref(pc->req);
  evhtp_connection_t *conn = req->ev->conn;
  pc->rstate = R_DONE;
  if (pc->client_chunked) evhtp_send_reply_chunk_end(req->ev);
  else evhtp_send_reply_end(req->ev);
  gboolean reusable = !pc->upstream_close && pc->mode != MODE_UNTIL_CLOSE && pc->body_sent &&
                      evbuffer_get_length(bufferevent_get_output(pc->uc->bev)) == 0;
  call_free(pc, reusable);
  request_finished(req);
  server_client_flush(conn, TRUE); /* last: it may end the request and free conn */
  tg_request_unref(req);
}

static void choose_body_mode(ProxyCall *pc) {
  TgRequest *req = pc->req;
  const char *te = pc->r_transfer_encoding;
  const char *cl = pc->r_content_length;
  if (!strcmp(req->method, "HEAD") || pc->status == 204 || pc->status == 304) {
    pc->mode = MODE_NONE;
  } else if (te && http_token_listed(te, "chunked")) {
    pc->mode = MODE_CHUNKED;
  } else if (cl) {
    pc->mode = MODE_LENGTH;
    pc->remaining = g_ascii_strtoull(cl, NULL, 10);
  } else {
    pc->mode = MODE_UNTIL_CLOSE;
  }
  pc->upstream_close = http_token_listed(pc->r_connection, "close") ||
                       pc->mode == MODE_UNTIL_CLOSE;
}

/* The head of the client's response: the backend's status and headers, the
   gateway's, and framing of the gateway's choosing. */
static ResponseHead client_head(ProxyCall *pc) {
  evhtp_request_t *ev = pc->req->ev;
  ResponseHead head = {
      .http10 = ev->proto == EVHTP_PROTO_10, .status = pc->status,
      .reason = evhtp_request_get_status_code_str(ev), .backend = pc->req->backend_headers,
      .connection = pc->r_connection, .added = ev->headers_out,
      .connection_lists = http_connection_lists_headers(pc->r_connection),
  };
  const char *cl = pc->r_content_length;
  if (pc->mode == MODE_LENGTH || (pc->mode == MODE_NONE && cl && pc->status != 204 &&
                                  pc->status != 304))
    head.content_length = cl;
  if (pc->mode == MODE_CHUNKED || pc->mode == MODE_UNTIL_CLOSE) {
    if (!head.http10) head.chunked = pc->client_chunked = TRUE;
    else request_close_after(pc->req); /* the end of the body is the end of the connection */
  }
  gboolean keepalive = (ev->flags & EVHTP_REQ_FLAG_KEEPALIVE) != 0;
  head.connection_option = head.http10 ? (keepalive ? "keep-alive" : NULL)
                                       : (keepalive ? NULL : "close");
  return head;
}

/* Headers are complete: start the client's response. FALSE if it ended. */
static gboolean start_client_response(ProxyCall *pc) {
  TgRequest *req = pc->req;
  evhtp_request_t *ev = req->ev;
  req->latency_ms = (double)(g_get_monotonic_time() - pc->sent_us) / 1000.0;
  tg_series_observe(req->server->upstream_seconds, req->latency_ms / 1000.0);
  choose_body_mode(pc);
  req->status = pc->status;
  ev->status = (evhtp_res)pc->status;
  request_prepare_response_headers(req);
  req->response_started = TRUE;
  server_client_hold_writes(ev->conn);
  ResponseHead head = client_head(pc);
  if (head.chunked) ev->flags |= EVHTP_REQ_FLAG_CHUNKED; /* evhtp's chunk writers frame the body */
  if (!response_head_write(bufferevent_get_output(ev->conn->bev), &head)) {
    call_abort_midstream(pc, "memory");
    return FALSE;
  }
  if (pc->mode == MODE_NONE || (pc->mode == MODE_LENGTH && pc->remaining == 0)) {
    call_complete(pc);
    return FALSE;
  }
  return TRUE;
}

/* "HTTP/1.x SSS reason": read by hand, sscanf showed in every request's profile. */
static gboolean parse_status_line(ProxyCall *pc, const char *line) {
  if (strncmp(line, "HTTP/1.", 7) != 0 || !g_ascii_isdigit(line[7])) return FALSE;
  const char *p = line + 7;
  while (g_ascii_isdigit(*p)) p++;
  if (*p != ' ') return FALSE;
  while (*p == ' ') p++;
  int status = 0, digits = 0;
  for (; g_ascii_isdigit(*p) && digits < 4; p++, digits++) status = status * 10 + (*p - '0');
  if (digits != 3 || status < 100 || status > 599) return FALSE;
  pc->status = status;
  return TRUE;
}

static void forget_response_headers(ProxyCall *pc) {
  g_array_set_size(pc->req->backend_headers, 0);
  pc->r_connection = pc->r_transfer_encoding = pc->r_content_length = NULL;
}

static void note_response_header(ProxyCall *pc, const BackendHeader *h) {
  const char **slot = h->kind == HTTP_H_CONNECTION          ? &pc->r_connection
                      : h->kind == HTTP_H_TRANSFER_ENCODING ? &pc->r_transfer_encoding
                      : h->kind == HTTP_H_CONTENT_LENGTH    ? &pc->r_content_length
                                                            : NULL;
  if (slot && !*slot) *slot = h->value;
}

static gboolean is_blank(char c) { return c == ' ' || c == '\t'; }

/* Cuts the blanks around s[0..len) in place; its new start, length in *len. */
static char *trim(char *s, size_t *len) {
  size_t n = *len;
  while (n > 0 && is_blank(*s)) s++, n--;
  while (n > 0 && is_blank(s[n - 1])) n--;
  s[n] = '\0';
  *len = n;
  return s;
}

/* "Name: value" (line is len bytes, NUL-terminated) into a BackendHeader. */
static gboolean parse_header_line(ProxyCall *pc, char *line, size_t len) {
  char *colon = memchr(line, ':', len);
  if (!colon || colon == line) return FALSE;
  size_t nlen = (size_t)(colon - line), vlen = len - nlen - 1;
  BackendHeader h = {.name = trim(line, &nlen), .value = trim(colon + 1, &vlen)};
  h.nlen = (guint32)nlen;
  h.vlen = (guint32)vlen;
  h.kind = http_header_kind(h.name, h.nlen);
  note_response_header(pc, &h);
  g_array_append_val(pc->req->backend_headers, h);
  return TRUE;
}

typedef enum { STEP_MORE, STEP_WAIT, STEP_STOP } Step;

/* Reads one line into *line; STEP_WAIT when incomplete, STEP_STOP on error. */
static Step read_line(ProxyCall *pc, struct evbuffer *in, char **line) {
  size_t n = 0;
  *line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF);
  if (*line) {
    pc->head_bytes += n + 2;
    if (pc->head_bytes <= MAX_RESPONSE_HEAD) return STEP_MORE;
    g_clear_pointer(line, free);
  } else if (evbuffer_get_length(in) + pc->head_bytes <= MAX_RESPONSE_HEAD) {
    return STEP_WAIT;
  }
  call_error(pc, "reset", FALSE);
  return STEP_STOP;
}

/* The length of the head (through its empty line, CRLF or bare LF) at the
   start of p, 0 while it is incomplete. */
static size_t head_length(const char *p, size_t len) {
  const char *end = p + len;
  for (const char *nl = memchr(p, '\n', len); nl; nl = memchr(nl + 1, '\n', end - nl - 1)) {
    const char *next = nl + 1;
    if (next < end && *next == '\n') return next + 1 - p;
    if (next + 1 < end && next[0] == '\r' && next[1] == '\n') return next + 2 - p;
  }
  return 0;
}

/* Cuts the line at *cursor (CRLF or LF; the head ends with an empty line, so
   every line has its LF) and moves past it; its length in *len. */
static char *next_line(char **cursor, size_t *len) {
  char *line = *cursor, *nl = strchr(line, '\n');
  if (!nl) return NULL;
  *nl = '\0';
  *cursor = nl + 1;
  if (nl > line && nl[-1] == '\r') *--nl = '\0';
  *len = (size_t)(nl - line);
  return line;
}

/* Splits a complete head in place into the status and req->backend_headers. */
static gboolean parse_head(ProxyCall *pc, char *head) {
  size_t len = 0;
  char *cursor = head, *line = next_line(&cursor, &len);
  if (!line || !parse_status_line(pc, line)) return FALSE;
  forget_response_headers(pc);
  while ((line = next_line(&cursor, &len)) && *line)
    if (!parse_header_line(pc, line, len)) return FALSE;
  return line != NULL;
}

/* The whole head is taken at once, into one block that the request keeps:
   reading it line by line cost an allocation per line and two per header. */
static Step step_head(ProxyCall *pc, struct evbuffer *in) {
  size_t avail = MIN(evbuffer_get_length(in), (size_t)MAX_RESPONSE_HEAD);
  const char *p = (const char *)evbuffer_pullup(in, (ev_ssize_t)avail);
  size_t n = p ? head_length(p, avail) : 0;
  if (n == 0 && evbuffer_get_length(in) < MAX_RESPONSE_HEAD) return STEP_WAIT;
  g_autofree char *head = n ? g_malloc(n + 1) : NULL;
  if (head) {
    evbuffer_remove(in, head, n);
    head[n] = '\0';
  }
  if (!head || !parse_head(pc, head)) {
    call_error(pc, "reset", FALSE);
    return STEP_STOP;
  }
  if (pc->status < 200 && pc->status != 101) { /* interim: the answer follows */
    forget_response_headers(pc);
    return STEP_MORE;
  }
  g_free(pc->req->response_head);
  pc->req->response_head = g_steal_pointer(&head);
  if (!start_client_response(pc)) return STEP_STOP;
  pc->rstate = pc->mode == MODE_LENGTH ? R_BODY_LENGTH
               : pc->mode == MODE_CHUNKED ? R_CHUNK_SIZE : R_UNTIL_CLOSE;
  return STEP_MORE;
}

static Step step_chunk_line(ProxyCall *pc, struct evbuffer *in) {
  char *line = NULL;
  pc->head_bytes = 0; /* chunk lines are bounded one by one */
  Step s = read_line(pc, in, &line);
  if (s != STEP_MORE) return s;
  if (pc->rstate == R_CHUNK_CRLF) {
    pc->rstate = R_CHUNK_SIZE;
  } else if (pc->rstate == R_TRAILERS) {
    gboolean end = *line == '\0';
    free(line);
    if (end) {
      call_complete(pc);
      return STEP_STOP;
    }
    return STEP_MORE;
  } else {
    char *end = NULL;
    guint64 size = g_ascii_strtoull(line, &end, 16);
    if (end == line) {
      free(line);
      call_error(pc, "reset", FALSE);
      return STEP_STOP;
    }
    pc->remaining = size;
    pc->rstate = size == 0 ? R_TRAILERS : R_CHUNK_DATA;
  }
  free(line);
  return STEP_MORE;
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
  if (pc->rstate == R_BODY_LENGTH) {
    call_complete(pc);
    return STEP_STOP;
  }
  pc->rstate = R_CHUNK_CRLF;
  return STEP_MORE;
}

static void process_input(ProxyCall *pc) {
  struct evbuffer *in = bufferevent_get_input(pc->uc->bev);
  if (evbuffer_get_length(in) > 0) pc->got_bytes = TRUE;
  while (pc->req->ev && evbuffer_get_length(in) > 0 && !pc->upstream_read_paused) {
    Step s;
    switch (pc->rstate) {
      case R_STATUS: s = step_head(pc, in); break;
      case R_CHUNK_SIZE:
      case R_CHUNK_CRLF:
      case R_TRAILERS: s = step_chunk_line(pc, in); break;
      default: s = step_body(pc, in); break;
    }
    if (s == STEP_STOP) return;
    if (pc->req->response_started) pause_upstream_if_client_full(pc);
    if (s == STEP_WAIT) break;
  }
  /* still here: the answer spans reads (a long body, or a paused relay) */
  if (pc->req->ev && pc->req->response_started) server_client_awaits_answer(pc->req->ev->conn);
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
  upstream_conn_set_reader(pc->uc, raw_reader, pc, pc->read_timeout_set ? rt : NULL);
}

static void upstream_read_stop(ProxyCall *pc) {
  if (upstream_conn_reads_raw(pc->uc)) upstream_conn_set_reader(pc->uc, NULL, NULL, NULL);
  else bufferevent_disable(pc->uc->bev, EV_READ);
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

static gboolean can_retry(ProxyCall *pc) {
  return pc->uc && pc->uc->reused && !pc->got_bytes && !pc->retried &&
         !request_has_body(pc->req);
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
    drop_upstream(pc, FALSE);
    if (open_upstream(pc)) flush_body(pc);
    return;
  }
  call_error(pc, pc->connected ? "reset" : "refused", FALSE);
}
