/*
 * plugin_loader: external plugins, DIR/NAME.so files exporting
 * `const TgPlugin tollgate_plugin`, opened with GModule.
 *
 * A module whose abi_version differs from TG_PLUGIN_ABI_VERSION is refused
 * ("plugin NAME: ABI version X, gateway expects Y") and closed again.
 */
#ifndef TG_GATEWAY_PLUGIN_LOADER_H
#define TG_GATEWAY_PLUGIN_LOADER_H

#include <gmodule.h>

#include "plugin.h"

/* Loads dir/name.so. On success *module owns the library (g_module_close at
   exit) and the returned plugin lives as long as it. */
const TgPlugin *plugin_loader_open(const char *dir, const char *name, GModule **module,
                                   GError **error);

#endif
