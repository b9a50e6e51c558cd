/*
 * hub_internal.h: the Hub structure shared by the core's files (store, sessions,
 * validation, handler, oauth/feed/usage/docs). Not seen by the network side,
 * which only knows the opaque Hub of hub.h.
 */
#ifndef TOLLGATE_HUB_INTERNAL_H
#define TOLLGATE_HUB_INTERNAL_H

#include <glib.h>
#include <mysql.h>

#include "hub.h"
#include "tg_tollgate_types.h"

typedef struct DbPool DbPool;
typedef struct SessionManager SessionManager;
typedef struct TtlCache TtlCache;
typedef struct LoginLimiter LoginLimiter;

struct Hub {
  HubConfig cfg;                       /* a deep copy: strings owned by the hub */
  TgMetrics *metrics;                  /* not owned */
  TgSeries *cache_hits, *cache_misses; /* validation_cache_total; NULL without metrics */
  DbPool *db;
  SessionManager *sessions;
  TtlCache *vcache;           /* validateKey facts; NULL when validation_cache_size = 0 */
  TtlCache *api_cache;        /* APIs with resources, always on */
  LoginLimiter *logins;       /* password failures (login.c) */
  struct WriteBudget *writes; /* management writes per user; NULL: mgmt_write_rate = 0 */
  GThread *change_watcher;    /* applies AM_GATEWAY_CHANGE rows of other hubs */
  gint stopping;
};

/* Drops every cached validation of the token with this SHA-256 hex. */
void hub_validation_cache_evict(Hub *hub, const char *token_hash);
/* Drops the cached validations of application app_id's tokens: for the API (context, version)
   only, or (context NULL) for every API. */
void hub_validation_cache_evict_application(Hub *hub, gint64 app_id, const char *context,
                                            const char *version);
/* Drops the cached validations for API (context, version) and its cached definition. */
void hub_validation_cache_evict_api(Hub *hub, const char *context, const char *version);
/* What one AM_GATEWAY_CHANGE row (kind, subject, application_id or 0) evicts; an unknown kind
   clears all. */
void hub_validation_cache_apply_change(Hub *hub, const char *kind, const char *subject,
                                       gint64 app_id);
/* Drops every cached validation and API (a change the hub cannot place). */
void hub_validation_cache_clear(Hub *hub);

/* ---- the Hub's database pool (core.c, over db.c's DbPool) ---- */

/* A connection with database dbname selected, or NULL with HUB_DB_ERROR_UNAVAILABLE
   (HUB_DB_ERROR_WOULD_BLOCK on a forbidden thread). */
MYSQL *hub_db_acquire(Hub *hub, const char *dbname, GError **error);
/* The same for a read-only caller: on a Galera cluster any healthy node (the writes go
   to one node at a time), each read waiting until the node has applied every write the
   cluster committed before it (wsrep_sync_wait), so a token issued or revoked through one
   hub is seen through another at once. With one node, hub_db_acquire. */
MYSQL *hub_db_acquire_read(Hub *hub, const char *dbname, GError **error);
/* Gives the connection back; one whose last error was a lost-connection error is closed. */
void hub_db_release(Hub *hub, MYSQL *conn);

#include "store.h"

#endif
