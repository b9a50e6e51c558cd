/*
 * http_server.c: the hub's HTTPS endpoints on libevhtp (http_server.h). Handlers run
 * on thread pools (logins on their own), never on evhtp's connection threads, and a
 * failed login's answer is sent after its delay by a timer, never slept. Bodies are
 * bounded (413). Design notes: docs/HACKING.md, "The hub's HTTPS port".
 */
#include "config.h"

#include "http_server.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <event2/thread.h>
#include <evhtp.h>

#include "tg_json.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#define IO_THREADS      2  /* evhtp's: reading and writing only */
#define HANDLER_THREADS 8  /* ours: the handlers, which may wait on the database */
#define DISCARD_FACTOR  16 /* read and discard up to this many times max_http_body */
#define HELD_WAIT_US    (G_USEC_PER_SEC / 20)

typedef struct HttpServer HttpServer;
typedef struct Job Job;
typedef void (*RouteFn)(HttpServer *srv, Job *job);

typedef struct {
  const char *path;
  htp_method method;
  RouteFn fn;
  gboolean login; /* checks a password: runs on the login pool */
} Route;

typedef struct {
  HttpServer *srv;
  const Route *route;
} RouteBinding;

/*
 * One request handed to a handler thread and its answer. The connection's
 * thread owns req: it sets req to NULL if evhtp frees the request first
 * (client gone), and sends the answer (job_send) when the handler is done.
 */
struct Job {
  HttpServer *srv;
  const Route *route;
  evhtp_request_t *req;
  struct event_base *evbase;
  char *body;
  gsize len;
  char *authorization;
  char address[INET6_ADDRSTRLEN];
  int status;
  const char *type;
  GByteArray *out;
  const char *headers[8]; /* name, value pairs (static strings) */
  guint n_headers;
  gboolean held;  /* the answer waits for a failed login's delay */
  guint priority; /* login pool: failed logins from the address (fewer first) */
  gssize queued;  /* ... then the order of arrival */
};

static void thrift_cb(HttpServer *srv, Job *job);
static void token_cb(HttpServer *srv, Job *job);
static void revoke_cb(HttpServer *srv, Job *job);
static void health_cb(HttpServer *srv, Job *job);
static void metrics_cb(HttpServer *srv, Job *job);

static const Route routes[] = {
    {"/thriftAuthenticator", htp_method_POST, thrift_cb, TRUE},
    {"/token", htp_method_POST, token_cb, TRUE},
    {"/revoke", htp_method_POST, revoke_cb, FALSE},
    {"/health", htp_method_GET, health_cb, FALSE},
    {"/metrics", htp_method_GET, metrics_cb, FALSE},
};

struct HttpServer {
  struct event_base *base;
  evhtp_t *htp;
  GThread *loop;
  GThreadPool *handlers;
  GThreadPool *logins;
  gint held;           /* atomic: answers waiting for their delay */
  gssize login_queued; /* atomic: jobs pushed to logins */
  Hub *hub;
  HubRpc *rpc;
  TgMetrics *metrics;
  guint64 max_body;
  TgThriftScanLimits scan_limits;
  int port;
  RouteBinding bindings[G_N_ELEMENTS(routes)];
};

/* ---- answers ---- */

static void count(HttpServer *srv, const char *path, int status) {
  g_autofree char *labels = g_strdup_printf("path=\"%s\",status=\"%d\"", path, status);
  tg_metrics_add(srv->metrics, "tollgate_hub_http_requests_total", labels, 1);
}

static void job_header(Job *job, const char *name, const char *value) {
  g_assert(job->n_headers + 2 <= G_N_ELEMENTS(job->headers));
  job->headers[job->n_headers++] = name;
  job->headers[job->n_headers++] = value;
}

static void job_answer(Job *job, int status, const char *type, const void *body, gsize len) {
  job->status = status;
  job->type = type;
  g_byte_array_append(job->out, body, (guint)len);
  count(job->srv, job->route ? job->route->path : "other", status);
}

/* {"error":"...","error_description":"..."}: the OAuth2 error shape, used for every error. */
static void job_error(Job *job, int status, const char *error, const char *description) {
  g_autoptr(GString) out = g_string_new("{");
  tg_json_member_string(out, "error", error);
  tg_json_member_string(out, "error_description", description);
  g_string_append(out, "}\n");
  job_answer(job, status, "application/json", out->str, out->len);
}

static Job *job_new(HttpServer *srv, const Route *route, evhtp_request_t *req) {
  Job *job = g_new0(Job, 1);
  job->srv = srv;
  job->route = route;
  job->req = req;
  job->evbase = evhtp_request_get_connection(req)->evbase;
  job->out = g_byte_array_new();
  return job;
}

