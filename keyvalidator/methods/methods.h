/*
 * methods.h: the Tollgate service methods implemented outside handler.c, one
 * source file per service area. handler.c's class_init assigns them to the
 * TgTollgateHandlerClass vfuncs; the signatures are exactly the generated ones.
 * Each reaches the Hub with hub_handler_hub(iface), checks the session and role
 * itself (hub_require_session or mgmt_call_begin) and reports errors with hub_set_error.
 */
#ifndef TOLLGATE_HUB_METHODS_H
#define TOLLGATE_HUB_METHODS_H

#include <glib.h>

#include "tg_tollgate.h"

/* user_methods.c */
gboolean hub_method_add_user(TgTollgateIf *iface, TgUser **_return, const gchar *sessionId,
                             const gchar *userName, const gchar *password, const GPtrArray *roles,
                             TgTollgateException **err, GError **error);
gboolean hub_method_list_users(TgTollgateIf *iface, GPtrArray **_return, const gchar *sessionId,
                               TgTollgateException **err, GError **error);
gboolean hub_method_delete_user(TgTollgateIf *iface, const gchar *sessionId, const gchar *userName,
                                TgTollgateException **err, GError **error);
gboolean hub_method_set_user_roles(TgTollgateIf *iface, const gchar *sessionId,
                                   const gchar *userName, const GPtrArray *roles,
                                   TgTollgateException **err, GError **error);
gboolean hub_method_change_password(TgTollgateIf *iface, const gchar *sessionId,
                                    const gchar *userName, const gchar *oldPassword,
                                    const gchar *newPassword, TgTollgateException **err,
                                    GError **error);
gboolean hub_method_list_tiers(TgTollgateIf *iface, GPtrArray **_return, const gchar *sessionId,
                               TgTollgateException **err, GError **error);

/* api_methods.c */
gboolean hub_method_create_api(TgTollgateIf *iface, TgApi **_return, const gchar *sessionId,
                               const TgApi *api, TgTollgateException **err, GError **error);
gboolean hub_method_update_api(TgTollgateIf *iface, TgApi **_return, const gchar *sessionId,
                               const TgApi *api, TgTollgateException **err, GError **error);
gboolean hub_method_create_new_version(TgTollgateIf *iface, TgApi **_return, const gchar *sessionId,
                                       const gchar *context, const gchar *version,
                                       const gchar *newVersion, TgTollgateException **err,
                                       GError **error);
gboolean hub_method_set_api_lifecycle(TgTollgateIf *iface, TgApi **_return, const gchar *sessionId,
                                      const gchar *context, const gchar *version,
                                      const gchar *status, TgTollgateException **err,
                                      GError **error);
gboolean hub_method_get_api(TgTollgateIf *iface, TgApi **_return, const gchar *sessionId,
                            const gchar *context, const gchar *version, TgTollgateException **err,
                            GError **error);
gboolean hub_method_list_apis(TgTollgateIf *iface, GPtrArray **_return, const gchar *sessionId,
                              TgTollgateException **err, GError **error);
gboolean hub_method_delete_api(TgTollgateIf *iface, const gchar *sessionId, const gchar *context,
                               const gchar *version, TgTollgateException **err, GError **error);

/* app_methods.c */
gboolean hub_method_create_application(TgTollgateIf *iface, TgApplication **_return,
                                       const gchar *sessionId, const TgApplication *app,
                                       TgTollgateException **err, GError **error);
gboolean hub_method_update_application(TgTollgateIf *iface, TgApplication **_return,
                                       const gchar *sessionId, const TgApplication *app,
                                       TgTollgateException **err, GError **error);
gboolean hub_method_delete_application(TgTollgateIf *iface, const gchar *sessionId,
                                       const gchar *owner, const gchar *name,
                                       TgTollgateException **err, GError **error);
gboolean hub_method_list_applications(TgTollgateIf *iface, GPtrArray **_return,
                                      const gchar *sessionId, const gchar *owner,
                                      TgTollgateException **err, GError **error);
gboolean hub_method_subscribe(TgTollgateIf *iface, TgSubscription **_return, const gchar *sessionId,
                              const gchar *owner, const gchar *applicationName,
                              const gchar *apiContext, const gchar *apiVersion, const gchar *tier,
                              TgTollgateException **err, GError **error);
gboolean hub_method_unsubscribe(TgTollgateIf *iface, const gchar *sessionId, const gchar *owner,
                                const gchar *applicationName, const gchar *apiContext,
                                const gchar *apiVersion, TgTollgateException **err, GError **error);
gboolean hub_method_set_subscription_status(TgTollgateIf *iface, TgSubscription **_return,
                                            const gchar *sessionId, const gchar *owner,
                                            const gchar *applicationName, const gchar *apiContext,
                                            const gchar *apiVersion, const gchar *status,
                                            TgTollgateException **err, GError **error);
