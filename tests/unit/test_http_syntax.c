/*
 * test_http_syntax: the shared HTTP syntax rules (common/tg_http_syntax.c)
 * against the RFC 9110/9112 grammar written out a second way: every byte
 * 0..255 in every class, Content-Length values, coding lists, chunk-size lines.
 */
#include <string.h>

#include <glib.h>

#include "tg_http_syntax.h"

/* The grammar, spelled from the RFC text rather than as a table. */
static gboolean rfc_tchar(int c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}
static gboolean rfc_value(int c) {
  return c == '\t' || c == ' ' || (c >= 0x21 && c <= 0x7e) || c >= 0x80;
}
static gboolean rfc_target(int c) { return c >= 0x21 && c <= 0x7e && c != '#'; }

static void test_byte_classes(void) {
  guint tchars = 0;
  for (int c = 0; c < 256; c++) {
    g_assert_cmpint(tg_http_tchar((guchar)c), ==, rfc_tchar(c));
    g_assert_cmpint(tg_http_value_byte((guchar)c), ==, rfc_value(c));
    g_assert_cmpint((tg_http_byte_class[c] & TG_HTTP_TARGET) != 0, ==, rfc_target(c));
    g_assert_cmpint(tg_http_byte_class[c] & ~(TG_HTTP_TCHAR | TG_HTTP_VALUE | TG_HTTP_TARGET), ==,
                    0);
    tchars += rfc_tchar(c);
  }
  g_assert_cmpuint(tchars, ==, 26 * 2 + 10 + 15);
}

/* Each byte at each place of a word of 'a's: the word check may only pass
   words whose every byte is a field-value byte, and passes all but HTAB. */
static void test_word_clean(void) {
  for (int c = 0; c < 256; c++)
    for (int at = 0; at < 8; at++) {
      char w[8];
      memset(w, 'a', sizeof w);
      w[at] = (char)c;
      gboolean clean = tg_http_word_clean(w);
      if (clean)
        g_assert_true(rfc_value(c));
      else
        g_assert_true(!rfc_value(c) || c == '\t');
    }
}

/* Values of every length 0..40 with one byte c at every place. */
static void test_field_value(void) {
  static const guchar probes[] = {0x00, 0x01, '\t', '\n', '\r', 0x1f, ' ', '~', 0x7f, 0x80, 0xff};
  for (gsize n = 0; n <= 40; n++) {
    char v[40];
    memset(v, 'x', sizeof v);
    g_assert_true(tg_http_field_value_ok(v, n));
    for (gsize at = 0; at < n; at++)
      for (gsize k = 0; k < G_N_ELEMENTS(probes); k++) {
        memset(v, 'x', sizeof v);
        v[at] = (char)probes[k];
        g_assert_cmpint(tg_http_field_value_ok(v, n), ==, rfc_value(probes[k]));
      }
  }
}

static void test_token(void) {
  g_assert_true(tg_http_token("GET", 3));
  g_assert_true(tg_http_token("M-SEARCH", 8));
  g_assert_true(tg_http_token("!#$%&'*+-.^_`|~", 15));
  g_assert_false(tg_http_token("", 0));
  g_assert_false(tg_http_token("GE T", 4));
  g_assert_false(tg_http_token("GET\0X", 5));
  g_assert_false(tg_http_token("GE(T", 4));
  g_assert_false(tg_http_token("GE\"T", 4));
  g_assert_false(tg_http_token("caf\xc3\xa9", 5));
}

static void test_content_length(void) {
  static const struct {
    const char *v;
    gboolean ok;
    guint64 n;
  } cases[] = {
      {"0", TRUE, 0},
      {"5", TRUE, 5},
      {"007", TRUE, 7},
      {"999999999999999999", TRUE, G_GUINT64_CONSTANT(999999999999999999)}, /* 18 digits */
      {"1000000000000000000", FALSE, 0},                                    /* 19 */
      {"000000000000000000", TRUE, 0},
      {"0000000000000000001", FALSE, 0}, /* leading zeros count */
      {"99999999999999999999", FALSE, 0},
      {"", FALSE, 0},
      {" 5", FALSE, 0},
      {"5 ", FALSE, 0},
      {"+5", FALSE, 0},
      {"-1", FALSE, 0},
      {"0x10", FALSE, 0},
      {"5,5", FALSE, 0},
      {"5 5", FALSE, 0},
      {"1e3", FALSE, 0},
      {"\xd9\xa3", FALSE, 0}, /* an Arabic-Indic digit */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    guint64 v = 12345;
    gboolean ok = tg_http_content_length(cases[i].v, strlen(cases[i].v), &v);
    g_assert_cmpint(ok, ==, cases[i].ok);
    g_assert_cmpuint(v, ==, ok ? cases[i].n : 12345);
  }
  guint64 v;
  g_assert_false(
      tg_http_content_length("5\0"
                             "1",
                             3, &v)); /* a NUL inside */
}

