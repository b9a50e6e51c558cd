/*
 * http_head: a head gathered as pointers, measured as it grows, then copied
 * once into space reserved at the end of an evbuffer (see http_head.h).
 */
#include "http_head.h"

#include <string.h>

void http_head_init(HttpHead *h, guint room) {
  h->line_pieces = 0;
  h->n = 0;
  h->room = room;
  h->fields = room > HTTP_HEAD_FIELDS_ON_STACK ? g_new(HttpField, room) : h->on_stack;
  h->bytes = 2 + 2; /* the first line's CRLF and the empty line */
}

void http_head_line(HttpHead *h, const char *s, size_t len) {
  g_return_if_fail(h->line_pieces < HTTP_HEAD_LINE_PIECES);
  h->line[h->line_pieces++] = (struct evbuffer_iovec){(void *)s, len};
  h->bytes += len;
}

void http_head_field(HttpHead *h, const char *name, size_t nlen, const char *value, size_t vlen) {
  g_return_if_fail(h->n < h->room);
  h->fields[h->n++] = (HttpField){name, value, nlen, vlen};
  h->bytes += nlen + 2 + vlen + 2;
}

static char *put(char *p, const void *s, size_t n) {
  memcpy(p, s, n);
  return p + n;
}

gboolean http_head_write(const HttpHead *h, struct evbuffer *out) {
  struct evbuffer_iovec vec;
  if (evbuffer_reserve_space(out, (ev_ssize_t)h->bytes, &vec, 1) < 1 || vec.iov_len < h->bytes)
    return FALSE;
  char *p = vec.iov_base;
  for (guint i = 0; i < h->line_pieces; i++) p = put(p, h->line[i].iov_base, h->line[i].iov_len);
  p = put(p, "\r\n", 2);
  for (guint i = 0; i < h->n; i++) {
    const HttpField *f = &h->fields[i];
    p = put(p, f->name, f->nlen);
    p = put(p, ": ", 2);
    p = put(p, f->value, f->vlen);
    p = put(p, "\r\n", 2);
  }
  put(p, "\r\n", 2);
  vec.iov_len = h->bytes;
  return evbuffer_commit_space(out, &vec, 1) == 0;
}

void http_head_clear(HttpHead *h) {
  if (h->fields != h->on_stack) g_free(h->fields);
  h->fields = h->on_stack;
  h->n = h->room = 0;
}
