/*
 * thrift_server: the hub's Thrift port (see thrift_server.h).
 *
 * Life of a connection (one detached thread, conn_main):
 *   1. TLS: the first byte must start a TLS record, else the connection is
 *      refused (plaintext on the TLS port); then SSL_accept under io_timeout.
 *   2. Up to PROTOCOL_SNIFF_MAX_BYTES are read to recognise the protocol and
 *      handed back to the transport as a prefix.
 *   3. Calls in a loop. Unframed: the protocol reads straight from the
 *      TgSocketTransport. Framed: the frame is read whole (bounded by
 *      max_message_size) and run from memory (hub_rpc_process_buffer), which
 *      avoids c_glib's framed transport and its short-read bug.
 *   Between calls the socket's receive timeout is the larger of idle_timeout
 *   and io_timeout, set once (no setsockopt per call). A reaper thread cuts
 *   (shutdown(2))
 *   a connection whose TLS handshake or current message has taken longer than
 *   io_timeout in all, so a client dripping a byte at a time cannot hold its
 *   thread; the handler's own time does not count (the protocol reports the
 *   end of the message, hub_rpc_protocol_on_read_done).
 *
 * Shutdown: the drain marks the server stopping, wakes the accept thread and
 * every connection not inside a call with shutdown(2); a connection inside a
 * call finishes it and then sees the flag. A connection stays registered
 * until its thread has stopped using the socket, and is unregistered before
 * the descriptor is closed, so shutdown(2) never hits a reused descriptor.
 */
#include "config.h"

#include "thrift_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include "protocol_sniff.h"
#include "tg_socket_transport.h"
#include "tg_tls.h"

#if defined(__SANITIZE_ADDRESS__)
#define CONN_STACK_SIZE (1024 * 1024) /* ASan's redzones triple frame sizes */
#else
#define CONN_STACK_SIZE (256 * 1024)
#endif
#define LISTEN_BACKLOG 1024
#define REFUSAL_LOG_INTERVAL_US G_USEC_PER_SEC
#define REAP_INTERVAL_US (G_USEC_PER_SEC / 2)

struct ThriftServer {
  int listen_fd;
  int port;
  SSL_CTX *tls;
  HubRpc *rpc;
  TgMetrics *metrics;
  int max_connections;
  int idle_ms, io_ms;
  pthread_t reaper;
  gboolean reaper_running;
  GCond reaper_wake;
  guint32 max_frame;
  pthread_t acceptor;
  gboolean acceptor_running;

  gint stopping; /* atomic */

  GMutex lock; /* guards everything below */
  GCond changed;
  GHashTable *conns; /* Conn* set: connections whose socket may be shut down */
  int threads;       /* connection threads not yet finished */
  gint64 last_refusal_log;
};

typedef struct {
  ThriftServer *server;
  int fd;
  int recv_timeout_ms;  /* what SO_RCVTIMEO is set to now (0: not set by us) */
  SSL *ssl;                     /* until the transport owns it */
  TgSocketTransport *transport; /* owns fd and ssl once made */
  gint in_call;                 /* atomic: inside a call (the drain lets it finish) */
  gint reading;                 /* atomic: in a handshake or a message (the reaper's clock) */
  gint reading_since_s;         /* atomic: monotonic seconds */
  gint reaped;                  /* atomic: cut by the reaper */
  char peer[INET6_ADDRSTRLEN + 8];
} Conn;

/* ---- bookkeeping ---- */

static void count(ThriftServer *s, const char *name, const char *labels)
{
  tg_metrics_add(s->metrics, name, labels, 1);
}

static void update_gauge_locked(ThriftServer *s)
{
  tg_metrics_set(s->metrics, "tollgate_hub_thrift_connections", NULL,
                 g_hash_table_size(s->conns));
}

static void set_in_call(Conn *c, gboolean in_call)
{
  g_atomic_int_set(&c->in_call, in_call);
}

static gboolean stopping(ThriftServer *s)
{
  return g_atomic_int_get(&s->stopping);
}

static gint now_s(void)
{
  return (gint)(g_get_monotonic_time() / G_USEC_PER_SEC);
}

/* The reaper's clock: a handshake or a message must be over within io_timeout.
   Already running (the sniffer saw the message's first bytes): left as it is. */
