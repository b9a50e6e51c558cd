/*
 * app_methods.c: applications and subscriptions, the subscriber's side of the
 * Tollgate service (createApplication ... listSubscriptions): session, rules
 * (mgmt_apps.c), store call, cache invalidation, answer. A change validation can
 * see clears the validation cache after its transaction committed; other hubs and
 * the gateways learn it from the AM_GATEWAY_CHANGE row written in that transaction.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "db.h"
#include "handler.h"
#include "methods.h"
#include "mgmt_apis.h"
#include "mgmt_apps.h"
#include "mgmt_call.h"
#include "store_apis.h"
#include "store_apps.h"
#include "store_tier_approval.h"
#include "store_users.h"
#include "tier_refs.h"

static const char *const app_roles[] = {"admin", "subscriber", NULL};
static const char *const sub_list_roles[] = {"admin", "subscriber", "publisher", NULL};
static const char *const moderator_roles[] = {"admin", "publisher", NULL};

/* A store call returned FALSE: its error, or (none) a 404 with this message. */
static gboolean fail_or_404(MgmtCall *c, GError *error, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static gboolean fail_or_404(MgmtCall *c, GError *error, const char *fmt, ...) {
  if (error != NULL) return mgmt_fail(c, error);
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  hub_set_error(c->err, 404, "%s", msg);
  return FALSE;
}

/* A store error that is a duplicate key: 409 with this message; else as mgmt_fail. */
static gboolean fail_or_409(MgmtCall *c, GError *error, const char *msg) {
  if (!g_error_matches(error, HUB_DB_ERROR, HUB_DB_ERROR_DUPLICATE)) return mgmt_fail(c, error);
  g_error_free(error);
  hub_set_error(c->err, 409, "%s", msg);
  return FALSE;
}

gboolean mgmt_app_find(MgmtCall *c, const char *owner, const char *name, TgApplication *app) {
  GError *local = NULL;
  const char *who = mgmt_owner_resolve(c->who.user, c->admin, owner, &local);
  if (who == NULL || !mgmt_name_valid("application name", name, MGMT_MAX_NAME, &local))
    return mgmt_fail(c, local);
  MYSQL *conn = mgmt_call_db(c);
  if (conn == NULL) return FALSE;
  mgmt_call_subject(c, "%s/%s", who, name);
  if (store_app_get(conn, who, name, app, &local)) return TRUE;
  return fail_or_404(c, local, "%s has no application %s", who, name);
}

/* The tier an application or a subscription names (tier_refs.c), checked inside the write's
   transaction: a deleteTier racing it waits for the write and sees it, or wins first. */
static gboolean app_tier_ok(MYSQL *conn, const char *tier, GError **error) {
  return tier_ref_check(conn, "tier", tier, "APPLICATION", error);
}

static gboolean sub_tier_ok(MYSQL *conn, const char *tier, GError **error) {
  return tier_ref_check(conn, "tier", tier, "SUBSCRIPTION", error);
}

/* An admin creating an application for someone: 404 unless that user exists (userdb). Runs
   before the call takes its apimgtdb connection, so a call never holds two. */
static gboolean owner_exists(MgmtCall *c, const char *owner) {
  if (g_strcmp0(owner, c->who.user) == 0) return TRUE;
  GError *local = NULL;
  gboolean exists = FALSE;
  MYSQL *conn = hub_db_acquire(c->hub, c->hub->cfg.db_user_store, &local);
  gboolean ok = conn != NULL && store_user_exists(conn, owner, &exists, &local);
  if (conn != NULL) hub_db_release(c->hub, conn);
  if (!ok) return mgmt_fail(c, local);
  return exists || fail_or_404(c, NULL, "no user %s", owner);
}

TgApi *mgmt_api_find(MgmtCall *c, const char *context, const char *version) {
  GError *local = NULL;
  if (!mgmt_api_context_valid(context, &local) || !mgmt_api_version_valid(version, &local)) {
    mgmt_fail(c, local);
    return NULL;
  }
  mgmt_call_subject(c, "%s:%s", context, version);
  MYSQL *conn = mgmt_call_db(c);
  TgApi *api = conn ? store_api_get(conn, context, version, &local) : NULL;
  gboolean manager = (c->who.roles & (ROLE_ADMIN | ROLE_PUBLISHER)) != 0;
  if (api != NULL && !mgmt_api_visible(api->status, manager))
    g_clear_object(&api); /* not a 403: do not tell that it exists */
  if (conn != NULL && api == NULL) fail_or_404(c, local, "no API %s:%s", context, version);
  return api;
}

gboolean hub_method_create_application(TgTollgateIf *iface, TgApplication **_return,
                                       const gchar *sessionId, const TgApplication *app,
                                       TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  TgApplication *out = *_return;
  if (!mgmt_write_begin(&c, iface, "createApplication", sessionId, app_roles, err)) return FALSE;
  const char *owner = mgmt_owner_resolve(c.who.user, c.admin, app->owner, &local);
  if (owner == NULL) return mgmt_fail(&c, local);
  g_object_set(out, "owner", owner, NULL);
  if (!mgmt_app_merge(out, app, &local) || !mgmt_app_check(out, &local))
    return mgmt_fail(&c, local);
  if (!owner_exists(&c, out->owner) || mgmt_call_db(&c) == NULL) return FALSE;
  if (!store_app_insert(c.conn, out, app_tier_ok, &local)) {
    g_autofree char *msg =
        g_strdup_printf("%s already has an application %s", out->owner, out->name);
    return fail_or_409(&c, local, msg);
  }
  g_message("created application %" G_GINT64_FORMAT " (%s of %s)", out->id, out->name, out->owner);
  /* answer what listApplications will show (every field, as stored) */
  return store_app_get_by_id(c.conn, out->id, out, &local) ||
         fail_or_404(&c, local, "application %s was deleted meanwhile", out->name);
}

/* The application updateApplication names: by id when given, else by owner and name. */
static gboolean app_find_for_update(MgmtCall *c, const TgApplication *app, TgApplication *out) {
  if (!app->__isset_id || app->id <= 0) return mgmt_app_find(c, app->owner, app->name, out);
  GError *local = NULL;
  MYSQL *conn = mgmt_call_db(c);
  if (conn == NULL) return FALSE;
  if (!store_app_get_by_id(conn, app->id, out, &local))
    return fail_or_404(c, local, "no application %" G_GINT64_FORMAT, app->id);
  if (mgmt_owner_resolve(c->who.user, c->admin, out->owner, &local) != NULL) return TRUE;
  g_clear_error(&local);
  return fail_or_404(c, NULL, "no application %" G_GINT64_FORMAT, app->id);
}

gboolean hub_method_update_application(TgTollgateIf *iface, TgApplication **_return,
                                       const gchar *sessionId, const TgApplication *app,
                                       TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  TgApplication *out = *_return;
  if (!mgmt_write_begin(&c, iface, "updateApplication", sessionId, app_roles, err) ||
      !app_find_for_update(&c, app, out))
    return FALSE;
  if (!mgmt_app_merge(out, app, &local) || !mgmt_app_check(out, &local))
    return mgmt_fail(&c, local);
  if (!store_app_update(c.conn, out, app_tier_ok, &local)) {
    g_autofree char *msg =
        g_strdup_printf("%s already has an application %s", out->owner, out->name);
    return fail_or_409(&c, local, msg);
  }
  hub_validation_cache_evict_application(c.hub, out->id, NULL, NULL);
  g_message("updated application %" G_GINT64_FORMAT, out->id);
  return TRUE;
}

gboolean hub_method_delete_application(TgTollgateIf *iface, const gchar *sessionId,
                                       const gchar *owner, const gchar *name,
                                       TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  g_autoptr(TgApplication) app = g_object_new(TG_TYPE_APPLICATION, NULL);
  GError *local = NULL;
  if (!mgmt_write_begin(&c, iface, "deleteApplication", sessionId, app_roles, err) ||
      !mgmt_app_find(&c, owner, name, app))
    return FALSE;
  if (!store_app_delete(c.conn, app->id, &local))
    return fail_or_404(&c, local, "%s has no application %s", app->owner, app->name);
  hub_validation_cache_evict_application(c.hub, app->id, NULL, NULL);
  g_message("deleted application %" G_GINT64_FORMAT
            " (%s of %s) with its keys, tokens and"
            " subscriptions",
            app->id, app->name, app->owner);
  return TRUE;
}

gboolean hub_method_list_applications(TgTollgateIf *iface, GPtrArray **_return,
                                      const gchar *sessionId, const gchar *owner,
                                      TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_call_begin(&c, iface, "listApplications", sessionId, app_roles, err)) return FALSE;
  const char *who = mgmt_owner_resolve(c.who.user, c.admin, owner, &local);
  if (who == NULL) return mgmt_fail(&c, local);
  MYSQL *conn = mgmt_call_db(&c);
  if (conn == NULL) return FALSE;
  return store_app_list(conn, who, *_return, &local) || mgmt_fail(&c, local);
}

