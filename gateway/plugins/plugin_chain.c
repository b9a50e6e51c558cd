/*
 * plugin_chain: resolves plugin names, initialises them and walks phases.
 *
 * The hub side's plugins (key_auth, throttle, usage) are referenced weakly so the
 * server side builds and runs on its own; when their objects are linked in
 * they are used as any other built-in. A missing one is a named hook point
 * that is skipped with one log line at start-up.
 */
#include "gateway_error.h"
#include "plugin_chain.h"

#include <gmodule.h>
#include <string.h>

#include "plugin_loader.h"

extern const TgPlugin tg_plugin_cors;
extern const TgPlugin tg_plugin_headers;
extern const TgPlugin tg_plugin_key_auth __attribute__((weak));
extern const TgPlugin tg_plugin_usage __attribute__((weak));
extern const TgPlugin tg_plugin_throttle __attribute__((weak));

typedef struct {
  const char *name;
  const TgPlugin *plugin; /* NULL: a hook point with nothing installed */
} BuiltinEntry;

typedef struct {
  const TgPlugin *plugin;
  void *state;
  char *name;
} ChainEntry;

struct PluginChain {
  GArray *entries;  /* ChainEntry */
  gboolean borrowed; /* a subset: states belong to the base chain */
  GPtrArray *modules; /* GModule *, closed at free */
};

const TgPlugin *plugin_chain_builtin(const char *name, gboolean *hook_point) {
  const BuiltinEntry table[] = {
      {"key_auth", &tg_plugin_key_auth ? &tg_plugin_key_auth : NULL},
      {"throttle", &tg_plugin_throttle ? &tg_plugin_throttle : NULL},
      {"cors", &tg_plugin_cors},
      {"headers", &tg_plugin_headers},
      {"usage", &tg_plugin_usage ? &tg_plugin_usage : NULL},
  };
  *hook_point = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS(table); i++) {
    if (strcmp(table[i].name, name) != 0) continue;
    *hook_point = table[i].plugin == NULL;
    return table[i].plugin;
  }
  return NULL;
}

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
                               gboolean *skip, GError **error) {
  gboolean hook_point = FALSE;
  const TgPlugin *p = plugin_chain_builtin(name, &hook_point);
  *skip = FALSE;
  if (p) return p;
  if (hook_point) {
    g_message("%s: no plugin installed", name);
    *skip = TRUE;
    return NULL;
  }
  GModule *module = NULL;
  p = plugin_loader_open(plugin_dir, name, &module, error);
  if (p) {
    g_ptr_array_add(chain->modules, module);
    g_message("plugin %s: loaded from %s", name, plugin_dir);
  }
  return p;
}

static gboolean add_plugin(PluginChain *chain, TgPluginHost *host, TgConfig *cfg,
                           const char *name, const char *plugin_dir, GError **error) {
  if (find_entry(chain, name)) {
    g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED, "%s: [gateway] plugins: %s listed twice",
                tg_config_path(cfg), name);
    return FALSE;
  }
  gboolean skip = FALSE;
  const TgPlugin *p = resolve(chain, name, plugin_dir, &skip, error);
  if (skip) return TRUE;
  if (!p) return FALSE;
  ChainEntry e = {p, NULL, g_strdup(name)};
  if (p->init) {
    g_autofree char *group = g_strdup_printf("plugin.%s", name);
    g_autoptr(GError) local = NULL;
    e.state = p->init(host, cfg, group, &local);
    if (local) {
      g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED, "plugin %s: %s", name, local->message);
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
    gboolean hook_point = FALSE;
    const ChainEntry *e = find_entry(base, *n);
    if (!e && plugin_chain_builtin(*n, &hook_point) == NULL && hook_point) continue;
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
