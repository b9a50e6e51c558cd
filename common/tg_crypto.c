/*
 * tg_crypto: SHA-256, CSPRNG hex, PBKDF2 password hashes, HMAC and base64url
 * over OpenSSL's EVP interfaces. See tg_crypto.h.
 */
#include "tg_crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

static void to_hex(const guint8 *in, size_t len, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < len; i++) {
    out[2 * i] = digits[in[i] >> 4];
    out[2 * i + 1] = digits[in[i] & 15];
  }
  out[2 * len] = '\0';
}

static gboolean from_hex(const char *in, guint8 *out, size_t outlen) {
  if (strlen(in) != 2 * outlen) return FALSE;
  for (size_t i = 0; i < outlen; i++) {
    int hi = g_ascii_xdigit_value(in[2 * i]), lo = g_ascii_xdigit_value(in[2 * i + 1]);
    if (hi < 0 || lo < 0) return FALSE;
    out[i] = (guint8)(hi << 4 | lo);
  }
  return TRUE;
}

/* SHA-256 fetched once: given EVP_sha256(), OpenSSL 3 looks the algorithm up
   in its provider store (locks and all) on every digest, a cost the per-request
   token hashing of the gateway and the hub paid each time. */
static const EVP_MD *sha256_md(void) {
  static gsize md;
  if (g_once_init_enter(&md)) {
    EVP_MD *fetched = EVP_MD_fetch(NULL, "SHA256", NULL);
    g_once_init_leave(&md, (gsize)(fetched ? fetched : (EVP_MD *)EVP_sha256()));
  }
  return (const EVP_MD *)md;
}

static void digest_ctx_free(gpointer ctx) { EVP_MD_CTX_free(ctx); }

/* One digest context per thread, reset for each digest: EVP_Digest makes and
   frees a context (two allocations and a provider reference) every call. */
static GPrivate digest_ctx = G_PRIVATE_INIT(digest_ctx_free);

static EVP_MD_CTX *thread_digest_ctx(void) {
  EVP_MD_CTX *ctx = g_private_get(&digest_ctx);
  if (!ctx) {
    ctx = EVP_MD_CTX_new();
    g_private_set(&digest_ctx, ctx);
  }
  return ctx;
}

void tg_sha256_hex(const void *data, size_t len, char out[TG_SHA256_HEX_LEN + 1]) {
  guint8 md[32];
  unsigned int mdlen = 0;
  EVP_MD_CTX *ctx = thread_digest_ctx();
  if (!ctx || !EVP_DigestInit_ex2(ctx, sha256_md(), NULL) || !EVP_DigestUpdate(ctx, data, len) ||
      !EVP_DigestFinal_ex(ctx, md, &mdlen))
    EVP_Digest(data, len, md, &mdlen, sha256_md(), NULL); /* no context: the slow way */
  to_hex(md, sizeof md, out);
}

char *tg_sha256_hex_str(const char *s) {
  char *out = g_malloc(TG_SHA256_HEX_LEN + 1);
  tg_sha256_hex(s, strlen(s), out);
  return out;
}

char *tg_random_hex(size_t nbytes) {
  g_autofree guint8 *buf = g_malloc(nbytes);
  if (RAND_bytes(buf, (int)nbytes) != 1) return NULL;
  char *out = g_malloc(2 * nbytes + 1);
  to_hex(buf, nbytes, out);
  return out;
}

char *tg_password_hash(const char *password, unsigned iterations) {
  guint8 salt[16], dk[32];
  char salt_hex[33], dk_hex[65];
  if (RAND_bytes(salt, sizeof salt) != 1) return NULL;
  if (!PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, sizeof salt, (int)iterations,
                         EVP_sha256(), sizeof dk, dk))
    return NULL;
  to_hex(salt, sizeof salt, salt_hex);
  to_hex(dk, sizeof dk, dk_hex);
  return g_strdup_printf("pbkdf2-sha256$%u$%s$%s", iterations, salt_hex, dk_hex);
}

gboolean tg_password_verify(const char *password, const char *stored) {
  if (!password || !stored) return FALSE;
  g_auto(GStrv) parts = g_strsplit(stored, "$", 4);
  if (g_strv_length(parts) != 4 || strcmp(parts[0], "pbkdf2-sha256")) return FALSE;
  char *end = NULL;
  unsigned long iterations = strtoul(parts[1], &end, 10);
  if (*end || iterations < 1 || iterations > 10000000) return FALSE;
  guint8 salt[16], want[32], got[32];
  if (!from_hex(parts[2], salt, sizeof salt) || !from_hex(parts[3], want, sizeof want))
    return FALSE;
  if (!PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, sizeof salt, (int)iterations,
                         EVP_sha256(), sizeof got, got))
    return FALSE;
  return CRYPTO_memcmp(want, got, sizeof got) == 0;
}

char *tg_b64url_encode(const void *data, size_t len) {
  g_autofree char *b64 = g_base64_encode(data, len);
  for (char *p = b64; *p; p++) {
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
  }
  char *pad = strchr(b64, '=');
  if (pad) *pad = '\0';
  return g_strdup(b64);
}

guint8 *tg_b64url_decode(const char *text, size_t *out_len) {
  size_t n = strlen(text);
  g_autoptr(GString) s = g_string_sized_new(n + 3);
  for (size_t i = 0; i < n; i++) {
    char c = text[i];
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
    else if (!g_ascii_isalnum(c))
      return NULL;
    g_string_append_c(s, c);
  }
  if (n % 4 == 1) return NULL;
  while (s->len % 4) g_string_append_c(s, '=');
  gsize len = 0;
  guint8 *out = g_base64_decode(s->str, &len);
  *out_len = len;
  return out;
}

char *tg_hmac_sha256_b64url(const void *key, size_t keylen, const char *msg, size_t msglen) {
  guint8 md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;
  if (!HMAC(EVP_sha256(), key, (int)keylen, (const guint8 *)msg, msglen, md, &mdlen)) return NULL;
  return tg_b64url_encode(md, mdlen);
}

struct TgHmacKey {
  EVP_MAC_CTX *prepared; /* keyed, never updated: each signature works on a copy */
};

TgHmacKey *tg_hmac_key_new(const void *key, size_t keylen) {
  EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
  EVP_MAC_free(mac); /* the context keeps its own reference */
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                         OSSL_PARAM_construct_end()};
  if (!ctx || !EVP_MAC_init(ctx, key, keylen, params)) {
    EVP_MAC_CTX_free(ctx);
    return NULL;
  }
  TgHmacKey *k = g_new0(TgHmacKey, 1);
  k->prepared = ctx;
  return k;
}

void tg_hmac_key_free(TgHmacKey *k) {
  if (!k) return;
  EVP_MAC_CTX_free(k->prepared); /* clears the key */
  g_free(k);
}

char *tg_hmac_key_sign_b64url(const TgHmacKey *k, const char *msg, size_t msglen) {
  EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(k->prepared);
  guint8 md[EVP_MAX_MD_SIZE];
  size_t mdlen = 0;
  gboolean ok = ctx && EVP_MAC_update(ctx, (const guint8 *)msg, msglen) &&
                EVP_MAC_final(ctx, md, &mdlen, sizeof md);
  EVP_MAC_CTX_free(ctx);
  return ok ? tg_b64url_encode(md, mdlen) : NULL;
}

gboolean tg_secure_streq(const char *a, const char *b) {
  if (!a || !b) return FALSE;
  size_t la = strlen(a), lb = strlen(b);
  if (la != lb) return FALSE;
  return CRYPTO_memcmp(a, b, la) == 0;
}
