/*
 * ttl_cache.c: see ttl_cache.h. Trade-off: emptying a full shard
 * instead of exact LRU keeps every operation O(1) under one short lock; a
 * narrow eviction scans (changes are rare next to lookups), so no second index.
 */
#include "config.h"

#include "ttl_cache.h"

#include "tg_hash.h"

#define SHARDS 16

typedef struct {
  gpointer value;
  gint64 expires_us;
} Entry;

typedef struct {
  GMutex lock;
  GHashTable *map; /* key -> Entry */
} Shard;

struct TtlCache {
  Shard shards[SHARDS];
  gint generation; /* bumped by every clear (atomic) */
  guint per_shard;
  gint64 ttl_us;
  GCopyFunc ref;
  GDestroyNotify unref;
};

static void entry_free(gpointer p, GDestroyNotify unref) {
  Entry *e = p;
  unref(e->value);
  g_free(e);
}

static Shard *shard_of(TtlCache *c, const char *key) {
  return &c->shards[(tg_str_hash(key) >> 24) % SHARDS]; /* bits the map's index uses least */
}

static void shard_remove_all(TtlCache *c, Shard *s) {
  GHashTableIter it;
  gpointer v;
  g_hash_table_iter_init(&it, s->map);
  while (g_hash_table_iter_next(&it, NULL, &v)) {
    entry_free(v, c->unref);
    g_hash_table_iter_remove(&it); /* frees the key; the table owns no values */
  }
}

TtlCache *ttl_cache_new(guint max_entries, gint64 ttl_us, GCopyFunc ref, GDestroyNotify unref) {
  TtlCache *c = g_new0(TtlCache, 1);
  c->per_shard = MAX(max_entries / SHARDS, 1);
  c->ttl_us = ttl_us;
  c->ref = ref;
  c->unref = unref;
  for (guint i = 0; i < SHARDS; i++) {
    g_mutex_init(&c->shards[i].lock);
    c->shards[i].map = g_hash_table_new_full(tg_str_hash, g_str_equal, g_free, NULL);
  }
  return c;
}

void ttl_cache_free(TtlCache *c) {
  if (c == NULL) return;
  for (guint i = 0; i < SHARDS; i++) {
    shard_remove_all(c, &c->shards[i]);
    g_hash_table_destroy(c->shards[i].map);
    g_mutex_clear(&c->shards[i].lock);
  }
  g_free(c);
}

gpointer ttl_cache_get(TtlCache *c, const char *key, gint64 now_us) {
  Shard *s = shard_of(c, key);
  gpointer out = NULL;
  g_mutex_lock(&s->lock);
  Entry *e = g_hash_table_lookup(s->map, key);
  if (e != NULL && e->expires_us > now_us)
    out = c->ref(e->value, NULL);
  else if (e != NULL) {
    entry_free(e, c->unref);
    g_hash_table_remove(s->map, key);
  }
  g_mutex_unlock(&s->lock);
  return out;
}

guint ttl_cache_generation(TtlCache *c) { return (guint)g_atomic_int_get(&c->generation); }

void ttl_cache_put(TtlCache *c, const char *key, gpointer value, gint64 now_us, gint64 expires_us,
                   guint generation) {
  Shard *s = shard_of(c, key);
  g_mutex_lock(&s->lock);
  if (generation != ttl_cache_generation(c)) {
    g_mutex_unlock(&s->lock);
    c->unref(value); /* read before a clear: may be stale */
    return;
  }
  Entry *e = g_new(Entry, 1);
  e->value = value;
  e->expires_us = MIN(now_us + c->ttl_us, expires_us);
  if (g_hash_table_size(s->map) >= c->per_shard) shard_remove_all(c, s);
  Entry *old = g_hash_table_lookup(s->map, key);
  if (old != NULL) entry_free(old, c->unref);
  g_hash_table_insert(s->map, g_strdup(key), e); /* replaces the old entry, frees new key */
  g_mutex_unlock(&s->lock);
}

void ttl_cache_clear(TtlCache *c) {
  if (c != NULL) g_atomic_int_inc(&c->generation); /* first: a put racing the clear is refused */
  for (guint i = 0; c && i < SHARDS; i++) {
    g_mutex_lock(&c->shards[i].lock);
    shard_remove_all(c, &c->shards[i]);
    g_mutex_unlock(&c->shards[i].lock);
  }
}

guint ttl_cache_evict(TtlCache *c, TtlCacheMatch match, gpointer data) {
  guint n = 0;
  if (c == NULL) return 0;
  g_atomic_int_inc(&c->generation); /* first, as in clear */
  for (guint i = 0; i < SHARDS; i++) {
    Shard *s = &c->shards[i];
    GHashTableIter it;
    gpointer key, v;
    g_mutex_lock(&s->lock);
    g_hash_table_iter_init(&it, s->map);
    while (g_hash_table_iter_next(&it, &key, &v)) {
      if (!match(key, ((Entry *)v)->value, data)) continue;
      entry_free(v, c->unref);
      g_hash_table_iter_remove(&it);
      n++;
    }
    g_mutex_unlock(&s->lock);
  }
  return n;
}

guint validation_cache_size(TtlCache *c) {
  guint n = 0;
  for (guint i = 0; i < SHARDS; i++) {
    g_mutex_lock(&c->shards[i].lock);
    n += g_hash_table_size(c->shards[i].map);
    g_mutex_unlock(&c->shards[i].lock);
  }
  return n;
}
