/*
 * tg_http_syntax: the shared HTTP/1.1 syntax rules (see tg_http_syntax.h).
 * Each rule is written once here; the request scanner, the backend answer
 * parser and the hub's method check read it from this file.
 */
#include "tg_http_syntax.h"

/* 1 tchar, 2 field-value byte, 4 request-target byte; rows of 16 from 0x00. */
const guint8 tg_http_byte_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 7, 6, 3, 7, 7, 7, 7, 6, 6, 7, 7, 6, 7, 7, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 6, 6, 6, 6, 6, 6,
    6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 6, 6, 6, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 6, 7, 6, 7, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

gboolean tg_http_token(const char *s, gsize n) {
  if (n == 0) return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!tg_http_tchar((guchar)s[i])) return FALSE;
  return TRUE;
}

gboolean tg_http_content_length(const char *s, gsize n, guint64 *out) {
  guint64 v = 0;
  if (n == 0 || n > TG_HTTP_LENGTH_DIGITS_MAX) return FALSE;
  for (gsize i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return FALSE;
    v = v * 10 + (guint64)(s[i] - '0');
  }
  *out = v;
  return TRUE;
}

static gboolean is_blank(char c) { return c == ' ' || c == '\t'; }

/* Elements split at commas, blanks around them dropped, empty ones skipped
   (RFC 9110 5.6.1); "chunked;q=1" is a coding with a parameter, not chunked. */
void tg_http_codings_add(TgHttpCodings *c, const char *value, gsize n) {
  const char *p = value, *end = value + n;
  while (p < end) {
    while (p < end && (is_blank(*p) || *p == ',')) p++;
    if (p == end) break;
    const char *start = p;
    while (p < end && *p != ',') p++;
    const char *e = p;
    while (e > start && is_blank(e[-1])) e--;
    gboolean chunked = e - start == 7 && !g_ascii_strncasecmp(start, "chunked", 7);
    c->codings++;
    c->chunked += chunked;
    c->chunked_last = chunked;
  }
}
