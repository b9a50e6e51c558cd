/*
 * fuzz_gw_request_head: libFuzzer target for the gateway's strict reading of a
 * request stream (gateway/http/request_scan.c). The input is fed whole and then in
 * pieces whose sizes come from the first byte: both readings must agree on
 * the verdict, the refusal's status, the heads seen and their framing, and on
 * the request-target's bytes (collected across pieces as conn_scan does).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "request_scan.h"

typedef struct {
  RequestScanResult last;
  int status;
  unsigned heads;
  gint64 length_sum;
  unsigned chunked;
  GString *targets;
} Reading;

static void read_stream(const char *p, size_t n, size_t step, Reading *out) {
  RequestScan s;
  request_scan_init(&s, 4096);
  memset(out, 0, sizeof *out);
  out->targets = g_string_new(NULL);
  size_t at = 0;
  while (at < n) {
    size_t piece = step ? MIN(step, n - at) : n - at, used = 0;
    RequestScanResult r = request_scan_feed(&s, p + at, piece, &used);
    if (used > piece || s.target_off + s.target_len > used) abort();
    g_string_append_len(out->targets, p + at + s.target_off, s.target_len);
    out->last = r;
    if (r == RSCAN_INVALID) {
      if (!s.status || !s.reason) abort();
      out->status = s.status;
      return;
    }
    if (r == RSCAN_HEAD) {
      out->heads++;
      out->length_sum += s.head.content_length;
      out->chunked += s.head.chunked;
      if (s.head.chunked && s.head.content_length >= 0) abort();
      if (!s.head.method[0] || strlen(s.head.method) >= RSCAN_METHOD_MAX) abort();
      g_string_append_c(out->targets, '\n');
    } else if (used != piece) {
      abort();
    }
    at += used;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  size_t step = 1 + data[0] % 16;
  const char *p = (const char *)data + 1;
  Reading whole, split;
  read_stream(p, size - 1, 0, &whole);
  read_stream(p, size - 1, step, &split);
  if (whole.status != split.status || whole.heads != split.heads ||
      whole.length_sum != split.length_sum || whole.chunked != split.chunked)
    abort();
  if (!whole.status && strcmp(whole.targets->str, split.targets->str) != 0) abort();
  g_string_free(whole.targets, TRUE);
  g_string_free(split.targets, TRUE);
  return 0;
}
