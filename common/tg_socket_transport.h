/*
 * tg_socket_transport: a Thrift c_glib transport over a connected socket, with TLS (an SSL*
 * it owns) or without, buffered both ways, with a read timeout and an optional "already read"
 * prefix. c_glib has no server-side TLS transport and its ThriftSSLSocket cannot take our CA
 * or timeouts, so this one class serves both sides. Design notes: docs/HACKING.md.
 */
#ifndef TG_SOCKET_TRANSPORT_H
#define TG_SOCKET_TRANSPORT_H

#include <glib-object.h>
#include <openssl/ssl.h>
#include <thrift/c_glib/thrift_configuration.h>
#include <thrift/c_glib/transport/thrift_transport.h>

G_BEGIN_DECLS

/* G_DECLARE_FINAL_TYPE needs the parent's autoptr cleanup, which c_glib does not declare. */
#ifndef TG_THRIFT_TRANSPORT_AUTOPTR
#define TG_THRIFT_TRANSPORT_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThriftTransport, g_object_unref)
#endif

#define TG_TYPE_SOCKET_TRANSPORT (tg_socket_transport_get_type())
G_DECLARE_FINAL_TYPE(TgSocketTransport, tg_socket_transport, TG, SOCKET_TRANSPORT, ThriftTransport)

/*
 * Wraps fd (owned: closed on close/finalize) and ssl (owned, may be NULL for
 * plaintext; the handshake must already be done). timeout_ms bounds every
 * read and write (0: none). conf may be NULL (defaults); it is referenced.
 */
TgSocketTransport *tg_socket_transport_new(int fd, SSL *ssl, int timeout_ms,
                                           ThriftConfiguration *conf);

/* Bytes to be returned by the next reads before the socket is read. */
void tg_socket_transport_push_prefix(TgSocketTransport *t, const guint8 *data, gsize len);

/*
 * Client side: TCP connect to host:port (timeout_ms for connect and I/O), then
 * the TLS handshake when ctx is not NULL (SNI and host-name check with host).
 * tg_socket_connect gives the blocking socket and its SSL (NULL without ctx)
 * to callers that drive them themselves; -1 and error on failure.
 */
int tg_socket_connect(const char *host, int port, SSL_CTX *ctx, int timeout_ms, SSL **ssl,
                      GError **error);
TgSocketTransport *tg_socket_transport_connect(const char *host, int port, SSL_CTX *ctx,
                                               int timeout_ms, ThriftConfiguration *conf,
                                               GError **error);

int tg_socket_transport_fd(TgSocketTransport *t);

/* Did a read or write fail because the peer closed the connection (EOF, reset, broken pipe),
   rather than a timeout or a local error? */
gboolean tg_socket_error_is_peer_close(const GError *error);

/* Writes are kept until an explicit flush or until bytes are waiting (default 64 KiB): a
   client holding a whole call can still take it back. */
void tg_socket_transport_hold_writes(TgSocketTransport *t, gsize bytes);
/* Forgets what was written and not yet sent. FALSE when part of it was sent already (a
   write went past the hold): the stream is then out of step and must be closed. */
gboolean tg_socket_transport_drop_unsent(TgSocketTransport *t);
/* SO_RCVTIMEO and SO_SNDTIMEO of a blocking socket. */
void tg_socket_set_timeouts(int fd, int timeout_ms);

G_END_DECLS

#endif
