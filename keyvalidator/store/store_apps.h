/*
 * store_apps.h: applications and their subscriptions in apimgtdb
 * (AM_APPLICATION, AM_SUBSCRIPTION), read into the generated TgApplication and
 * TgSubscription. Every change that validation or a gateway can see writes its
 * AM_GATEWAY_CHANGE row in the same transaction. Convention of hub_internal.h:
 * FALSE without error means "not found".
 */
#ifndef TOLLGATE_HUB_STORE_APPS_H
#define TOLLGATE_HUB_STORE_APPS_H

#include <glib.h>
#include <mysql.h>

#include "tg_tollgate_types.h"

#define STORE_MAX_LIST 10000 /* rows a listing returns at most */

/* ---- applications ---- */

/* A check of the tier a write names, run inside the write's transaction before anything is
   written, on its connection (so a locking read holds until the write commits); FALSE with
   error refuses and nothing is written. */
typedef gboolean (*StoreTierGuard)(MYSQL *conn, const char *tier, GError **error);

/* Fills out with the application (owner, name). */
gboolean store_app_get(MYSQL *conn, const char *owner, const char *name, TgApplication *out,
                       GError **error);
gboolean store_app_get_by_id(MYSQL *conn, gint64 id, TgApplication *out, GError **error);
/* Locks the application row until the transaction ends (FALSE without error: it is gone).
   Changes to an application's keys and tokens take this lock first, so they never deadlock. */
gboolean store_app_lock(MYSQL *conn, gint64 app_id, GError **error);
/* Inserts a checked application once guard (app->tier) said yes; sets its id and createdAt.
   HUB_DB_ERROR_DUPLICATE when the owner already has an application of that name. */
gboolean store_app_insert(MYSQL *conn, TgApplication *app, StoreTierGuard guard, GError **error);
/* Rewrites name, tier, callback URL, domains, description of app->id once guard (app->tier)
   said yes; records APPLICATION_CHANGED. */
gboolean store_app_update(MYSQL *conn, const TgApplication *app, StoreTierGuard guard,
                          GError **error);
/* Deletes the application with its keys, tokens and subscriptions (one transaction); records
   SUBSCRIPTION_CHANGED for every API it was subscribed to and APPLICATION_CHANGED. */
gboolean store_app_delete(MYSQL *conn, gint64 app_id, GError **error);
/* How many applications user owns and how many APIs user provides (deleteUser's check). */
gboolean store_user_holdings(MYSQL *conn, const char *user, gint64 *apps, gint64 *apis,
                             GError **error);
/* Appends the owner's applications (every one when owner is NULL) to out, by name. */
gboolean store_app_list(MYSQL *conn, const char *owner, GPtrArray *out, GError **error);

/* ---- subscriptions ---- */

/* Fills out with the subscription of application app_id to API api_id. */
gboolean store_sub_get(MYSQL *conn, gint64 app_id, gint64 api_id, TgSubscription *out,
                       GError **error);
/* Subscribes (status UNBLOCKED, or ON_HOLD awaiting approval) once guard (tier) said yes and
   records SUBSCRIPTION_CHANGED api_subject; HUB_DB_ERROR_DUPLICATE when subscribed already. */
gboolean store_sub_insert(MYSQL *conn, gint64 app_id, gint64 api_id, const char *tier,
                          const char *status, const char *api_subject, StoreTierGuard guard,
                          GError **error);
/* Deletes it, recording SUBSCRIPTION_CHANGED; FALSE without error when there was none. */
gboolean store_sub_delete(MYSQL *conn, gint64 app_id, gint64 api_id, const char *api_subject,
                          GError **error);
/* Sets the status, recording SUBSCRIPTION_CHANGED; FALSE without error when there is none. */
gboolean store_sub_set_status(MYSQL *conn, gint64 app_id, gint64 api_id, const char *status,
                              const char *api_subject, GError **error);

/* Which subscriptions a listing shows: "" (or NULL) fields do not filter. viewer: the caller
   sees only applications they own or, with provider set, subscriptions to APIs they
   provide; NULL viewer sees everything (admin). */
typedef struct {
  const char *owner;
  const char *app_name;
  const char *viewer;
  const char *viewer_provider;
} StoreSubFilter;

gboolean store_sub_list(MYSQL *conn, const StoreSubFilter *f, GPtrArray *out, GError **error);

/* Applications of owner after (after_name, after_id) by name then id, at most limit
   (keyset pagination for listApplicationsPage). */
gboolean store_app_page(MYSQL *conn, const char *owner, const char *after_name, gint64 after_id,
                        guint limit, GPtrArray *out, GError **error);
/* Every subscription to API api_id (listApiSubscriptions), by owner and application. */
gboolean store_sub_list_api(MYSQL *conn, gint64 api_id, GPtrArray *out, GError **error);

/* "context:version", the subject of SUBSCRIPTION_CHANGED and API_CHANGED. Caller frees. */
char *store_api_subject(const char *context, const char *version);

#endif
