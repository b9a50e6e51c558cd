/*
 * store_apps: applications and subscriptions, the hub calls shared by the
 * pages (store_apps.c) and the JSON API (api_store.c).
 */
#ifndef PORTAL_STORE_APPS_H
#define PORTAL_STORE_APPS_H

#include "http/request.h"
#include "hub_conn.h"

/* The caller's applications (listApplications, owner ""). */
gboolean apps_list(PortalReq *r, GPtrArray **apps, HubErr *he);
/* One keyset page of the caller's applications (listApplicationsPage); *page owned by the caller.
 */
gboolean apps_page(PortalReq *r, const char *cursor, int limit, TgApplicationPage **page,
                   HubErr *he);
/* One of the caller's applications by name; 404 when it is not theirs. */
gboolean apps_get(PortalReq *r, const char *name, TgApplication **app, HubErr *he);
/* Fills an Application from the request's arguments (name, tier, callbackUrl,
   allowedDomains, description). */
TgApplication *apps_from_request(PortalReq *r, const char *name);
gboolean apps_create(PortalReq *r, TgApplication *in, TgApplication **out, HubErr *he);
gboolean apps_update(PortalReq *r, TgApplication *in, TgApplication **out, HubErr *he);
gboolean apps_delete(PortalReq *r, const char *name, HubErr *he);
/* Tier names of a level (APPLICATION, SUBSCRIPTION). */
GPtrArray *apps_tier_names(PortalReq *r, const char *level);

#endif
