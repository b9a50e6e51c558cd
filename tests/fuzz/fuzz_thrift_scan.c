/*
 * fuzz_thrift_scan: libFuzzer target for common/tg_thrift_scan.c. The first
 * byte picks the wire (bit 0), small limits or the hub's (bit 1; the hub's refuse a
 * NUL in a string, the small ones do not) and the step of the incremental feed
 * (bits 2-7); the rest is the message. The one-shot
 * scan and the incremental scan fed that many bytes at a time (the buffer
 * copied to a new place every time, as a growing connection buffer moves)
 * must agree: same result, same length, same method name (REFUSED too: a whole message
 * with a string over max_string or holding a NUL, and the same reason). The one-shot scan
 * must also agree with the general walk alone (no binary fast lane), the reason of an
 * INVALID scan included.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tg_thrift_scan.h"

static const TgThriftScanLimits default_limits = {.max_message = 1 << 20,
                                                  .max_string = 1 << 16,
                                                  .max_container = 10000,
                                                  .max_depth = 64,
                                                  .refuse_nul = TRUE};
static const TgThriftScanLimits small_limits = {
    .max_message = 256, .max_string = 16, .max_container = 4, .max_depth = 3};

static void check_same(TgThriftScanResult a, const TgThriftScan *sa, TgThriftScanResult b,
                       const TgThriftScan *sb) {
  if (a != b) abort();
  gboolean whole = a == TG_THRIFT_SCAN_COMPLETE || a == TG_THRIFT_SCAN_REFUSED;
  if (whole &&
      (sa->length != sb->length || sa->name_len != sb->name_len || sa->seqid != sb->seqid ||
       sa->type != sb->type || memcmp(sa->name, sb->name, sa->name_len) != 0))
    abort();
  if ((a == TG_THRIFT_SCAN_INVALID || a == TG_THRIFT_SCAN_REFUSED) &&
      (sa->error == NULL || sb->error == NULL))
    abort();
  if (a == TG_THRIFT_SCAN_REFUSED && strcmp(sa->error, sb->error) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  TgThriftWire wire = data[0] & 1 ? TG_THRIFT_WIRE_COMPACT : TG_THRIFT_WIRE_BINARY;
  const TgThriftScanLimits *limits = data[0] & 2 ? &small_limits : &default_limits;
  size_t step = (size_t)(data[0] >> 2) + 1;
  const uint8_t *msg = data + 1;
  size_t len = size - 1;

  TgThriftScan whole;
  TgThriftScanResult r = tg_thrift_scan(wire, msg, len, limits, &whole);
  if ((r == TG_THRIFT_SCAN_COMPLETE || r == TG_THRIFT_SCAN_REFUSED) &&
      (whole.length == 0 || whole.length > len))
    abort();

  TgThriftScanFrame frames[64];
  TgThriftScanState st;
  tg_thrift_scan_begin(&st, frames, limits->max_depth);
  TgThriftScan general;
  TgThriftScanResult g = tg_thrift_scan_more_general(&st, wire, msg, len, limits, &general);
  check_same(r, &whole, g, &general);
  if (r == TG_THRIFT_SCAN_INVALID && strcmp(whole.error, general.error) != 0) abort();

  tg_thrift_scan_begin(&st, frames, limits->max_depth);
  TgThriftScan part;
  TgThriftScanResult p = TG_THRIFT_SCAN_NEED_MORE;
  uint8_t *moving = NULL;
  for (size_t n = step < len ? step : len;; n = n + step < len ? n + step : len) {
    free(moving);
    moving = malloc(n ? n : 1);
    memcpy(moving, msg, n);
    p = tg_thrift_scan_more(&st, wire, moving, n, limits, &part);
    if (st.pos > n) abort();
    if (p != TG_THRIFT_SCAN_NEED_MORE || n == len) break;
  }
  /* an early end (COMPLETE, REFUSED or INVALID before the last byte) must be the whole
     scan's too */
  check_same(r, &whole, p, &part);
  free(moving);
  return 0;
}
