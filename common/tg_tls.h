/*
 * tg_tls: OpenSSL context set-up shared by every daemon and tollgatectl.
 *
 * Servers load a certificate chain and key; clients verify the peer against a
 * CA file (Tollgate's local CA under var/tls by default) and its host name,
 * unless verification is switched off explicitly.
 */
#ifndef TG_TLS_H
#define TG_TLS_H

#include <glib.h>
#include <openssl/ssl.h>

#define TG_TLS_ERROR (tg_tls_error_quark())
GQuark tg_tls_error_quark(void);
enum { TG_TLS_ERROR_CONFIG = 1, TG_TLS_ERROR_HANDSHAKE, TG_TLS_ERROR_IO };

/* TLS 1.2+ server context. Caller owns (SSL_CTX_free). */
SSL_CTX *tg_tls_server_ctx_new(const char *cert_file, const char *key_file, GError **error);
/* TLS 1.2+ client context; ca_file NULL and verify FALSE: no peer verification. */
SSL_CTX *tg_tls_client_ctx_new(const char *ca_file, gboolean verify, GError **error);

/* The OpenSSL error queue as text (for GError messages); clears the queue. Caller frees. */
char *tg_tls_error_string(void);

#endif