static void test_codings(void) {
  static const struct {
    const char *v;
    guint codings;
    gboolean chunked;
  } cases[] = {
      {"chunked", 1, TRUE},
      {"ChUnKeD", 1, TRUE},
      {" chunked\t", 1, TRUE},
      {"gzip, chunked", 2, TRUE},
      {"gzip,,chunked,", 2, TRUE}, /* empty elements are not codings (RFC 9110 5.6.1) */
      {",chunked", 1, TRUE},
      {"chunked, gzip", 2, FALSE},
      {"chunked, chunked", 2, FALSE}, /* applied twice */
      {"chunked,identity", 2, FALSE},
      {"xchunked", 1, FALSE},
      {"chunkedx", 1, FALSE},
      {"chunked;q=1", 1, FALSE},
      {"chun ked", 1, FALSE},
      {"identity", 1, FALSE},
      {"", 0, FALSE},
      {" , ", 0, FALSE},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    TgHttpCodings c = {0};
    tg_http_codings_add(&c, cases[i].v, strlen(cases[i].v));
    g_assert_cmpuint(c.codings, ==, cases[i].codings);
    g_assert_cmpint(tg_http_codings_chunked(&c), ==, cases[i].chunked);
  }
  /* across fields: the order of the fields is the order of the codings */
  TgHttpCodings c = {0};
  tg_http_codings_add(&c, "gzip", 4);
  tg_http_codings_add(&c, "chunked", 7);
  g_assert_true(tg_http_codings_chunked(&c));
  tg_http_codings_add(&c, "chunked", 7);
  g_assert_false(tg_http_codings_chunked(&c));
  /* the length bounds the reading: "chunked" cut short is not chunked */
  TgHttpCodings d = {0};
  tg_http_codings_add(&d, "chunked", 6);
  g_assert_false(tg_http_codings_chunked(&d));
}

/* A chunk-size line's digits, fed byte by byte up to the first byte that is
   not a digit (or the one too many). */
static void test_chunk_size_lines(void) {
  static const struct {
    const char *line;
    TgHttpChunkDigit end; /* how the digits ended */
    guint digits;
    guint64 size;
  } cases[] = {
      {"0\r\n", TG_HTTP_CHUNK_NOT_HEX, 1, 0},
      {"5\r\n", TG_HTTP_CHUNK_NOT_HEX, 1, 5},
      {"a\r\n", TG_HTTP_CHUNK_NOT_HEX, 1, 10},
      {"Ff;ext\r\n", TG_HTTP_CHUNK_NOT_HEX, 2, 255},
      {"10 \r\n", TG_HTTP_CHUNK_NOT_HEX, 2, 16},
      {"fffffffffffffff\r\n", TG_HTTP_CHUNK_NOT_HEX, 15, G_GUINT64_CONSTANT(0xfffffffffffffff)},
      {"1000000000000000\r\n", TG_HTTP_CHUNK_TOO_BIG, 16, G_GUINT64_CONSTANT(0x100000000000000)},
      {"0000000000000001\r\n", TG_HTTP_CHUNK_TOO_BIG, 16, 0}, /* leading zeros count */
      {"10000000000000001\r\n", TG_HTTP_CHUNK_TOO_BIG, 16, G_GUINT64_CONSTANT(0x100000000000000)},
      {"g\r\n", TG_HTTP_CHUNK_NOT_HEX, 0, 0},
      {"-1\r\n", TG_HTTP_CHUNK_NOT_HEX, 0, 0},
      {"0x5\r\n", TG_HTTP_CHUNK_NOT_HEX, 1, 0},
      {"\r\n", TG_HTTP_CHUNK_NOT_HEX, 0, 0},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    guint64 size = 0;
    guint digits = 0;
    TgHttpChunkDigit r = TG_HTTP_CHUNK_DIGIT;
    for (const char *p = cases[i].line; *p && r == TG_HTTP_CHUNK_DIGIT; p++)
      r = tg_http_chunk_digit(&size, &digits, (guchar)*p);
    g_assert_cmpint(r, ==, cases[i].end);
    g_assert_cmpuint(digits, ==, cases[i].digits);
    g_assert_cmpuint(size, ==, cases[i].size);
  }
  /* every byte: a digit exactly when RFC HEXDIG, any case */
  for (int c = 0; c < 256; c++) {
    guint64 size = 0;
    guint digits = 0;
    gboolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    g_assert_cmpint(tg_http_chunk_digit(&size, &digits, (guchar)c), ==,
                    hex ? TG_HTTP_CHUNK_DIGIT : TG_HTTP_CHUNK_NOT_HEX);
    g_assert_cmpuint(size, ==, hex ? (guint64)g_ascii_xdigit_value((char)c) : 0);
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/http_syntax/byte_classes", test_byte_classes);
  g_test_add_func("/http_syntax/word_clean", test_word_clean);
  g_test_add_func("/http_syntax/field_value", test_field_value);
  g_test_add_func("/http_syntax/token", test_token);
  g_test_add_func("/http_syntax/content_length", test_content_length);
  g_test_add_func("/http_syntax/codings", test_codings);
  g_test_add_func("/http_syntax/chunk_size_lines", test_chunk_size_lines);
  return g_test_run();
}
