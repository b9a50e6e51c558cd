/*
 * login_limiter: failure counts per user name and per client address (see
 * login_limiter.h). Two bounded hash tables under one mutex; an entry is
 * forgotten lockout_s after its last failure. Trade-off: a full table is
 * first swept of forgotten entries, then emptied: an attacker who floods it
 * with names loses the counts of those names, but the address table (a
 * separate bound) still holds the flooder's own count.
 */
#include "login_limiter.h"

#include <string.h>

#define DELAY_SHIFT_MAX 20

typedef struct {
  guint failures;
  gint64 last_ms;
} Count;

struct LoginLimiter {
  LoginLimits limits;
  GMutex lock;
  GHashTable *users;     /* name -> Count */
  GHashTable *addresses; /* address -> Count */
};

LoginLimiter *login_limiter_new(const LoginLimits *limits) {
  LoginLimiter *l = g_new0(LoginLimiter, 1);
  l->limits = *limits;
  g_mutex_init(&l->lock);
  l->users = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  l->addresses = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  return l;
}

void login_limiter_free(LoginLimiter *l) {
  if (l == NULL) return;
  g_hash_table_destroy(l->users);
  g_hash_table_destroy(l->addresses);
  g_mutex_clear(&l->lock);
  g_free(l);
}

static gboolean forgotten(const LoginLimiter *l, const Count *c, gint64 now_ms) {
  return now_ms - c->last_ms >= (gint64)l->limits.lockout_s * 1000;
}

/* The live failure count of key (0: none, or forgotten). */
static guint live(const LoginLimiter *l, GHashTable *table, const char *key, gint64 now_ms) {
  const Count *c = key ? g_hash_table_lookup(table, key) : NULL;
  return c == NULL || forgotten(l, c, now_ms) ? 0 : c->failures;
}

static void make_room(LoginLimiter *l, GHashTable *table, gint64 now_ms) {
  if ((int)g_hash_table_size(table) < l->limits.max_tracked) return;
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init(&it, table);
  while (g_hash_table_iter_next(&it, NULL, &value))
    if (forgotten(l, value, now_ms)) g_hash_table_iter_remove(&it);
  if ((int)g_hash_table_size(table) >= l->limits.max_tracked) g_hash_table_remove_all(table);
}

static guint count_failure(LoginLimiter *l, GHashTable *table, const char *key, gint64 now_ms) {
  if (key == NULL) return 0;
  Count *c = g_hash_table_lookup(table, key);
  if (c != NULL && forgotten(l, c, now_ms)) c->failures = 0;
  if (c == NULL) {
    make_room(l, table, now_ms);
    c = g_new0(Count, 1);
    g_hash_table_insert(table, g_strdup(key), c);
  }
  c->failures = MIN(c->failures + 1, G_MAXUINT / 2);
  c->last_ms = now_ms;
  return c->failures;
}

static void uncount(GHashTable *table, const char *key) {
  Count *c = key ? g_hash_table_lookup(table, key) : NULL;
  if (c != NULL && c->failures > 0) c->failures--;
}

LoginVerdict login_limiter_begin(LoginLimiter *l, const char *user, const char *address,
                                 gint64 now_ms) {
  LoginVerdict verdict = LOGIN_ALLOWED;
  g_mutex_lock(&l->lock);
  if (live(l, l->addresses, address, now_ms) >= (guint)l->limits.address_failures)
    verdict = LOGIN_LOCKED_ADDRESS;
  else if (live(l, l->users, user, now_ms) >= (guint)l->limits.user_failures)
    verdict = LOGIN_LOCKED_USER;
  if (verdict == LOGIN_ALLOWED) {
    count_failure(l, l->users, user, now_ms);
    count_failure(l, l->addresses, address, now_ms);
  }
  g_mutex_unlock(&l->lock);
  return verdict;
}

/* delay_ms * 2^(n-1), capped. */
static guint delay_for(const LoginLimits *limits, guint n) {
  if (n == 0) return 0;
  gint64 ms = (gint64)MAX(limits->delay_ms, 0) << MIN(n - 1, DELAY_SHIFT_MAX);
  return (guint)MIN(ms, (gint64)MAX(limits->max_delay_ms, 0));
}

guint login_limiter_end(LoginLimiter *l, const char *user, const char *address, gboolean good,
                        gint64 now_ms) {
  g_mutex_lock(&l->lock);
  guint n = 0;
  if (good) {
    if (user != NULL) g_hash_table_remove(l->users, user);
    uncount(l->addresses, address);
  } else {
    n = MAX(live(l, l->users, user, now_ms),
            live(l, l->addresses, address, now_ms) / LOGIN_ADDRESS_SPREAD);
  }
  g_mutex_unlock(&l->lock);
  return delay_for(&l->limits, n);
}

guint login_limiter_address_failures(LoginLimiter *l, const char *address, gint64 now_ms) {
  g_mutex_lock(&l->lock);
  guint n = live(l, l->addresses, address, now_ms);
  g_mutex_unlock(&l->lock);
  return n;
}

void login_limiter_cancel(LoginLimiter *l, const char *user, const char *address) {
  g_mutex_lock(&l->lock);
  uncount(l->users, user);
  uncount(l->addresses, address);
  g_mutex_unlock(&l->lock);
}

/* Space and control bytes (\v included, which g_ascii_isspace is not). */
static gboolean blank(char c) { return (guchar)c <= 0x20 || (guchar)c == 0x7f; }

gboolean login_name_acceptable(const char *user) {
  gsize n = user ? strlen(user) : 0;
  return n > 0 && n <= 255 && !blank(user[0]) && !blank(user[n - 1]);
}
