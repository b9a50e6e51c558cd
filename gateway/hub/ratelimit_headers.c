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
const guint32 ratelimit_header_lens[RATELIMIT_HEADERS] = {16, 9, 17, 21, 17};

/* Appends len bytes of s at out + at, at most max - at of them; returns the new end. */
static gsize put(char *out, gsize max, gsize at, const char *s, gsize len) {
  len = MIN(len, max - at);
  memcpy(out + at, s, len);
  return at + len;
}

/* The decimal text of v (no NUL) in buf, ending at buf + 20; returns where it starts.
   Two digits a step; buf[40] so that a caller may copy 20 bytes from the start. */
static char *uint_text(char buf[40], guint64 v, gsize *len) {
  static const char pairs[] =
      "00010203040506070809101112131415161718192021222324"
      "25262728293031323334353637383940414243444546474849"
      "50515253545556575859606162636465666768697071727374"
      "75767778798081828384858687888990919293949596979899";
  char *p = buf + 20;
  while (v >= 100) {
    guint d = (guint)(v % 100);
    v /= 100;
    p -= 2;
    p[0] = pairs[2 * d];
    p[1] = pairs[2 * d + 1];
  }
  if (v >= 10) {
    p -= 2;
    p[0] = pairs[2 * v];
    p[1] = pairs[2 * v + 1];
  } else {
    *--p = (char)('0' + v);
  }
  *len = (gsize)(buf + 20 - p);
  return p;
}

/* The decimal text of v (no NUL) at out, which has room for 20; returns its length. */
static gsize uint_put(char *out, guint64 v) {
  char buf[40];
  gsize len;
  memcpy(out, uint_text(buf, v, &len), 20); /* a fixed size: copied inline */
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

/* The policy's text for the last (name, limit, window) this thread formatted, and the
   RateLimit prefix of its name: a key's requests share them, so most answers copy them
   instead of formatting them again. */
typedef struct {
  const char *name;
  gint64 limit, window;
  gsize policy_len, limit_len, prefix_len;
  char policy[RATELIMIT_TEXT], limit_text[24], prefix[RATELIMIT_TEXT - 48];
} PolicyMemo;
static __thread PolicyMemo memo;

static void memo_fill(const char *name, gint64 limit, gint64 window) {
  char w[24];
  gsize nlen = strlen(name), wlen = uint_put(w, (guint64)window);
  memo.limit_len = uint_put(memo.limit_text, (guint64)limit);
  memo.policy_len = policy_text(memo.policy, RATELIMIT_TEXT, name, nlen, "\";q=", memo.limit_text,
                                memo.limit_len, ";w=", w, wlen);
  gsize n = put(memo.prefix, sizeof memo.prefix - 1, 0, "\"", 1); /* "\"" name "\";r=" */
  n = put(memo.prefix, sizeof memo.prefix - 1, n, name, nlen);
  memo.prefix_len = put(memo.prefix, sizeof memo.prefix - 1, n, "\";r=", 4);
  memo.name = name; /* names are static strings: the pointer is the identity */
  memo.limit = limit;
  memo.window = window;
}

/* The remaining and the reset this thread wrote last: a key's next answer differs in the
   last two digits of its remaining (or not at all in its reset), so most answers write two
   digits instead of ten. */
typedef struct {
  guint64 remaining, reset;
  gsize rlen, tlen;
  char r[40], t[40]; /* the text at the start, 20 bytes readable (uint_text) */
} NumberMemo;
static __thread NumberMemo numbers = {.remaining = G_MAXUINT64, .reset = G_MAXUINT64};

/* The text of remaining in numbers.r: its last two digits when the rest is the same. */
static void remaining_text(guint64 v) {
  if (v >= 100 && numbers.remaining != G_MAXUINT64 && v / 100 == numbers.remaining / 100) {
    guint d = (guint)(v % 100);
    numbers.r[numbers.rlen - 2] = (char)('0' + d / 10);
    numbers.r[numbers.rlen - 1] = (char)('0' + d % 10);
  } else {
    char buf[40];
    memcpy(numbers.r, uint_text(buf, v, &numbers.rlen), 20);
  }
  numbers.remaining = v;
}

static void reset_text(guint64 v) {
  if (v == numbers.reset) return;
  char buf[40];
  memcpy(numbers.t, uint_text(buf, v, &numbers.tlen), 20);
  numbers.reset = v;
}

void ratelimit_headers_format(RateLimitHeaders *out, const char *name, gint64 limit,
                              gint64 remaining, gint64 window_ms, gint64 reset_ms, gint64 now_ms) {
  limit = MAX(limit, 0);
  remaining = CLAMP(remaining, 0, limit);
  gint64 reset = ratelimit_seconds_until(now_ms, reset_ms);
  gint64 window = MAX((window_ms + 999) / 1000, 1);
  if (memo.name != name || memo.limit != limit || memo.window != window)
    memo_fill(name, limit, window);
  /* text: policy NUL limit NUL ratelimit NUL remaining NUL; the reset is ratelimit's tail.
     At most 96 + 21 + (47 + 20 + 3 + 20 + 1) + 21 = 229 bytes, fixed-size copies included. */
  char *p = out->text;
  remaining_text((guint64)remaining);
  reset_text((guint64)reset);
  const char *rd = numbers.r, *td = numbers.t;
  gsize rlen = numbers.rlen, tlen = numbers.tlen;
  out->value[0] = p;
  out->len[0] = (guint32)memo.policy_len;
  out->len[2] = (guint32)memo.limit_len;
  out->len[1] = (guint32)(memo.prefix_len + rlen + 3 + tlen);
  out->len[3] = (guint32)rlen;
  out->len[4] = (guint32)tlen;
  memcpy(p, memo.policy, RATELIMIT_TEXT); /* fixed sizes: copied inline, no call */
  p += memo.policy_len + 1;
  out->value[2] = p;
  memcpy(p, memo.limit_text, 20);
  p[memo.limit_len] = '\0';
  p += memo.limit_len + 1;
  out->value[1] = p;
  memcpy(p, memo.prefix, sizeof memo.prefix);
  char *r = p + memo.prefix_len;
  memcpy(r, rd, 20);
  memcpy(r + rlen, ";t=", 3);
  char *t = r + rlen + 3;
  out->value[4] = t;
  memcpy(t, td, 20);
  t += tlen;
  *t++ = '\0';
  out->value[3] = t;
  memcpy(t, rd, 20);
  t[rlen] = '\0';
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
