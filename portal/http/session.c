/*
 * session: the cache of hub-checked sessions (session.h), keyed by the SHA-256 of the id (so a
 * memory dump shows no usable id) behind one mutex. Full: stale entries go first, then all.
 */
#include "session.h"

#include <string.h>

#include "tg_crypto.h"

typedef struct {
  Session *s;
  gint64 at_us;
} Entry;

struct SessionCache {
  GMutex lock;
  GHashTable *by_hash; /* hex SHA-256 of id -> Entry* */
  gint64 ttl_us;
  guint max;
};

Session *session_new(void) { return g_new0(Session, 1); }

void session_free(Session *s) {
  if (!s) return;
  g_free(s->handle);
  g_free(s->user);
  if (s->hub_session) memset(s->hub_session, 0, strlen(s->hub_session));
  g_free(s->hub_session);
  g_free(s->csrf);
  g_free(s);
}

Session *session_copy(const Session *s) {
  Session *c = g_memdup2(s, sizeof *s);
  c->handle = g_strdup(s->handle);
  c->user = g_strdup(s->user);
  c->hub_session = g_strdup(s->hub_session);
  c->csrf = g_strdup(s->csrf);
  return c;
}

static void entry_free(Entry *e) {
  session_free(e->s);
  g_free(e);
}

SessionCache *session_cache_new(int ttl_ms, int max) {
  SessionCache *c = g_new0(SessionCache, 1);
  g_mutex_init(&c->lock);
  c->by_hash = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)entry_free);
  c->ttl_us = (gint64)MAX(ttl_ms, 0) * 1000;
  c->max = (guint)MAX(max, 1);
  return c;
}

void session_cache_free(SessionCache *c) {
  if (!c) return;
  g_hash_table_destroy(c->by_hash);
  g_mutex_clear(&c->lock);
  g_free(c);
}

static gboolean fresh(const SessionCache *c, const Entry *e, gint64 now_us) {
  return now_us - e->at_us < c->ttl_us && now_us >= e->at_us;
}

Session *session_cache_get(SessionCache *c, const char *id, gint64 now_us) {
  if (!id || c->ttl_us == 0) return NULL;
  g_autofree char *hash = tg_sha256_hex_str(id);
  Session *copy = NULL;
  g_mutex_lock(&c->lock);
  Entry *e = g_hash_table_lookup(c->by_hash, hash);
  if (e && fresh(c, e, now_us))
    copy = session_copy(e->s);
  else if (e)
    g_hash_table_remove(c->by_hash, hash);
  g_mutex_unlock(&c->lock);
  return copy;
}

static guint sweep_locked(SessionCache *c, gint64 now_us) {
  GHashTableIter it;
  gpointer v;
  guint n = 0;
  g_hash_table_iter_init(&it, c->by_hash);
  while (g_hash_table_iter_next(&it, NULL, &v))
    if (!fresh(c, v, now_us)) {
      g_hash_table_iter_remove(&it);
      n++;
    }
  return n;
}

void session_cache_put(SessionCache *c, const char *id, const Session *s, gint64 now_us) {
  if (!id || c->ttl_us == 0) return;
  Entry *e = g_new(Entry, 1);
  e->s = session_copy(s);
  e->at_us = now_us;
  g_mutex_lock(&c->lock);
  if (g_hash_table_size(c->by_hash) >= c->max) sweep_locked(c, now_us);
  if (g_hash_table_size(c->by_hash) >= c->max) g_hash_table_remove_all(c->by_hash);
  g_hash_table_replace(c->by_hash, tg_sha256_hex_str(id), e);
  g_mutex_unlock(&c->lock);
}

void session_cache_forget(SessionCache *c, const char *id) {
  if (!id) return;
  g_autofree char *hash = tg_sha256_hex_str(id);
  g_mutex_lock(&c->lock);
  g_hash_table_remove(c->by_hash, hash);
  g_mutex_unlock(&c->lock);
}

void session_cache_forget_user(SessionCache *c, const char *user, const char *keep_id) {
  g_autofree char *keep = keep_id ? tg_sha256_hex_str(keep_id) : NULL;
  GHashTableIter it;
  gpointer k, v;
  g_mutex_lock(&c->lock);
  g_hash_table_iter_init(&it, c->by_hash);
  while (g_hash_table_iter_next(&it, &k, &v))
    if (!g_strcmp0(((Entry *)v)->s->user, user) && g_strcmp0(k, keep) != 0)
      g_hash_table_iter_remove(&it);
  g_mutex_unlock(&c->lock);
}

guint session_cache_sweep(SessionCache *c, gint64 now_us) {
  g_mutex_lock(&c->lock);
  guint n = sweep_locked(c, now_us);
  g_mutex_unlock(&c->lock);
  return n;
}

guint session_cache_count(SessionCache *c) {
  g_mutex_lock(&c->lock);
  guint n = g_hash_table_size(c->by_hash);
  g_mutex_unlock(&c->lock);
  return n;
}
