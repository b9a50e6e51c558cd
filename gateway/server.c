/*
 * server: libevhtp listeners, worker threads and the request lifecycle. evhtp parses; this
 * file decides (limits, routing, plugin phases, the proxy). Trade-off: the raw bytes are also
 * read strictly (conn_scan), so nothing evhtp parsed that the scanner did not accept is ever
 * proxied. Lifecycle hooks: docs/HACKING.md.
 */
#include "gateway_error.h"
#include "server.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "connection.h"
#include "gateway_host.h"
#include "proxy.h"
#include "request.h"
#include "tg_linger.h"
#include "upstream_pool.h"

static void run_access(TgRequest *req);

/* The header timer closes a connection that sends no complete request within
   client_timeout_ms of going idle. It is armed once, not per request: it stays
   pending while a request is in flight (its callback ignores that connection) and
   going idle only notes the time; when it fires early, it re-arms itself for
   what is left. An event_del and an event_add per request cost ~500 instructions. */
static void arm_header_timer(ConnState *cs) {
  cs->idle_since_us = g_get_monotonic_time();
  if (!evtimer_pending(cs->header_timer, NULL))
    evtimer_add(cs->header_timer, &cs->worker->client_timeout);
}

/* --- raw answers for what evhtp's parser rejects --- */

static const char *status_reason(int status) {
  switch (status) {
  case 431:
    return "Request Header Fields Too Large";
  case 414:
    return "URI Too Long";
  case 501:
    return "Not Implemented";
  case 505:
    return "HTTP Version Not Supported";
  default:
    return "Bad Request";
  }
}

