/*
 * plugin_loader: open DIR/NAME.so, find `tollgate_plugin`, check its ABI.
 *
 * Names are restricted to [A-Za-z0-9_-] so a configured name can never walk
 * out of plugin_dir. Modules are opened with G_MODULE_BIND_LOCAL: a plugin
 * sees the gateway's exported tg_request_* accessors (the binary links with
 * --export-dynamic) but not other plugins' symbols.
 */
#include "gateway_error.h"
#include "plugin_loader.h"

#include <string.h>

static gboolean name_is_safe(const char *name) {
  if (!name || !*name || strlen(name) > 64) return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-') return FALSE;
  return TRUE;
}

const TgPlugin *plugin_loader_open(const char *dir, const char *name, GModule **module,
                                   GError **error) {
  *module = NULL;
  if (!name_is_safe(name)) {
    g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_INVALID,
                "plugin %s: invalid name (letters, digits, '_' and '-' only)", name);
    return NULL;
  }
  if (!dir || !*dir) {
    g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_NOT_FOUND,
                "plugin %s: not a built-in plugin and [gateway] plugin_dir is not set", name);
    return NULL;
  }
  g_autofree char *file = g_strdup_printf("%s.so", name);
  g_autofree char *path = g_build_filename(dir, file, NULL);
  if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
    g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_NOT_FOUND,
                "plugin %s: not a built-in plugin and %s does not exist", name, path);
    return NULL;
  }
  GModule *m = g_module_open(path, G_MODULE_BIND_LOCAL | G_MODULE_BIND_LAZY);
  if (!m) {
    g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED, "plugin %s: cannot load %s: %s",
                name, path, g_module_error());
    return NULL;
  }
  gpointer sym = NULL;
  if (!g_module_symbol(m, "tollgate_plugin", &sym) || !sym) {
    g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED,
                "plugin %s: %s does not export tollgate_plugin", name, path);
    g_module_close(m);
    return NULL;
  }
  const TgPlugin *plugin = sym;
  if (plugin->abi_version != TG_PLUGIN_ABI_VERSION) {
    g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED,
                "plugin %s: ABI version %d, gateway expects %d", name, plugin->abi_version,
                TG_PLUGIN_ABI_VERSION);
    g_module_close(m);
    return NULL;
  }
  *module = m;
  return plugin;
}
