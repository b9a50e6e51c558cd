/*
 * feed: the gateway's change feed: a thread polls getGatewayConfig(session, revision) through
 * the hub pool every poll_interval_ms and applies it to the router, the token cache and the
 * throttle plugin's blocking conditions. Details: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_FEED_H
#define TG_GATEWAY_FEED_H

#include <glib.h>

#include "hub_pool.h"
#include "router.h"
#include "token_cache.h"

typedef struct Feed Feed;

/* What the feed keeps up to date; all outlive the feed. */
typedef struct FeedTargets {
  HubPool *pool;
  Router *router;
  TokenCache *cache;
  gint *block_changes;  /* atomic counter, bumped on BLOCK_CHANGED and full syncs */
  gint *policy_changes; /* atomic counter, bumped on POLICY_CHANGED and full syncs */
} FeedTargets;

/* Tries one full sync at once (failure only logged), then polls. */
Feed *feed_start(const FeedTargets *targets, int poll_interval_ms);
void feed_stop(Feed *feed);
gint64 feed_revision(Feed *feed);
gboolean feed_synced(Feed *feed);

#endif
