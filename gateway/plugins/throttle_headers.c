/*
 * throttle_headers: the five rate-limit headers into the request's answer (throttle_headers.h).
 * A backend header is compared with the names only when its first byte could start one
 * ('r' or 'x', any case); each header costs one allocation, no strlen.
 */
#include "throttle_headers.h"

#include <evhtp.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "response_head.h"

static const guint32 name_len[RATELIMIT_HEADERS] = {16, 9, 17, 21, 17};

static gboolean ratelimit_name(const char *name, guint32 len) {
  char c = (char)(name[0] | 0x20);
  if (len == 0 || (c != 'r' && c != 'x')) return FALSE;
  for (guint k = 0; k < RATELIMIT_HEADERS; k++)
    if (len == name_len[k] && !g_ascii_strncasecmp(name, ratelimit_header_names[k], len))
      return TRUE;
  return FALSE;
}

void throttle_headers_add(TgRequest *req, const RateLimitHeaders *h) {
  if (!req->ev || req->response_started) return;
  for (guint i = 0; req->backend_headers && i < req->backend_headers->len; i++) {
    BackendHeader *b = &g_array_index(req->backend_headers, BackendHeader, i);
    if (!b->removed && ratelimit_name(b->name, b->nlen)) b->removed = TRUE;
  }
  for (guint k = 0; k < RATELIMIT_HEADERS; k++) {
    evhtp_kv_t *kv = malloc(sizeof *kv); /* evhtp frees it with free() */
    if (!kv) return;
    *kv = (evhtp_kv_t){.key = (char *)ratelimit_header_names[k],
                       .val = (char *)h->value[k],
                       .klen = name_len[k],
                       .vlen = h->len[k]};
    TAILQ_INSERT_TAIL(req->ev->headers_out, kv, next);
  }
}
