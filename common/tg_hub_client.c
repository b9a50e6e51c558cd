/*
 * tg_hub_client.c: one blocking, logged-in Thrift connection to a hub (tg_hub_client.h).
 * Stack: TgSocketTransport (TLS or plain, holding a whole call until it is flushed) -> strict
 * binary protocol checking the hub's limits (tg_limited_protocol) -> generated
 * TgTollgateClient. A failed login has its own error domain, so callers can tell "wrong
 * password" from "hub unreachable". Design notes: docs/HACKING.md.
 */
#include "config.h"

#include <string.h>

#include "tg_hub_client.h"
#include "tg_limited_protocol.h"
#include "tg_socket_transport.h"

#define TG_HUB_CLIENT_ERROR (tg_hub_client_error_quark())
G_DEFINE_QUARK(tg - hub - client - error - quark, tg_hub_client_error)
enum { TG_HUB_CLIENT_ERROR_LOGIN = 1, TG_HUB_CLIENT_ERROR_ADDRESS, TG_HUB_CLIENT_ERROR_DOWN };

struct TgHubClient {
  char *host;
  int port;
  gboolean tls;
  SSL_CTX *tls_ctx; /* borrowed */
  int timeout_ms;
  int login_timeout_ms;
  char *user;
  char *password;
  TgSocketTransport *transport;
  ThriftProtocol *protocol;
  TgTollgateClient *client;
  char *session;
};

static void drop_connection(TgHubClient *c) {
  if (c->transport) thrift_transport_close(THRIFT_TRANSPORT(c->transport), NULL);
  g_clear_object(&c->client);
  g_clear_object(&c->protocol);
  g_clear_object(&c->transport);
  g_clear_pointer(&c->session, g_free);
}

/* The login may wait login_timeout_ms; every other call, timeout_ms. A hub that
   accepts connections but never answers (stopped, overloaded) is thus found out
   within timeout_ms by the TLS handshake, not after the login's longer wait. */
static gboolean login(TgHubClient *c, GError **error) {
  TgAuthenticationException *refused = NULL;
  char *session = NULL;
  if (c->login_timeout_ms != c->timeout_ms)
    tg_socket_set_timeouts(tg_socket_transport_fd(c->transport), c->login_timeout_ms);
  gboolean ok = tg_tollgate_if_authenticate(TG_TOLLGATE_IF(c->client), &session, c->user,
                                            c->password, &refused, error);
  if (c->login_timeout_ms != c->timeout_ms)
    tg_socket_set_timeouts(tg_socket_transport_fd(c->transport), c->timeout_ms);
  if (refused != NULL) {
    g_autofree char *why = NULL;
    g_object_get(refused, "message", &why, NULL);
    g_clear_error(error);
    g_set_error(error, TG_HUB_CLIENT_ERROR, TG_HUB_CLIENT_ERROR_LOGIN, "login as %s refused: %s",
                c->user, why ? why : "no reason given");
    g_object_unref(refused);
    g_free(session);
    return FALSE;
  }
  if (!ok) {
    g_free(session);
    return FALSE;
  }
  c->session = session;
  return TRUE;
}

static gboolean open_connection(TgHubClient *c, GError **error) {
  c->transport = tg_socket_transport_connect(c->host, c->port, c->tls ? c->tls_ctx : NULL,
                                             c->timeout_ms, NULL, error);
  if (c->transport == NULL) return FALSE;
  TgThriftScanLimits limits = tg_thrift_scan_default_limits();
  tg_socket_transport_hold_writes(c->transport, limits.max_message);
  c->protocol = tg_limited_protocol_new(THRIFT_TRANSPORT(c->transport), &limits);
  c->client = g_object_new(TG_TYPE_TOLLGATE_CLIENT, "input_protocol", c->protocol,
                           "output_protocol", c->protocol, NULL);
  if (c->user == NULL || login(c, error)) return TRUE;
  drop_connection(c);
  return FALSE;
}

