/*
 * write_budget.c: see write_budget.h. One mutex over one hash table: writes are
 * rare next to validations, so contention does not matter here. Trade-off: the
 * buckets are per hub, not shared through the database, so with N hubs a user
 * may write N times the rate; a shared ledger would cost a database round trip
 * (and a lock) on every write, which is the thing being protected.
 */
#include "config.h"

#include "write_budget.h"

typedef struct {
  double tokens;
  gint64 at_us; /* when tokens was computed */
} Bucket;

struct WriteBudget {
  GMutex lock;
  GHashTable *buckets; /* user name -> Bucket */
  double rate;         /* tokens per microsecond */
  double burst;
  guint max_users;
};

WriteBudget *write_budget_new(guint rate, guint burst, guint max_users) {
  WriteBudget *b = g_new0(WriteBudget, 1);
  g_mutex_init(&b->lock);
  b->buckets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  b->rate = (double)MAX(rate, 1) / G_USEC_PER_SEC;
  b->burst = MAX(burst, 1);
  b->max_users = MAX(max_users, 1);
  return b;
}

void write_budget_free(WriteBudget *b) {
  if (b == NULL) return;
  g_hash_table_destroy(b->buckets);
  g_mutex_clear(&b->lock);
  g_free(b);
}

static void refill(const WriteBudget *b, Bucket *k, gint64 now_us) {
  if (now_us > k->at_us)
    k->tokens = MIN(b->burst, k->tokens + (double)(now_us - k->at_us) * b->rate);
  k->at_us = MAX(k->at_us, now_us);
}

/* Room for one more bucket: the full ones go (they hold nothing a new one would not). */
static void make_room(WriteBudget *b, gint64 now_us) {
  GHashTableIter it;
  gpointer v;
  g_hash_table_iter_init(&it, b->buckets);
  while (g_hash_table_iter_next(&it, NULL, &v)) {
    refill(b, v, now_us);
    if (((Bucket *)v)->tokens >= b->burst) g_hash_table_iter_remove(&it);
  }
}

gboolean write_budget_take(WriteBudget *b, const char *user, gint64 now_us,
                           gint64 *retry_after_ms) {
  g_mutex_lock(&b->lock);
  Bucket *k = g_hash_table_lookup(b->buckets, user);
  if (k == NULL) {
    if (g_hash_table_size(b->buckets) >= b->max_users) make_room(b, now_us);
    k = g_new(Bucket, 1);
    *k = (Bucket){b->burst, now_us};
    g_hash_table_insert(b->buckets, g_strdup(user), k);
  }
  refill(b, k, now_us);
  gboolean ok = k->tokens >= 1.0;
  if (ok)
    k->tokens -= 1.0;
  else
    *retry_after_ms = (gint64)((1.0 - k->tokens) / b->rate / 1000.0) + 1;
  g_mutex_unlock(&b->lock);
  return ok;
}
