/*
 * ratelimit_headers: formatting of the rate-limit headers and the fault's
 * nextAccessTime (ratelimit_headers.h). snprintf into fixed buffers: a
 * throttled API's answer costs no allocation for its headers.
 */
#include "ratelimit_headers.h"

#include <stdio.h>
#include <time.h>

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
  snprintf(out->policy, sizeof out->policy, "\"%s\";q=%" G_GINT64_FORMAT ";w=%" G_GINT64_FORMAT,
           name, limit, window);
  snprintf(out->ratelimit, sizeof out->ratelimit,
           "\"%s\";r=%" G_GINT64_FORMAT ";t=%" G_GINT64_FORMAT, name, remaining, reset);
  snprintf(out->limit, sizeof out->limit, "%" G_GINT64_FORMAT, limit);
  snprintf(out->remaining, sizeof out->remaining, "%" G_GINT64_FORMAT, remaining);
  snprintf(out->reset, sizeof out->reset, "%" G_GINT64_FORMAT, reset);
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
