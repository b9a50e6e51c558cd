/*
 * tg_http_syntax: the HTTP/1.1 syntax rules every reader of the wire applies
 * (RFC 9110 tokens and field-value bytes, Content-Length digits, the final
 * transfer coding, chunk-size digits), pure and allocation-free. The byte
 * classes are one inline table read so the readers' hot loops stay as fast as
 * their own copies were; framing state machines stay with each reader.
 */
#ifndef TG_HTTP_SYNTAX_H
#define TG_HTTP_SYNTAX_H

#include <string.h>

#include <glib.h>

/* Byte classes of tg_http_byte_class, one bit each. */
enum {
  TG_HTTP_TCHAR = 1,  /* RFC 9110 5.6.2 tchar: ALPHA, DIGIT, !#$%&'*+-.^_`|~ */
  TG_HTTP_VALUE = 2,  /* RFC 9110 5.5 field-value byte: VCHAR, obs-text, SP, HTAB */
  TG_HTTP_TARGET = 4, /* RFC 9112 3.2 request-target byte: visible ASCII but '#' */
};

extern const guint8 tg_http_byte_class[256];

static inline gboolean tg_http_tchar(guchar c) {
  return (tg_http_byte_class[c] & TG_HTTP_TCHAR) != 0;
}

static inline gboolean tg_http_value_byte(guchar c) {
  return (tg_http_byte_class[c] & TG_HTTP_VALUE) != 0;
}

/* TRUE when none of the 8 bytes at s is a control byte a field value may not
   hold (below 0x20, or DEL). HTAB fails here too: a word that fails is looked
   at byte by byte. */
static inline gboolean tg_http_word_clean(const char *s) {
  const guint64 ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  guint64 w, del;
  memcpy(&w, s, 8);
  del = w ^ (0x7f * ones); /* a DEL byte is a zero byte here */
  return ((((w - 0x20 * ones) & ~w) | ((del - ones) & ~del)) & highs) == 0;
}

/* s[0..n) is a token (1*tchar). */
gboolean tg_http_token(const char *s, gsize n);

static inline gboolean tg_http_value_bytes_ok(const char *s, gsize n) {
  for (gsize i = 0; i < n; i++)
    if (!tg_http_value_byte((guchar)s[i])) return FALSE;
  return TRUE;
}

/* Every byte of s[0..n) may be in a field value (or a reason phrase). Eight
   bytes a step, the last step overlapping the one before; inline: every
   header value of every backend answer passes here. */
static inline gboolean tg_http_field_value_ok(const char *s, gsize n) {
  if (n < 8) return tg_http_value_bytes_ok(s, n);
  for (gsize i = 0;; i += 8) {
    gsize at = MIN(i, n - 8);
    if (!tg_http_word_clean(s + at) && !tg_http_value_bytes_ok(s + at, 8)) return FALSE;
    if (at == n - 8) return TRUE;
  }
}

/* Content-Length (RFC 9110 8.6): s[0..n) is 1*DIGIT, no blanks, no sign, at
   most TG_HTTP_LENGTH_DIGITS_MAX digits (below 2^63); its value in *out. */
#define TG_HTTP_LENGTH_DIGITS_MAX 18
gboolean tg_http_content_length(const char *s, gsize n, guint64 *out);

/* Transfer-Encoding (RFC 9112 6.1): the codings of one or more field values,
   in order. Framed as chunked only when chunked is the final coding and is
   applied once. */
typedef struct {
  guint codings; /* list elements that are not empty */
  guint chunked; /* of them "chunked", any case */
  gboolean chunked_last;
} TgHttpCodings;

void tg_http_codings_add(TgHttpCodings *c, const char *value, gsize n);

static inline gboolean tg_http_codings_chunked(const TgHttpCodings *c) {
  return c->chunked_last && c->chunked == 1;
}

/* Chunk size (RFC 9112 7.1): hex digits, at most TG_HTTP_CHUNK_DIGITS_MAX of
   them, leading zeros counted (below 2^60: no overflow, and no chunk is that
   big). One more byte c of a size line: */
#define TG_HTTP_CHUNK_DIGITS_MAX 15
typedef enum {
  TG_HTTP_CHUNK_DIGIT = 0, /* a hex digit, added to *size */
  TG_HTTP_CHUNK_NOT_HEX,   /* not a hex digit: the digits ended (or none began) */
  TG_HTTP_CHUNK_TOO_BIG,   /* one hex digit too many */
} TgHttpChunkDigit;

static inline TgHttpChunkDigit tg_http_chunk_digit(guint64 *size, guint *digits, guchar c) {
  int v = c >= '0' && c <= '9'                     ? c - '0'
          : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                   : -1;
  if (v < 0) return TG_HTTP_CHUNK_NOT_HEX;
  if (++*digits > TG_HTTP_CHUNK_DIGITS_MAX) return TG_HTTP_CHUNK_TOO_BIG;
  *size = *size << 4 | (guint64)v;
  return TG_HTTP_CHUNK_DIGIT;
}

#endif
