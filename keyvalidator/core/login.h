/*
 * login: every password check of the hub (Thrift authenticate, which
 * /thriftAuthenticator also reaches, and the /token password grant) in one
 * place: the name rule, the failure limiter, the database check, and the
 * delay the caller's answer must wait, which the network side schedules.
 */
#ifndef TOLLGATE_HUB_LOGIN_H
#define TOLLGATE_HUB_LOGIN_H

#include "hub_internal.h"

typedef enum {
  HUB_LOGIN_OK,
  HUB_LOGIN_DENIED,      /* bad name or password (one message for both) */
  HUB_LOGIN_LOCKED,      /* too many attempts: refused without a check until the cool-down */
  HUB_LOGIN_UNAVAILABLE, /* the database failed (error set) */
} HubLoginResult;

/* Checks user/password for the client of the call this thread runs (hub.h: hub_call_begin);
   roles (may be NULL) gets the user's roles on success. A failure adds its delay to this
   thread's call (hub_call_end). */
void hub_login_describe_metrics(TgMetrics *metrics);

HubLoginResult hub_login(Hub *hub, const char *user, const char *password, guint *roles,
                         GError **error);

/* hub_login counted against address (the end client a caller such as the portal speaks
   for: authenticateFrom, signUp) instead of the peer's. */
HubLoginResult hub_login_from(Hub *hub, const char *user, const char *password, const char *address,
                              guint *roles, GError **error);

/* signUp through the same limiter, per address only: begin FALSE when the address is
   locked out; end with good FALSE (a refused sign-up) counts a failure and delays the
   answer; cancel when the database, not the client, failed. */
gboolean hub_signup_begin(Hub *hub, const char *address);
void hub_signup_end(Hub *hub, const char *address, gboolean good);
void hub_signup_cancel(Hub *hub, const char *address);

/* The address of the client of the call this thread runs ("" unknown). */
const char *hub_call_address(void);

#endif
