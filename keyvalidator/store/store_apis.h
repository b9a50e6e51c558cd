/*
 * store_apis.h: the writing side of the API store (AM_API, AM_API_URL_MAPPING,
 * AM_API_SUBSCRIPTION_TIER) and the tier table (AM_TIER); the shared readers are in store.h.
 * Every change runs in one transaction with its API_CHANGED rows; clearing the validation
 * cache after the commit is the caller's. FALSE without error means "not found".
 */
#ifndef TOLLGATE_HUB_STORE_APIS_H
#define TOLLGATE_HUB_STORE_APIS_H

#include <glib.h>
#include <mysql.h>

#include "tg_tollgate_types.h"

/* Every API (TgApi *, resources and tiers filled) by id; visible_only: only PUBLISHED and
   DEPRECATED ones. NULL with error on failure. */
GPtrArray *store_api_list(MYSQL *conn, gboolean visible_only, GError **error);

/* Inserts a checked API (status as given, normally CREATED) with its resources and
   subscription tiers; sets api->id and updatedAt. When it is the default version, the other
   versions of its context stop being it (each recorded). HUB_DB_ERROR_DUPLICATE when the
   context and version exist. */
gboolean store_api_insert(MYSQL *conn, TgApi *api, GError **error);
/* A check run inside an API write's transaction before anything is written (the API's row
   locked), on the transaction's connection; FALSE with error refuses and nothing is written. */
typedef gboolean (*StoreApiGuard)(MYSQL *conn, const TgApi *api, GError **error);
/* Rewrites API api->id (everything but context, version and status), replacing its
   resources and tiers, once guard (may be NULL) said yes; sets updatedAt. FALSE without error
   when it is gone. */
gboolean store_api_update(MYSQL *conn, TgApi *api, StoreApiGuard guard, GError **error);
/* Moves API api->id from api->status to status. FALSE without error when it is no longer in
   api->status (a concurrent change) or gone. */
gboolean store_api_set_status(MYSQL *conn, const TgApi *api, const char *status, GError **error);
/* Deletes API api->id with its resources and tiers. FALSE without error, nothing deleted,
   when it has subscriptions (*subscriptions says how many; 0: it is gone). */
gboolean store_api_delete(MYSQL *conn, const TgApi *api, gint64 *subscriptions, GError **error);

/* The APIs (TgApi *: id, context, version, provider only; oldest first) that share
   context or may overlap context/version (a coarse SQL filter: the rule that decides is
   mgmt_api_placement_check). lock: FOR UPDATE, inside a transaction. */
GPtrArray *store_api_neighbours(MYSQL *conn, const char *context, const char *version,
                                gboolean lock, GError **error);
/* Decides, inside store_api_insert_placed's transaction, whether api may go among neighbours
   (store_api_neighbours, locked); FALSE with error refuses and nothing is written. */
typedef gboolean (*StoreApiPlacement)(const TgApi *api, const GPtrArray *neighbours, gpointer data,
                                      GError **error);
/* store_api_insert after placement said yes, in one transaction with the neighbours locked,
   so two publishers racing for one new context take turns. */
gboolean store_api_insert_placed(MYSQL *conn, TgApi *api, StoreApiPlacement placement,
                                 gpointer data, GError **error);

/* The declarations of each requested scope (space-separated) that some API declares: name ->
   GPtrArray of role lists (space-separated role names, "" = anyone), one per API (the facts
   of scope_grant). A new table; NULL with error on failure. */
GHashTable *store_api_scope_declarations(MYSQL *conn, const char *requested, GError **error);

/* Every tier (TgTier *) by level and name; NULL with error on failure. */
GPtrArray *store_tier_list(MYSQL *conn, GError **error);
/* *exists: a tier of that name exists at one of levels (NULL-terminated). lock: a locking
   read (LOCK IN SHARE MODE), inside a transaction: the rows read stay until it ends. */
gboolean store_tier_exists(MYSQL *conn, const char *name, const char *const *levels, gboolean lock,
                           gboolean *exists, GError **error);

#endif
