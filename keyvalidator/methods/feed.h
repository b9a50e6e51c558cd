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

/* The distinct subjects of the API_CHANGED changes (TgGatewayChange *) in first-seen order;
   a new array of owned strings. */
GPtrArray *feed_changed_api_subjects(const GPtrArray *changes);

/* TRUE at most once per FEED_PRUNE_INTERVAL_S (process-wide, thread-safe). */
gboolean feed_prune_due(gint64 now_monotonic_us);

#endif
