/*
 * mgmt_call.c: the frame of one management call (mgmt_call.h): session and
 * role, the caller's write budget, one apimgtdb connection taken on first use
 * and given back at the end, and errors mapped to the TollgateException codes.
 */
#include "config.h"

#include <stdarg.h>

#include "audit_log.h"
#include "db.h"
#include "handler.h"
#include "mgmt_call.h"
#include "mgmt_rules.h"
#include "write_budget.h"

gboolean mgmt_call_begin(MgmtCall *c, TgTollgateIf *iface, const char *method,
                         const char *session_id, const char *const *roles,
                         TgTollgateException **err) {
  *c = (MgmtCall){.hub = hub_handler_hub(iface), .method = method, .err = err};
  if (!hub_require_session(c->hub, session_id, roles, &c->who, err)) return FALSE;
  c->admin = (c->who.roles & ROLE_ADMIN) != 0;
  return TRUE;
}

gboolean hub_write_allowed(Hub *hub, const SessionInfo *who, const char *method,
                           TgTollgateException **err) {
  gint64 retry_ms = 0;
  if (hub->writes == NULL || (who->roles & ROLE_ADMIN) != 0 ||
      write_budget_take(hub->writes, who->user, g_get_monotonic_time(), &retry_ms))
    return TRUE;
  g_info("%s: write budget of %s spent", method, who->user);
  hub_set_error(err, 429,
                "too many changes by %s: at most %d a second (%d at once); retry in"
                " %" G_GINT64_FORMAT " ms",
                who->user, hub->cfg.mgmt_write_rate, hub->cfg.mgmt_write_burst, retry_ms);
  return FALSE;
}

gboolean mgmt_write_begin(MgmtCall *c, TgTollgateIf *iface, const char *method,
                          const char *session_id, const char *const *roles,
                          TgTollgateException **err) {
  gboolean ok = mgmt_call_begin(c, iface, method, session_id, roles, err) &&
                hub_write_allowed(c->hub, &c->who, method, err);
  c->write = TRUE;
  return ok;
}

void mgmt_call_subject(MgmtCall *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *what = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (c->subject[0] != '\0') g_strlcat(c->subject, " ", sizeof c->subject);
  g_strlcat(c->subject, what, sizeof c->subject);
}

MYSQL *mgmt_call_db(MgmtCall *c) {
  g_autoptr(GError) local = NULL;
  if (c->conn != NULL) return c->conn;
  c->conn = hub_db_acquire(c->hub, c->hub->cfg.db_apimgt, &local);
  if (c->conn == NULL) {
    g_warning("%s: %s", c->method, local->message);
    hub_set_error(c->err, 503, "database unavailable");
  }
  return c->conn;
}

void mgmt_call_end(MgmtCall *c) {
  if (c->conn != NULL) hub_db_release(c->hub, c->conn);
  c->conn = NULL;
  if (c->hub != NULL && !c->ended)
    hub_audit_call_end(c->hub, &c->who, c->method, c->write,           /* the one place actions */
                       c->err != NULL && *c->err == NULL, c->subject); /* reach the log */
  c->ended = TRUE;
}

gboolean mgmt_fail(MgmtCall *c, GError *error) {
  g_autoptr(GError) e = error;
  if (e == NULL) {
    hub_set_error(c->err, 500, "%s: internal error", c->method);
  } else if (e->domain == MGMT_ERROR) {
    hub_set_error(c->err, e->code, "%s", e->message);
  } else if (g_error_matches(e, HUB_DB_ERROR, HUB_DB_ERROR_UNAVAILABLE)) {
    g_warning("%s: %s", c->method, e->message);
    hub_set_error(c->err, 503, "database unavailable");
  } else if (g_error_matches(e, HUB_DB_ERROR, HUB_DB_ERROR_DUPLICATE) ||
             g_error_matches(e, HUB_DB_ERROR, HUB_DB_ERROR_FOREIGN_KEY) ||
             g_error_matches(e, HUB_DB_ERROR, HUB_DB_ERROR_DEADLOCK)) {
    g_info("%s: %s", c->method, e->message);
    hub_set_error(c->err, 409, "%s: conflicts with a concurrent change; try again", c->method);
  } else {
    g_warning("%s: %s", c->method, e->message);
    hub_set_error(c->err, 500, "%s: database error", c->method);
  }
  return FALSE;
}
