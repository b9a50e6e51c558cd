/*
 * router: maps a request (method, path) to an API and one of its resources, by the one
 * matcher and order of common/tg_uri_template.h (the hub's validateKey picks the same one).
 * Trade-off: the table is an immutable, reference-counted snapshot swapped under a short
 * lock, so routing never waits for an update. Design notes: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_ROUTER_H
#define TG_GATEWAY_ROUTER_H

#include <glib.h>

#include "endpoint.h"
#include "plugin.h"

typedef struct Router Router;
typedef struct RouterSnapshot RouterSnapshot;

typedef enum {
  ROUTE_OK = 0,
  ROUTE_NO_API,         /* no API serves this path: 404 */
  ROUTE_NO_RESOURCE,    /* the API has no resource for this path and verb: 900906 */
  ROUTE_BLOCKED,        /* the API is BLOCKED: 900907 */
  ROUTE_METHOD_UNKNOWN, /* a method neither RFC 9110 nor any resource of the API names: 501 */
} RouteResult;

typedef struct RouteMatch {
  TgRoute route;                       /* strings owned by the snapshot or by this match */
  const Endpoint *production_endpoint; /* never NULL; url "" when none */
  const Endpoint *sandbox_endpoint;
  gboolean preflight;  /* a CORS preflight routed by router_match_preflight */
  const char *api_key; /* "context:version" of the matched API */
  char *resource_path_owned;
  RouterSnapshot *snapshot;
} RouteMatch;

Router *router_new(void);
void router_free(Router *router);

/* Replaces the whole table with apis (TgApi * elements; copied). APIs whose
   status is not PUBLISHED, DEPRECATED or BLOCKED are left out. */
void router_load(Router *router, GPtrArray *apis);
/* Upserts by context+version; an API whose status is not PUBLISHED,
   DEPRECATED or BLOCKED is removed. */
void router_update(Router *router, GPtrArray *apis);
guint router_api_count(Router *router);

/* Routes method + path (no query). out is filled for ROUTE_OK and
   ROUTE_BLOCKED (route.api_name etc.) and, for ROUTE_NO_RESOURCE, with the
   API's fields; always call route_match_clear afterwards. */
RouteResult router_match(Router *router, const char *method, const char *path, RouteMatch *out);
/* A CORS preflight (OPTIONS with Origin and Access-Control-Request-Method): the
   resource serving path under any verb, routed with auth type None and
   preflight set, never proxied (the cors plugin answers it). */
RouteResult router_match_preflight(Router *router, const char *path, RouteMatch *out);
void route_match_clear(RouteMatch *match);

#endif
