/*
 * response_head: one proxied response head, measured, then copied into one
 * reserved extent of the client's output buffer (see response_head.h).
 */
#include "response_head.h"

#include <string.h>

gboolean response_head_passes(const BackendHeader *h, const char *connection,
                              gboolean connection_lists) {
  return !h->removed && !http_header_hop_by_hop(h->kind) && h->kind != HTTP_H_CONTENT_LENGTH &&
         !(connection_lists && http_token_listed(connection, h->name));
}

typedef struct {
  const char *name, *value;
  size_t nlen, vlen;
} Field;

#define FIELDS_ON_STACK 64

static guint added_count(evhtp_headers_t *added) {
  guint n = 0;
  evhtp_kv_t *kv;
  TAILQ_FOREACH(kv, added, next) n++;
  return n;
}

static void add_field(Field *f, guint *n, size_t *total, const char *name, size_t nlen,
                      const char *value, size_t vlen) {
  f[(*n)++] = (Field){name, value, nlen, vlen};
  *total += nlen + 2 + vlen + 2;
}

/* The head's fields in order into f (room for every candidate); their bytes
   are added to *total. */
static guint collect_fields(const ResponseHead *head, Field *f, size_t *total) {
  guint n = 0;
  for (guint i = 0; head->backend && i < head->backend->len; i++) {
    const BackendHeader *h = &g_array_index(head->backend, BackendHeader, i);
    if (response_head_passes(h, head->connection, head->connection_lists))
      add_field(f, &n, total, h->name, h->nlen, h->value, h->vlen);
  }
  evhtp_kv_t *kv;
  TAILQ_FOREACH(kv, head->added, next) { /* framing is the gateway's, whoever set what */
    if (!kv->key || !kv->val) continue;
    HttpHeaderKind kind = http_header_kind(kv->key, kv->klen);
    if (!http_header_hop_by_hop(kind) && kind != HTTP_H_CONTENT_LENGTH)
      add_field(f, &n, total, kv->key, kv->klen, kv->val, kv->vlen);
  }
#define FIELD(name, value) add_field(f, &n, total, name, sizeof name - 1, value, strlen(value))
  if (head->content_length) FIELD("Content-Length", head->content_length);
  if (head->chunked) FIELD("Transfer-Encoding", "chunked");
  if (head->connection_option) FIELD("Connection", head->connection_option);
#undef FIELD
  return n;
}

static char *copy_field(char *p, const Field *f) {
  memcpy(p, f->name, f->nlen);
  memcpy(p + f->nlen, ": ", 2);
  memcpy(p + f->nlen + 2, f->value, f->vlen);
  memcpy(p + f->nlen + 2 + f->vlen, "\r\n", 2);
  return p + f->nlen + 2 + f->vlen + 2;
}

/* "HTTP/1.x SSS reason\r\n" into line (at least 16 + strlen(reason) bytes). */
static size_t status_line(char *line, const ResponseHead *head, const char *reason,
                          size_t reason_len) {
  int s = CLAMP(head->status, 100, 999);
  memcpy(line, head->http10 ? "HTTP/1.0 " : "HTTP/1.1 ", 9);
  line[9] = (char)('0' + s / 100);
  line[10] = (char)('0' + s / 10 % 10);
  line[11] = (char)('0' + s % 10);
  line[12] = ' ';
  memcpy(line + 13, reason, reason_len);
  memcpy(line + 13 + reason_len, "\r\n", 2);
  return 15 + reason_len;
}

gboolean response_head_write(struct evbuffer *out, const ResponseHead *head) {
  const char *reason = head->reason ? head->reason : "";
  size_t reason_len = strlen(reason);
  size_t total = 15 + reason_len + 2;
  guint room = (head->backend ? head->backend->len : 0) + added_count(head->added) + 3;
  Field on_stack[FIELDS_ON_STACK];
  g_autofree Field *on_heap = room > FIELDS_ON_STACK ? g_new(Field, room) : NULL;
  Field *fields = on_heap ? on_heap : on_stack;
  guint n = collect_fields(head, fields, &total);
  struct evbuffer_iovec vec;
  if (evbuffer_reserve_space(out, (ev_ssize_t)total, &vec, 1) < 1 || vec.iov_len < total)
    return FALSE;
  char *p = vec.iov_base;
  p += status_line(p, head, reason, reason_len);
  for (guint i = 0; i < n; i++) p = copy_field(p, &fields[i]);
  memcpy(p, "\r\n", 2);
  vec.iov_len = total;
  return evbuffer_commit_space(out, &vec, 1) == 0;
}
