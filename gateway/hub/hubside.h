/*
 * hubside: everything in the gateway that talks to the hubs, started by
 * main.c through hubside_start(): the hub pool (failover), the change feed
 * (routes, cache invalidation), the token cache and the usage reporter.
 * The key_auth and usage plugins reach it through host->hubside.
 */
#ifndef TG_GATEWAY_HUBSIDE_H
#define TG_GATEWAY_HUBSIDE_H

#include <glib-object.h>
#include <openssl/ssl.h>

#include "gateway_host.h"
#include "hub_call.h"
#include "hub_pool.h"
#include "token_cache.h"

typedef struct Feed Feed;
typedef struct UsageReporter UsageReporter;

typedef struct HubSide {
  TgPluginHost *host;
  HubPool *pool;
  TokenCache *cache;
  Feed *feed;
  UsageReporter *usage;
  TgMetrics *metrics;
  gint block_changes;  /* bumped by the feed on BLOCK_CHANGED and full syncs (atomic) */
  gint policy_changes; /* bumped by the feed on POLICY_CHANGED and full syncs (atomic) */
  /* connection settings, used by the pool's connect/relogin */
  SSL_CTX *tls_ctx;
  gboolean tls;
  int timeout_ms;       /* per call */
  int login_timeout_ms; /* connect and login (the hub hashes a password) */
  char *user;
  char *password;
} HubSide;

HubSide *hubside_start(TgPluginHost *host, GError **error);
void hubside_stop(HubSide *hubside);
/* JSON object for the admin /health page: hubs, feed revision. Caller frees. */
char *hubside_health_json(HubSide *hubside);

/* Wall-clock milliseconds (token expiry is in wall-clock ms). */
gint64 hubside_now_ms(void);

#endif
