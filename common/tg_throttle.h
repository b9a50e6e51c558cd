/*
 * tg_throttle: the arithmetic of throttling that the hub (the ledger) and the
 * gateway (the credit store) must agree on: fixed windows aligned to the
 * epoch, the size of a remainder slice, fail modes and tier levels by name.
 * Pure functions, clock passed in; one place for each rule.
 */
#ifndef TG_THROTTLE_H
#define TG_THROTTLE_H

#include <glib.h>

typedef enum {
  TG_FAIL_STATIC = 0,  /* limit / gateways last seen, per gateway (default) */
  TG_FAIL_CLOSED,      /* refuse once local credit is spent */
  TG_FAIL_OPEN,        /* admit */
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

#endif
