/*
 * methods_catalog.c: what the store and the publisher list: searchApis (keyset pages from
 * the search index, store_search.h), getPublicApi, listApplicationsPage (keyset pages by
 * name), listApiSubscriptions (the API's provider or an admin). Anonymous callers ("" session)
 * and subscribers see PUBLISHED and DEPRECATED APIs only and never an API's backend
 * endpoints; a publisher also sees their own; an admin everything. Trade-off: a page asks
 * one row more than it returns to know whether another follows, instead of counting.
 */
#include "config.h"

#include <string.h>

#include "api_query.h"
#include "db.h"
#include "handler.h"
#include "hub_internal.h"
#include "methods_portal.h"
#include "mgmt_apis.h"
#include "mgmt_apps.h"
#include "portal_rules.h"
#include "store_apps.h"
#include "store_search.h"

gboolean portal_rule_fail(MgmtCall *c, GError *error) {
  g_autoptr(GError) e = error;
  return mgmt_fail(
      c, g_error_new_literal(MGMT_ERROR, e ? e->code : 500, e ? e->message : "internal error"));
}

/* Begins a call where "" means anonymous: c->who stays empty (roles 0). */
static gboolean catalog_begin(MgmtCall *c, TgTollgateIf *iface, const char *method,
                              const char *session_id, TgTollgateException **err) {
  *c = (MgmtCall){.hub = hub_handler_hub(iface), .method = method, .err = err};
  return session_id == NULL || *session_id == '\0' ||
         mgmt_call_begin(c, iface, method, session_id, NULL, err);
}

/* A read connection for the call (released by mgmt_call_end), or NULL with a 503. */
static MYSQL *catalog_db(MgmtCall *c) {
  g_autoptr(GError) local = NULL;
  if (c->conn == NULL &&
      (c->conn = hub_db_acquire_read(c->hub, c->hub->cfg.db_apimgt, &local)) == NULL) {
    g_warning("%s: %s", c->method, local->message);
    hub_set_error(c->err, 503, "database unavailable");
  }
  return c->conn;
}

static StoreSee catalog_see(const MgmtCall *c) {
  if (c->who.roles & ROLE_ADMIN) return STORE_SEE_ALL;
  return (c->who.roles & ROLE_PUBLISHER) ? STORE_SEE_PUBLIC_AND_OWN : STORE_SEE_PUBLIC;
}

static void search_from_query(StoreApiSearch *s, const ApiQuery *q) {
  s->words = q->words;
  s->tags = q->tags;
  s->name_prefix = q->name;
  s->context_prefix = q->context;
  s->provider = q->provider;
  s->version = q->version;
  s->status = q->status;
}

/* Fills the page from found (limit + 1 rows at most): the next cursor names the last kept. */
static void page_fill(TgApiPage *page, GPtrArray *found, guint limit, gint64 total) {
  g_autofree char *next = NULL;
  if (found->len > limit) {
    g_ptr_array_set_size(found, limit);
    TgApi *last = g_ptr_array_index(found, limit - 1);
    next = portal_cursor_encode(last->name, last->id);
  }
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add(page->apis, g_object_ref(g_ptr_array_index(found, i)));
  page->__isset_apis = TRUE;
  g_object_set(page, "nextCursor", next ? next : "", "total", total, NULL);
}

gboolean hub_method_search_apis(TgTollgateIf *iface, TgApiPage **_return, const gchar *sessionId,
                                const gchar *query, const gchar *cursor, const gint32 limit,
                                TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  g_autofree char *after_name = NULL;
  StoreApiSearch s = {0};
  if (!catalog_begin(&c, iface, "searchApis", sessionId, err)) return FALSE;
  g_autoptr(ApiQuery) q = portal_limit_valid(limit, &local) ? api_query_parse(query, &local) : NULL;
  if (q == NULL || !portal_cursor_decode(cursor, &after_name, &s.after_id, &local))
    return portal_rule_fail(&c, local);
  search_from_query(&s, q);
  s.see = catalog_see(&c);
  s.viewer = c.who.user;
  s.after_name = after_name;
  s.limit = (guint)limit + 1;
  gint64 total = -1;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_object_unref);
  if (catalog_db(&c) == NULL) return FALSE;
  if (!store_search_apis(c.conn, &s, found, s.after_id == 0 ? &total : NULL, &local))
    return mgmt_fail(&c, local);
  page_fill(*_return, found, (guint)limit, total);
  return TRUE;
}

