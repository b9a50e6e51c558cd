/*
 * session: in-memory sessions keyed by SHA-256(id) behind one mutex
 * (session.h). The store is small and every operation is O(1) except listing
 * a user's sessions and the sweep, which walk the table (rare: a page view of
 * "my sessions", once a minute). When max_sessions is reached the sweep runs
 * first, then the least recently used session goes.
 */
#include "session.h"

#include <string.h>

#include "tg_crypto.h"

struct SessionStore {
  GMutex lock;
  GHashTable *by_hash; /* hex SHA-256 of id -> Session* */
  int idle_s, absolute_s, max;
};

SessionStore *session_store_new(int idle_s, int absolute_s, int max_sessions) {
  SessionStore *st = g_new0(SessionStore, 1);
  g_mutex_init(&st->lock);
  st->by_hash =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)session_free);
  st->idle_s = idle_s;
  st->absolute_s = absolute_s;
  st->max = max_sessions;
  return st;
}

void session_store_free(SessionStore *st) {
  if (!st) return;
  g_hash_table_destroy(st->by_hash);
  g_mutex_clear(&st->lock);
  g_free(st);
}

void session_free(Session *s) {
  if (!s) return;
  g_free(s->handle);
  g_free(s->user);
  if (s->hub_session) memset(s->hub_session, 0, strlen(s->hub_session));
  g_free(s->hub_session);
  g_free(s->csrf);
  g_free(s->client);
  g_free(s->agent);
  g_free(s->flash);
  g_free(s);
}

static Session *session_copy(const Session *s) {
  Session *c = g_memdup2(s, sizeof *s);
  c->handle = g_strdup(s->handle);
  c->user = g_strdup(s->user);
  c->hub_session = g_strdup(s->hub_session);
  c->csrf = g_strdup(s->csrf);
  c->client = g_strdup(s->client);
  c->agent = g_strdup(s->agent);
  c->flash = g_strdup(s->flash);
  return c;
}

static char *id_hash(const char *id) { return tg_sha256_hex_str(id); }

/* The absolute deadline is kept in s->expires' companion: created + lifetime. */
static gint64 absolute_end(SessionStore *st, const Session *s) {
  return s->kind == SESSION_BEARER ? s->expires : s->created + st->absolute_s;
}

static gboolean expired(SessionStore *st, const Session *s, gint64 now) {
  if (now >= absolute_end(st, s)) return TRUE;
  return s->kind == SESSION_COOKIE && now >= s->last_seen + st->idle_s;
}

static void set_expiry(SessionStore *st, Session *s) {
  if (s->kind == SESSION_COOKIE) s->expires = MIN(s->last_seen + st->idle_s, absolute_end(st, s));
}

static guint sweep_locked(SessionStore *st, gint64 now) {
  GHashTableIter it;
  gpointer v;
  guint n = 0;
  g_hash_table_iter_init(&it, st->by_hash);
  while (g_hash_table_iter_next(&it, NULL, &v))
    if (expired(st, v, now)) {
      g_hash_table_iter_remove(&it);
      n++;
    }
  return n;
}

static void evict_lru_locked(SessionStore *st) {
  GHashTableIter it;
  gpointer k, v, oldest = NULL;
  gint64 at = G_MAXINT64;
  g_hash_table_iter_init(&it, st->by_hash);
  while (g_hash_table_iter_next(&it, &k, &v))
    if (((Session *)v)->last_seen < at) {
      at = ((Session *)v)->last_seen;
      oldest = k;
    }
  if (oldest) g_hash_table_remove(st->by_hash, oldest);
}

static char *insert_locked(SessionStore *st, Session *s) {
  if (g_hash_table_size(st->by_hash) >= (guint)st->max) sweep_locked(st, s->last_seen);
  while (g_hash_table_size(st->by_hash) >= (guint)st->max) evict_lru_locked(st);
  char *id = tg_random_hex(32);
  char *hash = id_hash(id);
  g_free(s->handle);
  s->handle = g_strndup(hash, 16);
  g_free(s->csrf);
  s->csrf = tg_random_hex(24);
  g_hash_table_insert(st->by_hash, hash, s);
  return id;
}

char *session_create(SessionStore *st, SessionKind kind, const char *user, guint roles,
                     const char *hub_session, const char *client, const char *agent, int ttl_s,
                     gint64 now) {
  Session *s = g_new0(Session, 1);
  s->kind = kind;
  s->user = g_strdup(user);
  s->roles = roles;
  s->hub_session = g_strdup(hub_session);
  s->client = g_strdup(client ? client : "");
  s->agent = g_strndup(agent ? agent : "", 200);
  s->created = s->last_seen = now;
  s->expires = now + (ttl_s > 0 ? ttl_s : st->absolute_s);
  set_expiry(st, s);
  g_mutex_lock(&st->lock);
  char *id = insert_locked(st, s);
  g_mutex_unlock(&st->lock);
  return id;
}

