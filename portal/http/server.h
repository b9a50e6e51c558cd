/*
 * server: the portal's HTTPS listener on libevhtp. Requests run on evhtp's
 * worker threads (handlers may block on a hub call there); the server parses
 * the request, sets the security headers, finds the route, resolves the
 * session, enforces roles and CSRF, then calls the handler (router.h).
 */
#ifndef PORTAL_SERVER_H
#define PORTAL_SERVER_H

#include <event2/event.h>
#include <glib.h>

typedef struct Portal Portal;
typedef struct PortalServer PortalServer;

PortalServer *portal_server_new(Portal *portal, struct event_base *base, GError **error);
void portal_server_stop_accepting(PortalServer *s);
void portal_server_free(PortalServer *s);

#endif
