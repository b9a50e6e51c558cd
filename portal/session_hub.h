/*
 * session_hub: the portal's sessions as the hubs keep them (issue 15): a login makes one
 * (portalLogin), each request checks its id through the short cache (http/session.h) or a hub
 * (portalSessionCheck), and "my sessions" lists and ends them (listMySessions, endMySessions)
 * across every portal. The portal keeps nothing else, so a restart logs nobody out.
 */
#ifndef PORTAL_SESSION_HUB_H
#define PORTAL_SESSION_HUB_H

#include "http/request.h"
#include "hub_conn.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgPortalSession, g_object_unref)

/* The live session of kind with that id into *out (caller frees): 0; 401 when the hubs refuse
   it (unknown, ended, idle, too old) or it is of the other kind; 503 when no hub answered. */
int session_hub_resolve(PortalReq *r, const char *id, SessionKind kind, Session **out);
/* Logs user in at a hub and starts a session of kind with the portal's limits; the id (caller
   frees: the cookie or bearer token) or NULL with he set (401 a wrong name or password). */
char *session_hub_login(PortalReq *r, const char *user, const char *password, SessionKind kind,
                        HubErr *he);
/* Ends the request's own session at the hubs and here (logout). */
void session_hub_logout(PortalReq *r);
/* The user's live sessions (TgPortalSession*, newest first) or NULL with he set. */
GPtrArray *session_hub_list(PortalReq *r, HubErr *he);
/* Ends the user's session named by handle, or every other one (handle NULL or ""); how many
   ended, -1 with he set. */
int session_hub_end(PortalReq *r, const char *handle, HubErr *he);

#endif
