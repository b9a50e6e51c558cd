/*
 * http_header: header names classified by one switch on their length (see
 * http_header.h), and the comma-separated token lists of header values.
 */
#include "http_header.h"

#include <string.h>

/* ASCII only, inline: g_ascii_tolower is a call per byte */
static inline char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c; }

/* name (len bytes, any case) equals lower, a lower-case literal of len bytes */
static gboolean same_name(const char *name, const char *lower, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (lower_ascii(name[i]) != lower[i]) return FALSE;
  return TRUE;
}

/* the same for a token of len bytes against a lower-case literal */
static gboolean same_token(const char *t, size_t len, const char *lower) {
  return strlen(lower) == len && same_name(t, lower, len);
}

#define IS(lit) same_name(name, lit, len)

HttpHeaderKind http_header_kind(const char *name, size_t len) {
  if (len > 6 && lower_ascii(name[0]) == 'p' && same_name(name, "proxy-", 6))
    return HTTP_H_PROXY_ANY;
  switch (len) {
  case 2:
    return IS("te") ? HTTP_H_TE : HTTP_H_OTHER;
  case 4:
    return IS("host") ? HTTP_H_HOST : HTTP_H_OTHER;
  case 6:
    return IS("expect") ? HTTP_H_EXPECT : HTTP_H_OTHER;
  case 7:
    return IS("trailer") ? HTTP_H_TRAILER : IS("upgrade") ? HTTP_H_UPGRADE : HTTP_H_OTHER;
  case 10:
    return IS("connection")   ? HTTP_H_CONNECTION
           : IS("keep-alive") ? HTTP_H_KEEP_ALIVE
           : IS("x-end-user") ? HTTP_H_X_END_USER
                              : HTTP_H_OTHER;
  case 12:
    return IS("x-request-id") ? HTTP_H_X_REQUEST_ID : HTTP_H_OTHER;
  case 13:
    return IS("authorization") ? HTTP_H_AUTHORIZATION : HTTP_H_OTHER;
  case 14:
    return IS("content-length") ? HTTP_H_CONTENT_LENGTH : HTTP_H_OTHER;
  case 15:
    return IS("x-forwarded-for") ? HTTP_H_X_FORWARDED_FOR : HTTP_H_OTHER;
  case 17:
    return IS("transfer-encoding")   ? HTTP_H_TRANSFER_ENCODING
           : IS("x-forwarded-proto") ? HTTP_H_X_FORWARDED_PROTO
                                     : HTTP_H_OTHER;
  default:
    return HTTP_H_OTHER;
  }
}

/* lower case, and '_' read as '-' */
static inline char fold_name(char c) { return c == '_' ? '-' : lower_ascii(c); }

static gboolean same_folded(const char *name, const char *lower, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (fold_name(name[i]) != lower[i]) return FALSE;
  return TRUE;
}

gboolean http_header_is_identity(const char *name, size_t len) {
  while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t')) len--;
  if (len < 10 || (name[0] | 0x20) != 'x') return FALSE; /* the common case, at once */
  switch (len) {
  case 10:
    return same_folded(name, "x-end-user", len);
  case 15:
    return same_folded(name, "x-forwarded-for", len) || same_folded(name, "x-jwt-assertion", len);
  case 17:
    return same_folded(name, "x-forwarded-proto", len);
  default:
    return FALSE;
  }
}

gboolean http_header_same_name(const char *a, const char *b) {
  for (; *a && *b; a++, b++)
    if (fold_name(*a) != fold_name(*b)) return FALSE;
  return *a == *b;
}

/* The next element of a comma-separated list at *p, blanks around it cut:
   its start, its length in *len; NULL at the end. Moves *p past it. */
static const char *next_token(const char **p, size_t *len) {
  const char *s = *p;
  while (s && *s) {
    s += strspn(s, " \t,");
    const char *end = s + strcspn(s, ",");
    const char *last = end;
    while (last > s && (last[-1] == ' ' || last[-1] == '\t')) last--;
    *p = end;
    if (last > s) {
      *len = (size_t)(last - s);
      return s;
    }
    s = end;
  }
  return NULL;
}

/* Scans in place: it runs for headers of every request and response. */
gboolean http_token_listed(const char *list, const char *token) {
  size_t n = strlen(token), len;
  for (const char *p = list, *t; (t = next_token(&p, &len));)
    if (len == n && !g_ascii_strncasecmp(t, token, n)) return TRUE; /* token: any case */
  return FALSE;
}

guint http_connection_options(const char *connection) {
  guint options = 0;
  size_t len;
  for (const char *p = connection, *t; (t = next_token(&p, &len));)
    options |= same_token(t, len, "close")        ? HTTP_CONN_CLOSE
               : same_token(t, len, "keep-alive") ? HTTP_CONN_KEEP_ALIVE
                                                  : HTTP_CONN_LISTS;
  return options;
}

gboolean http_connection_lists_headers(const char *connection) {
  return (http_connection_options(connection) & HTTP_CONN_LISTS) != 0;
}
