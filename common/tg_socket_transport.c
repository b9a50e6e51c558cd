/*
 * tg_socket_transport.c: a buffered Thrift transport over a connected socket, plain or TLS
 * (tg_socket_transport.h), for the hub's accepted sockets and every client of the hub.
 * Trade-off: timeouts are the socket's SO_RCVTIMEO / SO_SNDTIMEO, not a poll loop; each
 * message read is bounded by max_message_size. Design notes: docs/HACKING.md.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "tg_socket_transport.h"
#include "tg_tls.h"

#define READ_BUFFER_SIZE 16384
#define WRITE_FLUSH_AT   65536

struct _TgSocketTransport {
  ThriftTransport parent;
  int fd;
  SSL *ssl;
  GByteArray *prefix; /* bytes handed back by the protocol sniffer */
  guint prefix_pos;
  guint8 rbuf[READ_BUFFER_SIZE];
  guint rpos, rlen;
  GByteArray *wbuf;
  gsize flush_at;     /* a write that leaves this much waiting sends it */
  gboolean sent_part; /* bytes of the message being written went out before its flush */
};

G_DEFINE_TYPE(TgSocketTransport, tg_socket_transport, THRIFT_TYPE_TRANSPORT)

static gboolean io_fail(GError **error, int code, const char *what) {
  g_set_error(error, THRIFT_TRANSPORT_ERROR, code, "%s", what);
  return FALSE;
}

void tg_socket_set_timeouts(int fd, int timeout_ms) {
  struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

#define PEER_CLOSED "connection closed by peer"

/* Why a read or write stopped, for the GError message. */
static const char *io_reason(int n, int saved_errno, gboolean tls_closed) {
  if (n == 0 || tls_closed) return PEER_CLOSED;
  if (saved_errno == ECONNRESET) return PEER_CLOSED " (reset)";
  if (saved_errno == EPIPE) return PEER_CLOSED " (broken pipe)";
  if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK) return "timed out";
  return g_strerror(saved_errno);
}

/* One read from TLS or the socket: >0 bytes, else FALSE with error. */
static gssize raw_read(TgSocketTransport *t, void *buf, gsize len, GError **error) {
  for (;;) {
    errno = 0;
    int n = t->ssl ? SSL_read(t->ssl, buf, (int)MIN(len, G_MAXINT)) : (int)recv(t->fd, buf, len, 0);
    if (n > 0) return n;
    int saved = errno;
    if (saved == EINTR) continue;
    gboolean closed = t->ssl && SSL_get_error(t->ssl, n) == SSL_ERROR_ZERO_RETURN;
    ERR_clear_error();
    g_set_error(error, THRIFT_TRANSPORT_ERROR, THRIFT_TRANSPORT_ERROR_RECEIVE, "read: %s",
                io_reason(n, saved, closed));
    return -1;
  }
}

static gboolean raw_write_all(TgSocketTransport *t, const guint8 *buf, gsize len, GError **error) {
  gsize done = 0;
  while (done < len) {
    errno = 0;
    int n = t->ssl ? SSL_write(t->ssl, buf + done, (int)MIN(len - done, G_MAXINT))
                   : (int)send(t->fd, buf + done, len - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += (gsize)n;
      continue;
    }
    int saved = errno;
    if (saved == EINTR) continue;
    ERR_clear_error();
    g_set_error(error, THRIFT_TRANSPORT_ERROR, THRIFT_TRANSPORT_ERROR_SEND, "write: %s",
                io_reason(n, saved, FALSE));
    return FALSE;
  }
  return TRUE;
}

static guint take_prefix(TgSocketTransport *t, guint8 *buf, guint len) {
  if (t->prefix == NULL) return 0;
  guint n = MIN(len, t->prefix->len - t->prefix_pos);
  memcpy(buf, t->prefix->data + t->prefix_pos, n);
  t->prefix_pos += n;
  if (t->prefix_pos == t->prefix->len) {
    g_clear_pointer(&t->prefix, g_byte_array_unref);
    t->prefix_pos = 0;
  }
  return n;
}

