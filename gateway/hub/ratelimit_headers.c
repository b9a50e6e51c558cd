/*
 * ratelimit_headers: formatting of the rate-limit headers and the fault's
 * nextAccessTime (ratelimit_headers.h). Pieces copied into fixed buffers
 * with tg_int_text, no printf: every answer of a throttled API carries them.
 */
#include "ratelimit_headers.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tg_json.h"

/* Appends pieces (NULL-terminated) into out[size], truncating. */
static void join(char *out, gsize size, const char *const *pieces) {
  gsize n = 0;
  for (; *pieces; pieces++) {
    gsize len = MIN(strlen(*pieces), size - 1 - n);
    memcpy(out + n, *pieces, len);
    n += len;
  }
  out[n] = '\0';
}

static void int_copy(char *out, gsize size, gint64 v) {
  char buf[TG_INT_TEXT_LEN];
  g_strlcpy(out, tg_int_text(v, buf), size);
}

gint64 ratelimit_seconds_until(gint64 now_ms, gint64 reset_ms) {
  gint64 left = reset_ms - now_ms;
  if (left <= 0) return 1;
  return MAX((left + 999) / 1000, 1);
}

void ratelimit_headers_format(RateLimitHeaders *out, const char *name, gint64 limit,
                              gint64 remaining, gint64 window_ms, gint64 reset_ms, gint64 now_ms) {
  remaining = CLAMP(remaining, 0, limit);
  gint64 reset = ratelimit_seconds_until(now_ms, reset_ms);
  gint64 window = MAX((window_ms + 999) / 1000, 1);
  int_copy(out->limit, sizeof out->limit, limit);
  int_copy(out->remaining, sizeof out->remaining, remaining);
  int_copy(out->reset, sizeof out->reset, reset);
  char w[TG_INT_TEXT_LEN];
  const char *const policy[] = {"\"", name, "\";q=", out->limit, ";w=", tg_int_text(window, w),
                                NULL};
  const char *const now_left[] = {"\"", name, "\";r=", out->remaining, ";t=", out->reset, NULL};
  join(out->policy, sizeof out->policy, policy);
  join(out->ratelimit, sizeof out->ratelimit, now_left);
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