/* description: static text without quotes (the scanner's reasons). */
static void send_raw_error(evhtp_connection_t *conn, int status, const char *description) {
  const char *reason = status_reason(status);
  g_autofree char *body =
      g_strdup_printf("{\"fault\":{\"code\":%d,\"message\":\"%s\",\"description\":\"%s\"}}", status,
                      reason, description ? description : "The request could not be parsed");
  g_autofree char *msg = g_strdup_printf(
      "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
      "Connection: close\r\n\r\n%s",
      status, reason, strlen(body), body);
  if (conn->ssl) {
    SSL_write(conn->ssl, msg, (int)strlen(msg));
    return;
  }
  ssize_t ignored =
      send(bufferevent_getfd(conn->bev), msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
  (void)ignored;
}

static int parser_reject_status(evhtp_connection_t *conn, ConnState *cs) {
  if (cs && cs->reject_status) return cs->reject_status;
  if (cs && conn_scan_status(&cs->scan)) return conn_scan_status(&cs->scan);
  if (!conn->parser) return 0;
  switch (htparser_get_error(conn->parser)) {
  case htparse_error_none:
  case htparse_error_user:
    return 0;
  case htparse_error_too_big:
    return conn->request && conn->request->uri ? 431 : 414;
  default:
    return 400;
  }
}

/* --- request detach / fini --- */

static void detach(TgRequest *req) {
  if (req->proxy) proxy_abort(req);
  req->ev = NULL;
  req->gone = TRUE;
  request_finished(req);
  tg_request_unref(req);
}

static evhtp_res on_request_fini(evhtp_request_t *ev, void *arg) {
  TgRequest *req = arg;
  ConnState *cs = connection_state(ev->conn);
  if (cs && cs->current == req) {
    cs->current = NULL;
    arm_header_timer(cs);
    if (cs->read_timeout_off && ev->conn->bev) {
      cs->read_timeout_off = FALSE;
      connection_set_timeouts(cs, TRUE);
    }
  }
  detach(req);
  return EVHTP_RES_OK;
}

static evhtp_res on_connection_fini(evhtp_connection_t *conn, void *arg) {
  ConnState *cs = arg;
  TgRequest *req = cs->current;
  gboolean answered = req && req->response_started;
  int reject = parser_reject_status(conn, cs);
  if (reject && !answered && conn->bev &&
      evbuffer_get_length(bufferevent_get_output(conn->bev)) == 0)
    send_raw_error(conn, reject, conn_scan_status(&cs->scan) ? conn_scan_reason(&cs->scan) : NULL);
  conn_scan_stop(&cs->scan);
  gboolean unread_body =
      req && !req->body_complete && (req->req_chunked || req->req_content_length > 0);
  /* evhtp closes its descriptor (after a TLS close_notify) once this hook returns: a client
     still sending would get a reset that can destroy the answer. */
  if ((reject || unread_body) && conn->bev)
    tg_linger_close(conn->evbase, bufferevent_getfd(conn->bev));
  if (req) {
    cs->current = NULL;
    if (req->ev) evhtp_request_unset_hook(req->ev, evhtp_hook_on_request_fini);
    detach(req);
  }
  g_hash_table_remove(cs->worker->connections, cs);
  event_free(cs->header_timer);
  g_free(cs);
  return EVHTP_RES_OK;
}

static void header_timeout_cb(evutil_socket_t fd, short what, void *arg) {
  ConnState *cs = arg;
  if (cs->current) return; /* on_request_fini arms it again */
  gint64 left_us = cs->idle_since_us + (gint64)cs->server->cfg->client_timeout_ms * 1000 -
                   g_get_monotonic_time();
  if (left_us > 0) { /* idle again since it was armed */
    struct timeval tv = {(time_t)(left_us / G_USEC_PER_SEC),
                         (suseconds_t)(left_us % G_USEC_PER_SEC)};
    evtimer_add(cs->header_timer, &tv);
    return;
  }
  g_debug("closing a connection that sent no complete request in time");
  evhtp_connection_free(cs->conn);
}

/* A client may half-close after its request (shutdown(SHUT_WR)) and still
   read the answer. Reading stays on while a request is held (hold_pipeline),
   so the end of its input shows up early: the request goes on and the
   connection closes after the answer (connection_resume_held keeps evhtp
   from freeing it on resume). Requests pipelined before the end of input are
   still answered: the connection closes after the last of them, not after
   the one in flight (on_request_complete marks it). */
static gboolean client_half_closed(ConnState *cs, short events) {
  TgRequest *req = cs->current;
  if (events != (BEV_EVENT_EOF | BEV_EVENT_READING) || !req->body_complete || !req->ev)
    return FALSE;
  cs->half_closed = TRUE;
  if (!connection_input_pending(cs->conn)) request_close_after(req);
  return TRUE;
}

/* A client that goes away while its connection is paused: evhtp only
   marks it; resuming lets evhtp free it now. */
static evhtp_res on_conn_event(evhtp_connection_t *conn, short events, void *arg) {
  ConnState *cs = arg;
  if (!(events & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) || !cs->current ||
      client_half_closed(cs, events))
    return EVHTP_RES_OK;
  if (cs->current->proxy) proxy_abort(cs->current);
  if (conn->flags & EVHTP_CONN_FLAG_PAUSED) evhtp_connection_resume(conn);
  return EVHTP_RES_OK;
}

/* --- per-request hooks --- */

static evhtp_res on_header(evhtp_request_t *ev, evhtp_header_t *hdr, void *arg) {
  ConnState *cs = arg;
  cs->header_bytes += hdr->klen + hdr->vlen + 4;
  if (cs->header_bytes > cs->server->cfg->max_header_size) {
    cs->reject_status = 431;
    return EVHTP_RES_FATAL;
  }
  return EVHTP_RES_OK;
}

static void send_route_fault(TgRequest *req, RouteResult r) {
  if (r == ROUTE_NO_API) {
    g_autofree char *desc = g_strdup_printf("No API matches %s %s", req->method, req->path);
    request_send_fault(req, 404, 404, "Not Found", desc);
    return;
  }
  if (r == ROUTE_METHOD_UNKNOWN) {
    request_send_fault(req, 501, 501, "Not Implemented", "The gateway does not proxy this method");
    return;
  }
  tg_request_fault(req, r == ROUTE_BLOCKED ? 900907 : 900906, NULL);
  request_send_answer(req);
}

/* A request the gateway refuses to read further: the connection closes after the answer. */
static void refuse_request(TgRequest *req, int status, const char *description) {
  request_close_after(req);
  request_send_fault(req, status, status, status_reason(status), description);
}

/* The method of the head conn_scan checked, in order ("" when unknown); *status and
   *why: a refusal for the head. LOST (the ring was full): evhtp's method name stands
   in, and a method it does not know stays "" (the router answers 501). */
static const char *checked_method(ConnState *cs, evhtp_request_t *ev, ConnScanHead *head,
                                  int *status, const char **why) {
  *status = 0;
  switch (conn_scan_take(&cs->scan, head)) {
  case CONN_SCAN_OK:
    *status = head->target_status;
    *why = head->target_reason;
    return head->method;
  case CONN_SCAN_LOST: { /* a method evhtp does not know stays "": the router answers 501 */
    const char *m = htparser_get_methodstr_m(ev->method);
    if (ev->uri && ev->uri->authority && ev->uri->authority->hostname)
      *status = 400, *why = "an absolute-form request-target";
    return m ? m : "";
  }
  default:
    *status = conn_scan_status(&cs->scan) ? conn_scan_status(&cs->scan) : 400;
    *why = conn_scan_reason(&cs->scan) ? conn_scan_reason(&cs->scan)
                                       : "The request could not be parsed";
    return "";
  }
}

/* A CORS preflight: OPTIONS with Origin and Access-Control-Request-Method. */
static gboolean is_preflight(TgRequest *req) {
  return !strcmp(req->method, "OPTIONS") && tg_request_header(req, "Origin") &&
         tg_request_header(req, "Access-Control-Request-Method");
}

/* The length of path's API prefix: /context, and /version when the path names it. */
static gsize api_prefix_len(const TgRequest *req) {
  gsize c = strlen(req->match.route.context), v = strlen(req->match.route.version);
  const char *p = req->path + c;
  gboolean versioned = v && p[0] == '/' && !strncmp(p + 1, req->match.route.version, v) &&
                       (p[1 + v] == '/' || p[1 + v] == '\0');
  return c + (versioned ? 1 + v : 0);
}

static RouteResult route_request(ConnState *cs, TgRequest *req) {
  if (is_preflight(req)) return router_match_preflight(cs->server->router, req->path, &req->match);
  return router_match(cs->server->router, req->method, req->path, &req->match);
}

static evhtp_res on_headers(evhtp_request_t *ev, G_GNUC_UNUSED evhtp_headers_t *headers,
                            void *arg) {
  ConnState *cs = arg;
  cs->header_bytes = 0; /* the header timer stays pending: arm_header_timer */
  ConnScanHead head = {0};
  int refused = 0;
  const char *why = NULL;
  const char *method = checked_method(cs, ev, &head, &refused, &why);
  TgRequest *req =
      tg_request_new(cs->worker, ev, cs->client_ip, method, head.target, head.path_off);
  cs->current = req;
  evhtp_request_set_hook(ev, evhtp_hook_on_request_fini, (evhtp_hook)on_request_fini, req);
  if (conn_scan_status(&cs->scan)) request_close_after(req); /* what follows is refused */
  if (refused || req->path_error) {
    refuse_request(req, refused ? refused : 400, refused ? why : req->path_error);
    return EVHTP_RES_OK;
  }
  guint64 max_body = cs->server->cfg->max_body_size;
  if (max_body && req->req_content_length > 0 && (guint64)req->req_content_length > max_body) {
    request_send_fault(req, 413, 413, "Payload Too Large",
                       "The request body exceeds max_body_size");
    return EVHTP_RES_OK;
  }
  RouteResult r = route_request(cs, req);
  if (r == ROUTE_NO_API && req->path_low_water != G_MAXSIZE) {
    refuse_request(req, 400, "the path climbs above the API's context");
    return EVHTP_RES_OK;
  }
  req->routed = r == ROUTE_OK;
  if (req->routed) req->chain = server_chain_for(cs->server, req->match.api_key);
  if (r != ROUTE_OK) {
    send_route_fault(req, r);
    return EVHTP_RES_OK;
  }
  if (req->path_low_water != G_MAXSIZE && req->path_low_water < api_prefix_len(req)) {
    refuse_request(req, 400, "the path climbs above the API's context");
    return EVHTP_RES_OK;
  }
  run_access(req);
  return EVHTP_RES_OK;
}

static evhtp_res on_read(evhtp_request_t *ev, struct evbuffer *buf, void *arg) {
  ConnState *cs = arg;
  TgRequest *req = cs->current;
  size_t n = evbuffer_get_length(buf);
  if (!req || req->state == REQ_DONE) {
    evbuffer_drain(buf, n);
    return EVHTP_RES_OK;
  }
  req->bytes_in += n;
  guint64 max_body = cs->server->cfg->max_body_size;
  if (!req->body_pending) req->body_pending = evbuffer_new();
  evbuffer_remove_buffer(buf, req->body_pending, n);
  if (max_body && req->bytes_in > max_body) {
    evbuffer_drain(req->body_pending, evbuffer_get_length(req->body_pending));
    if (req->response_started) {
      proxy_abort(req);
      request_finished(req);
      return EVHTP_RES_FATAL; /* evhtp closes the connection */
    }
    proxy_abort(req);
    request_send_fault(req, 413, 413, "Payload Too Large",
                       "The request body exceeds max_body_size");
    return EVHTP_RES_OK;
  }
  if (req->proxy)
    proxy_body_ready(req);
  else if (evbuffer_get_length(req->body_pending) > 1024 * 1024)
    request_block_client_read(req, TRUE);
  return EVHTP_RES_OK;
}

/* Stops evhtp from parsing a pipelined next request until this one is
   answered, as evhtp_request_pause does, but leaves the socket's read event
   on: switching it off and on again costs two epoll_ctl calls per request.
   What a client pipelines meanwhile waits in the input buffer, bounded by
   cap_held_input. */
static void hold_pipeline(evhtp_request_t *ev) {
  ev->status = EVHTP_RES_PAUSE;
  ev->conn->flags |= EVHTP_CONN_FLAG_PAUSED;
}

/* evhtp's request callback: the whole request has been read. */
static void on_request_complete(evhtp_request_t *ev, void *arg) {
  ConnState *cs = connection_state(ev->conn);
  TgRequest *req = cs ? cs->current : NULL;
  if (!req) {
    evhtp_send_reply(ev, EVHTP_RES_SERVERR);
    return;
  }
  req->body_complete = TRUE;
  if (cs->half_closed && !connection_input_pending(ev->conn)) request_close_after(req);
  if (req->proxy) proxy_body_ready(req);
  if (req->response_started && req->state != REQ_DONE)
    connection_awaits_answer(ev->conn, req->body_complete);
  hold_pipeline(ev);
  if (req->state == REQ_DONE)
    event_active(ev->conn->resume_ev, EV_WRITE, 1);
  else
    req->conn_paused = TRUE;
}

/* --- phases --- */

static void write_continue(TgRequest *req) {
  if (!req->expect_continue || !req->ev || req->body_complete) return;
  const char *line = req->ev->proto == EVHTP_PROTO_10 ? "HTTP/1.0 100 Continue\r\n\r\n"
                                                      : "HTTP/1.1 100 Continue\r\n\r\n";
  bufferevent_write(req->ev->conn->bev, line, strlen(line));
}

static void run_access(TgRequest *req) {
  req->state = REQ_ACCESS;
  TgPluginStatus st = plugin_chain_access(req->chain, req, &req->access_next);
  if (st == TG_PLUGIN_AGAIN && !req->answered) {
    req->access_waiting = TRUE;
    tg_request_ref(req); /* held until the resume arrives */
    request_block_client_read(req, TRUE);
    return;
  }
  if (st == TG_PLUGIN_DONE || req->answered ||
      plugin_chain_before_upstream(req->chain, req) == TG_PLUGIN_DONE || req->answered) {
    request_send_answer(req);
    return;
  }
  if (req->match.preflight) { /* never proxied: only the cors plugin answers a preflight */
    request_send_fault(req, 403, 403, "Forbidden",
                       "CORS preflight from an origin that is not allowed");
    return;
  }
  write_continue(req);
  request_block_client_read(req, FALSE);
  proxy_start(req);
}

static void resume_cb(evutil_socket_t fd, short what, void *arg) {
  TgRequest *req = arg;
  if (req->access_waiting) {
    req->access_waiting = FALSE;
    tg_request_unref(req); /* the pause's reference; the event's one is still held */
    if (!req->gone && req->state == REQ_ACCESS) run_access(req);
  }
  tg_request_unref(req);
}

void tg_request_resume(TgRequest *req) {
  struct timeval now = {0, 0};
  tg_request_ref(req);
  if (event_base_once(req->base, -1, EV_TIMEOUT, resume_cb, req, &now) != 0) {
    g_warning("request %s: cannot schedule resume", req->request_id);
    tg_request_unref(req);
  }
}

const char *tg_plugin_host_gateway_id(TgPluginHost *host) { return host ? host->gateway_id : NULL; }

/* --- connections and threads --- */

/* evhtp's own read and event callbacks, wrapped below (the write one is
   connection.c's guard). */
static bufferevent_data_cb evhtp_readcb;
static bufferevent_event_cb evhtp_eventcb;

/* Bytes a request line may add to max_header_size in one head. */
#define REQUEST_LINE_MAX 8192

/* Bounds what a pipelining client can queue while its request is held. */
#define PIPELINE_INPUT_MAX (256 * 1024)

/* While a request is held (hold_pipeline) evhtp leaves what follows in the input
   buffer: above the bound, reading stops until evhtp's resume turns it back on
   (at most one read past it). A read watermark did this before, but libevent
   re-arms the read event and its timer on every change to an input buffer under
   a watermark, twice per request. TRUE: reading stopped (evhtp parses nothing
   while held, so its read callback has nothing to do). */
static gboolean cap_held_input(ConnState *cs, struct bufferevent *bev) {
  if (!(cs->conn->flags & EVHTP_CONN_FLAG_PAUSED) ||
      evbuffer_get_length(bufferevent_get_input(bev)) <
          MAX(PIPELINE_INPUT_MAX, cs->server->cfg->max_header_size * 2))
    return FALSE;
  bufferevent_disable(bev, EV_READ);
  return TRUE;
}

/* A stream conn_scan refused: with no request in flight it is answered and closed
   now (evhtp might wait for bytes that never come); else the request in flight
   ends the connection, and evhtp parses on only to meet the refusal in on_headers. */
static void readcb_guard(struct bufferevent *bev, void *arg) {
  evhtp_connection_t *conn = arg;
  ConnState *cs = connection_state(conn);
  if (cs && cap_held_input(cs, bev)) return;
  if (cs && conn_scan_status(&cs->scan)) {
    if (!cs->current) {
      bufferevent_disable(bev, EV_READ);
      evhtp_connection_free(conn); /* the fini answers (parser_reject_status) */
      return;
    }
    request_close_after(cs->current);
  }
  evhtp_readcb(bev, arg);
}

/* evhtp frees a connection at the end of its input unless a request holds it. Between
   two pipelined requests (one answered, evhtp's deferred resume not yet run) the loop
   can see a half-closing client's end of input first: evhtp would drop the requests
   still waiting in the input buffer. The end of input is kept instead, those requests
   are parsed, and the last one closes the connection (on_request_complete). */
static void eventcb_guard(struct bufferevent *bev, short events, void *arg) {
  evhtp_connection_t *conn = arg;
  ConnState *cs = connection_state(conn);
  if (events == (BEV_EVENT_EOF | BEV_EVENT_READING) && cs && !cs->current &&
      connection_input_pending(conn) && !conn->ssl) {
    cs->half_closed = TRUE;
    event_active(conn->resume_ev, EV_WRITE, 1);
    return;
  }
  evhtp_eventcb(bev, events, arg);
}

static void guard_callbacks(evhtp_connection_t *conn) {
  bufferevent_data_cb readcb = NULL, writecb = NULL;
  bufferevent_event_cb eventcb = NULL;
  void *cbarg = NULL;
  bufferevent_getcb(conn->bev, &readcb, &writecb, &eventcb, &cbarg);
  if (!readcb || !writecb || writecb == connection_write_guard || !eventcb) return;
  evhtp_readcb = readcb;
  connection_guard_writes(writecb);
  evhtp_eventcb = eventcb;
  bufferevent_setcb(conn->bev, readcb_guard, connection_write_guard, eventcb_guard, cbarg);
}

static evhtp_res on_post_accept(evhtp_connection_t *conn, void *arg) {
  Server *srv = arg;
  ConnState *cs = g_new0(ConnState, 1);
  cs->server = srv;
  cs->worker = conn->thread ? evthr_get_aux(conn->thread) : NULL;
  cs->conn = conn;
  request_client_ip_of(conn, cs->client_ip);
  if (!cs->worker) {
    g_free(cs);
    return EVHTP_RES_ERROR;
  }
  connection_set_timeouts(cs, TRUE); /* evhtp set them as plain timevals */
  cs->header_timer = evtimer_new(conn->evbase, header_timeout_cb, cs);
  g_hash_table_add(cs->worker->connections, cs);
  conn_scan_start(&cs->scan, bufferevent_get_input(conn->bev), bufferevent_getfd(conn->bev),
                  conn->ssl != NULL, srv->cfg->max_header_size + REQUEST_LINE_MAX);
  guard_callbacks(conn); /* and no read watermark: cap_held_input */
  evhtp_connection_set_hook(conn, evhtp_hook_on_connection_fini, (evhtp_hook)on_connection_fini,
                            cs);
  evhtp_connection_set_hook(conn, evhtp_hook_on_header, (evhtp_hook)on_header, cs);
  evhtp_connection_set_hook(conn, evhtp_hook_on_headers, (evhtp_hook)on_headers, cs);
  evhtp_connection_set_hook(conn, evhtp_hook_on_read, (evhtp_hook)on_read, cs);
  evhtp_connection_set_hook(conn, evhtp_hook_on_event, (evhtp_hook)on_conn_event, cs);
  arm_header_timer(cs);
  return EVHTP_RES_OK;
}

/* ms as a common timeout of base (a plain timeval if libevent has no room). */
static struct timeval common_timeout(struct event_base *base, int ms) {
  struct timeval tv = gateway_ms_timeval(ms);
  const struct timeval *common = event_base_init_common_timeout(base, &tv);
  return common ? *common : tv;
}

static void thread_init(evhtp_t *htp, evthr_t *thr, void *arg) {
  Worker *w = g_new0(Worker, 1);
  w->server = arg;
  w->base = evthr_get_base(thr);
  const GatewayConfig *cfg = w->server->cfg;
  w->client_timeout = common_timeout(w->base, cfg->client_timeout_ms);
  w->upstream_read_timeout = common_timeout(w->base, cfg->upstream_read_timeout_ms);
  w->upstream_connect_timeout = common_timeout(w->base, cfg->upstream_connect_timeout_ms);
  w->pool = upstream_pool_new(w->base, (guint)w->server->cfg->upstream_keepalive,
                              w->server->cfg->upstream_ca);
  w->connections = g_hash_table_new(NULL, NULL);
  w->request_series = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  evthr_set_aux(thr, w);
}

static void thread_exit(evhtp_t *htp, evthr_t *thr, void *arg) {
  Worker *w = evthr_get_aux(thr);
  if (!w) return;
  /* Connections still open (idle keep-alive) end with their thread. */
  GList *open = g_hash_table_get_keys(w->connections);
  for (GList *l = open; l; l = l->next) evhtp_connection_free(((ConnState *)l->data)->conn);
  g_list_free(open);
  tg_linger_drop_all(w->base); /* those closes (and earlier ones) may have left lingers */
  g_hash_table_destroy(w->connections);
  g_hash_table_destroy(w->request_series);
  upstream_pool_free(w->pool);
  g_free(w);
  evthr_set_aux(thr, NULL);
}

/* evhtp_ssl_init does not check that the files load: do it here first. */
static gboolean tls_files_usable(const GatewayConfig *cfg, GError **error) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  gboolean ok = SSL_CTX_use_certificate_chain_file(ctx, cfg->tls_cert) == 1 &&
                SSL_CTX_use_PrivateKey_file(ctx, cfg->tls_key, SSL_FILETYPE_PEM) == 1 &&
                SSL_CTX_check_private_key(ctx) == 1;
  SSL_CTX_free(ctx);
  ERR_clear_error();
  if (!ok)
    g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED,
                "[gateway] tls_cert/tls_key: cannot load certificate %s with key %s", cfg->tls_cert,
                cfg->tls_key);
  return ok;
}

