/*
 * tg_tls.c: the OpenSSL contexts every Tollgate process uses (tg_tls.h).
 *
 * Servers (hub Thrift port, hub HTTPS, gateway HTTPS) load a chain and key;
 * clients (tollgatectl, gateways, portal, bench) verify the hub against
 * Tollgate's local CA. Both sides refuse anything older than TLS 1.2.
 */
#include "config.h"

#include <openssl/err.h>

#include "tg_tls.h"

G_DEFINE_QUARK(tg - tls - error - quark, tg_tls_error)

char *tg_tls_error_string(void) {
  GString *out = g_string_new(NULL);
  unsigned long e;
  char buf[256];
  while ((e = ERR_get_error()) != 0) {
    ERR_error_string_n(e, buf, sizeof buf);
    g_string_append_printf(out, "%s%s", out->len ? "; " : "", buf);
  }
  if (out->len == 0) g_string_append(out, "no OpenSSL error reported");
  return g_string_free(out, FALSE);
}

static gboolean tls_fail(GError **error, const char *what, const char *file) {
  g_autofree char *why = tg_tls_error_string();
  g_set_error(error, TG_TLS_ERROR, TG_TLS_ERROR_CONFIG, "%s %s: %s", what, file ? file : "", why);
  return FALSE;
}

static SSL_CTX *ctx_new(const SSL_METHOD *method, GError **error) {
  SSL_CTX *ctx = SSL_CTX_new(method);
  if (ctx == NULL) {
    tls_fail(error, "cannot create an OpenSSL context", NULL);
    return NULL;
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);
  return ctx;
}

SSL_CTX *tg_tls_server_ctx_new(const char *cert_file, const char *key_file, GError **error) {
  if (cert_file == NULL || *cert_file == '\0' || key_file == NULL || *key_file == '\0') {
    g_set_error(error, TG_TLS_ERROR, TG_TLS_ERROR_CONFIG,
                "TLS needs a certificate and a key file (tls_cert, tls_key)");
    return NULL;
  }
  SSL_CTX *ctx = ctx_new(TLS_server_method(), error);
  if (ctx == NULL) return NULL;
  gboolean ok = SSL_CTX_use_certificate_chain_file(ctx, cert_file) == 1
                    ? (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) == 1
                           ? (SSL_CTX_check_private_key(ctx) == 1 ||
                              tls_fail(error, "key does not match certificate", cert_file))
                           : tls_fail(error, "cannot load TLS key", key_file))
                    : tls_fail(error, "cannot load TLS certificate", cert_file);
  if (!ok) {
    SSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

SSL_CTX *tg_tls_client_ctx_new(const char *ca_file, gboolean verify, GError **error) {
  SSL_CTX *ctx = ctx_new(TLS_client_method(), error);
  if (ctx == NULL) return NULL;
  if (!verify) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    return ctx;
  }
  gboolean ok = ca_file ? SSL_CTX_load_verify_locations(ctx, ca_file, NULL) == 1
                        : SSL_CTX_set_default_verify_paths(ctx) == 1;
  if (!ok) {
    tls_fail(error, "cannot load CA file", ca_file ? ca_file : "(system default)");
    SSL_CTX_free(ctx);
    return NULL;
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  return ctx;
}
