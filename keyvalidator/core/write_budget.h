/*
 * write_budget.h: a token bucket per user name for the management writes one
 * hub accepts (createApi, updateApplication, generateKeys, ...), so one account
 * looping writes cannot monopolise the hub and the database for every other
 * tenant. Pure and clock-driven (now passed in), tested without a hub.
 */
#ifndef TOLLGATE_HUB_WRITE_BUDGET_H
#define TOLLGATE_HUB_WRITE_BUDGET_H

#include <glib.h>

typedef struct WriteBudget WriteBudget;

/* rate: writes a second a user earns back; burst: the most a user may save up (>= 1).
   At most max_users buckets are held: beyond that, full buckets are forgotten first. */
WriteBudget *write_budget_new(guint rate, guint burst, guint max_users);
void write_budget_free(WriteBudget *b);
/* Takes one write from user's bucket at now_us (monotonic): TRUE, or FALSE with
 *retry_after_ms, how long until the next write is earned. Thread-safe. */
gboolean write_budget_take(WriteBudget *b, const char *user, gint64 now_us, gint64 *retry_after_ms);

#endif