static void job_free(Job *job) {
  g_free(job->body);
  g_free(job->authorization);
  g_byte_array_unref(job->out);
  g_free(job);
}

/* In the connection's thread: writes the answer unless the request is gone. */
static void job_send(Job *job) {
  evhtp_request_t *req = job->req;
  if (req != NULL) {
    for (guint i = 0; i < job->n_headers; i += 2)
      evhtp_headers_add_header(req->headers_out,
                               evhtp_header_new(job->headers[i], job->headers[i + 1], 0, 0));
    evhtp_headers_add_header(req->headers_out, evhtp_header_new("Content-Type", job->type, 0, 0));
    evbuffer_add(req->buffer_out, job->out->data, job->out->len);
    evhtp_send_reply(req, (evhtp_res)job->status);
  }
  job_free(job);
}

/* ---- endpoints (handler threads) ---- */

/* The body is one compact call, scanned as the Thrift port scans one (limits, NUL bytes). */
static void thrift_cb(HttpServer *srv, Job *job) {
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) answer = g_byte_array_new();
  TgThriftScan scan;
  TgThriftScanResult r = tg_thrift_scan(TG_THRIFT_WIRE_COMPACT, (const guint8 *)job->body, job->len,
                                        &srv->scan_limits, &scan);
  /* over a limit: 400 (an HTTP answer keeps no stream in step); a short body is left to
     c_glib's own error */
  if (r == TG_THRIFT_SCAN_INVALID || r == TG_THRIFT_SCAN_REFUSED) {
    g_info("POST /thriftAuthenticator: bad request: %s", scan.error);
    job_error(job, 400, "invalid_request", scan.error);
    return;
  }
  if (!hub_rpc_process_buffer(srv->rpc, HUB_RPC_COMPACT, (const guint8 *)job->body, job->len,
                              answer, &error)) {
    g_info("POST /thriftAuthenticator: bad request: %s", error->message);
    job_error(job, 400, "invalid_request", error->message);
    return;
  }
  job_answer(job, 200, "application/x-thrift", answer->data, answer->len);
}

typedef int (*OAuthFn)(Hub *hub, const char *authorization, const char *body, gsize len,
                       GString *out);

static void oauth(HttpServer *srv, Job *job, OAuthFn fn) {
  g_autoptr(GString) out = g_string_new(NULL);
  int status = fn(srv->hub, job->authorization, job->body, job->len, out);
  job_header(job, "Cache-Control", "no-store");
  job_header(job, "Pragma", "no-cache");
  if (status == 401) job_header(job, "WWW-Authenticate", "Basic realm=\"tollgate\"");
  job_answer(job, status, "application/json", out->str, out->len);
}

static void token_cb(HttpServer *srv, Job *job) { oauth(srv, job, hub_oauth_token); }

static void revoke_cb(HttpServer *srv, Job *job) { oauth(srv, job, hub_oauth_revoke); }

static void health_cb(HttpServer *srv, Job *job) {
  gboolean db = hub_core_db_ok(srv->hub);
  g_autoptr(GString) out = g_string_new("{");
  tg_json_member_string(out, "status", db ? "ok" : "degraded");
  tg_json_member_bool(out, "db", db);
  g_string_append(out, "}\n");
  job_header(job, "Cache-Control", "no-store");
  job_answer(job, 200, "application/json", out->str, out->len);
}

static void metrics_cb(HttpServer *srv, Job *job) {
  if (!hub_core_metrics_allowed(srv->hub, job->authorization)) {
    job_header(job, "WWW-Authenticate", "Bearer realm=\"tollgate\"");
    job_error(job, 401, "unauthorized",
              "/metrics needs Authorization: Bearer with an admin session or metrics_token");
    return;
  }
  g_autofree char *text = tg_metrics_render(srv->metrics);
  job_answer(job, 200, "text/plain; version=0.0.4", text, strlen(text));
}

/* ---- hand-over between the connection's thread and the handler threads ---- */

static void job_done_cb(evutil_socket_t fd, short what, void *arg) {
  Job *job = arg;
  if (job->held) g_atomic_int_dec_and_test(&job->srv->held);
  if (job->req != NULL) {
    evhtp_request_unset_hook(job->req, evhtp_hook_on_request_fini);
    evhtp_request_t *req = job->req;
    job_send(job);
    evhtp_request_resume(req);
    return;
  }
  job_free(job);
}

static void handler_main(gpointer data, gpointer user_data) {
  Job *job = data;
  hub_call_begin(job->address[0] ? job->address : NULL);
  job->route->fn(job->srv, job);
  guint delay_ms = hub_call_end();
  struct timeval after = {.tv_sec = delay_ms / 1000, .tv_usec = (delay_ms % 1000) * 1000};
  job->held = delay_ms > 0;
  if (job->held) g_atomic_int_inc(&job->srv->held);
  event_base_once(job->evbase, -1, EV_TIMEOUT, job_done_cb, job, &after);
}