/* What a viewer who may not change the API is not shown: its backend endpoints. */
static void api_public_view(TgApi *api) {
  g_object_set(api, "productionEndpoint", "", "sandboxEndpoint", "", NULL);
  api->__isset_productionEndpoint = api->__isset_sandboxEndpoint = FALSE;
}

gboolean hub_method_get_public_api(TgTollgateIf *iface, TgApi **_return, const gchar *sessionId,
                                   const gchar *context, const gchar *version,
                                   TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!catalog_begin(&c, iface, "getPublicApi", sessionId, err)) return FALSE;
  if (!mgmt_api_context_valid(context, &local) || !mgmt_api_version_valid(version, &local))
    return mgmt_fail(&c, local);
  if (catalog_db(&c) == NULL) return FALSE;
  g_autoptr(TgApi) api = store_api_get(c.conn, context, version, &local);
  if (local != NULL) return mgmt_fail(&c, local);
  gboolean own = api != NULL && c.who.user[0] && g_strcmp0(api->provider, c.who.user) == 0;
  if (api == NULL || !(c.admin || own || mgmt_api_visible(api->status, FALSE))) {
    hub_set_error(err, 404, "no API %s:%s", context, version); /* not a 403: not told */
    return FALSE;
  }
  if (!c.admin && !own) api_public_view(api);
  g_object_unref(*_return);
  *_return = g_steal_pointer(&api);
  return TRUE;
}

static const char *const app_readers[] = {"admin", "subscriber", NULL};

gboolean hub_method_list_applications_page(TgTollgateIf *iface, TgApplicationPage **_return,
                                           const gchar *sessionId, const gchar *owner,
                                           const gchar *cursor, const gint32 limit,
                                           TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  g_autofree char *after_name = NULL;
  gint64 after_id = 0;
  if (!mgmt_call_begin(&c, iface, "listApplicationsPage", sessionId, app_readers, err))
    return FALSE;
  const char *who = mgmt_owner_resolve(c.who.user, c.admin, owner, &local);
  if (who == NULL) return mgmt_fail(&c, local);
  if (!portal_limit_valid(limit, &local) ||
      !portal_cursor_decode(cursor, &after_name, &after_id, &local))
    return portal_rule_fail(&c, local);
  g_autoptr(GPtrArray) apps = g_ptr_array_new_with_free_func(g_object_unref);
  if (catalog_db(&c) == NULL) return FALSE;
  if (!store_app_page(c.conn, who, after_name ? after_name : "", after_id, (guint)limit + 1, apps,
                      &local))
    return mgmt_fail(&c, local);
  g_autofree char *next = NULL;
  if (apps->len > (guint)limit) {
    g_ptr_array_set_size(apps, limit);
    TgApplication *last = g_ptr_array_index(apps, limit - 1);
    next = portal_cursor_encode(last->name, last->id);
  }
  for (guint i = 0; i < apps->len; i++)
    g_ptr_array_add((*_return)->applications, g_object_ref(g_ptr_array_index(apps, i)));
  (*_return)->__isset_applications = TRUE;
  g_object_set(*_return, "nextCursor", next ? next : "", NULL);
  return TRUE;
}

static const char *const moderators[] = {"admin", "publisher", NULL};

gboolean hub_method_list_api_subscriptions(TgTollgateIf *iface, GPtrArray **_return,
                                           const gchar *sessionId, const gchar *apiContext,
                                           const gchar *apiVersion, TgTollgateException **err,
                                           GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_call_begin(&c, iface, "listApiSubscriptions", sessionId, moderators, err)) return FALSE;
  g_autoptr(TgApi) api = mgmt_api_find(&c, apiContext, apiVersion);
  if (api == NULL) return FALSE;
  if (!mgmt_may_moderate(c.who.user, c.admin, api->provider, &local) ||
      !store_sub_list_api(c.conn, api->id, *_return, &local))
    return mgmt_fail(&c, local);
  return TRUE;
}
