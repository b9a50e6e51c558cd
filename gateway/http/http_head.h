/*
 * http_head: an HTTP message head gathered as pointers and written into one reserved extent of
 * an evbuffer: no copy but the last, no per-field evbuffer_add. Used for the request sent to a
 * backend (upstream/proxy.c) and the relayed response (response_head.c). Trade-off: the
 * strings must stay alive until http_head_write. Usage: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_HTTP_HEAD_H
#define TG_GATEWAY_HTTP_HEAD_H

#include <event2/buffer.h>
#include <glib.h>

#define HTTP_HEAD_LINE_PIECES     12 /* method, target (up to 7), version */
#define HTTP_HEAD_FIELDS_ON_STACK 48

typedef struct {
  const char *name, *value;
  size_t nlen, vlen;
} HttpField;

typedef struct {
  struct evbuffer_iovec line[HTTP_HEAD_LINE_PIECES]; /* the first line, CRLF added */
  guint line_pieces;
  HttpField on_stack[HTTP_HEAD_FIELDS_ON_STACK];
  HttpField *fields; /* on_stack, or a heap array when room is larger */
  guint n, room;
  size_t bytes; /* the whole head so far, CRLFs included */
} HttpHead;

void http_head_init(HttpHead *h, guint room);
/* Appends a piece to the first line (at most HTTP_HEAD_LINE_PIECES). */
void http_head_line(HttpHead *h, const char *s, size_t len);
/* Appends a field (at most room of them). */
void http_head_field(HttpHead *h, const char *name, size_t nlen, const char *value, size_t vlen);
#define HTTP_HEAD_FIELD_LIT(h, literal, value) \
  http_head_field(h, literal, sizeof literal - 1, value, strlen(value))
/* The head, through its empty line, at the end of out. FALSE: no memory. */
gboolean http_head_write(const HttpHead *h, struct evbuffer *out);
void http_head_clear(HttpHead *h);

#endif