static evhtp_t *listener_new(Server *srv, int port, gboolean tls, GError **error) {
  evhtp_t *htp = evhtp_new(srv->main_base, srv);
  evhtp_disable_flag(htp, EVHTP_FLAG_ENABLE_100_CONT);
  evhtp_enable_flag(htp, EVHTP_FLAG_ENABLE_NODELAY);
  evhtp_set_gencb(htp, on_request_complete, srv);
  evhtp_set_post_accept_cb(htp, on_post_accept, srv);
  int ms = srv->cfg->client_timeout_ms;
  struct timeval tv = gateway_ms_timeval(ms);
  evhtp_set_timeouts(htp, &tv, &tv);
  if (tls) {
    evhtp_ssl_cfg_t *ssl = g_new0(evhtp_ssl_cfg_t, 1);
    ssl->pemfile = srv->cfg->tls_cert;
    ssl->privfile = srv->cfg->tls_key;
    ssl->ssl_opts = SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1;
    ssl->scache_type = evhtp_ssl_scache_type_disabled;
    srv->ssl_cfg = ssl;
    if (!tls_files_usable(srv->cfg, error) || evhtp_ssl_init(htp, ssl) != 0) {
      if (error && !*error)
        g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED,
                    "cannot load TLS certificate %s / key %s", srv->cfg->tls_cert,
                    srv->cfg->tls_key);
      evhtp_free(htp);
      return NULL;
    }
  }
  evhtp_use_threads_wexit(htp, thread_init, thread_exit, srv->cfg->threads, srv);
  if (evhtp_bind_socket(htp, srv->cfg->bind, (uint16_t)port, 1024) != 0) {
    g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED, "cannot listen on %s:%d: %s",
                srv->cfg->bind, port, g_strerror(errno));
    evhtp_free(htp);
    return NULL;
  }
  return htp;
}

