/*
 * upstream_pool: per-thread keep-alive pools of backend connections, plain or TLS (see
 * upstream_pool.h). Names are resolved on first use and cached for the pool's life. Trade-off:
 * DNS stays off the hot path, but a backend that moves to a new address needs a gateway
 * restart. Design notes: docs/HACKING.md.
 */
#include "upstream_pool.h"

#include <event2/buffer.h>

#include "gateway_error.h"

#include <event2/bufferevent_ssl.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define IDLE_TIMEOUT_S 60
#define RAW_READ_SIZE  16384

typedef struct {
  struct sockaddr_storage addr;
  socklen_t len;
} CachedAddr;

struct UpstreamPool {
  struct event_base *base;
  guint max_idle;              /* per key */
  GHashTable *idle;            /* key -> GQueue of UpstreamConn */
  GHashTable *addresses;       /* "host:port" -> CachedAddr */
  struct timeval idle_timeout; /* a common timeout: re-arming it per request is cheap */
  SSL_CTX *tls;
  char *ca_file; /* "": the system's trust store */
};

static void queue_free(gpointer q) {
  GQueue *queue = q;
  UpstreamConn *c;
  while ((c = g_queue_pop_head(queue))) {
    c->pool = NULL;
    upstream_conn_free(c);
  }
  g_queue_free(queue);
}

UpstreamPool *upstream_pool_new(struct event_base *base, guint max_idle, const char *ca_file) {
  UpstreamPool *pool = g_new0(UpstreamPool, 1);
  pool->ca_file = g_strdup(ca_file ? ca_file : "");
  pool->base = base;
  pool->max_idle = max_idle;
  struct timeval idle = {IDLE_TIMEOUT_S, 0};
  const struct timeval *common = event_base_init_common_timeout(base, &idle);
  pool->idle_timeout = common ? *common : idle;
  pool->idle = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, queue_free);
  pool->addresses = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  return pool;
}

void upstream_pool_free(UpstreamPool *pool) {
  if (!pool) return;
  g_hash_table_destroy(pool->idle);
  g_hash_table_destroy(pool->addresses);
  if (pool->tls) SSL_CTX_free(pool->tls);
  g_free(pool->ca_file);
  g_free(pool);
}

void upstream_conn_free(UpstreamConn *conn) {
  if (!conn) return;
  if (conn->raw_read) event_free(conn->raw_read);
  if (conn->bev) bufferevent_free(conn->bev);
  g_free(conn->key);
  g_free(conn);
}

static const CachedAddr *resolve(UpstreamPool *pool, const char *host, int port, GError **error) {
  g_autofree char *key = g_strdup_printf("%s:%d", host, port);
  CachedAddr *cached = g_hash_table_lookup(pool->addresses, key);
  if (cached) return cached;
  struct addrinfo hints = {
      .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
  struct addrinfo *res = NULL;
  char service[16];
  g_snprintf(service, sizeof service, "%d", port);
  int rc = getaddrinfo(host, service, &hints, &res);
  if (rc != 0 || !res) {
    g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED, "cannot resolve %s: %s", host,
                gai_strerror(rc));
    return NULL;
  }
  cached = g_new0(CachedAddr, 1);
  memcpy(&cached->addr, res->ai_addr, res->ai_addrlen);
  cached->len = res->ai_addrlen;
  freeaddrinfo(res);
  g_hash_table_insert(pool->addresses, g_steal_pointer(&key), cached);
  return cached;
}

/* The raw event's timer is kept lazily, as nginx keeps its timers: handing a
   connection from a request to the pool and back changes only timeout_us and
   since_us. The timer is re-armed only when it would fire later than wanted
   (a shorter timeout than its period) or when it fires before the wanted time
   (for what is left). Re-arming it twice per request cost ~1,200 instructions. */
#define TIMER_SLACK_US 1000

/* At a timer: TRUE when the reader's timeout has passed; else the timer is re-armed
   for what is left (no timeout: it keeps its period and is ignored). */
static gboolean timeout_due(UpstreamConn *c) {
  if (!c->timeout_us) return FALSE;
  gint64 left = c->since_us + c->timeout_us - g_get_monotonic_time();
  if (left <= TIMER_SLACK_US) return TRUE;
  struct timeval tv = {(time_t)(left / G_USEC_PER_SEC), (suseconds_t)(left % G_USEC_PER_SEC)};
  event_add(c->raw_read, &tv);
  c->armed_us = left;
  c->armed_left = TRUE;
  return FALSE;
}

