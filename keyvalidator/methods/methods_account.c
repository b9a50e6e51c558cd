/*
 * methods_account.c: the portal's account methods: authenticateFrom, portalLogin, verifyPassword,
 * signUp and the portal settings. Every password check and sign-up goes through the login failure
 * limiter, counted against the end client's address the caller reports. Trade-off: that
 * address is the caller's word; a lying client still meets the per-user limit and the delays.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "handler.h"
#include "login.h"
#include "methods_portal.h"
#include "mgmt_apps.h"
#include "mgmt_users.h"
#include "portal_rules.h"
#include "session.h"
#include "store_settings.h"
#include "store_users.h"

/* The reported address ("" or NULL: the peer's), or NULL with a 400. */
static const char *client_address(const char *reported, TgTollgateException **err) {
  if (reported == NULL || *reported == '\0') return hub_call_address();
  if (session_address_valid(reported)) return reported;
  hub_set_error(err, 400, "clientAddress is 1 to 63 printable characters without spaces");
  return NULL;
}

/* The answer to a refused login: 401 bad name or password, 429 locked, 503. */
static gboolean login_refused(HubLoginResult r, GError *local, TgTollgateException **err) {
  if (r == HUB_LOGIN_LOCKED)
    hub_set_error(err, 429, "too many attempts: try again later");
  else if (r == HUB_LOGIN_UNAVAILABLE) {
    g_warning("login: %s", local ? local->message : "database unavailable");
    hub_set_error(err, 503, "authentication unavailable: database unavailable");
  } else
    hub_set_error(err, 401, "invalid user name or password");
  return FALSE;
}

gboolean hub_method_authenticate_from(TgTollgateIf *iface, gchar **_return, const gchar *userName,
                                      const gchar *password, const gchar *clientAddress,
                                      TgTollgateException **err, GError **error) {
  Hub *hub = hub_handler_hub(iface);
  gint64 start = g_get_monotonic_time();
  g_autoptr(GError) local = NULL;
  guint roles = 0;
  const char *address = client_address(clientAddress, err);
  if (address == NULL) return FALSE;
  HubLoginResult r = hub_login_from(hub, userName, password, address, &roles, &local);
  hub_count_call(hub, "authenticateFrom", start, r == HUB_LOGIN_OK);
  if (r != HUB_LOGIN_OK) return login_refused(r, local, err);
  g_free(*_return);
  *_return = session_issue_from(hub->sessions, userName, roles, address);
  g_message("login: %s (for %s)", userName, address);
  return TRUE;
}

gboolean hub_method_portal_login(TgTollgateIf *iface, gchar **_return, const gchar *userName,
                                 const gchar *password, const gchar *clientAddress,
                                 const gchar *userAgent, const gchar *kind,
                                 const gint32 idleSeconds, const gint32 absoluteSeconds,
                                 TgTollgateException **err, GError **error) {
  Hub *hub = hub_handler_hub(iface);
  gint64 start = g_get_monotonic_time();
  g_autoptr(GError) local = NULL;
  guint roles = 0;
  const char *address = client_address(clientAddress, err);
  if (address == NULL || !portal_session_limits_valid(kind, idleSeconds, absoluteSeconds, err))
    return FALSE;
  HubLoginResult r = hub_login_from(hub, userName, password, address, &roles, &local);
  hub_count_call(hub, "portalLogin", start, r == HUB_LOGIN_OK);
  if (r != HUB_LOGIN_OK) return login_refused(r, local, err);
  g_autofree char *id = NULL;
  if (!portal_session_start(hub, userName, roles, address, userAgent, kind, idleSeconds,
                            absoluteSeconds, &id, err))
    return FALSE;
  g_free(*_return);
  *_return = g_steal_pointer(&id);
  g_message("portal login: %s (for %s, %s)", userName, address, kind);
  return TRUE;
}

gboolean hub_method_verify_password(TgTollgateIf *iface, const gchar *sessionId,
                                    const gchar *password, TgTollgateException **err,
                                    GError **error) {
  Hub *hub = hub_handler_hub(iface);
  g_autoptr(GError) local = NULL;
  SessionInfo who = {0};
  if (!hub_require_session(hub, sessionId, NULL, &who, err)) return FALSE;
  const char *address = who.address[0] ? who.address : hub_call_address();
  HubLoginResult r = hub_login_from(hub, who.user, password, address, NULL, &local);
  return r == HUB_LOGIN_OK || login_refused(r, local, err);
}

/* The value of setting s: stored, else its default. */
static gboolean setting_value(MYSQL *conn, const PortalSetting *s, char **value, GError **error) {
  if (!store_setting_get(conn, s->name, value, error)) return FALSE;
  if (*value == NULL) *value = g_strdup(s->fallback);
  return TRUE;
}