/* Reads the subscription back into out after a change; 404 when it vanished meanwhile. */
static gboolean sub_answer(MgmtCall *c, const TgApplication *app, const TgApi *api,
                           TgSubscription *out) {
  GError *local = NULL;
  if (store_sub_get(c->conn, app->id, api->id, out, &local)) return TRUE;
  return fail_or_404(c, local, "%s is not subscribed to %s:%s", app->name, api->context,
                     api->version);
}

gboolean hub_method_subscribe(TgTollgateIf *iface, TgSubscription **_return, const gchar *sessionId,
                              const gchar *owner, const gchar *applicationName,
                              const gchar *apiContext, const gchar *apiVersion, const gchar *tier,
                              TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  g_autoptr(TgApplication) app = g_object_new(TG_TYPE_APPLICATION, NULL);
  GError *local = NULL;
  if (!mgmt_write_begin(&c, iface, "subscribe", sessionId, app_roles, err)) return FALSE;
  if (!tier_ref_name_ok("tier", tier, &local)) return mgmt_fail(&c, local);
  g_autoptr(TgApi) api = NULL;
  if (!mgmt_app_find(&c, owner, applicationName, app) ||
      (api = mgmt_api_find(&c, apiContext, apiVersion)) == NULL)
    return FALSE;
  if (!mgmt_api_subscribable(api, tier, &local)) return mgmt_fail(&c, local);
  gboolean approval = FALSE;
  if (!store_tier_requires_approval(c.conn, tier, &approval, &local)) return mgmt_fail(&c, local);
  g_autofree char *subject = store_api_subject(api->context, api->version);
  /* a tier that requires approval: ON_HOLD (refused by validateKey) until the API's
     provider or an admin sets UNBLOCKED, or REJECTED */
  if (!store_sub_insert(c.conn, app->id, api->id, tier, approval ? "ON_HOLD" : "UNBLOCKED", subject,
                        sub_tier_ok, &local)) {
    g_autofree char *msg = g_strdup_printf("%s is already subscribed to %s", app->name, subject);
    return fail_or_409(&c, local, msg);
  }
  hub_validation_cache_evict_application(c.hub, app->id, api->context, api->version);
  g_message("subscribed application %" G_GINT64_FORMAT " to %s (%s)", app->id, subject, tier);
  return sub_answer(&c, app, api, *_return);
}