/* evhtp frees the request (the client went away) before the handler is done. */
static evhtp_res job_request_gone(evhtp_request_t *req, void *arg) {
  ((Job *)arg)->req = NULL;
  return EVHTP_RES_OK;
}

/* The client's address without its port ("" when unknown). */
static void client_address(evhtp_connection_t *conn, char *out, gsize len) {
  out[0] = '\0';
  const struct sockaddr *sa = conn ? conn->saddr : NULL;
  if (sa != NULL && sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)len);
  else if (sa != NULL && sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)len);
}

/* Login pool order: fewer failed logins from the address first, then first come. */
static gint by_priority(gconstpointer a, gconstpointer b, gpointer unused) {
  const Job *x = a, *y = b;
  if (x->priority != y->priority) return x->priority < y->priority ? -1 : 1;
  return x->queued < y->queued ? -1 : x->queued > y->queued;
}

static void job_start(Job *job) {
  evhtp_request_t *req = job->req;
  job->body = g_malloc(evbuffer_get_length(req->buffer_in) + 1);
  job->len = evbuffer_copyout(req->buffer_in, job->body, evbuffer_get_length(req->buffer_in));
  job->body[job->len] = '\0';
  job->authorization = g_strdup(evhtp_header_find(req->headers_in, "Authorization"));
  client_address(req->conn, job->address, sizeof job->address);
  evhtp_request_set_hook(req, evhtp_hook_on_request_fini, (evhtp_hook)job_request_gone, job);
  evhtp_request_pause(req);
  if (job->route->login) {
    job->priority = hub_login_address_failures(job->srv->hub, job->address);
    job->queued = g_atomic_pointer_add(&job->srv->login_queued, 1);
  }
  g_thread_pool_push(job->route->login ? job->srv->logins : job->srv->handlers, job, NULL);
}

/* ---- dispatch (connection threads) ---- */

static void route_cb(evhtp_request_t *req, void *arg) {
  RouteBinding *b = arg;
  Job *job = job_new(b->srv, b->route, req);
  if (evhtp_request_get_method(req) != b->route->method) {
    job_header(job, "Allow", b->route->method == htp_method_POST ? "POST" : "GET");
    job_error(job, 405, "method_not_allowed",
              b->route->method == htp_method_POST ? "use POST" : "use GET");
    job_send(job);
  } else if (evbuffer_get_length(req->buffer_in) > b->srv->max_body) {
    job_error(job, 413, "request_too_large", "the request body exceeds max_http_body");
    job_send(job);
  } else {
    job_start(job);
  }
}

static void not_found_cb(evhtp_request_t *req, void *arg) {
  Job *job = job_new(arg, NULL, req);
  job_error(job, 404, "not_found",
            "try /thriftAuthenticator, /token, /revoke, /health or /metrics");
  job_send(job);
}

/* A declared body past the discard limit: 413 written straight away, then evhtp drops the
 * connection. */