/* what may hold both: a timer that fired early is dropped from it, so that a
   read in the same loop turn is not taken for a timeout. */
static void raw_readable_cb(evutil_socket_t fd, short what, void *arg) {
  UpstreamConn *c = arg;
  if ((what & EV_TIMEOUT) && !timeout_due(c)) what &= ~EV_TIMEOUT;
  if (what & EV_READ)
    c->since_us = g_get_monotonic_time(); /* libevent re-arms a persistent event's timer too */
  if (what && c->reader) c->reader(c, what, c->reader_arg);
}

gboolean upstream_conn_reads_raw(const UpstreamConn *c) { return c->raw_read != NULL; }

void upstream_conn_set_reader(UpstreamConn *c, UpstreamReader fn, void *arg,
                              const struct timeval *timeout, gint64 timeout_us) {
  c->reader = fn;
  c->reader_arg = arg;
  if (!fn) {
    event_del(c->raw_read);
    c->added = c->armed_left = FALSE;
    c->armed_us = 0;
    return;
  }
  c->timeout_us = timeout ? MAX(timeout_us, 1) : 0;
  c->since_us = g_get_monotonic_time();
  gboolean rearm = c->timeout_us && (!c->armed_us || c->armed_us > c->timeout_us || c->armed_left);
  if (c->added && !rearm) return;
  event_add(c->raw_read, c->timeout_us ? timeout : NULL); /* added: only the timer changes */
  c->added = TRUE;
  if (!c->timeout_us && c->armed_us) event_remove_timer(c->raw_read);
  c->armed_us = c->timeout_us;
  c->armed_left = FALSE;
}

gssize upstream_conn_read(UpstreamConn *c) {
  struct evbuffer *in = bufferevent_get_input(c->bev);
  struct evbuffer_iovec v[2];
  struct iovec iov[2];
  evbuffer_unfreeze(in, 0); /* a bufferevent keeps its input's end frozen for its own reads */
  int n = evbuffer_reserve_space(in, RAW_READ_SIZE, v, 2);
  for (int i = 0; i < n; i++) iov[i] = (struct iovec){v[i].iov_base, v[i].iov_len};
  gssize got = n > 0 ? readv(event_get_fd(c->raw_read), iov, n) : -1;
  int saved = errno;
  gsize left = got > 0 ? (gsize)got : 0;
  int used = 0;
  for (; used < n && left > 0; used++) {
    v[used].iov_len = MIN(v[used].iov_len, left);
    left -= v[used].iov_len;
  }
  evbuffer_commit_space(in, v, used);
  evbuffer_freeze(in, 0);
  errno = saved;
  return got < 0 && (saved == EAGAIN || saved == EINTR) ? -2 : got;
}

static UpstreamConn *take_idle(UpstreamPool *pool, const char *key) {
  GQueue *q = g_hash_table_lookup(pool->idle, key);
  UpstreamConn *c = q ? g_queue_pop_tail(q) : NULL;
  if (!c) return NULL;
  c->idle_queue = q;
  bufferevent_setcb(c->bev, NULL, NULL, NULL, NULL);
  c->reused = TRUE; /* its idle timeout stays until the caller sets its own */
  return c;
}

/* The pool's client context; a CA file that does not load leaves it with no
   trusted CA (every verified handshake fails), never with checks off. */
static SSL_CTX *client_context(UpstreamPool *pool) {
  if (pool->tls) return pool->tls;
  pool->tls = SSL_CTX_new(TLS_client_method());
  if (!pool->tls) return NULL;
  SSL_CTX_set_min_proto_version(pool->tls, TLS1_2_VERSION);
  int ok = *pool->ca_file ? SSL_CTX_load_verify_locations(pool->tls, pool->ca_file, NULL)
                          : SSL_CTX_set_default_verify_paths(pool->tls);
  if (ok != 1)
    g_critical("upstream TLS: cannot load %s: HTTPS backends will fail verification",
               *pool->ca_file ? pool->ca_file : "the system's trust store");
  return pool->tls;
}

