/*
 * api_methods.c: the publisher's side of the Tollgate service: createApi, updateApi,
 * createNewVersion, setApiLifecycle, getApi, listApis, deleteApi. Each is session,
 * rules (mgmt_apis.c), store call, then the API's cached validations evicted after
 * the commit; other hubs and the gateways learn of the change from the API_CHANGED
 * row the store wrote in that transaction. Every answer is the API as read back.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "handler.h"
#include "methods.h"
#include "mgmt_apis.h"
#include "mgmt_call.h"
#include "store_apis.h"
#include "tg_http_syntax.h"
#include "tg_throttle.h"
#include "tg_uri_template.h"
#include "tier_refs.h"

static const char *const api_writers[] = {"admin", "publisher", NULL};

/* Admins and publishers manage APIs and see every one. */
static gboolean is_manager(const MgmtCall *c) {
  return (c->who.roles & (ROLE_ADMIN | ROLE_PUBLISHER)) != 0;
}

/* A store call returned NULL / FALSE: its error, or (none) a 404 for the API. */
static gboolean fail_api(MgmtCall *c, GError *error, const char *context, const char *version) {
  if (error != NULL) return mgmt_fail(c, error);
  hub_set_error(c->err, 404, "no API %s:%s", context, version);
  return FALSE;
}

/* The API (context, version) the caller may see, or NULL with a 400/404/503 answer. */
static TgApi *api_find(MgmtCall *c, const char *context, const char *version) {
  GError *local = NULL;
  if (!mgmt_api_context_valid(context, &local) || !mgmt_api_version_valid(version, &local)) {
    mgmt_fail(c, local);
    return NULL;
  }
  mgmt_call_subject(c, "%s:%s", context, version);
  MYSQL *conn = mgmt_call_db(c);
  TgApi *api = conn ? store_api_get(conn, context, version, &local) : NULL;
  if (api != NULL && !mgmt_api_visible(api->status, is_manager(c)))
    g_clear_object(&api); /* not a 403: do not tell that it exists */
  if (conn != NULL && api == NULL) fail_api(c, local, context, version);
  return api;
}

/* The API the caller may change, or NULL with a 400/403/404/503 answer. */
static TgApi *api_find_own(MgmtCall *c, const char *context, const char *version) {
  GError *local = NULL;
  g_autoptr(TgApi) api = api_find(c, context, version);
  if (api == NULL || mgmt_api_may_change(c->who.user, c->admin, api->provider, &local))
    return g_steal_pointer(&api);
  mgmt_fail(c, local);
  return NULL;
}

/* After a committed change to (context, version): clears the validation cache, logs, and
   answers with the API as stored (or a 404 when a concurrent delete beat us to it). */
static gboolean api_changed_answer(MgmtCall *c, TgApi **_return, const char *context,
                                   const char *version, const char *what) {
  hub_validation_cache_evict_api(c->hub, context, version);
  g_message("%s API %s:%s (by %s)", what, context, version, c->who.user);
  GError *local = NULL;
  TgApi *api = store_api_get(c->conn, context, version, &local);
  if (api == NULL) return fail_api(c, local, context, version);
  g_object_unref(*_return); /* the processor's fresh result, replaced by ours */
  *_return = api;
  return TRUE;
}

/* Inside the insert's transaction: the place (403, 409), then the tiers it names (400). */
static gboolean placement_for_caller(const TgApi *api, const GPtrArray *neighbours, gpointer data,
                                     GError **error) {
  const MgmtCall *c = data;
  return mgmt_api_placement_check(api, neighbours, c->who.user, c->admin, error) &&
         tier_refs_check(c->conn, api, error);
}

/* Inserts a checked API where the caller may put it (mgmt_api_placement_check: 403 someone
   else's context, 409 overlapping paths) and when every tier it names is one
   (tier_refs_check: 400, also for createNewVersion's copy of an API that names a tier gone or
   one from before the name rule); 409 when its context and version are taken. */
