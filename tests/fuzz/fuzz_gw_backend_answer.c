/*
 * fuzz_gw_backend_answer: the gateway's backend-answer parser
 * (gateway/upstream/backend_answer.c) on arbitrary bytes, the way the proxy drives it:
 * the head scanned in pieces whose sizes come from the input, parsed, then a
 * chunked body fed in pieces. Checks the contract: never past the bytes given,
 * the head's fields inside the head, a decision reached the same whole or split.
 */
#include <stdint.h>
#include <string.h>

#include "backend_answer.h"

/* The head's decision fed in `step`-byte pieces; -1: INVALID, 0: incomplete. */
static int run(const char *p, size_t len, size_t step, int *status, guint64 *chunk_data) {
  BackendHeadScan scan = {0};
  gsize have = 0, head_len = 0;
  BackendAnswerResult r = BA_NEED_MORE;
  while (r == BA_NEED_MORE && have < len) {
    have = MIN(len, have + step);
    r = backend_head_scan(&scan, p, have, 4096, &head_len);
  }
  if (r != BA_COMPLETE) return r == BA_INVALID ? -1 : 0;
  if (head_len > have) __builtin_trap();
  char *head = g_strndup(p, head_len);
  GArray *headers = g_array_new(FALSE, FALSE, sizeof(BackendHeader));
  BackendHead h;
  r = backend_head_parse(head, head_len, FALSE, headers, &h);
  for (guint i = 0; r == BA_COMPLETE && i < headers->len; i++) {
    BackendHeader *b = &g_array_index(headers, BackendHeader, i);
    if (b->name < head || b->value + b->vlen > head + head_len || strlen(b->value) != b->vlen)
      __builtin_trap();
  }
  *status = h.status;
  int out = r == BA_COMPLETE ? 1 : -1;
  if (r == BA_COMPLETE && h.mode == BA_BODY_CHUNKED) {
    BackendChunks c = {0};
    const char *q = p + head_len;
    size_t left = len - head_len;
    while (left > 0) {
      gsize used = 0;
      r = backend_chunks_scan(&c, q, MIN(left, step), &used);
      if (used > MIN(left, step)) __builtin_trap();
      q += used, left -= used;
      if (r == BA_DATA) {
        gsize d = (gsize)MIN(c.remaining, (guint64)MIN(left, step));
        *chunk_data += d;
        backend_chunks_data(&c, d);
        q += d, left -= d;
        if (d == 0) break;
      } else if (r != BA_NEED_MORE) {
        out = r == BA_COMPLETE ? 2 : -2;
        break;
      }
    }
  }
  g_array_free(headers, TRUE);
  g_free(head);
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  size_t step = (size_t)(data[0] % 16) + 1;
  const char *p = (const char *)data + 1;
  size_t len = size - 1;
  int s1 = 0, s2 = 0;
  guint64 d1 = 0, d2 = 0;
  int whole = run(p, len, len ? len : 1, &s1, &d1);
  int split = run(p, len, step, &s2, &d2);
  if (whole != split || (whole > 0 && (s1 != s2 || d1 != d2))) __builtin_trap();
  return 0;
}