/* One subset chain per [api CONTEXT:VERSION] group. */
static gboolean build_api_chains(Server *srv, GError **error) {
  srv->api_chains =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)plugin_chain_free);
  GHashTableIter it;
  gpointer api, names;
  g_hash_table_iter_init(&it, srv->cfg->api_plugins);
  while (g_hash_table_iter_next(&it, &api, &names)) {
    g_autofree char *what = g_strdup_printf("[api %s] plugins", (const char *)api);
    PluginChain *chain = plugin_chain_subset(srv->chain, names, what, error);
    if (!chain) return FALSE;
    g_hash_table_insert(srv->api_chains, g_strdup(api), chain);
    g_message("API %s: own plugin order (%u plugins)", (const char *)api,
              plugin_chain_length(chain));
  }
  return TRUE;
}

PluginChain *server_chain_for(Server *server, const char *api_key) {
  PluginChain *chain = api_key ? g_hash_table_lookup(server->api_chains, api_key) : NULL;
  return chain ? chain : server->chain;
}

Server *server_new(GatewayConfig *cfg, PluginChain *chain, Router *router, TgMetrics *metrics,
                   struct event_base *main_base, GError **error) {
  Server *srv = g_new0(Server, 1);
  srv->cfg = cfg;
  srv->chain = chain;
  srv->router = router;
  srv->metrics = metrics;
  srv->main_base = main_base;
  if (!build_api_chains(srv, error)) {
    server_free(srv);
    return NULL;
  }
  tg_metrics_describe(metrics, "tollgate_gateway_requests_total", TG_METRIC_COUNTER,
                      "API requests answered, by API and HTTP status");
  tg_metrics_describe(metrics, "tollgate_gateway_upstream_seconds", TG_METRIC_HISTOGRAM,
                      "Time from sending a request upstream to its response headers");
  srv->upstream_seconds = tg_metrics_series(metrics, "tollgate_gateway_upstream_seconds", NULL);
  tg_metrics_describe(metrics, "tollgate_gateway_upstream_errors_total", TG_METRIC_COUNTER,
                      "Upstream failures by kind (timeout, refused, reset)");
  srv->http = listener_new(srv, cfg->http_port, FALSE, error);
  if (srv->http) srv->https = listener_new(srv, cfg->https_port, TRUE, error);
  if (!srv->http || !srv->https) {
    server_free(srv);
    return NULL;
  }
  g_message("listening http=%s:%d https=%s:%d threads=%d", cfg->bind, cfg->http_port, cfg->bind,
            cfg->https_port, cfg->threads);
  return srv;
}

void server_stop_accepting(Server *server) {
  g_atomic_int_set(&server->stopping, 1);
  if (server->http) evhtp_unbind_socket(server->http);
  if (server->https) evhtp_unbind_socket(server->https);
}

int server_in_flight(Server *server) { return g_atomic_int_get(&server->in_flight); }

void server_free(Server *server) {
  if (!server) return;
  server_stop_accepting(server); /* evhtp_free leaves the listeners behind */
  if (server->http) evhtp_free(server->http);
  if (server->https) evhtp_free(server->https);
  g_free(server->ssl_cfg);
  if (server->api_chains) g_hash_table_unref(server->api_chains);
  g_free(server);
}