gboolean hub_method_list_subscriptions(TgTollgateIf *iface, GPtrArray **_return,
                                       const gchar *sessionId, const gchar *owner,
                                       const gchar *applicationName, TgTollgateException **err,
                                       GError **error);

/* key_methods.c */
gboolean hub_method_generate_keys(TgTollgateIf *iface, TgKeySet **_return, const gchar *sessionId,
                                  const gchar *owner, const gchar *applicationName,
                                  const gchar *keyType, const gint64 validitySeconds,
                                  const GPtrArray *scopes, TgTollgateException **err,
                                  GError **error);
gboolean hub_method_issue_token(TgTollgateIf *iface, TgKeySet **_return, const gchar *sessionId,
                                const gchar *owner, const gchar *applicationName,
                                const gchar *keyType, const gint64 validitySeconds,
                                const GPtrArray *scopes, const gchar *endUserName,
                                TgTollgateException **err, GError **error);
gboolean hub_method_revoke_token(TgTollgateIf *iface, const gchar *sessionId,
                                 const gchar *accessToken, TgTollgateException **err,
                                 GError **error);
gboolean hub_method_revoke_token_by_id(TgTollgateIf *iface, const gchar *sessionId,
                                       const gchar *owner, const gchar *applicationName,
                                       const gint64 tokenId, TgTollgateException **err,
                                       GError **error);
gboolean hub_method_list_tokens(TgTollgateIf *iface, GPtrArray **_return, const gchar *sessionId,
                                const gchar *owner, const gchar *applicationName,
                                TgTollgateException **err, GError **error);

/* doc_methods.c */
gboolean hub_method_add_document(TgTollgateIf *iface, TgDocument **_return, const gchar *sessionId,
                                 const TgDocument *doc, TgTollgateException **err, GError **error);
gboolean hub_method_list_documents(TgTollgateIf *iface, GPtrArray **_return, const gchar *sessionId,
                                   const gchar *apiContext, const gchar *apiVersion,
                                   TgTollgateException **err, GError **error);
gboolean hub_method_delete_document(TgTollgateIf *iface, const gchar *sessionId,
                                    const gint64 documentId, TgTollgateException **err,
                                    GError **error);

/* feed_methods.c */
gboolean hub_method_get_gateway_config(TgTollgateIf *iface, TgGatewayConfig **_return,
                                       const gchar *sessionId, const gint64 sinceRevision,
                                       TgTollgateException **err, GError **error);

/* usage_methods.c */
gboolean hub_method_publish_usage(TgTollgateIf *iface, const gchar *sessionId,
                                  const GPtrArray *records, const gchar *batchId,
                                  TgTollgateException **err, GError **error);

/* traffic.c */
gboolean hub_method_grant_credits(TgTollgateIf *iface, GPtrArray **_return, const gchar *sessionId,
                                  const gchar *gatewayId, const GPtrArray *requests,
                                  TgTollgateException **err, GError **error);
gboolean hub_method_report_credits(TgTollgateIf *iface, const gchar *sessionId,
                                   const gchar *gatewayId, const GPtrArray *reports,
                                   const gchar *batchId, TgTollgateException **err, GError **error);
gboolean hub_method_add_tier(TgTollgateIf *iface, TgTier **_return, const gchar *sessionId,
                             const TgTier *tier, TgTollgateException **err, GError **error);
gboolean hub_method_get_tier(TgTollgateIf *iface, TgTier **_return, const gchar *sessionId,
                             const gchar *name, const gchar *level, TgTollgateException **err,
                             GError **error);
gboolean hub_method_delete_tier(TgTollgateIf *iface, const gchar *sessionId, const gchar *name,
                                const gchar *level, TgTollgateException **err, GError **error);
gboolean hub_method_add_block_condition(TgTollgateIf *iface, TgBlockCondition **_return,
                                        const gchar *sessionId, const TgBlockCondition *cond,
                                        TgTollgateException **err, GError **error);
gboolean hub_method_list_block_conditions(TgTollgateIf *iface, GPtrArray **_return,
                                          const gchar *sessionId, TgTollgateException **err,
                                          GError **error);
gboolean hub_method_delete_block_condition(TgTollgateIf *iface, const gchar *sessionId,
                                           const gint64 id, TgTollgateException **err,
                                           GError **error);

/* methods/policy.c */
gboolean hub_method_add_custom_policy(TgTollgateIf *iface, TgCustomPolicy **_return,
                                      const gchar *sessionId, const TgCustomPolicy *policy,
                                      TgTollgateException **err, GError **error);
gboolean hub_method_list_custom_policies(TgTollgateIf *iface, GPtrArray **_return,
                                         const gchar *sessionId, TgTollgateException **err,
                                         GError **error);
gboolean hub_method_delete_custom_policy(TgTollgateIf *iface, const gchar *sessionId,
                                         const gint64 id, TgTollgateException **err,
                                         GError **error);

#endif
