/*
 * store_account: login and session helpers other modules share (the JSON
 * API's /api/auth/token, re-authentication before sensitive actions).
 */
#ifndef PORTAL_STORE_ACCOUNT_H
#define PORTAL_STORE_ACCOUNT_H

#include "http/request.h"
#include "hub_conn.h"

/* Logs user in at a hub; *hub_session (caller frees) on success. A refusal is 401. */
gboolean account_hub_login(PortalReq *r, const char *user, const char *password, char **hub_session,
                           HubErr *he);
/* A portal session for that hub session; returns its id (caller frees). */
char *account_start_session(PortalReq *r, SessionKind kind, const char *hub_session, int ttl_s,
                            GError **error);
/* Checks the "password" argument against the session's user (the hub's
   verifyPassword, behind its failure limiter). FALSE with he set (401) when wrong or missing. */
gboolean account_reauth(PortalReq *r, HubErr *he);
/* TRUE when self sign-up is on: the hub's signup_enabled setting, else [portal] signup_default. */
gboolean account_signup_open(PortalReq *r);
/* Logs out each hub session in list (those of portal sessions just ended). */
void account_hub_logout_all(PortalReq *r, GPtrArray *hub_sessions);
/* Self sign-up (hub signUp); FALSE with he set. */
gboolean account_signup(PortalReq *r, const char *user, const char *password, HubErr *he);

#endif
