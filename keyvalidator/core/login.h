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

#endif
