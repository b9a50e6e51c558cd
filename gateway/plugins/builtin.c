/*
 * builtin: the table of built-in plugins (see builtin.h), searched by name
 * once per configured plugin at start-up.
 */
#include "builtin.h"

#include <string.h>

static const TgPlugin *const builtin_plugins[] = {
    &tg_plugin_key_auth, &tg_plugin_throttle, &tg_plugin_cors, &tg_plugin_headers, &tg_plugin_usage,
};

const TgPlugin *builtin_plugin(const char *name) {
  for (gsize i = 0; i < G_N_ELEMENTS(builtin_plugins); i++)
    if (!strcmp(builtin_plugins[i]->name, name)) return builtin_plugins[i];
  return NULL;
}
