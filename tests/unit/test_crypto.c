/*
 * test_crypto: tg_crypto against known answers (SHA-256 of "abc", RFC 4231's
 * HMAC-SHA256 case 2, also with a prepared key signing from 8 threads), PBKDF2
 * password hashes (round trip, wrong password,
 * tampered or malformed stored strings, a fresh salt each time), random hex,
 * base64url both ways, constant-time equality, and SHA-256 from many threads
 * at once (the digest is fetched once, on first use).
 */
#include "config.h"

#include <string.h>

#include "tg_crypto.h"

static const char ABC_SHA256[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static void test_sha256_known_answer(void) {
  char out[TG_SHA256_HEX_LEN + 1];
  tg_sha256_hex("abc", 3, out);
  g_assert_cmpstr(out, ==, ABC_SHA256);
  g_autofree char *s = tg_sha256_hex_str("");
  g_assert_cmpstr(s, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static const char RFC4231_2[] = "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM";

static void test_hmac_rfc4231(void) {
  const char *msg = "what do ya want for nothing?";
  g_autofree char *mac = tg_hmac_sha256_b64url("Jefe", 4, msg, strlen(msg));
  g_assert_cmpstr(mac, ==, RFC4231_2);
}

static void test_hmac_prepared_key(void) {
  const char *msg = "what do ya want for nothing?";
  TgHmacKey *k = tg_hmac_key_new("Jefe", 4);
  g_assert_nonnull(k);
  for (guint i = 0; i < 3; i++) { /* the prepared state is reused, not consumed */
    g_autofree char *mac = tg_hmac_key_sign_b64url(k, msg, strlen(msg));
    g_assert_cmpstr(mac, ==, RFC4231_2);
  }
  g_autofree char *other = tg_hmac_key_sign_b64url(k, "x", 1);
  g_autofree char *direct = tg_hmac_sha256_b64url("Jefe", 4, "x", 1);
  g_assert_cmpstr(other, ==, direct);
  tg_hmac_key_free(k);
}

static gpointer sign_many(gpointer data) {
  const TgHmacKey *k = data;
  const char *msg = "what do ya want for nothing?";
  for (guint i = 0; i < 2000; i++) {
    g_autofree char *mac = tg_hmac_key_sign_b64url(k, msg, strlen(msg));
    if (g_strcmp0(mac, RFC4231_2) != 0) return GINT_TO_POINTER(1);
  }
  return NULL;
}

/* The session secret signs from every connection thread at once. */
static void test_hmac_prepared_key_threads(void) {
  TgHmacKey *k = tg_hmac_key_new("Jefe", 4);
  GThread *threads[8];
  for (guint i = 0; i < G_N_ELEMENTS(threads); i++) threads[i] = g_thread_new("hmac", sign_many, k);
  guint failed = 0;
  for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
    failed += GPOINTER_TO_UINT(g_thread_join(threads[i]));
  g_assert_cmpuint(failed, ==, 0);
  tg_hmac_key_free(k);
}

static void test_password_hash(void) {
  g_autofree char *a = tg_password_hash("s3cret", 1000);
  g_autofree char *b = tg_password_hash("s3cret", 1000);
  g_assert_true(g_str_has_prefix(a, "pbkdf2-sha256$1000$"));
  g_assert_cmpstr(a, !=, b); /* a fresh salt each time */
  g_assert_null(strstr(a, "s3cret"));
  g_assert_true(tg_password_verify("s3cret", a));
  g_assert_true(tg_password_verify("s3cret", b));
  g_assert_false(tg_password_verify("s3creT", a));
  g_assert_false(tg_password_verify("", a));
  g_autofree char *tampered = g_strdup(a);
  char *last = tampered + strlen(tampered) - 1;
  *last = *last == '0' ? '1' : '0';
  g_assert_false(tg_password_verify("s3cret", tampered));
  const char *bad[] = {"", "pbkdf2-sha256$", "pbkdf2-sha256$x$00$00", "md5$1$aa$bb",
                       "pbkdf2-sha256$1000$zz$zz"};
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
    g_assert_false(tg_password_verify("s3cret", bad[i]));
}

static void test_random_hex(void) {
  g_autofree char *a = tg_random_hex(16);
  g_autofree char *b = tg_random_hex(16);
  g_assert_cmpuint(strlen(a), ==, 32);
  g_assert_cmpstr(a, !=, b);
  for (const char *p = a; *p; p++) g_assert_true(g_ascii_isxdigit(*p) && !g_ascii_isupper(*p));
}

static void test_b64url(void) {
  const guint8 data[] = {0xfb, 0xff, 0xfe, 0x00, 0x41};
  for (gsize n = 0; n <= sizeof data; n++) {
    g_autofree char *enc = tg_b64url_encode(data, n);
    g_assert_null(strpbrk(enc, "+/="));
    gsize len = 0;
    g_autofree guint8 *dec = tg_b64url_decode(enc, &len);
    g_assert_nonnull(dec);
    g_assert_cmpmem(dec, len, data, n);
  }
  gsize len = 0;
  g_assert_null(tg_b64url_decode("a", &len));    /* impossible length */
  g_assert_null(tg_b64url_decode("ab+c", &len)); /* standard alphabet */
  g_assert_null(tg_b64url_decode("ab=c", &len));
}

static void test_secure_streq(void) {
  g_assert_true(tg_secure_streq("abc", "abc"));
  g_assert_false(tg_secure_streq("abc", "abd"));
  g_assert_false(tg_secure_streq("abc", "abcd"));
  g_assert_false(tg_secure_streq(NULL, "abc"));
  g_assert_false(tg_secure_streq("abc", NULL));
}

static gpointer hash_many(gpointer failures) {
  for (guint i = 0; i < 2000; i++) {
    char out[TG_SHA256_HEX_LEN + 1];
    tg_sha256_hex("abc", 3, out);
    if (strcmp(out, ABC_SHA256) != 0) g_atomic_int_inc((gint *)failures);
  }
  return NULL;
}

/* Runs first: the threads race for the one-time digest fetch. */
static void test_sha256_threads(void) {
  gint failures = 0;
  GThread *threads[16];
  for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
    threads[i] = g_thread_new("sha", hash_many, &failures);
  for (guint i = 0; i < G_N_ELEMENTS(threads); i++) g_thread_join(threads[i]);
  g_assert_cmpint(failures, ==, 0);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/crypto/sha256_threads", test_sha256_threads);
  g_test_add_func("/crypto/sha256_known_answer", test_sha256_known_answer);
  g_test_add_func("/crypto/hmac_rfc4231", test_hmac_rfc4231);
  g_test_add_func("/crypto/hmac_prepared_key", test_hmac_prepared_key);
  g_test_add_func("/crypto/hmac_prepared_key_threads", test_hmac_prepared_key_threads);
  g_test_add_func("/crypto/password_hash", test_password_hash);
  g_test_add_func("/crypto/random_hex", test_random_hex);
  g_test_add_func("/crypto/b64url", test_b64url);
  g_test_add_func("/crypto/secure_streq", test_secure_streq);
  return g_test_run();
}
