/*
 * response_head: one proxied response head, gathered in an HttpHead and
 * written into one reserved extent of the client's output (see response_head.h).
 */
#include "response_head.h"

#include <string.h>

#include "http_head.h"

gboolean response_head_passes(const BackendHeader *h, const char *connection,
                              gboolean connection_lists) {
  return !h->removed && !http_header_answer_framing(h->kind) &&
         !(connection_lists && http_token_listed(connection, h->name));
}

static guint added_count(evhtp_headers_t *added) {
  guint n = 0;
  evhtp_kv_t *kv;
  TAILQ_FOREACH(kv, added, next) n++;
  return n;
}

/* The headers added by reference from next on that were added when headers_out held at most
   `at` kvs; returns the index of the first one left. */
static guint add_refs(HttpHead *h, const ResponseHead *head, guint next, guint at) {
  const RefHeader *r = head->ref + next, *end = head->ref + head->n_ref;
  for (; r < end && r->after <= at; r++)
    if (!r->removed) http_head_field(h, r->name, r->nlen, r->value, r->vlen);
  return (guint)(r - head->ref);
}

/* The head's fields in order: the backend's that pass, the gateway's, framing. */
static void add_fields(HttpHead *h, const ResponseHead *head) {
  for (guint i = 0; head->backend && i < head->backend->len; i++) {
    const BackendHeader *b = &g_array_index(head->backend, BackendHeader, i);
    if (response_head_passes(b, head->connection, head->connection_lists))
      http_head_field(h, b->name, b->nlen, b->value, b->vlen);
  }
  evhtp_kv_t *kv;
  guint at = 0, next = 0;
  TAILQ_FOREACH(kv, head->added, next) { /* framing is the gateway's, whoever set what */
    if (next < head->n_ref) next = add_refs(h, head, next, at++);
    if (!kv->key || !kv->val) continue;
    HttpHeaderKind kind = http_header_kind(kv->key, kv->klen);
    if (!http_header_answer_framing(kind)) http_head_field(h, kv->key, kv->klen, kv->val, kv->vlen);
  }
  if (next < head->n_ref) add_refs(h, head, next, G_MAXUINT);
  if (head->content_length) HTTP_HEAD_FIELD_LIT(h, "Content-Length", head->content_length);
  if (head->chunked) HTTP_HEAD_FIELD_LIT(h, "Transfer-Encoding", "chunked");
  if (head->connection_option) HTTP_HEAD_FIELD_LIT(h, "Connection", head->connection_option);
}

gboolean response_head_write(struct evbuffer *out, const ResponseHead *head) {
  int s = CLAMP(head->status, 100, 999);
  char status[5] = {' ', (char)('0' + s / 100), (char)('0' + s / 10 % 10), (char)('0' + s % 10),
                    ' '};
  const char *reason = head->reason ? head->reason : "";
  HttpHead h;
  http_head_init(
      &h, (head->backend ? head->backend->len : 0) + added_count(head->added) + head->n_ref + 3);
  http_head_line(&h, head->http10 ? "HTTP/1.0" : "HTTP/1.1", 8);
  http_head_line(&h, status, sizeof status);
  http_head_line(&h, reason, strlen(reason));
  add_fields(&h, head);
  gboolean ok = http_head_write(&h, out);
  http_head_clear(&h);
  return ok;
}
