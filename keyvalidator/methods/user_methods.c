/*
 * user_methods.c: addUser, listUsers, deleteUser, setUserRoles, changePassword
 * (admin only but for one's own password) and listTiers, over store_users.c.
 * Passwords are hashed only in the store and appear in no log line or answer. The
 * last admin cannot be removed. deleteUser, setUserRoles and a password change end
 * every session of that user first (session_end_user): every hub refuses them
 * within about a second.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "handler.h"
#include "methods.h"
#include "mgmt_call.h"
#include "mgmt_users.h"
#include "session.h"
#include "store_apis.h"
#include "store_apps.h"
#include "store_users.h"

static const char *const user_admins[] = {"admin", NULL};

/* The call's userdb connection, or NULL with a 503 answer (released by mgmt_call_end). */
static MYSQL *users_db(MgmtCall *c) {
  g_autoptr(GError) local = NULL;
  if (c->conn == NULL &&
      (c->conn = hub_db_acquire(c->hub, c->hub->cfg.db_user_store, &local)) == NULL) {
    g_warning("%s: %s", c->method, local->message);
    hub_set_error(c->err, 503, "database unavailable");
  }
  return c->conn;
}

/* A store call on userName returned FALSE: its error, or (none) a 404. */
static gboolean fail_user(MgmtCall *c, GError *error, const char *user) {
  if (error != NULL) return mgmt_fail(c, error);
  hub_set_error(c->err, 404, "no user %s", user);
  return FALSE;
}

/* Starts an admin call on userName: session, role, name, connection. */
static gboolean user_call_begin(MgmtCall *c, TgTollgateIf *iface, const char *method,
                                const char *session_id, const char *user,
                                TgTollgateException **err) {
  GError *local = NULL;
  if (!mgmt_write_begin(c, iface, method, session_id, user_admins, err)) return FALSE;
  if (!mgmt_user_name_valid(user, &local)) return mgmt_fail(c, local);
  mgmt_call_subject(c, "%s", user);
  return users_db(c) != NULL;
}

static gboolean user_insert(MgmtCall *c, const char *user, const char *password, guint roles) {
  GError *local = NULL;
  if (store_user_create(c->conn, user, password, roles, &local)) return TRUE;
  if (!g_error_matches(local, HUB_DB_ERROR, HUB_DB_ERROR_DUPLICATE)) return mgmt_fail(c, local);
  g_error_free(local);
  hub_set_error(c->err, 409, "user %s already exists", user);
  return FALSE;
}

gboolean hub_method_add_user(TgTollgateIf *iface, TgUser **_return, const gchar *sessionId,
                             const gchar *userName, const gchar *password, const GPtrArray *roles,
                             TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  guint mask = 0;
  if (!mgmt_write_begin(&c, iface, "addUser", sessionId, user_admins, err)) return FALSE;
  if (!mgmt_user_name_valid(userName, &local) || !mgmt_password_valid(password, &local) ||
      !mgmt_roles_parse(roles, &mask, &local))
    return mgmt_fail(&c, local);
  mgmt_call_subject(&c, "%s", userName);
  if (users_db(&c) == NULL || !user_insert(&c, userName, password, mask)) return FALSE;
  g_message("user %s created by %s", userName, c.who.user);
  if (!store_user_get(c.conn, userName, *_return, &local)) return fail_user(&c, local, userName);
  return TRUE;
}

gboolean hub_method_list_users(TgTollgateIf *iface, GPtrArray **_return, const gchar *sessionId,
                               TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_call_begin(&c, iface, "listUsers", sessionId, user_admins, err) || users_db(&c) == NULL)
    return FALSE;
  if (!store_user_list(c.conn, *_return, &local)) return mgmt_fail(&c, local);
  return TRUE;
}

/* A user who owns applications or provides APIs is not deleted (409): their applications'
   keys would keep working with no owner able to manage them. Checked before the delete, not
   under a lock across the two databases: an application created by the user in between is
   left to the admin, who can delete it. */
