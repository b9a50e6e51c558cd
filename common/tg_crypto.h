/*
 * tg_crypto: the few cryptographic primitives Tollgate needs, on OpenSSL.
 *
 * Secrets (tokens, refresh tokens, consumer secrets) are stored as SHA-256 hex;
 * passwords as PBKDF2-HMAC-SHA256 with a per-password salt; sessions are
 * HMAC-SHA256 signed. Random values come from RAND_bytes.
 */
#ifndef TG_CRYPTO_H
#define TG_CRYPTO_H

#include <glib.h>
#include <stddef.h>

#define TG_SHA256_HEX_LEN    64
#define TG_PBKDF2_ITERATIONS 200000

/* out must hold TG_SHA256_HEX_LEN + 1 bytes. */
void tg_sha256_hex(const void *data, size_t len, char out[TG_SHA256_HEX_LEN + 1]);
/* Convenience: newly allocated hex SHA-256 of a NUL-terminated string. */
char *tg_sha256_hex_str(const char *s);

/* nbytes random bytes as lowercase hex (2*nbytes chars). Caller frees. NULL on RNG failure. */
char *tg_random_hex(size_t nbytes);

/* "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>". Caller frees. */
char *tg_password_hash(const char *password, unsigned iterations);
/* Constant-time check of password against a stored tg_password_hash() string. */
gboolean tg_password_verify(const char *password, const char *stored);

/* HMAC-SHA256 of msg under key, as base64url without padding. Caller frees. */
char *tg_hmac_sha256_b64url(const void *key, size_t keylen, const char *msg, size_t msglen);

/* An HMAC-SHA256 key set up once, for a key that signs many messages (the hubs'
   session secret): signing copies the prepared state instead of fetching the
   algorithm and hashing the key each time. Signing is safe from many threads. */
typedef struct TgHmacKey TgHmacKey;
/* NULL when OpenSSL cannot set it up. */
TgHmacKey *tg_hmac_key_new(const void *key, size_t keylen);
void tg_hmac_key_free(TgHmacKey *k);
/* Same result as tg_hmac_sha256_b64url with the key. Caller frees; NULL on failure. */
char *tg_hmac_key_sign_b64url(const TgHmacKey *k, const char *msg, size_t msglen);

/* Constant-time string equality (FALSE if either is NULL). */
gboolean tg_secure_streq(const char *a, const char *b);

/* base64url without padding, both ways. decode returns NULL on bad input. */
char *tg_b64url_encode(const void *data, size_t len);
guint8 *tg_b64url_decode(const char *text, size_t *out_len);

#endif
