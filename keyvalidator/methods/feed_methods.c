/*
 * feed_methods.c: getGatewayConfig. The changes since the gateway's revision with
 * the current state of each API they name (a RETIRED stub for one gone), or every
 * API the gateways enforce when feed_needs_full_sync says so; prunes old changes
 * at most once a minute on the way.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "feed.h"
#include "handler.h"
#include "hub_internal.h"
#include "methods.h"
#include "session.h"
#include "tg_tollgate_types.h"

static const char *const feed_roles[] = {"gateway", "admin", NULL};

/* The current state of one changed API, or a RETIRED stub when it is gone. */
static TgApi *feed_api_state(MYSQL *conn, const char *subject, GError **error) {
  g_autofree char *context = NULL, *version = NULL;
  if (!feed_parse_api_subject(subject, &context, &version)) return NULL;
  g_autoptr(GError) local = NULL;
  TgApi *api = store_api_get(conn, context, version, &local); /* core: NULL + no error = gone */
  if (api == NULL && local != NULL) {
    g_propagate_error(error, g_steal_pointer(&local));
    return NULL;
  }
  if (api == NULL)
    api = g_object_new(TG_TYPE_API, "context", context, "version", version, "status", "RETIRED",
                       NULL);
  return api;
}

static gboolean feed_fill_delta(MYSQL *conn, gint64 since, TgGatewayConfig *out, GError **error) {
  g_autoptr(GPtrArray) changes = feed_read_changes(conn, since, error);
  if (changes == NULL) return FALSE;
  g_autoptr(GPtrArray) subjects = feed_changed_api_subjects(changes);
  for (guint i = 0; i < subjects->len; i++) {
    g_autoptr(GError) local = NULL;
    TgApi *api = feed_api_state(conn, g_ptr_array_index(subjects, i), &local);
    if (local != NULL) {
      g_propagate_error(error, g_steal_pointer(&local));
      return FALSE;
    }
    if (api != NULL) g_ptr_array_add(out->apis, api);
  }
  for (guint i = 0; i < changes->len; i++)
    g_ptr_array_add(out->changes, g_object_ref(g_ptr_array_index(changes, i)));
  return TRUE;
}

static gboolean feed_fill(MYSQL *conn, gint64 since, TgGatewayConfig *out, GError **error) {
  if (feed_prune_due(g_get_monotonic_time())) {
    g_autoptr(GError) local = NULL;
    if (!feed_prune(conn, &local))
      g_warning("%s", local->message); /* not fatal: the feed still answers */
  }
  gint64 oldest = 0, newest = 0, pending = 0;
  if (!feed_read_window(conn, since, &oldest, &newest, &pending, error)) return FALSE;
  gboolean full = feed_needs_full_sync(since, oldest, newest, pending);
  g_object_set(out, "revision", newest, "fullSync", full, NULL);
  out->__isset_apis = out->__isset_changes = TRUE; /* lists go on the wire even when empty */
  if (!full) return feed_fill_delta(conn, since, out, error);
  /* core: every API with status PUBLISHED, DEPRECATED or BLOCKED, resources and tiers filled */
  g_autoptr(GPtrArray) apis = store_api_list_for_gateways(conn, error);
  if (apis == NULL) return FALSE;
  for (guint i = 0; i < apis->len; i++)
    g_ptr_array_add(out->apis, g_object_ref(g_ptr_array_index(apis, i)));
  return TRUE;
}

gboolean hub_method_get_gateway_config(TgTollgateIf *iface, TgGatewayConfig **_return,
                                       const gchar *sessionId, const gint64 sinceRevision,
                                       TgTollgateException **err, GError **error) {
  Hub *hub = hub_handler_hub(iface);
  if (!hub_require_session(hub, sessionId, feed_roles, NULL, err)) return FALSE;
  g_autoptr(GError) local = NULL;
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_apimgt, &local);
  gboolean ok = conn != NULL && feed_fill(conn, sinceRevision, *_return, &local);
  if (conn) hub_db_release(hub, conn);
  if (!ok) {
    g_warning("getGatewayConfig: %s", local->message);
    hub_set_error(err, 503, "database unavailable");
  }
  return ok;
}
