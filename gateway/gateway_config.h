/*
 * gateway_config: the [gateway] group, read once at start-up into a plain
 * struct. A bad value fails with "FILE: [gateway] key: reason".
 */
#ifndef TG_GATEWAY_CONFIG_H
#define TG_GATEWAY_CONFIG_H

#include <glib.h>
#include <sys/time.h>

#include "tg_config.h"

typedef struct GatewayConfig {
  char *id;
  char *bind;
  int http_port, https_port, admin_port; /* port_offset already added */
  int port_offset;
  char *tls_cert, *tls_key;
  char *admin_bind;      /* the admin listener's address: loopback unless admin_token */
  char *admin_token;     /* "": none (then admin_bind must be a loopback address) */
  char *upstream_ca;     /* CA file for HTTPS backends; "": the system trust store */
  int threads;           /* resolved: 0 in the file means one per core */
  guint64 max_body_size; /* 0: unlimited */
  guint64 max_header_size;
  int upstream_connect_timeout_ms;
  int upstream_read_timeout_ms;
  int upstream_keepalive; /* idle backend connections kept per backend and thread */
  int client_timeout_ms;  /* headers must arrive within this; idle keep-alive limit */
  char **plugins;
  GHashTable *api_plugins; /* "CONTEXT:VERSION" -> char ** from [api CONTEXT:VERSION] */
  char *plugin_dir;        /* "" when unset */
  char *log_level;
  gboolean escaped_slashes_keep; /* escaped_slashes = keep: %2F, %5C routed (still encoded) */
  gboolean
      underscores_in_headers_keep; /* underscores_in_headers = keep: names with '_' forwarded */
} GatewayConfig;

GatewayConfig *gateway_config_load(TgConfig *cfg, GError **error);
/* Every key of the gateway's file with its default and a one-line comment, as a
   configuration file (--print-config; the samples and the launcher start from it). */
char *gateway_config_defaults(void);
/* The default of one key (any group of the file), or NULL when there is none. */
const char *gateway_config_default(const char *group, const char *key);

/* A *_ms setting as the timeval libevent takes. */
static inline struct timeval gateway_ms_timeval(int ms) {
  return (struct timeval){ms / 1000, (ms % 1000) * 1000};
}
void gateway_config_free(GatewayConfig *gc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GatewayConfig, gateway_config_free)

#endif
