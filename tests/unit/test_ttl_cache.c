/*
 * test_ttl_cache: the hub's sharded TTL cache (ttl_cache.h):
 * hits hand out a reference, entries end at the earlier of TTL and their own
 * expiry, a full shard is emptied, and a put that read the generation before
 * a clear is refused (and its value released), the guard that keeps a stale
 * database read from outliving the change that cleared the cache.
 */
#include "config.h"

#include "ttl_cache.h"

typedef struct {
  gint refs;
} Value;

static gpointer value_ref(gconstpointer p, gpointer unused) {
  Value *v = (Value *)p;
  v->refs++;
  return v;
}

static void value_unref(gpointer p) { ((Value *)p)->refs--; }

static TtlCache *cache_new(guint max_entries) {
  return ttl_cache_new(max_entries, 10 * G_USEC_PER_SEC, value_ref, value_unref);
}

static void test_hit_and_expiry(void) {
  TtlCache *c = cache_new(100);
  Value v = {1};
  ttl_cache_put(c, "k", value_ref(&v, NULL), 1000, G_MAXINT64, ttl_cache_generation(c));
  g_assert_cmpint(v.refs, ==, 2);
  g_assert_true(ttl_cache_get(c, "k", 2000) == &v);
  g_assert_cmpint(v.refs, ==, 3);
  value_unref(&v);
  g_assert_null(ttl_cache_get(c, "other", 2000));
  /* past the TTL: gone, and its reference released */
  g_assert_null(ttl_cache_get(c, "k", 1000 + 10 * G_USEC_PER_SEC));
  g_assert_cmpint(v.refs, ==, 1);
  /* an entry's own expiry wins when it is earlier than the TTL */
  ttl_cache_put(c, "k", value_ref(&v, NULL), 1000, 5000, ttl_cache_generation(c));
  g_assert_null(ttl_cache_get(c, "k", 5000));
  g_assert_cmpint(v.refs, ==, 1);
  ttl_cache_free(c);
}

static void test_clear_releases(void) {
  TtlCache *c = cache_new(100);
  Value v = {1};
  for (guint i = 0; i < 10; i++) {
    g_autofree char *key = g_strdup_printf("k%u", i);
    ttl_cache_put(c, key, value_ref(&v, NULL), 0, G_MAXINT64, ttl_cache_generation(c));
  }
  g_assert_cmpuint(validation_cache_size(c), ==, 10);
  g_assert_cmpint(v.refs, ==, 11);
  ttl_cache_clear(c);
  g_assert_cmpuint(validation_cache_size(c), ==, 0);
  g_assert_cmpint(v.refs, ==, 1);
  ttl_cache_free(c);
}

/* Regression: a value read before a clear must not be cached after it. */
static void test_put_after_clear_refused(void) {
  TtlCache *c = cache_new(100);
  Value v = {1};
  guint before = ttl_cache_generation(c);
  ttl_cache_clear(c); /* a change committed while the value was being read */
  ttl_cache_put(c, "k", value_ref(&v, NULL), 0, G_MAXINT64, before);
  g_assert_null(ttl_cache_get(c, "k", 1));
  g_assert_cmpint(v.refs, ==, 1);
  ttl_cache_put(c, "k", value_ref(&v, NULL), 0, G_MAXINT64, ttl_cache_generation(c));
  g_assert_true(ttl_cache_get(c, "k", 1) == &v);
  value_unref(&v);
  ttl_cache_free(c);
  g_assert_cmpint(v.refs, ==, 1);
}

static gboolean key_starts(const char *key, gconstpointer value, gpointer data) {
  return g_str_has_prefix(key, data);
}

/* A narrow eviction drops the matching entries only, and refuses a put that read the
   generation before it (any key: a stale read may be about the evicted thing). */
static void test_evict_narrow(void) {
  TtlCache *c = cache_new(100);
  Value a = {1}, b = {1}, late = {1};
  guint gen = ttl_cache_generation(c);
  ttl_cache_put(c, "tenantA\n/x", value_ref(&a, NULL), 1000, G_MAXINT64, gen);
  ttl_cache_put(c, "tenantB\n/x", value_ref(&b, NULL), 1000, G_MAXINT64, gen);
  g_assert_cmpuint(ttl_cache_evict(c, key_starts, "tenantB"), ==, 1);
  g_assert_cmpint(b.refs, ==, 1);
  g_assert_true(ttl_cache_get(c, "tenantA\n/x", 2000) == &a);
  value_unref(&a);
  g_assert_null(ttl_cache_get(c, "tenantB\n/x", 2000));
  ttl_cache_put(c, "tenantC\n/x", value_ref(&late, NULL), 1000, G_MAXINT64, gen);
  g_assert_cmpint(late.refs, ==, 1);
  g_assert_cmpuint(validation_cache_size(c), ==, 1);
  g_assert_cmpuint(ttl_cache_evict(c, key_starts, "nobody"), ==, 0);
  ttl_cache_free(c);
  g_assert_cmpint(a.refs, ==, 1);
}

static void test_bounded(void) {
  TtlCache *c = cache_new(32); /* 16 shards of 2 */
  Value v = {1};
  for (guint i = 0; i < 1000; i++) {
    g_autofree char *key = g_strdup_printf("k%u", i);
    ttl_cache_put(c, key, value_ref(&v, NULL), 0, G_MAXINT64, ttl_cache_generation(c));
  }
  g_assert_cmpuint(validation_cache_size(c), <=, 32);
  g_assert_cmpint(v.refs, ==, 1 + (gint)validation_cache_size(c));
  ttl_cache_free(c);
  g_assert_cmpint(v.refs, ==, 1);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/ttl_cache/hit_and_expiry", test_hit_and_expiry);
  g_test_add_func("/ttl_cache/clear_releases", test_clear_releases);
  g_test_add_func("/ttl_cache/put_after_clear_refused", test_put_after_clear_refused);
  g_test_add_func("/ttl_cache/bounded", test_bounded);
  g_test_add_func("/ttl_cache/evict_narrow", test_evict_narrow);
  return g_test_run();
}
