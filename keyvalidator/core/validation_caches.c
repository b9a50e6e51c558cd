/*
 * validation_caches.c: the validation facts and API caches (validation_caches.h): entry
 * lifetimes and narrow evictions, so one tenant's churn does not empty the cache for every
 * other. Trade-off: evictions scan the cache (ttl_cache_evict); changes are rare.
 */
#include "config.h"

#include <string.h>

#include "store_tokens.h"
#include "validation_caches.h"

static gpointer api_ref(gconstpointer p, gpointer unused) { return g_object_ref((gpointer)p); }

TtlCache *hub_api_cache_new(guint max_entries, gint64 ttl_us) {
  return ttl_cache_new(max_entries, ttl_us, api_ref, g_object_unref);
}

static void cached_facts_clear(gpointer p) {
  CachedFacts *c = p;
  g_clear_pointer(&c->token, g_ptr_array_unref);
  g_clear_object(&c->api);
  g_clear_pointer(&c->authorized_dto, g_bytes_unref);
}

static gpointer cached_facts_ref(gconstpointer p, gpointer unused) {
  return g_atomic_rc_box_acquire((gpointer)p);
}

void hub_cached_facts_unref(gpointer p) { g_atomic_rc_box_release_full(p, cached_facts_clear); }

TtlCache *hub_facts_cache_new(guint max_entries, gint64 ttl_us) {
  return ttl_cache_new(max_entries, ttl_us, cached_facts_ref, hub_cached_facts_unref);
}

/* ---- narrow evictions ---- */

typedef struct {
  const char *token_hash; /* NULL: any */
  const char *app_id;     /* NULL: any */
  const char *api;        /* "context\nversion"; NULL: any */
} FactsMatch;

/* key = hash "\n" context "\n" version (facts_key) */
static gboolean facts_match(const char *key, gconstpointer value, gpointer data) {
  const FactsMatch *m = data;
  const CachedFacts *c = value;
  const char *nl = strchr(key, '\n');
  if (nl == NULL) return TRUE; /* not ours: drop it rather than keep something unexplained */
  if (m->token_hash &&
      (strncmp(key, m->token_hash, (gsize)(nl - key)) != 0 || m->token_hash[nl - key] != '\0'))
    return FALSE;
  if (m->api && strcmp(nl + 1, m->api) != 0) return FALSE;
  if (m->app_id) {
    char **t = c->token && c->token->len ? g_ptr_array_index(c->token, 0) : NULL;
    return t != NULL && g_strcmp0(t[TF_APPID], m->app_id) == 0;
  }
  return TRUE;
}

guint hub_facts_cache_evict_token(TtlCache *facts, const char *token_hash) {
  FactsMatch m = {.token_hash = token_hash ? token_hash : ""};
  return ttl_cache_evict(facts, facts_match, &m);
}

guint hub_facts_cache_evict_application(TtlCache *facts, const char *app_id, const char *context,
                                        const char *version) {
  g_autofree char *api = context ? g_strconcat(context, "\n", version, NULL) : NULL;
  FactsMatch m = {.app_id = app_id ? app_id : "", .api = api};
  return ttl_cache_evict(facts, facts_match, &m);
}

guint hub_facts_cache_evict_api(TtlCache *facts, const char *context, const char *version) {
  g_autofree char *api = g_strconcat(context, "\n", version, NULL);
  FactsMatch m = {.api = api};
  return ttl_cache_evict(facts, facts_match, &m);
}

static gboolean key_is(const char *key, gconstpointer value, gpointer data) {
  return strcmp(key, data) == 0;
}

void hub_api_cache_evict(TtlCache *apis, const char *context, const char *version) {
  g_autofree char *key = g_strconcat(context, "\n", version, NULL);
  ttl_cache_evict(apis, key_is, key);
}
