/*
 * token_cache: sharded LRU cache of validation answers with single flight (see
 * token_cache.h). Trade-off: eviction by token, application or API scans the shards (rare),
 * so the hot lookups keep no secondary index. Design notes: docs/HACKING.md.
 */
#include "token_cache.h"

#include <string.h>

#include "scratch.h"
#include "tg_hash.h"
#include "tg_strpack.h"

#define TOKEN_CACHE_SHARDS 16

typedef struct {
  TokenCacheWaiter fn;
  void *data;
} Waiter;

/* A key string with its hash, found once per lookup (for the shard and the
   table both): hashing the ~120-byte key twice showed in every request. */
typedef struct {
  guint hash;
  const char *str;
} CacheKey;

typedef struct {
  CacheKey key; /* first: the table's key is &entry->key; str is owned */
  char *token_hash;
  char *api; /* "context:version" */
  gboolean pending;
  gboolean invalidated;   /* evicted while pending: deliver but do not store */
  GArray *waiters;        /* Waiter, pending only */
  TokenValidation *value; /* ready only */
  gint64 expires_ms;
  GList *lru; /* link in the shard's queue, ready only */
} Entry;

typedef struct {
  GMutex lock;
  GHashTable *entries;
  GQueue lru;
} Shard;

struct TokenCache {
  Shard shards[TOKEN_CACHE_SHARDS];
  guint shard_capacity;
  gint64 negative_ttl_ms;
  gint64 max_ttl_ms;
};

/* One block (tg_strpack): eight string copies each way showed in the
   gateway's allocation profile. A cache hit takes a reference, no copy. */
TokenValidation *token_validation_copy(const TokenValidation *v) {
  const char *src[] = {v->key_type,         v->subscriber,       v->application_id,
                       v->application_name, v->application_tier, v->subscription_tier,
                       v->consumer_key,     v->end_user};
  char *s[G_N_ELEMENTS(src)];
  TokenValidation *c = tg_strpack(sizeof *c, src, G_N_ELEMENTS(src), s);
  *c = *v;
  c->key_type = s[0];
  c->subscriber = s[1];
  c->application_id = s[2];
  c->application_name = s[3];
  c->application_tier = s[4];
  c->subscription_tier = s[5];
  c->consumer_key = s[6];
  c->end_user = s[7];
  c->refcount = 1;
  return c;
}

TokenValidation *token_validation_ref(TokenValidation *v) {
  g_atomic_int_inc(&v->refcount);
  return v;
}

void token_validation_free(TokenValidation *v) {
  if (v && g_atomic_int_dec_and_test(&v->refcount)) g_free(v);
}

static void entry_free(gpointer p) {
  Entry *e = p;
  g_free((char *)e->key.str);
  g_free(e->token_hash);
  g_free(e->api);
  if (e->waiters) g_array_unref(e->waiters);
  token_validation_free(e->value);
  g_free(e);
}

static guint cache_key_hash(gconstpointer p) { return ((const CacheKey *)p)->hash; }

static gboolean cache_key_equal(gconstpointer a, gconstpointer b) {
  const CacheKey *x = a, *y = b;
  return x->hash == y->hash && strcmp(x->str, y->str) == 0;
}

static GPrivate key_buffer = SCRATCH_STRING_INIT;

/* The key of k in this thread's buffer: valid until the thread's next call. */
static CacheKey key_of(const TokenCacheKey *k) {
  GString *b = scratch_string(&key_buffer);
  const char *parts[] = {k->token_hash,   k->context, k->version,
                         k->uri_template, k->verb,    k->client_domain};
  scratch_join(b, parts, G_N_ELEMENTS(parts), '\x1f');
  return (CacheKey){tg_hash_bytes(b->str, b->len), b->str};
}

static char *api_string(const char *context, const char *version) {
  return g_strconcat(context ? context : "", ":", version ? version : "", NULL);
}

static Shard *shard_for(TokenCache *cache, const CacheKey *key) {
  return &cache->shards[key->hash % TOKEN_CACHE_SHARDS];
}