static void reading_begin(Conn *c)
{
  if (g_atomic_int_get(&c->reading))
    return;
  g_atomic_int_set(&c->reading_since_s, now_s());
  g_atomic_int_set(&c->reading, TRUE);
}

static void reading_end(gpointer conn)
{
  g_atomic_int_set(&((Conn *)conn)->reading, FALSE);
}

static void set_timeout(int fd, int option, int ms)
{
  struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

static void set_recv_timeout(Conn *c, int ms)
{
  if (c->recv_timeout_ms == ms)
    return;
  set_timeout(c->fd, SO_RCVTIMEO, ms);
  c->recv_timeout_ms = ms;
}

static void set_timeouts(int fd, int ms)
{
  set_timeout(fd, SO_RCVTIMEO, ms);
  set_timeout(fd, SO_SNDTIMEO, ms);
}

/* Unregisters c, then releases its socket (the order shutdown(2) relies on),
   then counts the thread out: after that it touches nothing of the server. */
static void conn_finish(Conn *c)
{
  ThriftServer *s = c->server;
  g_mutex_lock(&s->lock);
  g_hash_table_remove(s->conns, c);
  update_gauge_locked(s);
  g_mutex_unlock(&s->lock);
  if (c->transport != NULL) {
    thrift_transport_close(THRIFT_TRANSPORT(c->transport), NULL);
    g_object_unref(c->transport);
  } else {
    if (c->ssl != NULL)
      SSL_free(c->ssl);
    close(c->fd);
  }
  g_free(c);
  g_mutex_lock(&s->lock);
  s->threads--;
  g_cond_broadcast(&s->changed);
  g_mutex_unlock(&s->lock);
}

/* ---- connection set-up ---- */

static gboolean refuse(Conn *c, const char *reason, const char *detail)
{
  g_info("thrift connection from %s refused: %s%s%s", c->peer, reason, detail ? ": " : "",
         detail ? detail : "");
  g_autofree char *labels = g_strdup_printf("reason=\"%s\"", reason);
  count(c->server, "tollgate_hub_thrift_refused_total", labels);
  return FALSE;
}

/* Plaintext on the TLS port is refused before OpenSSL sees it, with a clear log line. */
static gboolean expect_tls(Conn *c)
{
  guint8 buf[PROTOCOL_SNIFF_MAX_BYTES];
  ssize_t n;
  do
    n = recv(c->fd, buf, sizeof buf, MSG_PEEK);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return refuse(c, "no TLS handshake", n == 0 ? "closed" : g_strerror(errno));
  ProtocolSniff kind = protocol_sniff(buf, (gsize)n);
  if (buf[0] != 0x16)
    return refuse(c, "plaintext on the TLS port", protocol_sniff_name(kind));
  return TRUE;
}

static gboolean tls_accept(Conn *c)
{
  if (!expect_tls(c))
    return FALSE;
  c->ssl = SSL_new(c->server->tls);
  if (c->ssl == NULL || SSL_set_fd(c->ssl, c->fd) != 1) {
    g_autofree char *why = tg_tls_error_string();
    return refuse(c, "TLS set-up failed", why);
  }
  SSL_set_mode(c->ssl, SSL_MODE_RELEASE_BUFFERS); /* idle connections hold no record buffers */
  SSL_set_read_ahead(c->ssl, 1); /* one read(2) per record, not header then body */
  errno = 0;
  int rc = SSL_accept(c->ssl);
  if (rc == 1)
    return TRUE;
  int saved = errno;
  g_autofree char *why = tg_tls_error_string();
  const char *fallback = saved == EAGAIN ? "timed out" : saved ? g_strerror(saved) : "closed";
  return refuse(c, "TLS handshake failed", *why ? why : fallback);
}

/* One read from the socket or TLS, before the transport exists: >0, or <= 0. */
static ssize_t read_some(Conn *c, guint8 *buf, gsize len)
{
  for (;;) {
    ssize_t n = c->ssl ? SSL_read(c->ssl, buf, (int)len) : recv(c->fd, buf, len, 0);
    if (n > 0 || c->ssl != NULL || errno != EINTR) {
      ERR_clear_error();
      return n;
    }
  }
}

/* Reads until the protocol is known. The first byte may take idle_timeout
   (pooled clients connect ahead of their first call); the rest io_timeout. */
static ProtocolSniff sniff(Conn *c, guint8 *buf, gsize *len)
{
  ProtocolSniff kind = PROTOCOL_SNIFF_NEED_MORE;
  set_recv_timeout(c, c->server->idle_ms);
  *len = 0;
  while (kind == PROTOCOL_SNIFF_NEED_MORE && *len < PROTOCOL_SNIFF_MAX_BYTES) {
    ssize_t n = read_some(c, buf + *len, PROTOCOL_SNIFF_MAX_BYTES - *len);
    if (n <= 0)
      return PROTOCOL_SNIFF_NEED_MORE;
    if (*len == 0) {
      set_recv_timeout(c, c->server->io_ms);
      reading_begin(c);
    }
    *len += (gsize)n;
    kind = protocol_sniff(buf, *len);
  }
  return kind;
}

/* Waits for the next call (idle_timeout); FALSE when the connection is over. */
static gboolean wait_for_call(Conn *c)
{
  if (stopping(c->server))
    return FALSE;
  g_autoptr(GError) error = NULL;
  /* idle_timeout between calls; inside a call the reaper enforces io_timeout */
  set_recv_timeout(c, MAX(c->server->idle_ms, c->server->io_ms));
  gboolean ok = thrift_transport_peek(THRIFT_TRANSPORT(c->transport), &error);
  if (!ok)
    g_debug("thrift connection from %s closed: %s", c->peer,
            error ? error->message : "closed by peer");
  return ok;
}

static void call_failed(Conn *c, const GError *error)
{
  if (g_atomic_int_get(&c->reaped))
    g_info("thrift connection from %s dropped: message not complete within io_timeout (%d s)",
           c->peer, c->server->io_ms / 1000);
  else
    g_info("thrift connection from %s dropped: %s", c->peer,
           error ? error->message : "unknown error");
  count(c->server, "tollgate_hub_thrift_dropped_total", NULL);
}

/* ---- the call loops ---- */

static void serve_unframed(Conn *c, HubRpcProtocol kind)
{
  HubRpc *rpc = c->server->rpc;
  ThriftTransport *t = THRIFT_TRANSPORT(c->transport);
  g_autoptr(ThriftProtocol) in = hub_rpc_protocol_new(rpc, t, kind);
  g_autoptr(ThriftProtocol) out = hub_rpc_protocol_new(rpc, t, kind);
  hub_rpc_protocol_on_read_done(in, reading_end, c);
  while (wait_for_call(c)) {
    g_autoptr(GError) error = NULL;
    set_in_call(c, TRUE);
    reading_begin(c);
    gboolean ok = hub_rpc_process(rpc, in, out, &error);
    reading_end(c);
    set_in_call(c, FALSE);
    if (!ok) {
      call_failed(c, error);
      return;
    }
  }
}

/* Reads one frame into request; FALSE with error on a bad size or I/O failure. */
static gboolean read_frame(Conn *c, GByteArray *request, GError **error)
{
  ThriftTransport *t = THRIFT_TRANSPORT(c->transport);
  guint32 size_be;
  if (thrift_transport_read_all(t, &size_be, sizeof size_be, error) < 0)
    return FALSE;
  guint32 size = g_ntohl(size_be);
  if (size == 0 || size > c->server->max_frame) {
    g_set_error(error, THRIFT_TRANSPORT_ERROR, THRIFT_TRANSPORT_ERROR_MAX_MESSAGE_SIZE_REACHED,
                "frame of %u bytes (limit %u)", size, c->server->max_frame);
    return FALSE;
  }
  g_byte_array_set_size(request, size);
  if (thrift_transport_read_all(t, request->data, size, error) < 0)
    return FALSE;
  return thrift_transport_read_end(t, error);
}

static gboolean framed_call(Conn *c, HubRpcProtocol kind, GByteArray *request,
                            GByteArray *response, GError **error)
{
  ThriftTransport *t = THRIFT_TRANSPORT(c->transport);
  reading_begin(c);
  gboolean read = read_frame(c, request, error);
  reading_end(c);
  if (!read)
    return FALSE;
  g_byte_array_set_size(response, 4);
  if (!hub_rpc_process_buffer(c->server->rpc, kind, request->data, request->len, response, error))
    return FALSE;
  if (response->len == 4) /* oneway: no answer */
    return TRUE;
  guint32 size_be = g_htonl(response->len - 4);
  memcpy(response->data, &size_be, 4);
  return thrift_transport_write(t, response->data, response->len, error) &&
         thrift_transport_flush(t, error);
}

static void serve_framed(Conn *c, HubRpcProtocol kind)
{
  g_autoptr(GByteArray) request = g_byte_array_new();
  g_autoptr(GByteArray) response = g_byte_array_new();
  while (wait_for_call(c)) {
    g_autoptr(GError) error = NULL;
    set_in_call(c, TRUE);
    gboolean ok = framed_call(c, kind, request, response, &error);
    set_in_call(c, FALSE);
    if (!ok) {
      call_failed(c, error);
      return;
    }
  }
}

static void serve(Conn *c)
{
  ThriftServer *s = c->server;
  set_timeouts(c->fd, s->io_ms);
  c->recv_timeout_ms = s->io_ms;
  reading_begin(c);
  gboolean ok = s->tls == NULL || tls_accept(c);
  reading_end(c);
  if (!ok)
    return;
  guint8 first[PROTOCOL_SNIFF_MAX_BYTES];
  gsize len = 0;
  ProtocolSniff kind = sniff(c, first, &len);
  if (kind == PROTOCOL_SNIFF_NEED_MORE) {
    g_debug("thrift connection from %s closed before its first call", c->peer);
    return;
  }
  g_autofree char *labels = g_strdup_printf("protocol=\"%s\"", protocol_sniff_name(kind));
  count(s, "tollgate_hub_thrift_protocol_total", labels);
  HubRpcProtocol proto = kind == PROTOCOL_SNIFF_COMPACT || kind == PROTOCOL_SNIFF_FRAMED_COMPACT
                             ? HUB_RPC_COMPACT
                             : HUB_RPC_BINARY;
  switch (kind) {
  case PROTOCOL_SNIFF_BINARY:
  case PROTOCOL_SNIFF_COMPACT:
  case PROTOCOL_SNIFF_FRAMED_BINARY:
  case PROTOCOL_SNIFF_FRAMED_COMPACT:
    break;
  default:
    refuse(c, s->tls && kind == PROTOCOL_SNIFF_TLS ? "TLS inside TLS" : "not Thrift",
           protocol_sniff_name(kind));
    return;
  }
  c->transport = tg_socket_transport_new(c->fd, g_steal_pointer(&c->ssl), s->io_ms,
                                         hub_rpc_configuration(s->rpc));
  tg_socket_transport_push_prefix(c->transport, first, len);
  if (kind == PROTOCOL_SNIFF_FRAMED_BINARY || kind == PROTOCOL_SNIFF_FRAMED_COMPACT)
    serve_framed(c, proto);
  else
    serve_unframed(c, proto);
}

static void *conn_main(void *arg)
{
  Conn *c = arg;
  serve(c);
  conn_finish(c);
  return NULL;
}

/* ---- accepting ---- */

static void peer_name(const struct sockaddr_storage *ss, char *out, gsize len)
{
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (ss->ss_family == AF_INET) {
    const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    port = ntohs(a->sin_port);
  } else if (ss->ss_family == AF_INET6) {
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    port = ntohs(a->sin6_port);
  }
  g_snprintf(out, len, "%s:%d", host, port);
}

/* Over the limit (or stopping): the connection is closed at once, logged at most once a second. */
static gboolean admit_locked(ThriftServer *s, const char *peer)
{
  if (!stopping(s) && (int)g_hash_table_size(s->conns) < s->max_connections)
    return TRUE;
  gint64 now = g_get_monotonic_time();
  if (now - s->last_refusal_log >= REFUSAL_LOG_INTERVAL_US) {
    g_warning("thrift connection from %s closed: %s (max_connections = %d)", peer,
              stopping(s) ? "shutting down" : "too many connections", s->max_connections);
    s->last_refusal_log = now;
  }
  count(s, "tollgate_hub_thrift_refused_total", "reason=\"max_connections\"");
  return FALSE;
}

static gboolean start_conn_thread(Conn *c)
{
  pthread_attr_t attr;
  pthread_t thread;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, CONN_STACK_SIZE);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int rc = pthread_create(&thread, &attr, conn_main, c);
  pthread_attr_destroy(&attr);
  if (rc != 0)
    g_warning("thrift connection from %s closed: no thread: %s", c->peer, g_strerror(rc));
  return rc == 0;
}

