/*
 * audit_log.c: which actions the audit log keeps, and writing them (listAudit, which reads
 * them, is audit_methods.c). The address is the end client's that the caller
 * reported at authenticateFrom (signed into the session), else the peer's. Trade-off: the
 * row is written after the action committed, on its own connection, so a database that
 * fails in between loses the row (logged) rather than undoing a finished action.
 */
#include "config.h"

#include <string.h>

#include "audit_log.h"
#include "db.h"
#include "login.h"
#include "store_audit.h"

/* Publisher and admin actions: always kept. Any other change is kept when an admin made it. */
static const char *const audited[] = {
    "createApi",
    "updateApi",
    "createNewVersion",
    "setApiLifecycle",
    "deleteApi",
    "addDocument",
    "deleteDocument",
    "setSubscriptionStatus",
    "addUser",
    "setUserRoles",
    "deleteUser",
    "changePassword",
    "addTier",
    "deleteTier",
    "addBlockCondition",
    "deleteBlockCondition",
    "addCustomPolicy",
    "deleteCustomPolicy",
    "setSetting",
    "revokeTokenById",
    NULL,
};

gboolean hub_audit_wanted(const char *method, guint roles, gboolean write) {
  return (method != NULL && g_strv_contains(audited, method)) ||
         (write && (roles & ROLE_ADMIN) != 0);
}

static void audit_write(Hub *hub, const SessionInfo *who, const char *action, const char *subject) {
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

void hub_audit_record(Hub *hub, const SessionInfo *who, const char *action, const char *subject) {
  if (hub_audit_wanted(action, who->roles, TRUE))
    audit_write(hub, who, action, subject ? subject : "");
}

void hub_audit_call_end(Hub *hub, const SessionInfo *who, const char *method, gboolean write,
                        gboolean ok, const char *subject) {
  if (ok && who->user[0] != '\0' && hub_audit_wanted(method, who->roles, write))
    audit_write(hub, who, method, subject ? subject : "");
}
