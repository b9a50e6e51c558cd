/*
 * builtin: the plugins compiled into tollgate-gateway, in one static table
 * (as nginx's ngx_modules): adding a built-in is a file in plugins/ that
 * includes this header and defines its TgPlugin, and a line here and in
 * builtin.c. Each plugin file includes this header, so a definition that
 * drifts from its declaration fails to build.
 */
#ifndef TG_GATEWAY_BUILTIN_H
#define TG_GATEWAY_BUILTIN_H

#include "plugin.h"

extern const TgPlugin tg_plugin_key_auth;
extern const TgPlugin tg_plugin_throttle;
extern const TgPlugin tg_plugin_cors;
extern const TgPlugin tg_plugin_headers;
extern const TgPlugin tg_plugin_usage;

/* The built-in plugin whose TgPlugin.name is name, or NULL. */
const TgPlugin *builtin_plugin(const char *name);

#endif