static void admit(ThriftServer *s, int fd, const struct sockaddr_storage *ss)
{
  Conn *c = g_new0(Conn, 1);
  c->server = s;
  c->fd = fd;
  peer_name(ss, c->peer, sizeof c->peer);
  g_mutex_lock(&s->lock);
  gboolean ok = admit_locked(s, c->peer);
  if (ok) {
    g_hash_table_add(s->conns, c);
    s->threads++;
    update_gauge_locked(s);
  }
  g_mutex_unlock(&s->lock);
  if (!ok) {
    close(fd);
    g_free(c);
    return;
  }
  count(s, "tollgate_hub_thrift_connections_total", NULL);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (!start_conn_thread(c))
    conn_finish(c);
}

/* Out of descriptors or memory: wait a little instead of spinning. */
static void accept_failed(ThriftServer *s, int err)
{
  if (err == EINTR || err == ECONNABORTED || err == EPROTO)
    return;
  g_mutex_lock(&s->lock);
  gint64 now = g_get_monotonic_time();
  gboolean log = now - s->last_refusal_log >= REFUSAL_LOG_INTERVAL_US;
  if (log)
    s->last_refusal_log = now;
  g_mutex_unlock(&s->lock);
  if (log)
    g_warning("thrift accept failed: %s", g_strerror(err));
  g_usleep(50 * 1000);
}

