/*
 * tg_throttle: the arithmetic of throttling that the hub (the ledger) and the
 * gateway (the credit store) must agree on: fixed windows aligned to the
 * epoch, sliding windows as slots, the size of a remainder slice, fail modes,
 * tier levels, credit levels and custom-policy keys by name.
 * Pure functions, clock passed in; one place for each rule.
 */
#ifndef TG_THROTTLE_H
#define TG_THROTTLE_H

#include <glib.h>

typedef enum {
  TG_FAIL_STATIC = 0, /* limit / gateways last seen, per gateway (default) */
  TG_FAIL_CLOSED,     /* refuse once local credit is spent */
  TG_FAIL_OPEN,       /* admit */
} TgFailMode;

/* Start of the fixed window of unit_ms that holds now_ms (unit_ms > 0). */
gint64 tg_window_start(gint64 now_ms, gint64 unit_ms);

/* What the ledger hands out when a full grant of requested no longer fits in remaining:
   half of what is left (at least 1, at most remaining), so the gateways still asking
   share the end of the window in shrinking slices. 0 when nothing is left. */
gint64 tg_credit_slice(gint64 requested, gint64 remaining);

/* The static fail mode's share: limit / gateways (gateways 0 counts as 1), at least 1
   when limit > 0. */
gint64 tg_static_share(gint64 limit, gint gateways);

/* "static" | "closed" | "open" (ASCII case-insensitive); FALSE for anything else. */
gboolean tg_fail_mode_parse(const char *s, TgFailMode *out);
const char *tg_fail_mode_name(TgFailMode mode);

/* The tier levels: SUBSCRIPTION APPLICATION API RESOURCE. Canonical upper-case name of
   s (case-insensitive) or NULL. */
const char *tg_tier_level_canonical(const char *s);

/* "second" "minute" "hour" "day" (case-insensitive, also "s" "min" "h" "d") -> seconds; 0
   for anything else. */
gint64 tg_time_unit_seconds(const char *s);

/* "N/second" or "N/minute" -> count and unit seconds; FALSE when malformed or N < 1. */
gboolean tg_rate_parse(const char *s, gint64 *count, gint64 *unit_s);

/* A sliding window of unit_ms is TG_SLIDING_SLOTS fixed slots: a grant is counted in the
   slot it is made in, credit dies with its slot, and the ledger grants only while the
   slots of the last unit_ms (the current one included) hold at most the limit. */
#define TG_SLIDING_SLOTS 10
/* The slot length of a sliding window of unit_ms (at least 1 ms). */
gint64 tg_sliding_slot_ms(gint64 unit_ms);
/* The first slot still inside the sliding window whose current slot starts at slot_start. */
gint64 tg_sliding_first_slot(gint64 slot_start, gint64 unit_ms);

/* What a credit key counts. */
typedef enum {
  TG_CREDIT_REQUESTS = 0, /* one per request, taken at admission */
  TG_CREDIT_BURST,        /* the tier's burst: one per request */
  TG_CREDIT_BYTES,        /* response body bytes, spent when the response is done */
} TgCreditMeasure;

/* A CreditRequest's level: "SUBSCRIPTION" "APPLICATION" "API" "RESOURCE" "CUSTOM" "HARD",
   each optionally with "_BURST" (tier levels) or "_BYTES" (tier levels and CUSTOM), exact
   upper case. The canonical base level (static) or NULL; *measure what it counts. */
const char *tg_credit_level_parse(const char *level, TgCreditMeasure *measure);

/* A custom policy's keyBy: USER APPLICATION API IP HEADER. Canonical name of s
   (case-insensitive) or NULL. */
const char *tg_custom_key_by_canonical(const char *s);

#endif
