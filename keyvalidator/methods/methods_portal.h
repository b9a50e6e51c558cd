/*
 * methods_portal.h: the Tollgate methods the portal needs (issue 15), assigned in
 * handler.c's class_init; the signatures are exactly the generated ones. Accounts and
 * settings in methods_account.c, the store catalogue in methods_catalog.c, usage series in
 * methods_usage.c, the audit log in audit_methods.c, regenerateConsumerSecret in key_methods.c.
 */
#ifndef TOLLGATE_HUB_METHODS_PORTAL_H
#define TOLLGATE_HUB_METHODS_PORTAL_H

#include <glib.h>

#include "tg_tollgate.h"

typedef struct Hub Hub;

/* methods_account.c */
gboolean hub_method_authenticate_from(TgTollgateIf *iface, gchar **_return, const gchar *userName,
                                      const gchar *password, const gchar *clientAddress,
                                      TgTollgateException **err, GError **error);
gboolean hub_method_verify_password(TgTollgateIf *iface, const gchar *sessionId,
                                    const gchar *password, TgTollgateException **err,
                                    GError **error);
gboolean hub_method_sign_up(TgTollgateIf *iface, TgUser **_return, const gchar *userName,
                            const gchar *password, const gchar *clientAddress,
                            TgTollgateException **err, GError **error);
gboolean hub_method_get_settings(TgTollgateIf *iface, GHashTable **_return, const gchar *sessionId,
                                 TgTollgateException **err, GError **error);
gboolean hub_method_set_setting(TgTollgateIf *iface, const gchar *sessionId, const gchar *name,
                                const gchar *value, TgTollgateException **err, GError **error);

gboolean hub_method_portal_login(TgTollgateIf *iface, gchar **_return, const gchar *userName,
                                 const gchar *password, const gchar *clientAddress,
                                 const gchar *userAgent, const gchar *kind,
                                 const gint32 idleSeconds, const gint32 absoluteSeconds,
                                 TgTollgateException **err, GError **error);

/* portal_sessions.c: portal sessions kept by the hubs (portalLogin's half is in
   methods_account.c, with the other logins). */
/* kind cookie or bearer with idle and absolute ends portalLogin accepts; else a 400. */
gboolean portal_session_limits_valid(const char *kind, int idle_s, int absolute_s,
                                     TgTollgateException **err);
/* A new hub session of absolute_s and its portal session row; *id (caller frees). 503. */
gboolean portal_session_start(Hub *hub, const char *user, guint roles, const char *address,
                              const char *agent, const char *kind, int idle_s, int absolute_s,
                              char **id, TgTollgateException **err);
gboolean hub_method_portal_session_check(TgTollgateIf *iface, TgPortalSession **_return,
                                         const gchar *sessionId, TgTollgateException **err,
                                         GError **error);
gboolean hub_method_list_my_sessions(TgTollgateIf *iface, GPtrArray **_return,
                                     const gchar *sessionId, TgTollgateException **err,
                                     GError **error);
gboolean hub_method_end_my_sessions(TgTollgateIf *iface, gint32 *_return, const gchar *sessionId,
                                    const gchar *handle, TgTollgateException **err, GError **error);

/* methods_catalog.c */
gboolean hub_method_search_apis(TgTollgateIf *iface, TgApiPage **_return, const gchar *sessionId,
                                const gchar *query, const gchar *cursor, const gint32 limit,
                                TgTollgateException **err, GError **error);
gboolean hub_method_get_public_api(TgTollgateIf *iface, TgApi **_return, const gchar *sessionId,
                                   const gchar *context, const gchar *version,
                                   TgTollgateException **err, GError **error);
gboolean hub_method_list_applications_page(TgTollgateIf *iface, TgApplicationPage **_return,
                                           const gchar *sessionId, const gchar *owner,
                                           const gchar *cursor, const gint32 limit,
                                           TgTollgateException **err, GError **error);
gboolean hub_method_list_api_subscriptions(TgTollgateIf *iface, GPtrArray **_return,
                                           const gchar *sessionId, const gchar *apiContext,
                                           const gchar *apiVersion, TgTollgateException **err,
                                           GError **error);

/* mgmt_keys.c */
gboolean hub_method_regenerate_consumer_secret(TgTollgateIf *iface, TgKeySet **_return,
                                               const gchar *sessionId, const gchar *owner,
                                               const gchar *applicationName, const gchar *keyType,
                                               const gint64 graceSeconds, TgTollgateException **err,
                                               GError **error);

/* methods_usage.c */
gboolean hub_method_get_usage(TgTollgateIf *iface, TgUsageSeries **_return, const gchar *sessionId,
                              const gchar *scope, const gchar *subject, const gchar *range,
                              TgTollgateException **err, GError **error);

/* audit_methods.c */
gboolean hub_method_list_audit(TgTollgateIf *iface, TgAuditPage **_return, const gchar *sessionId,
                               const gchar *cursor, const gint32 limit, TgTollgateException **err,
                               GError **error);

/* Shared by these files (methods_catalog.c): answers a rule's refusal (PORTAL_ERROR,
   API_QUERY_ERROR: the code is the answer's) through mgmt_fail. Takes error; FALSE. */
struct MgmtCall;
gboolean portal_rule_fail(struct MgmtCall *c, GError *error);

#endif