static void *accept_main(void *arg)
{
  ThriftServer *s = arg;
  for (;;) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int fd = accept4(s->listen_fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);
    if (stopping(s)) {
      if (fd >= 0)
        close(fd);
      return NULL;
    }
    if (fd < 0)
      accept_failed(s, errno);
    else
      admit(s, fd, &ss);
  }
}

/* Cuts the connections whose handshake or message has outlived io_timeout. */
static void reap_locked(ThriftServer *s)
{
  gint now = now_s(), limit = s->io_ms / 1000;
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, s->conns);
  while (g_hash_table_iter_next(&it, &key, NULL)) {
    Conn *c = key;
    if (g_atomic_int_get(&c->reading) && now - g_atomic_int_get(&c->reading_since_s) > limit) {
      g_atomic_int_set(&c->reaped, TRUE);
      g_atomic_int_set(&c->reading, FALSE);
      shutdown(c->fd, SHUT_RDWR);
      count(s, "tollgate_hub_thrift_refused_total", "reason=\"io_timeout\"");
    }
  }
}

static void *reaper_main(void *arg)
{
  ThriftServer *s = arg;
  g_mutex_lock(&s->lock);
  while (!stopping(s)) {
    reap_locked(s);
    g_cond_wait_until(&s->reaper_wake, &s->lock, g_get_monotonic_time() + REAP_INTERVAL_US);
  }
  g_mutex_unlock(&s->lock);
  return NULL;
}

