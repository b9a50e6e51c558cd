/*
 * usage_methods.c: publishUsage. A batch is checked whole (usage.c) before it is
 * written in one transaction (store_usage.c), so a gateway's report lands entirely
 * or not at all; a batch id seen before is acknowledged without writing again.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "handler.h"
#include "hub_internal.h"
#include "methods.h"
#include "session.h"
#include "tg_tollgate_types.h"
#include "usage.h"

static const char *const usage_roles[] = {"gateway", "admin", NULL};

gboolean hub_method_publish_usage(TgTollgateIf *iface, const gchar *sessionId,
                                  const GPtrArray *records, const gchar *batchId,
                                  TgTollgateException **err, GError **error) {
  Hub *hub = hub_handler_hub(iface);
  if (!hub_require_session(hub, sessionId, usage_roles, NULL, err)) return FALSE;
  g_autoptr(GError) local = NULL;
  if (!usage_batch_valid(records, g_get_real_time() / G_USEC_PER_SEC, &local)) {
    hub_set_error(err, 400, "%s", local->message);
    return FALSE;
  }
  if (batchId && (strlen(batchId) > USAGE_MAX_BATCH_ID || !g_utf8_validate(batchId, -1, NULL))) {
    hub_set_error(err, 400, "batchId is longer than %d bytes or not UTF-8", USAGE_MAX_BATCH_ID);
    return FALSE;
  }
  gboolean duplicate = FALSE;
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_stat, &local);
  gboolean ok = conn != NULL && usage_store(conn, records, batchId, &duplicate, &local);
  if (ok && duplicate)
    g_info("publishUsage: batch %s was stored before: not counted again", batchId);
  if (conn) hub_db_release(hub, conn);
  if (!ok) {
    g_warning("publishUsage: %s", local->message);
    hub_set_error(err, 503, "usage not stored: database unavailable");
  }
  return ok;
}