static gboolean signup_open(Hub *hub, TgTollgateException **err) {
  g_autoptr(GError) local = NULL;
  g_autofree char *value = NULL;
  const PortalSetting *s = portal_setting_find(PORTAL_SIGNUP_ENABLED, NULL);
  MYSQL *conn = hub_db_acquire_read(hub, hub->cfg.db_apimgt, &local);
  gboolean ok = conn != NULL && setting_value(conn, s, &value, &local);
  hub_db_release(hub, conn);
  if (!ok) {
    g_warning("signUp: %s", local ? local->message : "?");
    hub_set_error(err, 503, "database unavailable");
  } else if (strcmp(value, "false") == 0)
    hub_set_error(err, 403, "self sign-up is off: ask an administrator for an account");
  return ok && strcmp(value, "false") != 0;
}

/* Creates the subscriber; 409 when the name is taken. FALSE + *db_failed on a database error. */
static gboolean signup_create(Hub *hub, const char *user, const char *password, TgUser *out,
                              gboolean *db_failed, TgTollgateException **err) {
  g_autoptr(GError) local = NULL;
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_user_store, &local);
  gboolean ok = conn != NULL && store_user_create(conn, user, password, ROLE_SUBSCRIBER, &local) &&
                store_user_get(conn, user, out, &local);
  hub_db_release(hub, conn);
  *db_failed = !ok && !g_error_matches(local, HUB_DB_ERROR, HUB_DB_ERROR_DUPLICATE);
  if (ok) return TRUE;
  if (*db_failed) {
    g_warning("signUp: %s", local ? local->message : "?");
    hub_set_error(err, 503, "database unavailable");
  } else
    hub_set_error(err, 409, "the user name %s is taken", user);
  return FALSE;
}

gboolean hub_method_sign_up(TgTollgateIf *iface, TgUser **_return, const gchar *userName,
                            const gchar *password, const gchar *clientAddress,
                            TgTollgateException **err, GError **error) {
  Hub *hub = hub_handler_hub(iface);
  g_autoptr(GError) local = NULL;
  gboolean db_failed = FALSE;
  const char *address = client_address(clientAddress, err);
  if (address == NULL || !signup_open(hub, err)) return FALSE;
  if (!hub_signup_begin(hub, address)) {
    hub_set_error(err, 429, "too many attempts: try again later");
    return FALSE;
  }
  if (!portal_signup_name_valid(userName, &local) ||
      !portal_password_strong(userName, password, &local)) {
    hub_signup_end(hub, address, FALSE);
    hub_set_error(err, local->code, "%s", local->message);
    return FALSE;
  }
  gboolean ok = signup_create(hub, userName, password, *_return, &db_failed, err);
  if (db_failed)
    hub_signup_cancel(hub, address);
  else
    hub_signup_end(hub, address, ok);
  if (ok) g_message("sign-up: %s (from %s)", userName, address);
  return ok;
}

gboolean hub_method_get_settings(TgTollgateIf *iface, GHashTable **_return, const gchar *sessionId,
                                 TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {.hub = hub_handler_hub(iface), .method = "getSettings", .err = err};
  GError *local = NULL;
  gboolean anonymous = sessionId == NULL || *sessionId == '\0';
  if (!anonymous && !mgmt_call_begin(&c, iface, "getSettings", sessionId, NULL, err)) return FALSE;
  if (mgmt_call_db(&c) == NULL) return FALSE;
  g_autoptr(GHashTable) stored = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  if (!store_settings_read(c.conn, stored, &local)) return mgmt_fail(&c, local);
  for (guint i = 0; portal_settings[i].name; i++) {
    const PortalSetting *s = &portal_settings[i];
    if (!s->public && !c.admin) continue;
    const char *v = g_hash_table_lookup(stored, s->name);
    g_hash_table_replace(*_return, g_strdup(s->name), g_strdup(v ? v : s->fallback));
  }
  return TRUE;
}

static const char *const setting_writers[] = {"admin", NULL};

gboolean hub_method_set_setting(TgTollgateIf *iface, const gchar *sessionId, const gchar *name,
                                const gchar *value, TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_write_begin(&c, iface, "setSetting", sessionId, setting_writers, err)) return FALSE;
  const PortalSetting *s = portal_setting_find(name, &local);
  if (s == NULL || !portal_setting_value_valid(s, value, &local))
    return portal_rule_fail(&c, local);
  mgmt_call_subject(&c, "%s=%s", s->name, value);
  if (mgmt_call_db(&c) == NULL) return FALSE;
  if (!store_setting_set(c.conn, s->name, value, c.who.user, &local)) return mgmt_fail(&c, local);
  g_message("setting %s set to %s by %s", s->name, value, c.who.user);
  return TRUE;
}