static int listen_on(const char *host, int port, GError **error)
{
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                           .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
  struct addrinfo *res = NULL;
  char service[16];
  g_snprintf(service, sizeof service, "%d", port);
  int rc = getaddrinfo(host, service, &hints, &res);
  if (rc != 0) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", host, gai_strerror(rc));
    return -1;
  }
  int fd = -1, err = 0;
  for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    int one = 1;
    if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
                    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, LISTEN_BACKLOG) < 0)) {
      err = errno;
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  if (fd < 0)
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "Thrift port %s:%d: %s", host,
                port, g_strerror(err));
  return fd;
}

ThriftServer *thrift_server_start(const HubConfig *cfg, SSL_CTX *tls, HubRpc *rpc,
                                  TgMetrics *metrics, GError **error)
{
  int fd = listen_on(cfg->bind, cfg->thrift_port, error);
  if (fd < 0)
    return NULL;
  ThriftServer *s = g_new0(ThriftServer, 1);
  *s = (ThriftServer){.listen_fd = fd, .port = cfg->thrift_port, .tls = tls, .rpc = rpc,
                      .metrics = metrics, .max_connections = cfg->max_connections,
                      .idle_ms = cfg->idle_timeout_s * 1000, .io_ms = cfg->io_timeout_s * 1000,
                      .max_frame = (guint32)MIN(cfg->max_message_size, G_MAXINT32),
                      .conns = g_hash_table_new(NULL, NULL)};
  g_mutex_init(&s->lock);
  g_cond_init(&s->changed);
  g_cond_init(&s->reaper_wake);
  tg_metrics_describe(metrics, "tollgate_hub_thrift_connections", TG_METRIC_GAUGE,
                      "Open Thrift connections");
  tg_metrics_describe(metrics, "tollgate_hub_thrift_connections_total", TG_METRIC_COUNTER,
                      "Thrift connections accepted");
  tg_metrics_describe(metrics, "tollgate_hub_thrift_refused_total", TG_METRIC_COUNTER,
                      "Thrift connections refused, by reason");
  tg_metrics_describe(metrics, "tollgate_hub_thrift_dropped_total", TG_METRIC_COUNTER,
                      "Thrift connections closed on a bad or unfinished message");
  tg_metrics_describe(metrics, "tollgate_hub_thrift_protocol_total", TG_METRIC_COUNTER,
                      "Thrift connections by protocol");
  tg_metrics_set(metrics, "tollgate_hub_thrift_connections", NULL, 0);
  int rc = pthread_create(&s->reaper, NULL, reaper_main, s);
  s->reaper_running = rc == 0;
  if (rc == 0)
    rc = pthread_create(&s->acceptor, NULL, accept_main, s);
  if (rc != 0) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "accept thread: %s", g_strerror(rc));
    thrift_server_free(s);
    return NULL;
  }
  s->acceptor_running = TRUE;
  return s;
}

