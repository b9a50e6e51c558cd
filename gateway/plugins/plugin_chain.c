/*
 * plugin_chain: resolves plugin names (the built-in table first, then
 * plugin_dir/NAME.so), initialises them and walks phases.
 */
#include "gateway_error.h"
#include "plugin_chain.h"

#include <gmodule.h>
#include <string.h>

#include "builtin.h"
#include "plugin_loader.h"

typedef struct {
  const TgPlugin *plugin;
  void *state;
  char *name;
} ChainEntry;

struct PluginChain {
  GArray *entries;    /* ChainEntry */
  gboolean borrowed;  /* a subset: states belong to the base chain */
  GPtrArray *modules; /* GModule *, closed at free */
};

static void module_close(gpointer m) { g_module_close(m); }

static const ChainEntry *find_entry(const PluginChain *chain, const char *name) {
  for (guint i = 0; i < chain->entries->len; i++) {
    const ChainEntry *e = &g_array_index(chain->entries, ChainEntry, i);
    if (!strcmp(e->name, name)) return e;
  }
  return NULL;
}

void plugin_chain_free(PluginChain *chain) {
  if (!chain) return;
  for (guint i = chain->entries->len; i > 0; i--) {
    ChainEntry *e = &g_array_index(chain->entries, ChainEntry, i - 1);
    if (!chain->borrowed && e->plugin->destroy && e->state) e->plugin->destroy(e->state);
    g_free(e->name);
  }
  g_array_unref(chain->entries);
  g_ptr_array_unref(chain->modules);
  g_free(chain);
}

static const TgPlugin *resolve(PluginChain *chain, const char *name, const char *plugin_dir,
                               GError **error) {
  const TgPlugin *p = builtin_plugin(name);
  if (p) return p;
  GModule *module = NULL;
  p = plugin_loader_open(plugin_dir, name, &module, error);
  if (p) {
    g_ptr_array_add(chain->modules, module);
    g_message("plugin %s: loaded from %s", name, plugin_dir);
  }
  return p;
}

static gboolean add_plugin(PluginChain *chain, TgPluginHost *host, TgConfig *cfg, const char *name,
                           const char *plugin_dir, GError **error) {
  if (find_entry(chain, name)) {
    g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED,
                "%s: [gateway] plugins: %s listed twice", tg_config_path(cfg), name);
    return FALSE;
  }
  const TgPlugin *p = resolve(chain, name, plugin_dir, error);
  if (!p) return FALSE;
  ChainEntry e = {p, NULL, g_strdup(name)};
  if (p->init) {
    g_autofree char *group = g_strdup_printf("plugin.%s", name);
    g_autoptr(GError) local = NULL;
    e.state = p->init(host, cfg, group, &local);
    if (local) {
      g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED, "plugin %s: %s", name,
                  local->message);
      g_free(e.name);
      return FALSE;
    }
  }
  g_array_append_val(chain->entries, e);
  return TRUE;
}

PluginChain *plugin_chain_new(TgPluginHost *host, TgConfig *cfg, char **names,
                              const char *plugin_dir, GError **error) {
  PluginChain *chain = g_new0(PluginChain, 1);
  chain->entries = g_array_new(FALSE, FALSE, sizeof(ChainEntry));
  chain->modules = g_ptr_array_new_with_free_func(module_close);
  for (char **n = names; n && *n; n++) {
    if (!add_plugin(chain, host, cfg, *n, plugin_dir, error)) {
      plugin_chain_free(chain);
      return NULL;
    }
  }
  return chain;
}

PluginChain *plugin_chain_subset(const PluginChain *base, char **names, const char *what,
                                 GError **error) {
  PluginChain *chain = g_new0(PluginChain, 1);
  chain->entries = g_array_new(FALSE, FALSE, sizeof(ChainEntry));
  chain->modules = g_ptr_array_new();
  chain->borrowed = TRUE;
  for (char **n = names; n && *n; n++) {
    const ChainEntry *e = find_entry(base, *n);
    if (!e || find_entry(chain, *n)) {
      g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED,
                  e ? "%s: %s listed twice" : "%s: %s is not in [gateway] plugins", what, *n);
      plugin_chain_free(chain);
      return NULL;
    }
    ChainEntry copy = {e->plugin, e->state, g_strdup(e->name)};
    g_array_append_val(chain->entries, copy);
  }
  return chain;
}

guint plugin_chain_length(const PluginChain *chain) { return chain->entries->len; }

const char *plugin_chain_name(const PluginChain *chain, guint i) {
  return g_array_index(chain->entries, ChainEntry, i).name;
}

int plugin_chain_index_of(const PluginChain *chain, const TgPlugin *plugin) {
  for (guint i = 0; i < chain->entries->len; i++)
    if (g_array_index(chain->entries, ChainEntry, i).plugin == plugin) return (int)i;
  return -1;
}

TgPluginStatus plugin_chain_access(PluginChain *chain, TgRequest *req, guint *next) {
  for (; *next < chain->entries->len; (*next)++) {
    ChainEntry *e = &g_array_index(chain->entries, ChainEntry, *next);
    if (!e->plugin->access) continue;
    TgPluginStatus st = e->plugin->access(e->state, req);
    if (st == TG_PLUGIN_AGAIN) return st;
    if (st == TG_PLUGIN_DONE) {
      (*next)++;
      return st;
    }
  }
  return TG_PLUGIN_CONTINUE;
}

TgPluginStatus plugin_chain_before_upstream(PluginChain *chain, TgRequest *req) {
  for (guint i = 0; i < chain->entries->len; i++) {
    ChainEntry *e = &g_array_index(chain->entries, ChainEntry, i);
    if (e->plugin->before_upstream && e->plugin->before_upstream(e->state, req) == TG_PLUGIN_DONE)
      return TG_PLUGIN_DONE;
  }
  return TG_PLUGIN_CONTINUE;
}

void plugin_chain_response_headers(PluginChain *chain, TgRequest *req) {
  for (guint i = 0; i < chain->entries->len; i++) {
    ChainEntry *e = &g_array_index(chain->entries, ChainEntry, i);
    if (e->plugin->response_headers) e->plugin->response_headers(e->state, req);
  }
}

void plugin_chain_log(PluginChain *chain, TgRequest *req) {
  for (guint i = 0; i < chain->entries->len; i++) {
    ChainEntry *e = &g_array_index(chain->entries, ChainEntry, i);
    if (e->plugin->log) e->plugin->log(e->state, req);
  }
}
