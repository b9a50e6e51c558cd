/*
 * store_account: login and session helpers other modules share (the JSON
 * API's /api/auth/token, re-authentication before sensitive actions).
 */
#ifndef PORTAL_STORE_ACCOUNT_H
#define PORTAL_STORE_ACCOUNT_H

#include "http/request.h"
#include "hub_conn.h"

/* Checks the "password" argument against the session's user (the hub's
   verifyPassword, behind its failure limiter). FALSE with he set (401) when wrong or missing. */
gboolean account_reauth(PortalReq *r, HubErr *he);
/* TRUE when self sign-up is on: the hub's signup_enabled setting, else [portal] signup_default. */
gboolean account_signup_open(PortalReq *r);
/* Self sign-up (hub signUp); FALSE with he set. */
gboolean account_signup(PortalReq *r, const char *user, const char *password, HubErr *he);

#endif
