/*
 * portal_config: the portal's settings, read from [portal] and [hubs] of its
 * INI file. Every key and its default live in one table (portal_config.c), which
 * both the reader and --print-config walk, so a default is written once.
 */
#ifndef PORTAL_CONFIG_H
#define PORTAL_CONFIG_H

#include <glib.h>

#include "tg_config.h"

typedef struct PortalConfig {
  char *bind;
  int port; /* 9443 + port_offset */
  int port_offset;
  int threads;
  char *tls_cert, *tls_key;
  char *public_url;        /* what the portal prints and puts in links; "" https://bind:port */
  int session_idle_s;      /* 1800 */
  int session_absolute_s;  /* 43200 */
  int bearer_ttl_s;        /* /api/auth/token lifetime, 3600 */
  int max_sessions;        /* sessions cached in memory at most */
  int session_cache_ms;    /* how long a hub's "this session is live" is trusted, 1000 */
  int max_body;            /* request body limit, bytes */
  int upload_max_body;     /* the same for ROUTE_UPLOAD routes */
  gboolean signup_default; /* self sign-up when the hub has no setting */
  char **gateway_urls;     /* the API gateways' base URLs, shown and used by try-it */
  char *token_url;         /* the hubs' /token URL for the snippets */
  char *log_level;
  /* [hubs] */
  char **hubs; /* host:port list, failover in order */
  gboolean hub_tls;
  char *hub_ca_file;
  int hub_timeout_ms;
  int hub_login_timeout_ms;
} PortalConfig;

PortalConfig *portal_config_load(TgConfig *cfg, GError **error);
void portal_config_free(PortalConfig *pc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PortalConfig, portal_config_free)

/* The effective configuration as an INI file (defaults filled in), for --print-config. */
char *portal_config_print(TgConfig *cfg);

#endif