TokenCache *token_cache_new(guint capacity, guint negative_ttl_s, guint max_ttl_s) {
  TokenCache *cache = g_new0(TokenCache, 1);
  cache->shard_capacity = MAX(1u, capacity / TOKEN_CACHE_SHARDS);
  cache->negative_ttl_ms = (gint64)negative_ttl_s * 1000;
  cache->max_ttl_ms = (gint64)max_ttl_s * 1000;
  for (int i = 0; i < TOKEN_CACHE_SHARDS; i++) {
    g_mutex_init(&cache->shards[i].lock);
    cache->shards[i].entries =
        g_hash_table_new_full(cache_key_hash, cache_key_equal, NULL, entry_free);
    g_queue_init(&cache->shards[i].lru);
  }
  return cache;
}

void token_cache_free(TokenCache *cache) {
  if (!cache) return;
  for (int i = 0; i < TOKEN_CACHE_SHARDS; i++) {
    g_queue_clear(&cache->shards[i].lru);
    g_hash_table_destroy(cache->shards[i].entries);
    g_mutex_clear(&cache->shards[i].lock);
  }
  g_free(cache);
}

/* Removes e from its shard (lock held). */
static void shard_remove(Shard *s, Entry *e) {
  if (e->lru) g_queue_delete_link(&s->lru, e->lru);
  e->lru = NULL;
  g_hash_table_remove(s->entries, &e->key);
}

static Entry *entry_new_pending(const TokenCacheKey *key, const CacheKey *ckey) {
  Entry *e = g_new0(Entry, 1);
  e->key = (CacheKey){ckey->hash, g_strdup(ckey->str)};
  e->token_hash = g_strdup(key->token_hash ? key->token_hash : "");
  e->api = api_string(key->context, key->version);
  e->pending = TRUE;
  e->waiters = g_array_new(FALSE, FALSE, sizeof(Waiter));
  return e;
}

TokenCacheLookup token_cache_lookup(TokenCache *cache, const TokenCacheKey *key, gint64 now_ms,
                                    TokenValidation **out, TokenCacheWaiter waiter,
                                    void *waiter_data) {
  CacheKey ckey = key_of(key);
  Shard *s = shard_for(cache, &ckey);
  TokenCacheLookup result;
  g_mutex_lock(&s->lock);
  Entry *e = g_hash_table_lookup(s->entries, &ckey);
  if (e && !e->pending && e->expires_ms <= now_ms) {
    shard_remove(s, e);
    e = NULL;
  }
  if (e && e->pending) {
    Waiter w = {waiter, waiter_data};
    g_array_append_val(e->waiters, w);
    result = TOKEN_CACHE_WAITING;
  } else if (e) {
    g_queue_unlink(&s->lru, e->lru);
    g_queue_push_head_link(&s->lru, e->lru);
    *out = token_validation_ref(e->value); /* no copy per hit: the answer is immutable */
    result = TOKEN_CACHE_HIT;
  } else {
    e = entry_new_pending(key, &ckey);
    g_hash_table_insert(s->entries, &e->key, e);
    result = TOKEN_CACHE_LEADER;
  }
  g_mutex_unlock(&s->lock);
  return result;
}

static gint64 entry_expiry(TokenCache *cache, const TokenValidation *v, gint64 now_ms) {
  if (!v->authorized) return now_ms + cache->negative_ttl_ms;
  gint64 expiry = now_ms + cache->max_ttl_ms;
  if (v->token_expiry_ms > 0 && v->token_expiry_ms < expiry) expiry = v->token_expiry_ms;
  return expiry;
}

/* Makes room for one more ready entry (lock held): drops the least recent. */
static void shard_trim(TokenCache *cache, Shard *s) {
  while (g_queue_get_length(&s->lru) >= cache->shard_capacity) {
    Entry *old = g_queue_peek_tail(&s->lru);
    shard_remove(s, old);
  }
}

