/*
 * headers: the built-in header-editing plugin ([plugin.headers]): add_request,
 * remove_request, add_response, remove_response; removals run before additions. Trade-off:
 * values cannot contain commas (the list separator), for a one-line configuration.
 * Options: docs/HACKING.md.
 */
#include <string.h>

#include "gateway_error.h"
#include "builtin.h"
#include "gateway_host.h"
#include "plugin.h"
#include "tg_config.h"

typedef struct {
  GPtrArray *add_request, *add_response; /* "Name", "value", ... */
  char **remove_request, **remove_response;
} Headers;

static const char *const headers_keys[] = {"add_request", "remove_request", "add_response",
                                           "remove_response", NULL};

static GPtrArray *parse_additions(TgConfig *cfg, const char *group, const char *key,
                                  GError **error) {
  g_auto(GStrv) items = tg_config_list(cfg, group, key);
  GPtrArray *pairs = g_ptr_array_new_with_free_func(g_free);
  for (char **it = items; *it; it++) {
    char *colon = strchr(*it, ':');
    if (!colon || colon == *it) {
      g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_INVALID,
                  "%s: [%s] %s: '%s' is not 'Name: value'", tg_config_path(cfg), group, key, *it);
      g_ptr_array_unref(pairs);
      return NULL;
    }
    *colon = '\0';
    g_ptr_array_add(pairs, g_strdup(g_strstrip(*it)));
    g_ptr_array_add(pairs, g_strdup(g_strstrip(colon + 1)));
  }
  return pairs;
}

static void headers_destroy(void *state) {
  Headers *h = state;
  if (h->add_request) g_ptr_array_unref(h->add_request);
  if (h->add_response) g_ptr_array_unref(h->add_response);
  g_strfreev(h->remove_request);
  g_strfreev(h->remove_response);
  g_free(h);
}

static void *headers_init(TgPluginHost *host, TgConfig *cfg, const char *group, GError **error) {
  if (!tg_config_check_keys(cfg, group, headers_keys, error)) return NULL;
  Headers *h = g_new0(Headers, 1);
  h->remove_request = tg_config_list(cfg, group, "remove_request");
  h->remove_response = tg_config_list(cfg, group, "remove_response");
  h->add_request = parse_additions(cfg, group, "add_request", error);
  if (h->add_request) h->add_response = parse_additions(cfg, group, "add_response", error);
  if (!h->add_request || !h->add_response) {
    headers_destroy(h);
    return NULL;
  }
  return h;
}

static TgPluginStatus headers_before_upstream(void *state, TgRequest *req) {
  Headers *h = state;
  for (char **r = h->remove_request; *r; r++) tg_request_remove_header(req, *r);
  for (guint i = 0; i + 1 < h->add_request->len; i += 2)
    tg_request_set_header(req, g_ptr_array_index(h->add_request, i),
                          g_ptr_array_index(h->add_request, i + 1));
  return TG_PLUGIN_CONTINUE;
}

static void headers_response_headers(void *state, TgRequest *req) {
  Headers *h = state;
  for (char **r = h->remove_response; *r; r++) tg_request_remove_response_header(req, *r);
  for (guint i = 0; i + 1 < h->add_response->len; i += 2)
    tg_request_set_response_header(req, g_ptr_array_index(h->add_response, i),
                                   g_ptr_array_index(h->add_response, i + 1));
}

const TgPlugin tg_plugin_headers = {
    .abi_version = TG_PLUGIN_ABI_VERSION,
    .name = "headers",
    .init = headers_init,
    .destroy = headers_destroy,
    .before_upstream = headers_before_upstream,
    .response_headers = headers_response_headers,
};
