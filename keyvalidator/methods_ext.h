/*
 * methods_ext.h: the Tollgate service methods that live outside the core's
 * handler file (documents, gateway change feed, usage ingestion, traffic
 * management).
 *
 * Core's handler class_init assigns these to TgTollgateHandlerClass vfuncs;
 * the signatures are exactly the generated ones (gen-c_glib/tg_tollgate.h) so
 * the assignment needs no cast. Each implementation gets the Hub through
 * hub_handler_hub(iface) (handler.h) and checks the session itself.
 */
#ifndef TOLLGATE_METHODS_EXT_H
#define TOLLGATE_METHODS_EXT_H

#include <glib.h>

#include "tg_tollgate.h"

/* docs.c */
gboolean hub_method_add_document(TgTollgateIf *iface, TgDocument **_return, const gchar *sessionId,
                                 const TgDocument *doc, TgTollgateException **err, GError **error);
gboolean hub_method_list_documents(TgTollgateIf *iface, GPtrArray **_return, const gchar *sessionId,
                                   const gchar *apiContext, const gchar *apiVersion,
                                   TgTollgateException **err, GError **error);
gboolean hub_method_delete_document(TgTollgateIf *iface, const gchar *sessionId,
                                    const gint64 documentId, TgTollgateException **err,
                                    GError **error);

/* feed.c */
gboolean hub_method_get_gateway_config(TgTollgateIf *iface, TgGatewayConfig **_return,
                                       const gchar *sessionId, const gint64 sinceRevision,
                                       TgTollgateException **err, GError **error);

/* usage.c */
gboolean hub_method_publish_usage(TgTollgateIf *iface, const gchar *sessionId,
                                  const GPtrArray *records, const gchar *batchId,
                                  TgTollgateException **err, GError **error);

/* traffic.c */
gboolean hub_method_grant_credits(TgTollgateIf *iface, GPtrArray **_return,
                                  const gchar *sessionId, const gchar *gatewayId,
                                  const GPtrArray *requests, TgTollgateException **err,
                                  GError **error);
gboolean hub_method_report_credits(TgTollgateIf *iface, const gchar *sessionId,
                                   const gchar *gatewayId, const GPtrArray *reports,
                                   const gchar *batchId, TgTollgateException **err,
                                   GError **error);
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
