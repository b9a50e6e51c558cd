/*
 * mgmt.h: the management methods of the Tollgate service (users and tiers,
 * APIs, applications and subscriptions, keys and tokens), one source file per
 * group. handler.c's class_init assigns them to the TgTollgateHandlerClass
 * vfuncs; the signatures are exactly the generated ones. Each implementation
 * reaches the Hub with hub_handler_hub(iface), checks the session and role with
 * hub_require_session() and reports errors with hub_set_error().
 */
#ifndef TOLLGATE_HUB_MGMT_H
#define TOLLGATE_HUB_MGMT_H

#include <glib.h>

#include "tg_tollgate.h"

/* mgmt_users.c */
gboolean hub_method_add_user(TgTollgateIf *iface, TgUser ** _return, const gchar * sessionId, const gchar * userName, const gchar * password, const GPtrArray * roles, TgTollgateException ** err, GError **error);
gboolean hub_method_list_users(TgTollgateIf *iface, GPtrArray ** _return, const gchar * sessionId, TgTollgateException ** err, GError **error);
gboolean hub_method_delete_user(TgTollgateIf *iface, const gchar * sessionId, const gchar * userName, TgTollgateException ** err, GError **error);
gboolean hub_method_set_user_roles(TgTollgateIf *iface, const gchar * sessionId, const gchar * userName, const GPtrArray * roles, TgTollgateException ** err, GError **error);
gboolean hub_method_change_password(TgTollgateIf *iface, const gchar * sessionId, const gchar * userName, const gchar * oldPassword, const gchar * newPassword, TgTollgateException ** err, GError **error);
gboolean hub_method_list_tiers(TgTollgateIf *iface, GPtrArray ** _return, const gchar * sessionId, TgTollgateException ** err, GError **error);

/* mgmt_apis.c */
gboolean hub_method_create_api(TgTollgateIf *iface, TgApi ** _return, const gchar * sessionId, const TgApi * api, TgTollgateException ** err, GError **error);
gboolean hub_method_update_api(TgTollgateIf *iface, TgApi ** _return, const gchar * sessionId, const TgApi * api, TgTollgateException ** err, GError **error);
gboolean hub_method_create_new_version(TgTollgateIf *iface, TgApi ** _return, const gchar * sessionId, const gchar * context, const gchar * version, const gchar * newVersion, TgTollgateException ** err, GError **error);
gboolean hub_method_set_api_lifecycle(TgTollgateIf *iface, TgApi ** _return, const gchar * sessionId, const gchar * context, const gchar * version, const gchar * status, TgTollgateException ** err, GError **error);
gboolean hub_method_get_api(TgTollgateIf *iface, TgApi ** _return, const gchar * sessionId, const gchar * context, const gchar * version, TgTollgateException ** err, GError **error);
gboolean hub_method_list_apis(TgTollgateIf *iface, GPtrArray ** _return, const gchar * sessionId, TgTollgateException ** err, GError **error);
gboolean hub_method_delete_api(TgTollgateIf *iface, const gchar * sessionId, const gchar * context, const gchar * version, TgTollgateException ** err, GError **error);

/* mgmt_apps.c */
gboolean hub_method_create_application(TgTollgateIf *iface, TgApplication ** _return, const gchar * sessionId, const TgApplication * app, TgTollgateException ** err, GError **error);
gboolean hub_method_update_application(TgTollgateIf *iface, TgApplication ** _return, const gchar * sessionId, const TgApplication * app, TgTollgateException ** err, GError **error);
gboolean hub_method_delete_application(TgTollgateIf *iface, const gchar * sessionId, const gchar * owner, const gchar * name, TgTollgateException ** err, GError **error);
gboolean hub_method_list_applications(TgTollgateIf *iface, GPtrArray ** _return, const gchar * sessionId, const gchar * owner, TgTollgateException ** err, GError **error);
gboolean hub_method_subscribe(TgTollgateIf *iface, TgSubscription ** _return, const gchar * sessionId, const gchar * owner, const gchar * applicationName, const gchar * apiContext, const gchar * apiVersion, const gchar * tier, TgTollgateException ** err, GError **error);
gboolean hub_method_unsubscribe(TgTollgateIf *iface, const gchar * sessionId, const gchar * owner, const gchar * applicationName, const gchar * apiContext, const gchar * apiVersion, TgTollgateException ** err, GError **error);
gboolean hub_method_set_subscription_status(TgTollgateIf *iface, TgSubscription ** _return, const gchar * sessionId, const gchar * owner, const gchar * applicationName, const gchar * apiContext, const gchar * apiVersion, const gchar * status, TgTollgateException ** err, GError **error);
gboolean hub_method_list_subscriptions(TgTollgateIf *iface, GPtrArray ** _return, const gchar * sessionId, const gchar * owner, const gchar * applicationName, TgTollgateException ** err, GError **error);

/* mgmt_keys.c */
gboolean hub_method_generate_keys(TgTollgateIf *iface, TgKeySet ** _return, const gchar * sessionId, const gchar * owner, const gchar * applicationName, const gchar * keyType, const gint64 validitySeconds, const GPtrArray * scopes, TgTollgateException ** err, GError **error);
gboolean hub_method_issue_token(TgTollgateIf *iface, TgKeySet ** _return, const gchar * sessionId, const gchar * owner, const gchar * applicationName, const gchar * keyType, const gint64 validitySeconds, const GPtrArray * scopes, const gchar * endUserName, TgTollgateException ** err, GError **error);
gboolean hub_method_revoke_token(TgTollgateIf *iface, const gchar * sessionId, const gchar * accessToken, TgTollgateException ** err, GError **error);
gboolean hub_method_list_tokens(TgTollgateIf *iface, GPtrArray ** _return, const gchar * sessionId, const gchar * owner, const gchar * applicationName, TgTollgateException ** err, GError **error);

#endif
