/*
 * admin: the gateway's admin listener (admin_port, plain HTTP on the main
 * loop): GET /health and GET /metrics, on admin_bind; with a token, only
 * for requests that carry it as a Bearer token.
 */
#ifndef TG_GATEWAY_ADMIN_H
#define TG_GATEWAY_ADMIN_H

#include <event2/event.h>
#include <glib.h>

#include "gateway_host.h"

typedef struct Admin Admin;

/* token: NULL or "" for none. */
Admin *admin_start(TgPluginHost *host, struct event_base *base, const char *bind, int port,
                   const char *token, GError **error);
void admin_stop(Admin *admin);

#endif