TgHubClient *tg_hub_client_connect(const TgHubClientOptions *opts, GError **error) {
  if (opts->tls && opts->tls_ctx == NULL) {
    g_set_error(error, TG_HUB_CLIENT_ERROR, TG_HUB_CLIENT_ERROR_ADDRESS,
                "TLS requested without a TLS context");
    return NULL;
  }
  TgHubClient *c = g_new0(TgHubClient, 1);
  c->host = g_strdup(opts->host);
  c->port = opts->port;
  c->tls = opts->tls;
  c->tls_ctx = opts->tls_ctx;
  c->timeout_ms = opts->timeout_ms;
  c->login_timeout_ms = opts->login_timeout_ms > 0 ? opts->login_timeout_ms : opts->timeout_ms;
  c->user = g_strdup(opts->user); /* NULL: no login (callers pass sessions per call) */
  c->password = g_strdup(opts->password ? opts->password : "");
  if (!open_connection(c, error)) {
    tg_hub_client_free(c);
    return NULL;
  }
  return c;
}

void tg_hub_client_free(TgHubClient *c) {
  if (c == NULL) return;
  drop_connection(c);
  g_free(c->host);
  g_free(c->user);
  if (c->password) memset(c->password, 0, strlen(c->password));
  g_free(c->password);
  g_free(c);
}

TgTollgateIf *tg_hub_client_iface(TgHubClient *c) { return TG_TOLLGATE_IF(c->client); }

const char *tg_hub_client_session(TgHubClient *c) { return c->session ? c->session : ""; }

gboolean tg_hub_client_reconnect(TgHubClient *c, GError **error) {
  drop_connection(c);
  return open_connection(c, error);
}

gboolean tg_hub_client_is_open(TgHubClient *c) {
  return c->transport != NULL && thrift_transport_is_open(THRIFT_TRANSPORT(c->transport));
}

TgHubFailure tg_hub_client_failure(TgHubClient *c, const GError *call_error, gboolean retried,
                                   GError **error) {
  if (!tg_socket_error_is_peer_close(call_error)) return TG_HUB_FAILURE_OTHER;
  g_autoptr(GError) why = NULL;
  if (!tg_hub_client_reconnect(c, &why)) {
    g_set_error(error, TG_HUB_CLIENT_ERROR, TG_HUB_CLIENT_ERROR_DOWN, "%s; connecting again: %s",
                call_error->message, why->message);
    return TG_HUB_FAILURE_DOWN;
  }
  if (!retried) return TG_HUB_FAILURE_RETRY;
  g_set_error(error, TG_THRIFT_LIMIT_ERROR, TG_THRIFT_LIMIT_ERROR_CLOSED,
              "the hub refused the request: it closed the connection on this call, on a new "
              "connection too, and takes new ones (a value over one of its limits?)");
  return TG_HUB_FAILURE_CALL;
}

static gboolean address_fail(GError **error, const char *text, const char *why) {
  g_set_error(error, TG_HUB_CLIENT_ERROR, TG_HUB_CLIENT_ERROR_ADDRESS,
              "bad hub address \"%s\": %s (expected host:port)", text, why);
  return FALSE;
}

/* Digits by hand: GLib 2.74's g_ascii_string_to_unsigned can fail on a valid
   number when threads call it for the first time at once (its C locale is
   set up lazily), which made one of a bench's 16 connections give up. */
static gboolean parse_port(const char *text, const char *digits, int *port, GError **error) {
  int value = 0;
  const char *d = digits;
  for (; g_ascii_isdigit(*d) && value <= 65535; d++) value = value * 10 + (*d - '0');
  if (d == digits || *d != '\0' || value < 1 || value > 65535)
    return address_fail(error, text, "port must be 1-65535");
  *port = value;
  return TRUE;
}

gboolean tg_parse_host_port(const char *text, int default_port, char **host, int *port,
                            GError **error) {
  if (text == NULL || *text == '\0') return address_fail(error, "", "empty");
  const char *colon;
  g_autofree char *name = NULL;
  if (text[0] == '[') {
    const char *close = strchr(text, ']');
    if (close == NULL || close == text + 1)
      return address_fail(error, text, "unterminated [IPv6] address");
    name = g_strndup(text + 1, close - text - 1);
    colon = close[1] == ':' ? close + 1 : NULL;
    if (close[1] != '\0' && colon == NULL) return address_fail(error, text, "junk after ]");
  } else {
    colon = strrchr(text, ':');
    name = colon ? g_strndup(text, colon - text) : g_strdup(text);
    if (colon && strchr(name, ':'))
      return address_fail(error, text, "IPv6 addresses need brackets");
  }
  if (*name == '\0') return address_fail(error, text, "no host");
  *port = default_port;
  if (colon && !parse_port(text, colon + 1, port, error)) return FALSE;
  *host = g_steal_pointer(&name);
  return TRUE;
}
