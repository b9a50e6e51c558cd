/*
 * router: the portal's static route tables. A route is {method, path pattern, handler, roles,
 * flags}; page modules each export one table and main.c lists them. Trade-off: exact paths or
 * a "*" prefix only, no general patterns. The server enforces roles, CSRF and the error format
 * before a handler runs. Details: docs/HACKING.md.
 */
#ifndef PORTAL_ROUTER_H
#define PORTAL_ROUTER_H

#include <glib.h>

typedef struct PortalReq PortalReq;
typedef void (*RouteHandler)(PortalReq *r);

#define ROUTE_LOGGED_IN (1u << 16)

enum {
  ROUTE_API = 1 << 0,         /* JSON answers and errors; bearer tokens accepted */
  ROUTE_PRE_SESSION = 1 << 1, /* a form used before login: CSRF by the pre-session cookie */
  ROUTE_NO_CSRF = 1 << 2, /* a POST that changes nothing a cookie could abuse (/api/auth/token) */
  ROUTE_UPLOAD = 1 << 3,  /* takes multipart/form-data (files) and a body of any other type */
};

typedef struct Route {
  const char *method; /* GET, POST, DELETE, PUT, PATCH */
  const char *pattern;
  RouteHandler handler;
  guint roles;
  guint flags;
} Route;

typedef struct RouteTable {
  const Route *routes;
  guint n;
} RouteTable;

typedef enum { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD } RouteMatch;

/* Finds the route for method and path across tables (first match wins; HEAD
   matches GET). *rest: the part matched by a trailing '*', else "". */
RouteMatch router_find(const RouteTable *tables, guint ntables, const char *method,
                       const char *path, const Route **out, const char **rest);

/* TRUE when a user holding roles may use the route. */
gboolean router_roles_allow(const Route *route, gboolean logged_in, guint roles);

#endif
