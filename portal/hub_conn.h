/*
 * hub_conn: the portal's calls to its hubs, with failover: each worker thread keeps one
 * connection per hub (no login: every call carries the user's hub session). A failed hub is
 * marked down for a moment, so a dead hub costs one timeout, not one per request. he.code is
 * the hub's code, 503 when no hub answered. Usage (HUB_CALL): docs/HACKING.md.
 */
#ifndef PORTAL_HUB_CONN_H
#define PORTAL_HUB_CONN_H

#include <glib-object.h>

#include "portal_config.h"
#include "tg_tollgate.h"

typedef struct PortalHub PortalHub;

/* g_autoptr for the Thrift structs the portal holds. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgApi, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgApiPage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgApplication, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgApplicationPage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgSubscription, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgKeySet, g_object_unref)

typedef struct HubErr {
  int code; /* 0: success */
  char *message;
} HubErr;

PortalHub *portal_hub_new(const PortalConfig *pc, GError **error);
void portal_hub_free(PortalHub *h);
void hub_err_clear(HubErr *he);

typedef struct HubAttempt {
  PortalHub *hub;
  guint tries;
  guint idx;
  gboolean started, ok;
  gboolean retried; /* the call was made again on a new connection to this hub */
  TgTollgateIf *iface;
  GObject *exc;
  GError *error;
} HubAttempt;

/* Loop driver of HUB_CALL: TRUE when the call should be (re)made. */
gboolean hub_attempt_next(HubAttempt *a, HubErr *he);

#define HUB_CALL(hub_, he_, call_) \
  for (HubAttempt _a = {.hub = (hub_)}; hub_attempt_next(&_a, (he_));) _a.ok = (call_)
#define HUB_IF  (_a.iface)
#define HUB_EXC ((void *)&_a.exc)
#define HUB_ERR (&_a.error)

/* The user and roles a hub session id carries (base64url payload before '.').
   The hub checks the signature on every call; the portal only reads these to
   draw navigation and to refuse early. FALSE when malformed. */
gboolean hub_session_identity(const char *session_id, char **user, guint *roles);

/* How many hubs are believed up, of how many, for /health (no addresses: the
   portal's port is public). */
void portal_hub_health(PortalHub *h, guint *up, guint *total);

#endif