static void send_raw_413(evhtp_connection_t *conn) {
  static const char body[] =
      "{\"error\":\"request_too_large\",\"error_description\":"
      "\"the request body exceeds max_http_body\"}\n";
  g_autofree char *msg = g_strdup_printf(
      "HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\n"
      "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
      strlen(body), body);
  if (conn->ssl != NULL) {
    SSL_write(conn->ssl, msg, (int)strlen(msg));
    return;
  }
  ssize_t ignored = send(conn->sock, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
  (void)ignored;
}

static guint64 discard_limit(const HttpServer *srv) { return srv->max_body * DISCARD_FACTOR + 1; }

/* Body bytes as they arrive: kept up to one byte past the limit (so that
   route_cb sees the request is too large), the rest thrown away. */
static evhtp_res on_body(evhtp_request_t *req, struct evbuffer *buf, void *arg) {
  HttpServer *srv = arg;
  size_t have = evbuffer_get_length(req->buffer_in);
  if (have + evbuffer_get_length(buf) <= srv->max_body) return EVHTP_RES_OK;
  if (have <= srv->max_body) evbuffer_remove_buffer(buf, req->buffer_in, srv->max_body + 1 - have);
  evbuffer_drain(buf, evbuffer_get_length(buf));
  return EVHTP_RES_OK;
}

static evhtp_res on_headers(evhtp_request_t *req, evhtp_headers_t *headers, void *arg) {
  HttpServer *srv = arg;
  evhtp_request_set_hook(req, evhtp_hook_on_read, (evhtp_hook)on_body, srv);
  const char *length = evhtp_header_find(headers, "Content-Length");
  if (length == NULL || g_ascii_strtoull(length, NULL, 10) < discard_limit(srv))
    return EVHTP_RES_OK;
  count(srv, "any", 413);
  send_raw_413(req->conn);
  return EVHTP_RES_FATAL;
}

static evhtp_res on_accept(evhtp_connection_t *conn, void *arg) {
  evhtp_connection_set_hook(conn, evhtp_hook_on_headers, (evhtp_hook)on_headers, arg);
  return EVHTP_RES_OK;
}

/* ---- life cycle ---- */

static gpointer loop_main(gpointer arg) {
  HttpServer *srv = arg;
  event_base_loop(srv->base, EVLOOP_NO_EXIT_ON_EMPTY);
  return NULL;
}

static void setup_routes(HttpServer *srv) {
  for (gsize i = 0; i < G_N_ELEMENTS(routes); i++) {
    srv->bindings[i] = (RouteBinding){srv, &routes[i]};
    evhtp_set_cb(srv->htp, routes[i].path, route_cb, &srv->bindings[i]);
  }
  evhtp_set_gencb(srv->htp, not_found_cb, srv);
}

static void setup_limits(HttpServer *srv, const HubConfig *cfg) {
  struct timeval tv = {.tv_sec = cfg->io_timeout_s};
  evhtp_set_timeouts(srv->htp, &tv, &tv);
  /* evhtp drops a connection whose body reaches its limit: past our discard limit. */
  evhtp_set_max_body_size(srv->htp, discard_limit(srv) + 1);
  evhtp_set_post_accept_cb(srv->htp, on_accept, srv);
  evhtp_enable_flag(srv->htp, EVHTP_FLAG_ENABLE_NODELAY);
}

static void describe_metrics(TgMetrics *metrics) {
  tg_metrics_describe(metrics, "tollgate_hub_http_requests_total", TG_METRIC_COUNTER,
                      "HTTPS requests by path and status");
}

HttpServer *http_server_start(const HubConfig *cfg, SSL_CTX *tls, Hub *hub, HubRpc *rpc,
                              TgMetrics *metrics, GError **error) {
  evthread_use_pthreads();
  HttpServer *srv = g_new0(HttpServer, 1);
  *srv = (HttpServer){.hub = hub,
                      .rpc = rpc,
                      .metrics = metrics,
                      .port = cfg->https_port,
                      .max_body = (guint64)cfg->max_http_body,
                      .scan_limits = hub_rpc_scan_limits(cfg),
                      .base = event_base_new()};
  srv->htp = evhtp_new(srv->base, srv);
  if (tls != NULL) {
    SSL_CTX_up_ref(tls); /* evhtp_free frees its ssl_ctx */
    srv->htp->ssl_ctx = tls;
  }
  setup_routes(srv);
  setup_limits(srv, cfg);
  describe_metrics(metrics);
  srv->handlers = g_thread_pool_new(handler_main, srv, HANDLER_THREADS, FALSE, NULL);
  srv->logins = g_thread_pool_new(handler_main, srv, cfg->login_workers, FALSE, NULL);
  g_thread_pool_set_sort_function(srv->logins, by_priority, NULL);
  evhtp_use_threads_wexit(srv->htp, NULL, NULL, IO_THREADS, srv);
  if (evhtp_bind_socket(srv->htp, cfg->bind, (uint16_t)cfg->https_port, 1024) != 0) {
    int saved = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "HTTPS port %s:%d: %s",
                cfg->bind, cfg->https_port, g_strerror(saved));
    evhtp_free(srv->htp);
    event_base_free(srv->base);
    g_thread_pool_free(srv->handlers, FALSE, TRUE);
    g_thread_pool_free(srv->logins, FALSE, TRUE);
    g_free(srv);
    return NULL;
  }
  srv->loop = g_thread_new("hub-https", loop_main, srv);
  return srv;
}

void http_server_stop(HttpServer *srv) {
  if (srv == NULL) return;
  event_base_loopbreak(srv->base);
  g_thread_join(srv->loop);
  evhtp_unbind_socket(srv->htp);                /* evhtp_free leaves the listener behind */
  g_thread_pool_free(srv->logins, FALSE, TRUE); /* requests in flight finish */
  g_thread_pool_free(srv->handlers, FALSE, TRUE);
  /* held answers (a failed login's delay, at most login_failure_delay_max_ms) go out first */
  while (g_atomic_int_get(&srv->held) > 0) g_usleep(HELD_WAIT_US);
  evhtp_free(srv->htp); /* stops the connection threads */
  event_base_free(srv->base);
  g_free(srv);
}