Session *session_lookup(SessionStore *st, const char *id, gint64 now) {
  if (!id || strlen(id) != 64) return NULL;
  g_autofree char *hash = id_hash(id);
  Session *copy = NULL;
  g_mutex_lock(&st->lock);
  Session *s = g_hash_table_lookup(st->by_hash, hash);
  if (s && expired(st, s, now)) {
    g_hash_table_remove(st->by_hash, hash);
  } else if (s) {
    s->last_seen = now;
    set_expiry(st, s);
    copy = session_copy(s);
  }
  g_mutex_unlock(&st->lock);
  return copy;
}

void session_end(SessionStore *st, const char *id) {
  if (!id) return;
  g_autofree char *hash = id_hash(id);
  g_mutex_lock(&st->lock);
  g_hash_table_remove(st->by_hash, hash);
  g_mutex_unlock(&st->lock);
}

char *session_rotate(SessionStore *st, const char *id, guint roles, const char *hub_session,
                     gint64 now) {
  if (!id) return NULL;
  g_autofree char *hash = id_hash(id);
  char *new_id = NULL;
  g_mutex_lock(&st->lock);
  gpointer key = NULL, val = NULL;
  if (g_hash_table_steal_extended(st->by_hash, hash, &key, &val)) {
    g_free(key);
    Session *s = val;
    s->roles = roles;
    if (hub_session) {
      g_free(s->hub_session);
      s->hub_session = g_strdup(hub_session);
    }
    s->last_seen = now;
    set_expiry(st, s);
    new_id = insert_locked(st, s);
  }
  g_mutex_unlock(&st->lock);
  return new_id;
}

void session_set_flash(SessionStore *st, const char *id, const char *text) {
  if (!id) return;
  g_autofree char *hash = id_hash(id);
  g_mutex_lock(&st->lock);
  Session *s = g_hash_table_lookup(st->by_hash, hash);
  if (s) {
    g_free(s->flash);
    s->flash = g_strdup(text);
  }
  g_mutex_unlock(&st->lock);
}

char *session_take_flash(SessionStore *st, const char *id) {
  if (!id) return NULL;
  g_autofree char *hash = id_hash(id);
  char *text = NULL;
  g_mutex_lock(&st->lock);
  Session *s = g_hash_table_lookup(st->by_hash, hash);
  if (s) text = g_steal_pointer(&s->flash);
  g_mutex_unlock(&st->lock);
  return text;
}

static gint newest_first(gconstpointer a, gconstpointer b) {
  const Session *x = *(Session *const *)a, *y = *(Session *const *)b;
  return x->created < y->created ? 1 : x->created > y->created ? -1 : 0;
}

GPtrArray *session_list_user(SessionStore *st, const char *user, gint64 now) {
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)session_free);
  GHashTableIter it;
  gpointer v;
  g_mutex_lock(&st->lock);
  g_hash_table_iter_init(&it, st->by_hash);
  while (g_hash_table_iter_next(&it, NULL, &v)) {
    Session *s = v;
    if (!strcmp(s->user, user) && !expired(st, s, now)) g_ptr_array_add(out, session_copy(s));
  }
  g_mutex_unlock(&st->lock);
  g_ptr_array_sort(out, newest_first);
  return out;
}

static void collect_hub(GPtrArray *ended_hub, const Session *s) {
  if (ended_hub && s->hub_session && *s->hub_session)
    g_ptr_array_add(ended_hub, g_strdup(s->hub_session));
}

gboolean session_end_handle(SessionStore *st, const char *user, const char *handle,
                            GPtrArray *ended_hub) {
  GHashTableIter it;
  gpointer v;
  gboolean ended = FALSE;
  g_mutex_lock(&st->lock);
  g_hash_table_iter_init(&it, st->by_hash);
  while (g_hash_table_iter_next(&it, NULL, &v)) {
    Session *s = v;
    if (!strcmp(s->user, user) && tg_secure_streq(s->handle, handle)) {
      collect_hub(ended_hub, s);
      g_hash_table_iter_remove(&it);
      ended = TRUE;
      break;
    }
  }
  g_mutex_unlock(&st->lock);
  return ended;
}

guint session_end_others(SessionStore *st, const char *user, const char *keep_id,
                         GPtrArray *ended_hub) {
  g_autofree char *keep = keep_id ? id_hash(keep_id) : NULL;
  GHashTableIter it;
  gpointer k, v;
  guint n = 0;
  g_mutex_lock(&st->lock);
  g_hash_table_iter_init(&it, st->by_hash);
  while (g_hash_table_iter_next(&it, &k, &v))
    if (!strcmp(((Session *)v)->user, user) && (!keep || strcmp(k, keep))) {
      collect_hub(ended_hub, v);
      g_hash_table_iter_remove(&it);
      n++;
    }
  g_mutex_unlock(&st->lock);
  return n;
}

guint session_sweep(SessionStore *st, gint64 now) {
  g_mutex_lock(&st->lock);
  guint n = sweep_locked(st, now);
  g_mutex_unlock(&st->lock);
  return n;
}

guint session_count(SessionStore *st) {
  g_mutex_lock(&st->lock);
  guint n = g_hash_table_size(st->by_hash);
  g_mutex_unlock(&st->lock);
  return n;
}
