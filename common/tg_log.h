/*
 * tg_log: structured logging for every daemon, on top of g_log. Call tg_log_init() once,
 * then log with the ordinary GLib macros (no logging API of our own); each record becomes one
 * line on stderr. Never log a secret (token, password, consumer secret): log its hash prefix.
 * Details: docs/HACKING.md.
 */
#ifndef TG_LOG_H
#define TG_LOG_H

#include <glib.h>

/* component: short daemon name printed on every line; level: error|warning|info|debug. */
void tg_log_init(const char *component, const char *level);

#endif