gboolean hub_method_unsubscribe(TgTollgateIf *iface, const gchar *sessionId, const gchar *owner,
                                const gchar *applicationName, const gchar *apiContext,
                                const gchar *apiVersion, TgTollgateException **err,
                                GError **error) {
  g_auto(MgmtCall) c = {0};
  g_autoptr(TgApplication) app = g_object_new(TG_TYPE_APPLICATION, NULL);
  g_autoptr(TgApi) api = NULL;
  GError *local = NULL;
  if (!mgmt_write_begin(&c, iface, "unsubscribe", sessionId, app_roles, err) ||
      !mgmt_app_find(&c, owner, applicationName, app) ||
      (api = mgmt_api_find(&c, apiContext, apiVersion)) == NULL)
    return FALSE;
  g_autofree char *subject = store_api_subject(api->context, api->version);
  if (!store_sub_delete(c.conn, app->id, api->id, subject, &local))
    return fail_or_404(&c, local, "%s is not subscribed to %s", app->name, subject);
  hub_validation_cache_evict_application(c.hub, app->id, api->context, api->version);
  g_message("unsubscribed application %" G_GINT64_FORMAT " from %s", app->id, subject);
  return TRUE;
}

/* The application a moderator names: any owner ("" = the caller); no owner rule. */
static gboolean app_find_any_owner(MgmtCall *c, const char *owner, const char *name,
                                   TgApplication *app) {
  GError *local = NULL;
  const char *who = owner != NULL && *owner != '\0' ? owner : c->who.user;
  if (!mgmt_name_valid("owner", who, MGMT_MAX_NAME, &local) ||
      !mgmt_name_valid("application name", name, MGMT_MAX_NAME, &local))
    return mgmt_fail(c, local);
  MYSQL *conn = mgmt_call_db(c);
  if (conn == NULL) return FALSE;
  mgmt_call_subject(c, "%s/%s", who, name);
  if (store_app_get(conn, who, name, app, &local)) return TRUE;
  return fail_or_404(c, local, "%s has no application %s", who, name);
}

