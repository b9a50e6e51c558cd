/*
 * store_subs: an application's subscriptions (list, subscribe, unsubscribe),
 * the hub calls the application pages, the key pages' snippets and the JSON
 * API share; below store_apps and store_keys so neither includes the other.
 */
#ifndef PORTAL_STORE_SUBS_H
#define PORTAL_STORE_SUBS_H

#include "http/request.h"
#include "hub_conn.h"

gboolean apps_subscriptions(PortalReq *r, const char *app, GPtrArray **subs, HubErr *he);
gboolean apps_subscribe(PortalReq *r, const char *app, const char *context, const char *version,
                        const char *tier, TgSubscription **sub, HubErr *he);
gboolean apps_unsubscribe(PortalReq *r, const char *app, const char *context, const char *version,
                          HubErr *he);

#endif
