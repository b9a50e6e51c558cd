/*
 * feed: the gateway's change feed. A thread polls getGatewayConfig(session,
 * revision) through the hub pool every poll_interval_ms and applies it: a full
 * sync reloads the router and flushes the token cache; changed APIs update the
 * router and evict their cache entries; TOKEN_REVOKED evicts that token;
 * SUBSCRIPTION_CHANGED evicts the API's entries; APPLICATION_CHANGED flushes;
 * BLOCK_CHANGED (and a full sync) bump *block_changes, on which the throttle
 * plugin reloads its blocking conditions.
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
