/*
 * http_header: what the gateway needs to know about a header's name, found once per header
 * instead of by comparing it against lists. http_header_kind() names the few headers the
 * gateway treats specially with one switch on the length and at most two compares.
 * Design notes: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_HTTP_HEADER_H
#define TG_GATEWAY_HTTP_HEADER_H

#include <glib.h>

typedef enum {
  HTTP_H_OTHER = 0,
  /* hop-by-hop (RFC 9110 7.6.1), never forwarded either way */
  HTTP_H_CONNECTION,
  HTTP_H_KEEP_ALIVE,
  HTTP_H_TE,
  HTTP_H_TRAILER,
  HTTP_H_TRANSFER_ENCODING,
  HTTP_H_UPGRADE,
  HTTP_H_PROXY_ANY, /* proxy-*: Proxy-Authorization, Proxy-Connection, ... */
  /* framing, re-made by the gateway for its own hop */
  HTTP_H_CONTENT_LENGTH,
  /* request headers the gateway replaces or consumes */
  HTTP_H_HOST,
  HTTP_H_EXPECT,
  HTTP_H_X_REQUEST_ID,
  HTTP_H_AUTHORIZATION,
  HTTP_H_X_FORWARDED_FOR,
  HTTP_H_X_FORWARDED_PROTO,
  HTTP_H_X_END_USER,
} HttpHeaderKind;

/* The kind of the header named name (len bytes, any case). */
HttpHeaderKind http_header_kind(const char *name, size_t len);

/* TRUE for the kinds that belong to one hop only (connection .. proxy-*). */
static inline gboolean http_header_hop_by_hop(HttpHeaderKind kind) {
  return kind >= HTTP_H_CONNECTION && kind <= HTTP_H_PROXY_ANY;
}

/* TRUE for the kinds an answer's head never takes from anyone else: one hop's own and
   Content-Length (the gateway frames every answer it writes). */
static inline gboolean http_header_answer_framing(HttpHeaderKind kind) {
  return http_header_hop_by_hop(kind) || kind == HTTP_H_CONTENT_LENGTH;
}

/* TRUE when name (len bytes) is a header the gateway itself sets for the
   backend (X-End-User, X-Forwarded-For, X-Forwarded-Proto, X-JWT-Assertion),
   in any case, with '_' for '-' and trailing blanks: a client's copy is never
   forwarded. */
gboolean http_header_is_identity(const char *name, size_t len);

/* TRUE when two header names are one for the backend: any case, '_' and '-'
   alike. */
gboolean http_header_same_name(const char *a, const char *b);

/* TRUE when the comma-separated header value list (NULL: empty) holds
   token, compared case-insensitively without surrounding blanks. */
gboolean http_token_listed(const char *list, const char *token);

/* TRUE when a Connection header's value names headers besides the options
   keep-alive and close (a rare case: then each header is checked with
   http_token_listed). */
gboolean http_connection_lists_headers(const char *connection);

/* What a Connection header's value (NULL: none) holds, found in one pass: the
   options close and keep-alive, and whether it names anything else (headers). */
enum { HTTP_CONN_CLOSE = 1, HTTP_CONN_KEEP_ALIVE = 2, HTTP_CONN_LISTS = 4 };
guint http_connection_options(const char *connection);

#endif
