/*
 * gateway_host.h: what a plugin's init() receives as its TgPluginHost.
 *
 * Opaque to external plugins (plugin.h only names the type); built-in
 * plugins and the hub side include this header to reach the configuration,
 * the router, the metrics registry and the hub side's state.
 */
#ifndef TG_GATEWAY_HOST_H
#define TG_GATEWAY_HOST_H

#include "plugin.h"
#include "tg_config.h"
#include "tg_metrics.h"

struct Router;
struct HubSide;

struct TgPluginHost {
  const char *gateway_id;
  TgConfig *cfg;
  struct Router *router;
  TgMetrics *metrics;
  struct HubSide *hubside;
};

#endif