static void stop_accepting(ThriftServer *s)
{
  g_atomic_int_set(&s->stopping, TRUE);
  if (s->reaper_running) {
    g_mutex_lock(&s->lock);
    g_cond_signal(&s->reaper_wake);
    g_mutex_unlock(&s->lock);
    pthread_join(s->reaper, NULL);
    s->reaper_running = FALSE;
  }
  if (s->acceptor_running) {
    shutdown(s->listen_fd, SHUT_RDWR); /* wakes accept(2) */
    pthread_join(s->acceptor, NULL);
    s->acceptor_running = FALSE;
  }
  if (s->listen_fd >= 0)
    close(s->listen_fd);
  s->listen_fd = -1;
}

/* Wakes the connections; with all = FALSE only those not inside a call. */
static void cut_locked(ThriftServer *s, gboolean all)
{
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, s->conns);
  while (g_hash_table_iter_next(&it, &key, NULL)) {
    Conn *c = key;
    if (all || !g_atomic_int_get(&c->in_call))
      shutdown(c->fd, SHUT_RDWR);
  }
}

int thrift_server_drain(ThriftServer *s, int timeout_ms)
{
  stop_accepting(s);
  gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
  g_mutex_lock(&s->lock);
  g_message("thrift port %d: draining %u connections", s->port, g_hash_table_size(s->conns));
  cut_locked(s, FALSE);
  while (s->threads > 0 && g_cond_wait_until(&s->changed, &s->lock, deadline))
    ;
  int left = s->threads;
  if (left > 0) {
    g_warning("thrift port %d: %d connections still busy after %d ms: cutting them", s->port,
              left, timeout_ms);
    cut_locked(s, TRUE);
    gint64 grace = g_get_monotonic_time() + G_USEC_PER_SEC;
    while (s->threads > 0 && g_cond_wait_until(&s->changed, &s->lock, grace))
      ;
    left = s->threads;
  }
  g_mutex_unlock(&s->lock);
  return left;
}

void thrift_server_free(ThriftServer *s)
{
  if (s == NULL)
    return;
  if (s->acceptor_running || s->reaper_running || s->listen_fd >= 0)
    stop_accepting(s);
  g_hash_table_unref(s->conns);
  g_mutex_clear(&s->lock);
  g_cond_clear(&s->changed);
  g_cond_clear(&s->reaper_wake);
  g_free(s);
}

int thrift_server_connections(ThriftServer *s)
{
  g_mutex_lock(&s->lock);
  int n = (int)g_hash_table_size(s->conns);
  g_mutex_unlock(&s->lock);
  return n;
}
