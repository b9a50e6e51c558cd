/*
 * plugin_chain: the configured plugins, in order, with their state, and the
 * walkers that run one phase over them for a request.
 *
 * Names resolve to the built-in table first (builtin.h: key_auth, throttle,
 * cors, headers, usage), then to plugin_dir/NAME.so.
 */
#ifndef TG_GATEWAY_PLUGIN_CHAIN_H
#define TG_GATEWAY_PLUGIN_CHAIN_H

#include "plugin.h"
#include "tg_config.h"

typedef struct PluginChain PluginChain;

PluginChain *plugin_chain_new(TgPluginHost *host, TgConfig *cfg, char **names,
                              const char *plugin_dir, GError **error);
/* A chain of some of base's plugins in another order (an API's own order):
   the same plugin states, owned by base, which must outlive it. A name not in
   base is an error naming what (e.g. "[api /ctx:1.0.0] plugins"). */
PluginChain *plugin_chain_subset(const PluginChain *base, char **names, const char *what,
                                 GError **error);
void plugin_chain_free(PluginChain *chain);

guint plugin_chain_length(const PluginChain *chain);
/* Position of plugin in the chain, -1 if it is not in it. */
int plugin_chain_index_of(const PluginChain *chain, const TgPlugin *plugin);
const char *plugin_chain_name(const PluginChain *chain, guint i);

/* Runs access from plugin *next on. On TG_PLUGIN_AGAIN, *next is the plugin
   that paused (call again after resume); otherwise it is past the end. */
TgPluginStatus plugin_chain_access(PluginChain *chain, TgRequest *req, guint *next);
TgPluginStatus plugin_chain_before_upstream(PluginChain *chain, TgRequest *req);
void plugin_chain_response_headers(PluginChain *chain, TgRequest *req);
void plugin_chain_log(PluginChain *chain, TgRequest *req);

#endif
