/*
 * ratelimit_headers: formatting of the rate-limit headers and the fault's
 * nextAccessTime (ratelimit_headers.h). Pieces copied into fixed buffers
 * with tg_int_text and lengths known once, no printf and no strlen per
 * piece: every answer of a throttled API carries them.
 */
#include "ratelimit_headers.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tg_json.h"

/* Appends len bytes of s at *at within out[size] (truncating); returns the new end. */
static gsize put(char *out, gsize size, gsize at, const char *s, gsize len) {
  len = MIN(len, size - 1 - at);
  memcpy(out + at, s, len);
  return at + len;
}

/* The decimal text of v into out (24 bytes); returns its length. */
static gsize int_put(char out[24], gint64 v) {
  char buf[TG_INT_TEXT_LEN];
  const char *t = tg_int_text(v, buf);
  gsize len = (gsize)(buf + TG_INT_TEXT_LEN - 1 - t);
  memcpy(out, t, len + 1);
  return len;
}

/* out = "\"" name "\";" key "=" a ";" key2 "=" b */
static void policy_text(char out[RATELIMIT_TEXT], const char *name, gsize nlen, const char *k1,
                        const char *a, gsize alen, const char *k2, const char *b, gsize blen) {
  gsize n = put(out, RATELIMIT_TEXT, 0, "\"", 1);
  n = put(out, RATELIMIT_TEXT, n, name, nlen);
  n = put(out, RATELIMIT_TEXT, n, k1, 4);
  n = put(out, RATELIMIT_TEXT, n, a, alen);
  n = put(out, RATELIMIT_TEXT, n, k2, 3);
  n = put(out, RATELIMIT_TEXT, n, b, blen);
  out[n] = '\0';
}

gint64 ratelimit_seconds_until(gint64 now_ms, gint64 reset_ms) {
  gint64 left = reset_ms - now_ms;
  if (left <= 0) return 1;
  return MAX((left + 999) / 1000, 1);
}

/* The policy's text for the last (name, limit, window) this thread formatted: a key's
   requests share it, so most answers copy it instead of formatting it again. */
typedef struct {
  const char *name;
  gint64 limit, window;
  char policy[RATELIMIT_TEXT], limit_text[24];
} PolicyMemo;
static __thread PolicyMemo memo;

void ratelimit_headers_format(RateLimitHeaders *out, const char *name, gint64 limit,
                              gint64 remaining, gint64 window_ms, gint64 reset_ms, gint64 now_ms) {
  remaining = CLAMP(remaining, 0, limit);
  gint64 reset = ratelimit_seconds_until(now_ms, reset_ms);
  gint64 window = MAX((window_ms + 999) / 1000, 1);
  gsize nlen = strlen(name);
  if (memo.name != name || memo.limit != limit || memo.window != window) {
    char w[24];
    gsize llen = int_put(memo.limit_text, limit), wlen = int_put(w, window);
    policy_text(memo.policy, name, nlen, "\";q=", memo.limit_text, llen, ";w=", w, wlen);
    memo.name = name; /* names are static strings: the pointer is the identity */
    memo.limit = limit;
    memo.window = window;
  }
  memcpy(out->policy, memo.policy, sizeof out->policy);
  memcpy(out->limit, memo.limit_text, sizeof out->limit);
  gsize rlen = int_put(out->remaining, remaining), tlen = int_put(out->reset, reset);
  policy_text(out->ratelimit, name, nlen, "\";r=", out->remaining, rlen, ";t=", out->reset, tlen);
}

void ratelimit_next_access_time(gint64 ms, char out[48]) {
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  snprintf(out, 48, "%04d-%s-%02d %02d:%02d:%02d+0000 UTC", tm.tm_year + 1900,
           months[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
