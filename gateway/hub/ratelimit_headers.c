/*
 * ratelimit_headers: formatting of the rate-limit headers and the fault's
 * nextAccessTime (ratelimit_headers.h). One pass into one buffer, numbers
 * two digits a step, lengths known once, no printf and no strlen per piece:
 * every answer of a throttled API carries them.
 */
#include "ratelimit_headers.h"

#include <stdio.h>
#include <string.h>
#include <time.h>


const char *const ratelimit_header_names[RATELIMIT_HEADERS] = {
    "RateLimit-Policy", "RateLimit", "X-RateLimit-Limit", "X-RateLimit-Remaining",
    "X-RateLimit-Reset"};

/* Appends len bytes of s at out + at, at most max - at of them; returns the new end. */
static gsize put(char *out, gsize max, gsize at, const char *s, gsize len) {
  len = MIN(len, max - at);
  memcpy(out + at, s, len);
  return at + len;
}

/* The decimal text of v >= 0 (no NUL) into out[20]; returns its length. Two digits a step. */
static gsize uint_put(char out[20], guint64 v) {
  static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                              "25262728293031323334353637383940414243444546474849"
                              "50515253545556575859606162636465666768697071727374"
                              "75767778798081828384858687888990919293949596979899";
  char buf[20];
  char *p = buf + sizeof buf;
  while (v >= 100) {
    guint d = (guint)(v % 100);
    v /= 100;
    p -= 2;
    memcpy(p, pairs + 2 * d, 2);
  }
  if (v >= 10) {
    p -= 2;
    memcpy(p, pairs + 2 * v, 2);
  } else {
    *--p = (char)('0' + v);
  }
  gsize len = (gsize)(buf + sizeof buf - p);
  memcpy(out, p, len);
  return len;
}

/* out[0..max) = "\"" name "\"" k1 a k2 b, NUL-terminated (truncated to fit); returns its
   length. */
static gsize policy_text(char *out, gsize max, const char *name, gsize nlen, const char *k1,
                         const char *a, gsize alen, const char *k2, const char *b, gsize blen) {
  max--; /* the NUL */
  gsize n = put(out, max, 0, "\"", 1);
  n = put(out, max, n, name, nlen);
  n = put(out, max, n, k1, 4);
  n = put(out, max, n, a, alen);
  n = put(out, max, n, k2, 3);
  n = put(out, max, n, b, blen);
  out[n] = '\0';
  return n;
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
  gsize policy_len, limit_len;
  char policy[RATELIMIT_TEXT], limit_text[20];
} PolicyMemo;
static __thread PolicyMemo memo;

void ratelimit_headers_format(RateLimitHeaders *out, const char *name, gint64 limit,
                              gint64 remaining, gint64 window_ms, gint64 reset_ms, gint64 now_ms) {
  limit = MAX(limit, 0);
  remaining = CLAMP(remaining, 0, limit);
  gint64 reset = ratelimit_seconds_until(now_ms, reset_ms);
  gint64 window = MAX((window_ms + 999) / 1000, 1);
  gsize nlen = strlen(name);
  if (memo.name != name || memo.limit != limit || memo.window != window) {
    char w[20];
    gsize wlen = uint_put(w, (guint64)window);
    memo.limit_len = uint_put(memo.limit_text, (guint64)limit);
    memo.policy_len = policy_text(memo.policy, RATELIMIT_TEXT, name, nlen, "\";q=",
                                  memo.limit_text, memo.limit_len, ";w=", w, wlen);
    memo.name = name; /* names are static strings: the pointer is the identity */
    memo.limit = limit;
    memo.window = window;
  }
  /* text: policy NUL limit NUL ratelimit NUL remaining NUL; the reset is ratelimit's tail */
  char *p = out->text, r[20], t[20];
  out->value[0] = p;
  memcpy(p, memo.policy, memo.policy_len + 1);
  p += memo.policy_len + 1;
  out->value[2] = p;
  memcpy(p, memo.limit_text, memo.limit_len);
  p[memo.limit_len] = '\0';
  p += memo.limit_len + 1;
  gsize rlen = uint_put(r, (guint64)remaining), tlen = uint_put(t, (guint64)reset);
  out->value[1] = p;
  gsize n = policy_text(p, RATELIMIT_TEXT, name, nlen, "\";r=", r, rlen, ";t=", t, tlen);
  out->value[4] = p + n - MIN(tlen, n);
  p += n + 1;
  out->value[3] = p;
  memcpy(p, r, rlen);
  p[rlen] = '\0';
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
