/*
 * audit_methods.c: listAudit, the audit log for admins: newest first, keyset pages by id
 * (the primary key, so a page never sorts). What is recorded, and when, is audit_log.c's.
 */
#include "config.h"

#include "handler.h"
#include "methods_portal.h"
#include "mgmt_call.h"
#include "portal_rules.h"
#include "store_audit.h"

static const char *const audit_readers[] = {"admin", NULL};

gboolean hub_method_list_audit(TgTollgateIf *iface, TgAuditPage **_return, const gchar *sessionId,
                               const gchar *cursor, const gint32 limit, TgTollgateException **err,
                               GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  g_autofree char *unused = NULL;
  gint64 before = 0;
  if (!mgmt_call_begin(&c, iface, "listAudit", sessionId, audit_readers, err)) return FALSE;
  if (!portal_limit_valid(limit, &local) || !portal_cursor_decode(cursor, &unused, &before, &local))
    return portal_rule_fail(&c, local);
  if (mgmt_call_db(&c) == NULL) return FALSE;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(g_object_unref);
  if (!store_audit_page(c.conn, before, (guint)limit + 1, entries, &local))
    return mgmt_fail(&c, local);
  g_autofree char *next = NULL;
  if (entries->len > (guint)limit) {
    g_ptr_array_set_size(entries, limit);
    next = portal_cursor_encode("", ((TgAuditEntry *)g_ptr_array_index(entries, limit - 1))->id);
  }
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add((*_return)->entries, g_object_ref(g_ptr_array_index(entries, i)));
  g_object_set(*_return, "nextCursor", next ? next : "", NULL);
  (*_return)->__isset_entries = TRUE;
  return TRUE;
}