static gint32 transport_read(ThriftTransport *transport, gpointer buf, guint32 len,
                             GError **error) {
  TgSocketTransport *t = TG_SOCKET_TRANSPORT(transport);
  ThriftTransportClass *klass = THRIFT_TRANSPORT_GET_CLASS(transport);
  if (t->fd < 0)
    return io_fail(error, THRIFT_TRANSPORT_ERROR_RECEIVE, "read: transport is closed") ? 0 : -1;
  if (!klass->checkReadBytesAvailable(transport, len, error)) return -1;
  guint n = take_prefix(t, buf, len);
  if (n == 0 && t->rpos == t->rlen && len >= READ_BUFFER_SIZE) {
    gssize got = raw_read(t, buf, len, error);
    if (got < 0) return -1;
    n = (guint)got;
  } else if (n == 0) {
    if (t->rpos == t->rlen) {
      gssize got = raw_read(t, t->rbuf, sizeof t->rbuf, error);
      if (got < 0) return -1;
      t->rpos = 0;
      t->rlen = (guint)got;
    }
    n = MIN(len, t->rlen - t->rpos);
    memcpy(buf, t->rbuf + t->rpos, n);
    t->rpos += n;
  }
  if (!klass->countConsumedMessageBytes(transport, n, error)) return -1;
  return (gint32)n;
}

/* A message was read completely: the size limit applies afresh to the next one. */
static gboolean transport_read_end(ThriftTransport *transport, GError **error) {
  return THRIFT_TRANSPORT_GET_CLASS(transport)->resetConsumedMessageSize(transport, -1, error);
}

static gboolean send_buffered(TgSocketTransport *t, GError **error) {
  if (t->wbuf->len == 0) return TRUE;
  if (t->fd < 0) return io_fail(error, THRIFT_TRANSPORT_ERROR_SEND, "write: transport is closed");
  gboolean ok = raw_write_all(t, t->wbuf->data, t->wbuf->len, error);
  g_byte_array_set_size(t->wbuf, 0);
  return ok;
}

static gboolean transport_flush(ThriftTransport *transport, GError **error) {
  TgSocketTransport *t = TG_SOCKET_TRANSPORT(transport);
  t->sent_part = FALSE;
  return send_buffered(t, error);
}

static gboolean transport_write(ThriftTransport *transport, const gpointer buf, const guint32 len,
                                GError **error) {
  TgSocketTransport *t = TG_SOCKET_TRANSPORT(transport);
  g_byte_array_append(t->wbuf, buf, len);
  if (t->wbuf->len < t->flush_at) return TRUE;
  t->sent_part = TRUE;
  return send_buffered(t, error);
}

gboolean tg_socket_error_is_peer_close(const GError *error) {
  return error != NULL && error->domain == THRIFT_TRANSPORT_ERROR &&
         (error->code == THRIFT_TRANSPORT_ERROR_RECEIVE ||
          error->code == THRIFT_TRANSPORT_ERROR_SEND) &&
         strstr(error->message, PEER_CLOSED) != NULL;
}

void tg_socket_transport_hold_writes(TgSocketTransport *t, gsize bytes) {
  t->flush_at = MAX(bytes, WRITE_FLUSH_AT);
}

gboolean tg_socket_transport_drop_unsent(TgSocketTransport *t) {
  g_byte_array_set_size(t->wbuf, 0);
  gboolean in_step = !t->sent_part;
  t->sent_part = FALSE;
  return in_step;
}

static gboolean transport_end_noop(ThriftTransport *transport, GError **error) { return TRUE; }

static gboolean transport_is_open(ThriftTransport *transport) {
  return TG_SOCKET_TRANSPORT(transport)->fd >= 0;
}

static gboolean transport_open(ThriftTransport *transport, GError **error) {
  return transport_is_open(transport) ||
         io_fail(error, THRIFT_TRANSPORT_ERROR_CONNECT, "transport is closed; connect again");
}

