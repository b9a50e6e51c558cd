/*
 * ttl_cache.h: a bounded, sharded, TTL map from a string key to a shared
 * immutable value. 16 shards, each a mutex + GHashTable, so
 * the many connection threads rarely contend. A full shard is emptied (coarse
 * eviction, not LRU). Values are handed out with a reference (copy_ref).
 * A change drops only the entries it affects (ttl_cache_evict scans).
 * Used for validateKey facts and for API definitions (validate_key.c).
 */
#ifndef TOLLGATE_HUB_TTL_CACHE_H
#define TOLLGATE_HUB_TTL_CACHE_H

#include <glib.h>

typedef struct TtlCache TtlCache;

TtlCache *ttl_cache_new(guint max_entries, gint64 ttl_us, GCopyFunc ref, GDestroyNotify unref);
void ttl_cache_free(TtlCache *c);
/* A new reference to the live value of key, or NULL. */
gpointer ttl_cache_get(TtlCache *c, const char *key, gint64 now_us);
/* The clear count. Read it before loading a value and hand it to put: a value
   loaded while a clear happened is dropped instead of cached, so a change that
   committed and cleared during the load cannot be undone by a stale put. */
guint ttl_cache_generation(TtlCache *c);
/* Stores value (takes the reference) until now_us + ttl or expires_us, the earlier,
   unless the cache was cleared since generation was read (then value is released). */
void ttl_cache_put(TtlCache *c, const char *key, gpointer value, gint64 now_us, gint64 expires_us,
                   guint generation);
void ttl_cache_clear(TtlCache *c);
/* Whether an entry goes (ttl_cache_evict); value is the cached one, borrowed. */
typedef gboolean (*TtlCacheMatch)(const char *key, gconstpointer value, gpointer data);
/* Removes the entries match says yes to, one shard lock at a time, and returns how many.
   Counts as a clear for puts (generation bumped first): a value loaded before the change
   is not stored, whichever key it has, while every other cached entry stays. */
guint ttl_cache_evict(TtlCache *c, TtlCacheMatch match, gpointer data);
guint validation_cache_size(TtlCache *c);

#endif
