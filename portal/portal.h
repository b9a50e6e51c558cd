/*
 * portal: what every handler can reach through req->portal: the settings,
 * the session cache and the hub connections. Wired once by main.c.
 */
#ifndef PORTAL_PORTAL_H
#define PORTAL_PORTAL_H

#include "hub_conn.h"
#include "http/router.h"
#include "http/session.h"
#include "portal_config.h"

struct Portal {
  PortalConfig *cfg;
  SessionCache *session_cache; /* a short memory of the hubs' answers (session_hub.h) */
  PortalHub *hub;
  const RouteTable *tables;
  guint ntables;
  char *origin; /* https://bind:port, or public_url */
};

#endif