/* TRUE when a byte can be read without waiting past the socket timeout. */
static gboolean transport_peek(ThriftTransport *transport, GError **error) {
  TgSocketTransport *t = TG_SOCKET_TRANSPORT(transport);
  if (t->fd < 0) return FALSE;
  if (t->prefix != NULL || t->rpos < t->rlen) return TRUE;
  gssize got = raw_read(t, t->rbuf, sizeof t->rbuf, error);
  if (got < 0) return FALSE;
  t->rpos = 0;
  t->rlen = (guint)got;
  return TRUE;
}

static gboolean transport_close(ThriftTransport *transport, GError **error) {
  TgSocketTransport *t = TG_SOCKET_TRANSPORT(transport);
  if (t->ssl) {
    if (t->fd >= 0) SSL_shutdown(t->ssl); /* best effort close_notify, never waits for the peer's */
    ERR_clear_error();
    g_clear_pointer(&t->ssl, SSL_free);
  }
  if (t->fd >= 0) close(t->fd);
  t->fd = -1;
  return TRUE;
}

static void tg_socket_transport_finalize(GObject *object) {
  TgSocketTransport *t = TG_SOCKET_TRANSPORT(object);
  transport_close(THRIFT_TRANSPORT(t), NULL);
  g_clear_pointer(&t->prefix, g_byte_array_unref);
  g_byte_array_unref(t->wbuf);
  G_OBJECT_CLASS(tg_socket_transport_parent_class)->finalize(object);
}

static void tg_socket_transport_class_init(TgSocketTransportClass *klass) {
  ThriftTransportClass *tc = THRIFT_TRANSPORT_CLASS(klass);
  G_OBJECT_CLASS(klass)->finalize = tg_socket_transport_finalize;
  tc->is_open = transport_is_open;
  tc->peek = transport_peek;
  tc->open = transport_open;
  tc->close = transport_close;
  tc->read = transport_read;
  tc->read_end = transport_read_end;
  tc->write = transport_write;
  tc->write_end = transport_end_noop;
  tc->flush = transport_flush;
}

static void tg_socket_transport_init(TgSocketTransport *t) {
  t->fd = -1;
  t->wbuf = g_byte_array_sized_new(4096);
  t->flush_at = WRITE_FLUSH_AT;
}

TgSocketTransport *tg_socket_transport_new(int fd, SSL *ssl, int timeout_ms,
                                           ThriftConfiguration *conf) {
  /* ThriftTransport's finalize unrefs its configuration without having taken a
     reference when the property was set: give it the one it will drop. */
  TgSocketTransport *t = g_object_new(TG_TYPE_SOCKET_TRANSPORT, "configuration",
                                      conf ? g_object_ref(conf) : NULL, NULL);
  t->fd = fd;
  t->ssl = ssl;
  if (timeout_ms > 0) tg_socket_set_timeouts(fd, timeout_ms);
  THRIFT_TRANSPORT_GET_CLASS(t)->resetConsumedMessageSize(THRIFT_TRANSPORT(t), -1, NULL);
  return t;
}

void tg_socket_transport_push_prefix(TgSocketTransport *t, const guint8 *data, gsize len) {
  if (len == 0) return;
  if (t->prefix == NULL) t->prefix = g_byte_array_new();
  g_byte_array_append(t->prefix, data, (guint)len);
}

int tg_socket_transport_fd(TgSocketTransport *t) { return t->fd; }

/* ---- client side ---- */

static gboolean wait_connected(int fd, int timeout_ms, GError **error) {
  struct pollfd p = {.fd = fd, .events = POLLOUT};
  int n;
  do n = poll(&p, 1, timeout_ms > 0 ? timeout_ms : -1);
  while (n < 0 && errno == EINTR);
  if (n == 0) return io_fail(error, THRIFT_TRANSPORT_ERROR_CONNECT, "connect: timed out");
  int err = 0;
  socklen_t len = sizeof err;
  if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
  if (err != 0) return io_fail(error, THRIFT_TRANSPORT_ERROR_CONNECT, g_strerror(err));
  return TRUE;
}

