/*
 * audit_log.c: which actions the audit log keeps, writing them, and listAudit (admin,
 * newest first, keyset pages by id). The address is the end client's that the caller
 * reported at authenticateFrom (signed into the session), else the peer's. Trade-off: the
 * row is written after the action committed, on its own connection, so a database that
 * fails in between loses the row (logged) rather than undoing a finished action.
 */
#include "config.h"

#include <string.h>

#include "audit_log.h"
#include "db.h"
#include "handler.h"
#include "login.h"
#include "methods_portal.h"
#include "mgmt_apps.h"
#include "portal_rules.h"
#include "store_audit.h"

/* Publisher and admin actions: always kept. Any other change is kept when an admin made it. */
static const char *const audited[] = {
  "createApi", "updateApi", "createNewVersion", "setApiLifecycle", "deleteApi",
  "addDocument", "deleteDocument", "setSubscriptionStatus",
  "addUser", "setUserRoles", "deleteUser", "changePassword",
  "addTier", "deleteTier", "addBlockCondition", "deleteBlockCondition",
  "addCustomPolicy", "deleteCustomPolicy", "setSetting", NULL
};

gboolean hub_audit_wanted(const char *method, guint roles, gboolean write)
{
  return (method != NULL && g_strv_contains(audited, method)) ||
         (write && (roles & ROLE_ADMIN) != 0);
}

static void audit_write(Hub *hub, const SessionInfo *who, const char *action,
                        const char *subject)
{
  g_autoptr(GError) local = NULL;
  const char *address = who->address[0] ? who->address : hub_call_address();
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_apimgt, &local);
  if (conn != NULL) {
    store_audit_insert(conn, who->user, action, subject, address, "", &local);
    hub_db_release(hub, conn);
  }
  if (local != NULL)
    g_warning("audit log: %s by %s on %s not recorded: %s", action, who->user, subject,
              local->message);
}

void hub_audit_record(Hub *hub, const SessionInfo *who, const char *action,
                      const char *subject)
{
  if (hub_audit_wanted(action, who->roles, TRUE))
    audit_write(hub, who, action, subject ? subject : "");
}

void hub_audit_call_end(MgmtCall *c)
{
  gboolean ok = c->err != NULL && *c->err == NULL && c->who.user[0] != '\0';
  if (ok && hub_audit_wanted(c->method, c->who.roles, c->write))
    audit_write(c->hub, &c->who, c->method, c->subject);
}

static const char *const audit_readers[] = { "admin", NULL };

gboolean hub_method_list_audit(TgTollgateIf *iface, TgAuditPage **_return,
                               const gchar *sessionId, const gchar *cursor, const gint32 limit,
                               TgTollgateException **err, GError **error)
{
  g_auto(MgmtCall) c = { 0 };
  GError *local = NULL;
  g_autofree char *unused = NULL;
  gint64 before = 0;
  if (!mgmt_call_begin(&c, iface, "listAudit", sessionId, audit_readers, err))
    return FALSE;
  if (!portal_limit_valid(limit, &local) ||
      !portal_cursor_decode(cursor, &unused, &before, &local))
    return portal_rule_fail(&c, local);
  if (mgmt_call_db(&c) == NULL)
    return FALSE;
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
