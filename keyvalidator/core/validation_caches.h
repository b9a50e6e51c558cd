/*
 * validation_caches.h: the Hub's two validation caches (validation facts by token hash,
 * context and version; API definitions by context and version): their entries, builders
 * and narrow evictors. The core owns and evicts them; validate_key.c fills and reads them.
 */
#ifndef TOLLGATE_HUB_VALIDATION_CACHES_H
#define TOLLGATE_HUB_VALIDATION_CACHES_H

#include <glib.h>

#include "tg_tollgate_types.h"
#include "ttl_cache.h"

/* One facts cache entry (an atomic rc box): the token statement's rows and the API. */
typedef struct {
  GPtrArray *token;
  TgApi *api;
  GBytes *authorized_dto; /* hub_validate_cached: the authorized answer, encoded (atomic) */
} CachedFacts;

/* Drops one reference to a CachedFacts (from ttl_cache_get, or a new one). */
void hub_cached_facts_unref(gpointer p);
TtlCache *hub_facts_cache_new(guint max_entries, gint64 ttl_us);
TtlCache *hub_api_cache_new(guint max_entries, gint64 ttl_us);
/* Narrow evictions of the facts cache (key = hash "\n" context "\n" version); each returns how
   many entries went. By token (SHA-256 hex); by application (id as text; context NULL: every
   API, else only that API's entries); by API (facts of every token for it). */
guint hub_facts_cache_evict_token(TtlCache *facts, const char *token_hash);
guint hub_facts_cache_evict_application(TtlCache *facts, const char *app_id, const char *context,
                                        const char *version);
guint hub_facts_cache_evict_api(TtlCache *facts, const char *context, const char *version);
void hub_api_cache_evict(TtlCache *apis, const char *context, const char *version);

#endif