static gboolean api_insert(MgmtCall *c, TgApi *api) {
  GError *local = NULL;
  mgmt_call_subject(c, "%s:%s", api->context, api->version);
  if (mgmt_call_db(c) == NULL) return FALSE;
  if (store_api_insert_placed(c->conn, api, placement_for_caller, c, &local)) return TRUE;
  if (!g_error_matches(local, HUB_DB_ERROR, HUB_DB_ERROR_DUPLICATE)) return mgmt_fail(c, local);
  g_error_free(local);
  hub_set_error(c->err, 409, "API %s:%s already exists", api->context, api->version);
  return FALSE;
}

/* The API createApi stores: the request checked, provider resolved, state CREATED. */
static TgApi *api_for_create(MgmtCall *c, const TgApi *request) {
  GError *local = NULL;
  g_autoptr(TgApi) api = mgmt_api_for_create(request);
  const char *provider = mgmt_owner_resolve(c->who.user, c->admin, request->provider, &local);
  if (provider != NULL && request->status != NULL && *request->status != '\0' &&
      g_ascii_strcasecmp(request->status, API_STATUS_CREATED) != 0)
    mgmt_refuse(&local, 400, "a new API starts CREATED: publish it with setApiLifecycle");
  if (local == NULL) {
    g_object_set(api, "provider", provider, NULL);
    if (mgmt_api_check(api, &local)) return g_steal_pointer(&api);
  }
  mgmt_fail(c, local);
  return NULL;
}

gboolean hub_method_create_api(TgTollgateIf *iface, TgApi **_return, const gchar *sessionId,
                               const TgApi *api, TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  if (!mgmt_write_begin(&c, iface, "createApi", sessionId, api_writers, err)) return FALSE;
  g_autoptr(TgApi) created = api_for_create(&c, api);
  if (created == NULL || !api_insert(&c, created)) return FALSE;
  return api_changed_answer(&c, _return, created->context, created->version, "created");
}

/* Only the context's owner (or an admin) makes a version the default: a provider whose
   version sits in someone else's context (stored before ownership was enforced) may not. */
static gboolean default_claim_allowed(MgmtCall *c, const TgApi *api, GError **error) {
  if (!api->isDefaultVersion || c->admin) return TRUE;
  g_autoptr(GPtrArray) neighbours =
      store_api_neighbours(c->conn, api->context, api->version, FALSE, error);
  if (neighbours == NULL) return FALSE;
  const char *owner = mgmt_api_context_owner(api->context, neighbours);
  if (owner == NULL || g_strcmp0(owner, c->who.user) == 0) return TRUE;
  return mgmt_refuse(error, 403,
                     "context %s belongs to %s: only they or an admin choose its"
                     " default version",
                     api->context, owner);
}

gboolean hub_method_update_api(TgTollgateIf *iface, TgApi **_return, const gchar *sessionId,
                               const TgApi *api, TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_write_begin(&c, iface, "updateApi", sessionId, api_writers, err)) return FALSE;
  g_autoptr(TgApi) stored = api_find_own(&c, api->context, api->version);
  if (stored == NULL) return FALSE;
  if (g_strcmp0(stored->status, "RETIRED") == 0)
    mgmt_refuse(&local, 409, "API %s:%s is RETIRED: it cannot change", stored->context,
                stored->version);
  if (local != NULL || !mgmt_api_merge(stored, api, &local) || !mgmt_api_check(stored, &local) ||
      (api->__isset_isDefaultVersion && !default_claim_allowed(&c, stored, &local)))
    return mgmt_fail(&c, local);
  if (!store_api_update(c.conn, stored, tier_refs_check, &local))
    return fail_api(&c, local, stored->context, stored->version);
  return api_changed_answer(&c, _return, stored->context, stored->version, "updated");
}

