/*
 * tg_hub_client: one blocking, logged-in connection to a hub, for any client of the hub
 * (tollgatectl, the gateway's hub worker threads, the portal). Strict binary unframed over
 * TLS (or plaintext when told); keeps the session id and logs in again on
 * tg_hub_client_reconnect(). Trade-off: simple blocking calls, so not thread-safe: one client
 * per thread. A call that would break the hub's limits fails before a byte is sent, with a
 * TG_THRIFT_LIMIT_ERROR naming the field (tg_thrift_limit_error_is): not the hub's fault,
 * so never a reason to mark it down or retry elsewhere. Design notes: docs/HACKING.md.
 */
#ifndef TG_HUB_CLIENT_H
#define TG_HUB_CLIENT_H

#include <glib.h>
#include <openssl/ssl.h>

#include "tg_limited_protocol.h"
#include "tg_tollgate.h"

typedef struct TgHubClientOptions {
  const char *host;
  int port;
  gboolean tls;         /* TRUE unless the hub is configured with tls = false */
  SSL_CTX *tls_ctx;     /* client context (tg_tls_client_ctx_new); borrowed */
  int timeout_ms;       /* connect, TLS handshake and per-call I/O timeout */
  int login_timeout_ms; /* the login call alone (it hashes a password on the hub); 0: timeout_ms */
  const char *user;     /* NULL: connect without logging in (the portal passes its
                           users' own sessions in every call) */
  const char *password;
} TgHubClientOptions;

typedef struct TgHubClient TgHubClient;

/* Connects and logs in. The options' strings are copied. */
TgHubClient *tg_hub_client_connect(const TgHubClientOptions *opts, GError **error);
void tg_hub_client_free(TgHubClient *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgHubClient, tg_hub_client_free)

/* The generated client, for calls: tg_tollgate_if_xxx(tg_hub_client_iface(c), ...). */
TgTollgateIf *tg_hub_client_iface(TgHubClient *c);
const char *tg_hub_client_session(TgHubClient *c);

/* Drops the connection, connects and logs in again. */
gboolean tg_hub_client_reconnect(TgHubClient *c, GError **error);
gboolean tg_hub_client_is_open(TgHubClient *c);

/* What a failed call on c says about the hub. */
typedef enum {
  TG_HUB_FAILURE_OTHER, /* not the hub closing the connection (a timeout, an answer...): the
                           caller's own handling */
  TG_HUB_FAILURE_RETRY, /* the hub closed the connection, and c is connected again: make the
                           call once more on c (an idle connection the hub had cut, a restart) */
  TG_HUB_FAILURE_CALL,  /* the hub closed the new connection on this call too, and takes new
                           ones: it refuses the call (TG_THRIFT_LIMIT_ERROR_CLOSED); the hub is
                           up, the call must not go to another hub */
  TG_HUB_FAILURE_DOWN,  /* the hub closed the connection and takes no new one: down */
} TgHubFailure;

/*
 * After a call on c failed with call_error (not an exception the hub answered): if the hub
 * closed the connection, tells a refused call from a hub that is down by connecting again
 * at once. retried: this call was already made again on a new connection (RETRY). error:
 * why, for CALL and DOWN.
 */
TgHubFailure tg_hub_client_failure(TgHubClient *c, const GError *call_error, gboolean retried,
                                   GError **error);

/* Parses "host:port" (IPv4, name or [IPv6]); default_port when no port. */
gboolean tg_parse_host_port(const char *text, int default_port, char **host, int *port,
                            GError **error);

#endif