static gboolean ip_literal(const char *host) {
  unsigned char addr[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1;
}

/* The TLS session for ep: SNI and the name or address to check, or no checks. */
static SSL *client_session(UpstreamPool *pool, const Endpoint *ep) {
  SSL_CTX *ctx = client_context(pool);
  SSL *ssl = ctx ? SSL_new(ctx) : NULL;
  if (!ssl) return NULL;
  gboolean ip = ip_literal(ep->host);
  if (!ip) SSL_set_tlsext_host_name(ssl, ep->host);
  if (!ep->tls_verify) {
    SSL_set_verify(ssl, SSL_VERIFY_NONE, NULL);
    return ssl;
  }
  SSL_set_verify(ssl, SSL_VERIFY_PEER, NULL);
  int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), ep->host)
              : SSL_set1_host(ssl, ep->host);
  if (ok != 1) {
    SSL_free(ssl);
    return NULL;
  }
  return ssl;
}

static struct bufferevent *new_bev(UpstreamPool *pool, const Endpoint *ep) {
  int flags = BEV_OPT_CLOSE_ON_FREE;
  if (!ep->tls) return bufferevent_socket_new(pool->base, -1, flags);
  SSL *ssl = client_session(pool, ep);
  if (!ssl) return NULL;
  return bufferevent_openssl_socket_new(pool->base, -1, ssl, BUFFEREVENT_SSL_CONNECTING, flags);
}

UpstreamConn *upstream_pool_get(UpstreamPool *pool, const Endpoint *ep, GError **error) {
  UpstreamConn *c = take_idle(pool, ep->pool_key);
  if (c) return c;
  const CachedAddr *addr = resolve(pool, ep->host, ep->port, error);
  if (!addr) return NULL;
  struct bufferevent *bev = new_bev(pool, ep);
  if (!bev || bufferevent_socket_connect(bev, (struct sockaddr *)&addr->addr, (int)addr->len) < 0) {
    if (bev) bufferevent_free(bev);
    g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED, "cannot connect to %s:%d",
                ep->host, ep->port);
    return NULL;
  }
  int one = 1;
  setsockopt(bufferevent_getfd(bev), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c = g_new0(UpstreamConn, 1);
  c->bev = bev;
  c->key = g_strdup(ep->pool_key);
  c->pool = pool;
  if (!ep->tls)
    c->raw_read =
        event_new(pool->base, bufferevent_getfd(bev), EV_READ | EV_PERSIST, raw_readable_cb, c);
  return c;
}

static void idle_remove(UpstreamConn *c) {
  if (c->pool && c->idle_queue) g_queue_remove(c->idle_queue, c);
  upstream_conn_free(c);
}

/* Anything from an idle backend (data, EOF, error, idle timeout) ends it. */
static void idle_read_cb(struct bufferevent *bev, void *arg) { idle_remove(arg); }
static void idle_event_cb(struct bufferevent *bev, short events, void *arg) { idle_remove(arg); }
static void idle_reader(UpstreamConn *c, short what, void *arg) { idle_remove(c); }

void upstream_pool_put(UpstreamConn *c) {
  UpstreamPool *pool = c->pool;
  GQueue *q = pool ? c->idle_queue : NULL;
  if (pool && !q && !(q = g_hash_table_lookup(pool->idle, c->key))) {
    q = g_queue_new();
    g_hash_table_insert(pool->idle, g_strdup(c->key), q);
  }
  c->idle_queue = q;
  /* a byte left either way means the two ends no longer agree where an exchange ends */
  if (!q || q->length >= pool->max_idle || evbuffer_get_length(bufferevent_get_input(c->bev)) > 0 ||
      evbuffer_get_length(bufferevent_get_output(c->bev)) > 0) {
    upstream_conn_free(c);
    return;
  }
  bufferevent_setwatermark(c->bev, EV_WRITE, 0, 0);
  if (c->raw_read) {
    upstream_conn_set_reader(c, idle_reader, NULL, &pool->idle_timeout,
                             (gint64)IDLE_TIMEOUT_S * G_USEC_PER_SEC);
  } else {
    bufferevent_set_timeouts(c->bev, &pool->idle_timeout, NULL);
    bufferevent_setcb(c->bev, idle_read_cb, NULL, idle_event_cb, c);
    bufferevent_enable(c->bev, EV_READ);
  }
  g_queue_push_tail(q, c);
}