gboolean hub_method_create_new_version(TgTollgateIf *iface, TgApi **_return, const gchar *sessionId,
                                       const gchar *context, const gchar *version,
                                       const gchar *newVersion, TgTollgateException **err,
                                       GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_write_begin(&c, iface, "createNewVersion", sessionId, api_writers, err)) return FALSE;
  if (!mgmt_api_version_valid(newVersion, &local)) return mgmt_fail(&c, local);
  g_autoptr(TgApi) src = api_find_own(&c, context, version);
  if (src == NULL) return FALSE;
  g_autoptr(TgApi) copy = mgmt_api_new_version(src, newVersion);
  if (!api_insert(&c, copy)) return FALSE;
  return api_changed_answer(&c, _return, copy->context, copy->version, "new version");
}

gboolean hub_method_set_api_lifecycle(TgTollgateIf *iface, TgApi **_return, const gchar *sessionId,
                                      const gchar *context, const gchar *version,
                                      const gchar *status, TgTollgateException **err,
                                      GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  gboolean noop = FALSE;
  if (!mgmt_write_begin(&c, iface, "setApiLifecycle", sessionId, api_writers, err)) return FALSE;
  const char *to = mgmt_api_status_parse(status, &local);
  if (to == NULL) return mgmt_fail(&c, local);
  g_autoptr(TgApi) api = api_find_own(&c, context, version);
  if (api == NULL) return FALSE;
  if (!mgmt_api_transition(api->status, to, &noop, &local)) return mgmt_fail(&c, local);
  if (noop) {
    g_object_unref(*_return);
    *_return = g_steal_pointer(&api);
    return TRUE;
  }
  if (!store_api_set_status(c.conn, api, to, &local)) {
    if (local == NULL)
      mgmt_refuse(&local, 409, "API %s:%s changed meanwhile; read it and try again", context,
                  version);
    return mgmt_fail(&c, local);
  }
  g_autofree char *what = g_strdup_printf("%s -> %s", api->status, to);
  return api_changed_answer(&c, _return, context, version, what);
}

gboolean hub_method_get_api(TgTollgateIf *iface, TgApi **_return, const gchar *sessionId,
                            const gchar *context, const gchar *version, TgTollgateException **err,
                            GError **error) {
  g_auto(MgmtCall) c = {0};
  if (!mgmt_call_begin(&c, iface, "getApi", sessionId, NULL, err)) return FALSE;
  TgApi *api = api_find(&c, context, version);
  if (api == NULL) return FALSE;
  g_object_unref(*_return);
  *_return = api;
  return TRUE;
}

gboolean hub_method_list_apis(TgTollgateIf *iface, GPtrArray **_return, const gchar *sessionId,
                              TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_call_begin(&c, iface, "listApis", sessionId, NULL, err) || mgmt_call_db(&c) == NULL)
    return FALSE;
  g_autoptr(GPtrArray) apis = store_api_list(c.conn, !is_manager(&c), &local);
  if (apis == NULL) return mgmt_fail(&c, local);
  for (guint i = 0; i < apis->len; i++)
    g_ptr_array_add(*_return, g_object_ref(g_ptr_array_index(apis, i)));
  return TRUE;
}

gboolean hub_method_delete_api(TgTollgateIf *iface, const gchar *sessionId, const gchar *context,
                               const gchar *version, TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  gint64 subscriptions = 0;
  if (!mgmt_write_begin(&c, iface, "deleteApi", sessionId, api_writers, err)) return FALSE;
  g_autoptr(TgApi) api = api_find_own(&c, context, version);
  if (api == NULL) return FALSE;
  if (!store_api_delete(c.conn, api, &subscriptions, &local)) {
    if (local == NULL && subscriptions > 0)
      mgmt_refuse(&local, 409,
                  "API %s:%s has %" G_GINT64_FORMAT
                  " subscription(s): they must be"
                  " removed first (retire it to stop traffic)",
                  context, version, subscriptions);
    return fail_api(&c, local, context, version);
  }
  hub_validation_cache_evict_api(c.hub, context, version);
  g_message("deleted API %s:%s (by %s)", context, version, c.who.user);
  return TRUE;
}