/* Non-blocking connect bounded by timeout_ms, then back to blocking with I/O timeouts. */
static int connect_addr(const struct addrinfo *ai, int timeout_ms, GError **error) {
  int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
  if (fd < 0) {
    io_fail(error, THRIFT_TRANSPORT_ERROR_SOCKET, g_strerror(errno));
    return -1;
  }
  gboolean ok = connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
  if (!ok && errno == EINPROGRESS)
    ok = wait_connected(fd, timeout_ms, error);
  else if (!ok)
    io_fail(error, THRIFT_TRANSPORT_ERROR_CONNECT, g_strerror(errno));
  if (!ok) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  g_unix_set_fd_nonblocking(fd, FALSE, NULL);
  if (timeout_ms > 0) tg_socket_set_timeouts(fd, timeout_ms);
  return fd;
}

static int tcp_connect(const char *host, int port, int timeout_ms, GError **error) {
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
  struct addrinfo *res = NULL;
  char service[16];
  g_snprintf(service, sizeof service, "%d", port);
  int rc = getaddrinfo(host, service, &hints, &res);
  if (rc != 0) {
    g_set_error(error, THRIFT_TRANSPORT_ERROR, THRIFT_TRANSPORT_ERROR_HOST, "%s: %s", host,
                gai_strerror(rc));
    return -1;
  }
  int fd = -1;
  for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
    g_clear_error(error);
    fd = connect_addr(ai, timeout_ms, error);
  }
  freeaddrinfo(res);
  if (fd < 0) g_prefix_error(error, "%s:%d: ", host, port);
  return fd;
}

static gboolean host_is_ip(const char *host) {
  guint8 buf[16];
  return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

/* SNI and peer name check: an IP address is matched against the certificate's IP SANs. */
static void tls_expect_host(SSL *ssl, const char *host) {
  if (host_is_ip(host)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host);
    return;
  }
  SSL_set_tlsext_host_name(ssl, host);
  SSL_set1_host(ssl, host);
}

static SSL *tls_handshake(int fd, SSL_CTX *ctx, const char *host, GError **error) {
  SSL *ssl = SSL_new(ctx);
  if (ssl == NULL || SSL_set_fd(ssl, fd) != 1) {
    g_autofree char *why = tg_tls_error_string();
    g_set_error(error, TG_TLS_ERROR, TG_TLS_ERROR_HANDSHAKE, "TLS set-up: %s", why);
    SSL_free(ssl);
    return NULL;
  }
  tls_expect_host(ssl, host);
  /* One read(2) per record instead of a header read and a body read. Safe because every
     read of this socket goes through SSL_read: nothing polls the socket itself. */
  SSL_set_read_ahead(ssl, 1);
  if (SSL_connect(ssl) == 1) return ssl;
  long verify = SSL_get_verify_result(ssl);
  g_autofree char *why =
      verify != X509_V_OK ? g_strdup(X509_verify_cert_error_string(verify)) : tg_tls_error_string();
  ERR_clear_error();
  g_set_error(error, TG_TLS_ERROR, TG_TLS_ERROR_HANDSHAKE, "TLS handshake with %s failed: %s", host,
              why);
  SSL_free(ssl);
  return NULL;
}

int tg_socket_connect(const char *host, int port, SSL_CTX *ctx, int timeout_ms, SSL **ssl,
                      GError **error) {
  int fd = tcp_connect(host, port, timeout_ms, error);
  *ssl = NULL;
  if (fd < 0) return -1;
  if (ctx != NULL && (*ssl = tls_handshake(fd, ctx, host, error)) == NULL) {
    close(fd);
    return -1;
  }
  return fd;
}

TgSocketTransport *tg_socket_transport_connect(const char *host, int port, SSL_CTX *ctx,
                                               int timeout_ms, ThriftConfiguration *conf,
                                               GError **error) {
  SSL *ssl = NULL;
  int fd = tg_socket_connect(host, port, ctx, timeout_ms, &ssl, error);
  return fd < 0 ? NULL : tg_socket_transport_new(fd, ssl, timeout_ms, conf);
}
