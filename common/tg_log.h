/*
 * tg_log: structured logging for every daemon, on top of g_log.
 *
 * Call tg_log_init() once at start-up; then log with the ordinary GLib macros
 * (g_message, g_warning, g_info, g_debug) or with g_log_structured() for extra
 * fields. Each record becomes one line on stderr:
 *   2026-11-23T05:00:00.123Z hub INFO [tollgate-hub] listening port=10397
 * Never log a secret (token, password, consumer secret): log its hash prefix.
 */
#ifndef TG_LOG_H
#define TG_LOG_H

#include <glib.h>

/* component: short daemon name printed on every line; level: error|warning|info|debug. */
void tg_log_init(const char *component, const char *level);

#endif
