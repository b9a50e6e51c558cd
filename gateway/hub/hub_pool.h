/*
 * hub_pool: the gateway's connections to its hubs, used from worker threads so that no event
 * loop ever blocks on a hub. Jobs go round-robin over healthy hubs with failover; down hubs
 * are probed with backoff. Trade-off: when no hub is up a job fails at once: nothing queues
 * behind a dead hub. Design notes: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_HUB_POOL_H
#define TG_GATEWAY_HUB_POOL_H

#include <glib.h>

#include "tg_metrics.h"

#define HUB_POOL_ERROR (hub_pool_error_quark())
GQuark hub_pool_error_quark(void);
enum { HUB_POOL_ERROR_NO_HUB = 1, HUB_POOL_ERROR_CALL, HUB_POOL_ERROR_STOPPED };

#define HUB_BACKOFF_MIN_MS 250
#define HUB_BACKOFF_MAX_MS 5000

typedef enum {
  HUB_CALL_OK,
  HUB_CALL_REFUSED,   /* the hub answered with an error: final, no retry */
  HUB_CALL_TRANSPORT, /* connection error or timeout: hub down, retry elsewhere */
  HUB_CALL_SESSION,   /* session expired or unknown: log in again, retry */
  HUB_CALL_RETRY,     /* after_transport: conn is connected again, make the call once more */
} HubCallResult;

typedef struct HubConnOps {
  /* Connects and logs in to host:port; NULL and error on failure. */
  void *(*connect)(void *user, const char *host, int port, GError **error);
  /* Logs in again on conn (reconnecting if needed). */
  gboolean (*relogin)(void *user, void *conn, GError **error);
  void (*close)(void *user, void *conn);
  /* After a HUB_CALL_TRANSPORT on conn (*error): was it the hub closing the connection on a
     call it refused? HUB_CALL_RETRY (conn reconnected, not tried again yet), HUB_CALL_REFUSED
     (closed again on a new connection, the hub up: *error replaced) or HUB_CALL_TRANSPORT
     (down). NULL: always TRANSPORT. */
  HubCallResult (*after_transport)(void *user, void *conn, gboolean retried, GError **error);
  void *user;
} HubConnOps;

/* Runs on a worker thread with a connected conn; error set unless HUB_CALL_OK. */
typedef HubCallResult (*HubJobRun)(void *conn, void *data, GError **error);
/* Completion, on the worker thread (or the submitter's thread if no hub is
   up): error NULL on success. Called exactly once per submitted job. */
typedef void (*HubJobDone)(void *data, const GError *error);

typedef struct HubPool HubPool;

typedef struct HubAddr {
  const char *host;
  int port;
} HubAddr;

/* hubs: n addresses (copied); workers: number of threads (each one connection per hub). */
HubPool *hub_pool_new(const HubAddr *hubs, guint n, guint workers, const HubConnOps *ops,
                      TgMetrics *metrics, GError **error);
/* Stops the threads; queued jobs fail with HUB_POOL_ERROR_STOPPED. */
void hub_pool_free(HubPool *pool);

/* Queues a job. Returns FALSE (error set, done NOT called) when no hub is up. */
gboolean hub_pool_submit(HubPool *pool, const char *method, HubJobRun run, HubJobDone done,
                         void *data, GError **error);
/* Submits and waits (for the feed and usage threads, never an event loop). */
gboolean hub_pool_call(HubPool *pool, const char *method, HubJobRun run, void *data,
                       GError **error);

guint hub_pool_hub_count(HubPool *pool);
gboolean hub_pool_hub_up(HubPool *pool, guint i);
const char *hub_pool_hub_name(HubPool *pool, guint i);
guint64 hub_pool_hub_calls(HubPool *pool, guint i);
gboolean hub_pool_any_up(HubPool *pool);
/* JSON array describing every hub: [{"hub":..,"up":..,"calls":..}]. Caller frees. */
char *hub_pool_health_json(HubPool *pool);

/* The next probe delay after a failed probe that waited current_ms. */
int hub_backoff_next(int current_ms);

#endif
