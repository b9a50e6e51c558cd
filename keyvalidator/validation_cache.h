/*
 * validation_cache.h: a bounded, sharded, TTL map from a string key to a shared
 * immutable value (validateKey facts). 16 shards, each a mutex + GHashTable, so
 * the many connection threads rarely contend. A full shard is emptied (coarse
 * eviction, not LRU). Values are handed out with a reference (copy_ref).
 */
#ifndef TOLLGATE_HUB_VALIDATION_CACHE_H
#define TOLLGATE_HUB_VALIDATION_CACHE_H

#include <glib.h>

typedef struct ValidationCache ValidationCache;

ValidationCache *validation_cache_new(guint max_entries, gint64 ttl_us, GCopyFunc ref,
                                      GDestroyNotify unref);
void validation_cache_free(ValidationCache *c);
/* A new reference to the live value of key, or NULL. */
gpointer validation_cache_get(ValidationCache *c, const char *key, gint64 now_us);
/* Stores value (takes the reference) until now_us + ttl or expires_us, the earlier. */
void validation_cache_put(ValidationCache *c, const char *key, gpointer value, gint64 now_us,
                          gint64 expires_us);
void validation_cache_clear(ValidationCache *c);
guint validation_cache_size(ValidationCache *c);

#endif
