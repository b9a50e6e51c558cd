/*
 * store_throttle.h: traffic management as stored in apimgtdb: tiers with
 * their throttling columns (AM_TIER), the credit ledger (AM_THROTTLE_LEDGER),
 * report batch ids, gateways seen, and blocking conditions. Every SQL
 * statement of traffic management is in store_throttle.c.
 */
#ifndef TOLLGATE_HUB_STORE_THROTTLE_H
#define TOLLGATE_HUB_STORE_THROTTLE_H

#include <glib.h>
#include <mysql.h>

#include "tg_tollgate_types.h"

/* a gateway counts as seen this long after its last call */
#define THROTTLE_GATEWAY_SEEN_MS 10000
/* report batch ids are kept this long */
#define THROTTLE_BATCH_RETENTION_S 3600

/* The tier (name, level) into tier (every field set); *found FALSE when there is none. */
gboolean store_throttle_tier_get(MYSQL *conn, const char *name, const char *level, TgTier *tier,
                                 gboolean *found, GError **error);
/* The hard limit ("N/second" | "N/minute" | "") of the API "context:version" into *text
   (caller frees; NULL when there is no such API). */
gboolean store_throttle_hard_limit(MYSQL *conn, const char *api, char **text, GError **error);
/* Decides whether a new tier (name, level) may join the tiers in similar (rows {name, level}:
   those whose name equals name ignoring case, at any level, read with a locking read in the
   insert's transaction); FALSE with error refuses and nothing is inserted. */
typedef gboolean (*StoreTierAddCheck)(const char *name, const char *level, const GPtrArray *similar,
                                      GError **error);
/* Inserts tier (checked by the caller) once check (may be NULL) said yes;
   HUB_DB_ERROR_DUPLICATE when (name, level) exists. Add and delete write POLICY_CHANGED into
   the change feed in the same transaction. */
gboolean store_throttle_tier_add(MYSQL *conn, const TgTier *tier, StoreTierAddCheck check,
                                 GError **error);
/* What still names a tier, counted inside store_throttle_tier_delete's transaction after its
   row is gone (plain reads: their snapshot starts after the DELETE took the row's lock, so an
   API write that read the tier with a locking read before is counted). */
typedef struct {
  gint64 api_tier;      /* APIs whose apiTier is the name */
  gint64 resources;     /* resources (URI templates) whose throttlingTier is the name */
  gint64 offered;       /* APIs offering the name as a subscription tier */
  gint64 subscriptions; /* subscriptions on the name */
  gint64 applications;  /* applications on the name */
} StoreTierUse;
/* Decides whether the delete stands: levels_before are the levels the name existed at (the
   deleted one included); FALSE with error rolls the delete back. */
typedef gboolean (*StoreTierDeleteCheck)(const char *name, const char *level,
                                         const char *const *levels_before, const StoreTierUse *use,
                                         GError **error);
/* *deleted FALSE when there was no such tier. check may be NULL. */
gboolean store_throttle_tier_delete(MYSQL *conn, const char *name, const char *level,
                                    StoreTierDeleteCheck check, gboolean *deleted, GError **error);

/* One grant from the ledger of (key, window_start_ms) whose limit is limit: requested credit
   when it fits (one conditional UPDATE), else a remainder slice (tg_credit_slice), else 0.
   *remaining: what the ledger holds after the grant. */
gboolean store_throttle_grant(MYSQL *conn, const char *key, gint64 window_start_ms, gint64 limit,
                              gint64 requested, gint64 *granted, gint64 *remaining, GError **error);
/* One grant from the sliding window of unit_ms whose current slot starts at slot_start_ms
   (tg_sliding_slot_ms): what fits under limit minus the grants of the window's slots (the
   current one included), in one transaction that locks those slots; the grant is counted in
   the current slot. *remaining: what the window still holds after the grant. */
gboolean store_throttle_grant_sliding(MYSQL *conn, const char *key, gint64 slot_start_ms,
                                      gint64 unit_ms, gint64 limit, gint64 requested,
                                      gint64 *granted, gint64 *remaining, GError **error);
/* Records that gateway_id called at now_ms and counts the gateways seen lately. */
gboolean store_throttle_gateway_seen(MYSQL *conn, const char *gateway_id, gint64 now_ms,
                                     gint *gateways, GError **error);
/* Adds used credit and gives back unused credit, one transaction with the batch id (NULL:
   no check); *duplicate when the batch was counted before. */
gboolean store_throttle_report(MYSQL *conn, const GPtrArray *reports, const char *batch_id,
                               gboolean *duplicate, GError **error);
#define THROTTLE_LEDGER_RETENTION_MS (2 * 86400 * 1000LL) /* windows are at most a day */
/* Deletes at most limit ledger rows of windows that started before cutoff_ms; rows deleted,
   G_MAXUINT64 on error (the hub's prune cycle, core.c). */
guint64 store_throttle_prune_ledger(MYSQL *conn, gint64 cutoff_ms, guint limit, GError **error);
/* Deletes at most limit report batch ids received before cutoff_s. */
guint64 store_throttle_prune_batches(MYSQL *conn, gint64 cutoff_s, guint limit, GError **error);

/* Blocking conditions; add and delete also write BLOCK_CHANGED into the change feed, in the
   same transaction. */
gboolean store_block_add(MYSQL *conn, TgBlockCondition *cond, GError **error);
gboolean store_block_list(MYSQL *conn, GPtrArray *out, GError **error);
gboolean store_block_delete(MYSQL *conn, gint64 id, gboolean *deleted, GError **error);

#endif
