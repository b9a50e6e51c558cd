/*
 * store_catalog: the catalogue's hub reads, shared with the JSON API.
 */
#ifndef PORTAL_STORE_CATALOG_H
#define PORTAL_STORE_CATALOG_H

#include "http/request.h"
#include "hub_conn.h"

/* searchApis with the request's session; *page owned by the caller. */
gboolean catalog_search(PortalReq *r, const char *query, const char *cursor, int limit,
                        TgApiPage **page, HubErr *he);
/* getPublicApi; *api owned by the caller. */
gboolean catalog_get_api(PortalReq *r, const char *context, const char *version, TgApi **api,
                         HubErr *he);
/* The tier names a subscriber may pick for api (GPtrArray of strings). */
GPtrArray *catalog_tiers(PortalReq *r, TgApi *api);

#endif