static gboolean user_holds_nothing(Hub *hub, const char *user, GError **error) {
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_apimgt, error);
  gint64 apps = 0, apis = 0;
  gboolean ok = conn != NULL && store_user_holdings(conn, user, &apps, &apis, error);
  hub_db_release(hub, conn);
  if (!ok) return FALSE;
  if (apps > 0 || apis > 0)
    return mgmt_refuse(error, 409,
                       "user %s owns %" G_GINT64_FORMAT
                       " application(s) and provides"
                       " %" G_GINT64_FORMAT " API(s): delete them first",
                       user, apps, apis);
  return TRUE;
}

gboolean hub_method_delete_user(TgTollgateIf *iface, const gchar *sessionId, const gchar *userName,
                                TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!user_call_begin(&c, iface, "deleteUser", sessionId, userName, err)) return FALSE;
  if (!mgmt_user_delete_allowed(c.who.user, userName, &local) ||
      !user_holds_nothing(c.hub, userName, &local))
    return mgmt_fail(&c, local);
  if (!session_end_user(c.hub, c.conn, userName, &local) ||
      !store_user_delete(c.conn, userName, &local))
    return fail_user(&c, local, userName);
  g_message("user %s deleted by %s", userName, c.who.user);
  return TRUE;
}

gboolean hub_method_set_user_roles(TgTollgateIf *iface, const gchar *sessionId,
                                   const gchar *userName, const GPtrArray *roles,
                                   TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  guint mask = 0;
  if (!user_call_begin(&c, iface, "setUserRoles", sessionId, userName, err)) return FALSE;
  if (!mgmt_roles_parse(roles, &mask, &local) ||
      !mgmt_user_roles_allowed(c.who.user, userName, mask, &local))
    return mgmt_fail(&c, local);
  if (!session_end_user(c.hub, c.conn, userName, &local) ||
      !store_user_set_roles(c.conn, userName, mask, &local))
    return fail_user(&c, local, userName);
  g_message("roles of user %s set to %#x by %s", userName, mask, c.who.user);
  return TRUE;
}

/* The caller's old password verifies; else a 403 (or the database's answer). */
static gboolean old_password_ok(MgmtCall *c, const char *user, const char *old) {
  GError *local = NULL;
  if (store_user_verify_password(c->conn, user, old ? old : "", &local)) return TRUE;
  if (local != NULL) return mgmt_fail(c, local);
  hub_set_error(c->err, 403, "the old password is wrong");
  return FALSE;
}

gboolean hub_method_change_password(TgTollgateIf *iface, const gchar *sessionId,
                                    const gchar *userName, const gchar *oldPassword,
                                    const gchar *newPassword, TgTollgateException **err,
                                    GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  gboolean need_old = TRUE;
  if (!mgmt_write_begin(&c, iface, "changePassword", sessionId, NULL, err)) return FALSE;
  if (!mgmt_user_name_valid(userName, &local) ||
      !mgmt_password_change_allowed(c.who.user, c.admin, userName, &need_old, &local) ||
      !mgmt_password_valid(newPassword, &local))
    return mgmt_fail(&c, local);
  mgmt_call_subject(&c, "%s", userName);
  if (users_db(&c) == NULL || (need_old && !old_password_ok(&c, userName, oldPassword)))
    return FALSE;
  if (!session_end_user(c.hub, c.conn, userName, &local) ||
      !store_user_set_password(c.conn, userName, newPassword, &local))
    return fail_user(&c, local, userName);
  g_message("password of user %s changed by %s", userName, c.who.user);
  return TRUE;
}

gboolean hub_method_list_tiers(TgTollgateIf *iface, GPtrArray **_return, const gchar *sessionId,
                               TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_call_begin(&c, iface, "listTiers", sessionId, NULL, err) || mgmt_call_db(&c) == NULL)
    return FALSE;
  g_autoptr(GPtrArray) tiers = store_tier_list(c.conn, &local);
  if (tiers == NULL) return mgmt_fail(&c, local);
  for (guint i = 0; i < tiers->len; i++)
    g_ptr_array_add(*_return, g_object_ref(g_ptr_array_index(tiers, i)));
  return TRUE;
}