/* Turns the pending entry into a ready one, or drops it (lock held). */
static void settle_entry(TokenCache *cache, Shard *s, Entry *e, const TokenValidation *v,
                         gint64 now_ms) {
  gint64 expiry = v ? entry_expiry(cache, v, now_ms) : 0;
  if (!v || e->invalidated || expiry <= now_ms) {
    shard_remove(s, e);
    return;
  }
  shard_trim(cache, s);
  e->pending = FALSE;
  e->value = token_validation_copy(v);
  e->expires_ms = expiry;
  g_queue_push_head(&s->lru, e);
  e->lru = s->lru.head;
}

void token_cache_complete(TokenCache *cache, const TokenCacheKey *key, const TokenValidation *v,
                          gint64 now_ms) {
  CacheKey ckey = key_of(key);
  Shard *s = shard_for(cache, &ckey);
  GArray *waiters = NULL;
  g_mutex_lock(&s->lock);
  Entry *e = g_hash_table_lookup(s->entries, &ckey);
  if (e && e->pending) {
    waiters = e->waiters;
    e->waiters = NULL;
    settle_entry(cache, s, e, v, now_ms);
  }
  g_mutex_unlock(&s->lock);
  if (!waiters) return;
  for (guint i = 0; i < waiters->len; i++) {
    Waiter *w = &g_array_index(waiters, Waiter, i);
    w->fn(w->data, v);
  }
  g_array_unref(waiters);
}

typedef gboolean (*EntryMatch)(const Entry *e, const void *what);

static gboolean match_token(const Entry *e, const void *what) {
  return strcmp(e->token_hash, what) == 0;
}
static gboolean match_api(const Entry *e, const void *what) { return strcmp(e->api, what) == 0; }
static gboolean match_all(const Entry *e, const void *what) { return TRUE; }
/* An answer about application what; a refusal that names no application may be one (a
   pending entry is matched in any case: whose it is is not known yet). */
static gboolean match_application(const Entry *e, const void *what) {
  const TokenValidation *v = e->value;
  if (v == NULL) return TRUE;
  if (v->application_id == NULL || *v->application_id == '\0') return !v->authorized;
  return strcmp(v->application_id, what) == 0;
}

static guint evict_matching(TokenCache *cache, EntryMatch match, const void *what) {
  guint evicted = 0;
  for (int i = 0; i < TOKEN_CACHE_SHARDS; i++) {
    Shard *s = &cache->shards[i];
    g_mutex_lock(&s->lock);
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, s->entries);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
      Entry *e = value;
      if (!match(e, what)) continue;
      if (e->pending) {
        e->invalidated = TRUE;
        continue;
      }
      if (e->lru) g_queue_delete_link(&s->lru, e->lru);
      e->lru = NULL;
      g_hash_table_iter_remove(&it);
      evicted++;
    }
    g_mutex_unlock(&s->lock);
  }
  return evicted;
}

guint token_cache_evict_token(TokenCache *cache, const char *token_hash) {
  return evict_matching(cache, match_token, token_hash ? token_hash : "");
}

guint token_cache_evict_api(TokenCache *cache, const char *context, const char *version) {
  g_autofree char *api = api_string(context, version);
  return evict_matching(cache, match_api, api);
}

guint token_cache_evict_application(TokenCache *cache, const char *application_id) {
  return evict_matching(cache, match_application, application_id ? application_id : "");
}

typedef struct {
  const char *application_id, *api;
} AppApi;

static gboolean match_application_api(const Entry *e, const void *what) {
  const AppApi *m = what;
  return strcmp(e->api, m->api) == 0 && match_application(e, m->application_id);
}

guint token_cache_evict_application_api(TokenCache *cache, const char *application_id,
                                        const char *context, const char *version) {
  g_autofree char *api = api_string(context, version);
  AppApi m = {application_id ? application_id : "", api};
  return evict_matching(cache, match_application_api, &m);
}

guint token_cache_flush(TokenCache *cache) { return evict_matching(cache, match_all, NULL); }

guint token_cache_size(TokenCache *cache) {
  guint n = 0;
  for (int i = 0; i < TOKEN_CACHE_SHARDS; i++) {
    g_mutex_lock(&cache->shards[i].lock);
    n += g_queue_get_length(&cache->shards[i].lru);
    g_mutex_unlock(&cache->shards[i].lock);
  }
  return n;
}