gboolean hub_method_set_subscription_status(TgTollgateIf *iface, TgSubscription **_return,
                                            const gchar *sessionId, const gchar *owner,
                                            const gchar *applicationName, const gchar *apiContext,
                                            const gchar *apiVersion, const gchar *status,
                                            TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  g_autoptr(TgApplication) app = g_object_new(TG_TYPE_APPLICATION, NULL);
  g_autoptr(TgApi) api = NULL;
  GError *local = NULL;
  if (!mgmt_write_begin(&c, iface, "setSubscriptionStatus", sessionId, moderator_roles, err))
    return FALSE;
  const char *st = mgmt_subscription_status_parse(status, &local);
  if (st == NULL) return mgmt_fail(&c, local);
  if ((api = mgmt_api_find(&c, apiContext, apiVersion)) == NULL) return FALSE;
  if (!mgmt_may_moderate(c.who.user, c.admin, api->provider, &local)) return mgmt_fail(&c, local);
  if (!app_find_any_owner(&c, owner, applicationName, app)) return FALSE;
  g_autofree char *subject = store_api_subject(api->context, api->version);
  if (!store_sub_set_status(c.conn, app->id, api->id, st, subject, &local))
    return fail_or_404(&c, local, "%s is not subscribed to %s", app->name, subject);
  hub_validation_cache_evict_application(c.hub, app->id, api->context, api->version);
  g_message("subscription of application %" G_GINT64_FORMAT " to %s set %s by %s", app->id, subject,
            st, c.who.user);
  return sub_answer(&c, app, api, *_return);
}

gboolean hub_method_list_subscriptions(TgTollgateIf *iface, GPtrArray **_return,
                                       const gchar *sessionId, const gchar *owner,
                                       const gchar *applicationName, TgTollgateException **err,
                                       GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_call_begin(&c, iface, "listSubscriptions", sessionId, sub_list_roles, err))
    return FALSE;
  gboolean publisher = (c.who.roles & ROLE_PUBLISHER) != 0;
  StoreSubFilter f = {.owner = owner, .app_name = applicationName};
  /* a publisher may filter by any owner: the viewer rule keeps to their own APIs */
  if (!c.admin && !publisher && mgmt_owner_resolve(c.who.user, FALSE, owner, &local) == NULL)
    return mgmt_fail(&c, local);
  if (applicationName != NULL && *applicationName != '\0' && (owner == NULL || *owner == '\0'))
    f.owner = c.who.user;
  if (!c.admin) {
    f.viewer = c.who.user;
    f.viewer_provider = publisher ? c.who.user : NULL;
  }
  MYSQL *conn = mgmt_call_db(&c);
  if (conn == NULL) return FALSE;
  return store_sub_list(conn, &f, *_return, &local) || mgmt_fail(&c, local);
}
