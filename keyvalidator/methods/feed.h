/*
 * feed.h: the rules of the gateway change feed (getGatewayConfig). Gateways poll
 * with the revision they hold; the hub answers with the changes since then, or with
 * a full sync when it cannot (first call, changes pruned, too many, or the gateway
 * is ahead of the table, as after a database restore). The rows come from
 * store_feed.h. Pure: tested in tests/unit/test_feed.c.
 */
#ifndef TOLLGATE_HUB_FEED_H
#define TOLLGATE_HUB_FEED_H

#include <glib.h>
#include <mysql.h>

#include "store_feed.h"

#define FEED_PRUNE_INTERVAL_S 60 /* at most one prune a minute per hub */

/* TRUE when a gateway at since needs everything: since <= 0, since ahead of newest, since
   before the oldest retained change minus one, or more than FEED_MAX_CHANGES pending.
   oldest/newest are 0 for an empty table. */
gboolean feed_needs_full_sync(gint64 since, gint64 oldest, gint64 newest, gint64 pending);

/* Splits an API_CHANGED subject "context:version" at its last ':' (contexts may not contain
   one, versions never do). FALSE when malformed. */
gboolean feed_parse_api_subject(const char *subject, char **context, char **version);

/* The distinct subjects of the API_CHANGED changes (TgGatewayChange *) in first-seen order;
   a new array of owned strings. */
GPtrArray *feed_changed_api_subjects(const GPtrArray *changes);

/* TRUE at most once per FEED_PRUNE_INTERVAL_S (process-wide, thread-safe). */
gboolean feed_prune_due(gint64 now_monotonic_us);

#endif
