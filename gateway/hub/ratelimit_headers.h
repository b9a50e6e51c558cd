/*
 * ratelimit_headers: the text of the rate-limit answer headers for one
 * policy: RateLimit-Policy and RateLimit (draft-ietf-httpapi-ratelimit-headers:
 * `"name";q=LIMIT;w=WINDOW` and `"name";r=REMAINING;t=RESET`), the common
 * X-RateLimit-Limit / -Remaining / -Reset (seconds until the window resets),
 * Retry-After (delta-seconds) and the fault's nextAccessTime. Pure: the clock
 * is passed in; no allocation per request, the five values in one buffer.
 */
#ifndef TG_GATEWAY_RATELIMIT_HEADERS_H
#define TG_GATEWAY_RATELIMIT_HEADERS_H

#include <glib.h>

#define RATELIMIT_TEXT 96 /* longest RateLimit-Policy or RateLimit value (longer: truncated) */

/* The headers' names, in the order of RateLimitHeaders.value. */
#define RATELIMIT_HEADERS 5
extern const char *const ratelimit_header_names[RATELIMIT_HEADERS];
extern const guint32 ratelimit_header_lens[RATELIMIT_HEADERS]; /* strlen of each name */

typedef struct {
  union { /* into text */
    const char *value[RATELIMIT_HEADERS];
    struct {
      const char *policy, *ratelimit, *limit, *remaining, *reset;
    };
  };
  guint32 len[RATELIMIT_HEADERS];         /* their lengths */
  char text[2 * RATELIMIT_TEXT + 2 * 24]; /* sizes: ratelimit_headers.c */
} RateLimitHeaders;

/* Seconds from now_ms until reset_ms, rounded up, at least 1 (Retry-After, -Reset). */
gint64 ratelimit_seconds_until(gint64 now_ms, gint64 reset_ms);
/* name: the policy's name, a static string (a token: "subscription", ...; its address keys a
   per-thread memo of the policy text). remaining is clamped to 0..limit. */
void ratelimit_headers_format(RateLimitHeaders *out, const char *name, gint64 limit,
                              gint64 remaining, gint64 window_ms, gint64 reset_ms, gint64 now_ms);
/* WSO2's nextAccessTime text for a wall-clock ms: "2026-Dec-04 23:10:00+0000 UTC". */
void ratelimit_next_access_time(gint64 ms, char out[48]);

#endif
