/*
 * test_token_cache: the gateway's validation cache: hits and misses, TTLs
 * (token expiry, max_ttl, negative_ttl), LRU bound, eviction by token, API
 * and all, and single flight (one leader, waiters answered together).
 */
#include <glib.h>
#include <string.h>

#include "token_cache.h"

#define NOW 1700000000000LL

static TokenCacheKey key_for(const char *hash, const char *context) {
  TokenCacheKey k = {hash, context, "1.0.0", "/menu/{id}", "GET"};
  return k;
}

static TokenValidation ok_validation(gint64 token_expiry) {
  TokenValidation v = {.authorized = TRUE,
                       .key_type = "PRODUCTION",
                       .subscriber = "alice",
                       .application_id = "7",
                       .token_expiry_ms = token_expiry};
  return v;
}

static void no_waiter(void *data, const TokenValidation *v) { g_assert_not_reached(); }

/* Looks up key; if leader, completes it with v. Returns the lookup result. */
static TokenCacheLookup fill(TokenCache *c, const TokenCacheKey *k, const TokenValidation *v,
                             gint64 now) {
  TokenValidation *out = NULL;
  TokenCacheLookup r = token_cache_lookup(c, k, now, &out, no_waiter, NULL);
  if (r == TOKEN_CACHE_LEADER) token_cache_complete(c, k, v, now);
  token_validation_free(out);
  return r;
}

static TokenCacheLookup probe(TokenCache *c, const TokenCacheKey *k, gint64 now,
                              TokenValidation **out) {
  TokenCacheLookup r = token_cache_lookup(c, k, now, out, no_waiter, NULL);
  if (r == TOKEN_CACHE_LEADER) token_cache_complete(c, k, NULL, now); /* undo the pending entry */
  return r;
}

static void test_hit_after_fill(void) {
  TokenCache *c = token_cache_new(1000, 5, 900);
  TokenCacheKey k = key_for("aaaa", "/pizza");
  TokenValidation v = ok_validation(0);
  g_assert_cmpint(fill(c, &k, &v, NOW), ==, TOKEN_CACHE_LEADER);
  TokenValidation *out = NULL;
  g_assert_cmpint(probe(c, &k, NOW + 1000, &out), ==, TOKEN_CACHE_HIT);
  g_assert_true(out->authorized);
  g_assert_cmpstr(out->subscriber, ==, "alice");
  g_assert_cmpstr(out->key_type, ==, "PRODUCTION");
  token_validation_free(out);
  /* another resource of the same token is a different key */
  TokenCacheKey other = k;
  other.verb = "POST";
  g_assert_cmpint(probe(c, &other, NOW, &out), ==, TOKEN_CACHE_LEADER);
  /* and so is a call from another Origin (the hub checks allowed domains) */
  TokenCacheKey from_site = k;
  from_site.client_domain = "shop.example";
  g_assert_cmpint(probe(c, &from_site, NOW, &out), ==, TOKEN_CACHE_LEADER);
  g_assert_cmpuint(token_cache_size(c), ==, 1);
  token_cache_free(c);
}

/* A hit shares the cached answer (no copy per request); the reference stays
   valid after the entry is gone. */
static void test_hit_shared(void) {
  TokenCache *c = token_cache_new(1000, 5, 900);
  TokenCacheKey k = key_for("bbbb", "/pizza");
  TokenValidation v = ok_validation(0);
  fill(c, &k, &v, NOW);
  TokenValidation *a = NULL, *b = NULL;
  g_assert_cmpint(probe(c, &k, NOW, &a), ==, TOKEN_CACHE_HIT);
  g_assert_cmpint(probe(c, &k, NOW, &b), ==, TOKEN_CACHE_HIT);
  g_assert_true(a == b);
  g_assert_cmpuint(token_cache_evict_token(c, "bbbb"), ==, 1);
  token_validation_free(b);
  g_assert_cmpstr(a->subscriber, ==, "alice"); /* ASan: no use after free */
  token_validation_free(a);
  token_cache_free(c);
}

static void test_ttls(void) {
  TokenCache *c = token_cache_new(1000, 5, 900);
  TokenValidation *out = NULL;
  /* token expiring in 10 s: gone after 10 s although max_ttl is 900 s */
  TokenCacheKey k1 = key_for("t1", "/a");
  TokenValidation v1 = ok_validation(NOW + 10000);
  fill(c, &k1, &v1, NOW);
  g_assert_cmpint(probe(c, &k1, NOW + 9999, &out), ==, TOKEN_CACHE_HIT);
  token_validation_free(g_steal_pointer(&out));
  g_assert_cmpint(probe(c, &k1, NOW + 10000, &out), ==, TOKEN_CACHE_LEADER);
  /* token valid for a day: max_ttl (900 s) wins */
  TokenCacheKey k2 = key_for("t2", "/a");
  TokenValidation v2 = ok_validation(NOW + 86400000);
  fill(c, &k2, &v2, NOW);
  g_assert_cmpint(probe(c, &k2, NOW + 899000, &out), ==, TOKEN_CACHE_HIT);
  token_validation_free(g_steal_pointer(&out));
  g_assert_cmpint(probe(c, &k2, NOW + 900000, &out), ==, TOKEN_CACHE_LEADER);
  /* negative answer: negative_ttl (5 s) */
  TokenCacheKey k3 = key_for("t3", "/a");
  TokenValidation v3 = {.authorized = FALSE, .status = 900904};
  fill(c, &k3, &v3, NOW);
  g_assert_cmpint(probe(c, &k3, NOW + 4999, &out), ==, TOKEN_CACHE_HIT);
  g_assert_false(out->authorized);
  g_assert_cmpint(out->status, ==, 900904);
  token_validation_free(g_steal_pointer(&out));
  g_assert_cmpint(probe(c, &k3, NOW + 5000, &out), ==, TOKEN_CACHE_LEADER);
  /* already expired token: not stored at all */
  TokenCacheKey k4 = key_for("t4", "/a");
  TokenValidation v4 = ok_validation(NOW - 1);
  fill(c, &k4, &v4, NOW);
  g_assert_cmpint(probe(c, &k4, NOW, &out), ==, TOKEN_CACHE_LEADER);
  token_cache_free(c);
}

static void test_lru_bound(void) {
  /* 16 shards x 1 entry each */
  TokenCache *c = token_cache_new(16, 5, 900);
  TokenValidation v = ok_validation(0);
  for (int i = 0; i < 500; i++) {
    g_autofree char *hash = g_strdup_printf("h%d", i);
    TokenCacheKey k = key_for(hash, "/a");
    fill(c, &k, &v, NOW);
    g_assert_cmpuint(token_cache_size(c), <=, 16);
  }
  g_assert_cmpuint(token_cache_size(c), >, 0);
  /* the most recent entry is always present */
  TokenCacheKey last = key_for("h499", "/a");
  TokenValidation *out = NULL;
  g_assert_cmpint(probe(c, &last, NOW, &out), ==, TOKEN_CACHE_HIT);
  token_validation_free(out);
  token_cache_free(c);
}

static void test_lru_keeps_recent(void) {
  /* capacity 32: 2 per shard. Touching an entry protects it from eviction. */
  TokenCache *c = token_cache_new(32, 5, 900);
  TokenValidation v = ok_validation(0);
  TokenCacheKey keep = key_for("keep", "/a");
  fill(c, &keep, &v, NOW);
  for (int i = 0; i < 2000; i++) {
    g_autofree char *hash = g_strdup_printf("x%d", i);
    TokenCacheKey k = key_for(hash, "/a");
    fill(c, &k, &v, NOW);
    TokenValidation *out = NULL;
    g_assert_cmpint(probe(c, &keep, NOW, &out), ==, TOKEN_CACHE_HIT);
    token_validation_free(out);
  }
  token_cache_free(c);
}

static void test_evict(void) {
  TokenCache *c = token_cache_new(1000, 5, 900);
  TokenValidation v = ok_validation(0);
  TokenCacheKey a1 = key_for("tokA", "/pizza"), a2 = key_for("tokA", "/pasta");
  TokenCacheKey b1 = key_for("tokB", "/pizza"), b2 = key_for("tokB", "/pasta");
  fill(c, &a1, &v, NOW);
  fill(c, &a2, &v, NOW);
  fill(c, &b1, &v, NOW);
  fill(c, &b2, &v, NOW);
  g_assert_cmpuint(token_cache_size(c), ==, 4);
  g_assert_cmpuint(token_cache_evict_token(c, "tokA"), ==, 2);
  g_assert_cmpuint(token_cache_size(c), ==, 2);
  g_assert_cmpuint(token_cache_evict_api(c, "/pizza", "1.0.0"), ==, 1);
  g_assert_cmpuint(token_cache_evict_api(c, "/pizza", "2.0.0"), ==, 0);
  TokenValidation *out = NULL;
  g_assert_cmpint(probe(c, &b2, NOW, &out), ==, TOKEN_CACHE_HIT);
  token_validation_free(out);
  g_assert_cmpuint(token_cache_flush(c), ==, 1);
  g_assert_cmpuint(token_cache_size(c), ==, 0);
  token_cache_free(c);
}

/* One application's change evicts its answers (and refusals naming none), not another's. */
static void test_evict_application(void) {
  TokenCache *c = token_cache_new(1000, 5, 900);
  TokenValidation mine = ok_validation(0), other = ok_validation(0);
  TokenValidation refused = {.authorized = FALSE, .status = 900901};
  other.application_id = "70"; /* a prefix of neither: "7" must not match "70" */
  TokenCacheKey a = key_for("tokA", "/pizza"), b = key_for("tokB", "/pizza");
  TokenCacheKey r = key_for("tokR", "/pizza"), p = key_for("tokP", "/pizza");
  fill(c, &a, &mine, NOW);
  fill(c, &b, &other, NOW);
  fill(c, &r, &refused, NOW);
  TokenValidation *out = NULL;
  g_assert_cmpint(token_cache_lookup(c, &p, NOW, &out, no_waiter, NULL), ==, TOKEN_CACHE_LEADER);
  g_assert_cmpuint(token_cache_evict_application(c, "7"), ==, 2);
  token_cache_complete(c, &p, &other, NOW); /* was under way: delivered, not stored */
  g_assert_cmpint(probe(c, &p, NOW, &out), ==, TOKEN_CACHE_LEADER);
  g_assert_cmpint(probe(c, &b, NOW, &out), ==, TOKEN_CACHE_HIT);
  g_assert_cmpstr(out->application_id, ==, "70");
  token_validation_free(out);
  g_assert_cmpint(probe(c, &a, NOW, &out), ==, TOKEN_CACHE_LEADER);
  g_assert_cmpuint(token_cache_evict_application(c, "70"), ==, 1);
  g_assert_cmpuint(token_cache_size(c), ==, 0);
  /* one application's subscription to one API: its entries for that API only */
  TokenCacheKey a2 = key_for("tokA", "/pasta");
  fill(c, &a, &mine, NOW);
  fill(c, &a2, &mine, NOW);
  fill(c, &b, &other, NOW);
  g_assert_cmpuint(token_cache_evict_application_api(c, "7", "/pizza", "1.0.0"), ==, 1);
  g_assert_cmpint(probe(c, &a2, NOW, &out), ==, TOKEN_CACHE_HIT);
  token_validation_free(out);
  g_assert_cmpint(probe(c, &b, NOW, &out), ==, TOKEN_CACHE_HIT);
  token_validation_free(out);
  g_assert_cmpint(probe(c, &a, NOW, &out), ==, TOKEN_CACHE_LEADER);
  token_cache_free(c);
}

typedef struct {
  int calls;
  int authorized;
  int failed;
} WaitLog;

static void log_waiter(void *data, const TokenValidation *v) {
  WaitLog *log = data;
  log->calls++;
  if (!v)
    log->failed++;
  else if (v->authorized)
    log->authorized++;
}

static void test_single_flight(void) {
  TokenCache *c = token_cache_new(1000, 5, 900);
  TokenCacheKey k = key_for("shared", "/a");
  WaitLog log = {0};
  TokenValidation *out = NULL;
  g_assert_cmpint(token_cache_lookup(c, &k, NOW, &out, log_waiter, &log), ==, TOKEN_CACHE_LEADER);
  for (int i = 0; i < 5; i++)
    g_assert_cmpint(token_cache_lookup(c, &k, NOW, &out, log_waiter, &log), ==,
                    TOKEN_CACHE_WAITING);
  g_assert_cmpint(log.calls, ==, 0);
  TokenValidation v = ok_validation(0);
  token_cache_complete(c, &k, &v, NOW);
  g_assert_cmpint(log.calls, ==, 5);
  g_assert_cmpint(log.authorized, ==, 5);
  g_assert_cmpint(token_cache_lookup(c, &k, NOW, &out, log_waiter, &log), ==, TOKEN_CACHE_HIT);
  token_validation_free(out);
  token_cache_free(c);
}

static void test_single_flight_failure(void) {
  TokenCache *c = token_cache_new(1000, 5, 900);
  TokenCacheKey k = key_for("down", "/a");
  WaitLog log = {0};
  TokenValidation *out = NULL;
  token_cache_lookup(c, &k, NOW, &out, log_waiter, &log);
  token_cache_lookup(c, &k, NOW, &out, log_waiter, &log);
  token_cache_complete(c, &k, NULL, NOW); /* the hub call failed */
  g_assert_cmpint(log.failed, ==, 1);
  /* nothing cached: the next lookup leads a new call */
  g_assert_cmpint(token_cache_lookup(c, &k, NOW, &out, log_waiter, &log), ==, TOKEN_CACHE_LEADER);
  token_cache_complete(c, &k, NULL, NOW);
  token_cache_free(c);
}

static void test_revoked_while_pending(void) {
  TokenCache *c = token_cache_new(1000, 5, 900);
  TokenCacheKey k = key_for("racing", "/a");
  WaitLog log = {0};
  TokenValidation *out = NULL;
  token_cache_lookup(c, &k, NOW, &out, log_waiter, &log);
  token_cache_lookup(c, &k, NOW, &out, log_waiter, &log);
  token_cache_evict_token(c, "racing"); /* revocation arrives during the hub call */
  TokenValidation v = ok_validation(0);
  token_cache_complete(c, &k, &v, NOW);
  g_assert_cmpint(log.calls, ==, 1); /* the waiter still gets its answer */
  g_assert_cmpint(token_cache_lookup(c, &k, NOW, &out, log_waiter, &log), ==,
                  TOKEN_CACHE_LEADER); /* but it was not stored */
  token_cache_complete(c, &k, NULL, NOW);
  token_cache_free(c);
}

typedef struct {
  TokenCache *cache;
  int id;
} ThreadArg;

static gint woken;

static void count_waiter(void *data, const TokenValidation *v) { g_atomic_int_inc(&woken); }

static gpointer hammer(gpointer p) {
  ThreadArg *arg = p;
  TokenValidation v = ok_validation(0);
  for (int i = 0; i < 5000; i++) {
    g_autofree char *hash = g_strdup_printf("t%d", (i * 7 + arg->id) % 300);
    TokenCacheKey k = key_for(hash, i % 2 ? "/a" : "/b");
    TokenValidation *out = NULL;
    TokenCacheLookup r = token_cache_lookup(arg->cache, &k, NOW, &out, count_waiter, NULL);
    if (r == TOKEN_CACHE_LEADER) token_cache_complete(arg->cache, &k, &v, NOW);
    token_validation_free(out);
    if (i % 1000 == 0) token_cache_evict_api(arg->cache, "/a", "1.0.0");
  }
  return NULL;
}

static void test_threads(void) {
  TokenCache *c = token_cache_new(256, 5, 900);
  GThread *t[4];
  ThreadArg args[4];
  for (int i = 0; i < 4; i++) {
    args[i] = (ThreadArg){c, i};
    t[i] = g_thread_new("hammer", hammer, &args[i]);
  }
  for (int i = 0; i < 4; i++) g_thread_join(t[i]);
  g_assert_cmpuint(token_cache_size(c), <=, 256);
  token_cache_free(c);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/token_cache/hit_after_fill", test_hit_after_fill);
  g_test_add_func("/token_cache/hit_shared", test_hit_shared);
  g_test_add_func("/token_cache/ttls", test_ttls);
  g_test_add_func("/token_cache/lru_bound", test_lru_bound);
  g_test_add_func("/token_cache/lru_keeps_recent", test_lru_keeps_recent);
  g_test_add_func("/token_cache/evict", test_evict);
  g_test_add_func("/token_cache/evict_application", test_evict_application);
  g_test_add_func("/token_cache/single_flight", test_single_flight);
  g_test_add_func("/token_cache/single_flight_failure", test_single_flight_failure);
  g_test_add_func("/token_cache/revoked_while_pending", test_revoked_while_pending);
  g_test_add_func("/token_cache/threads", test_threads);
  return g_test_run();
}
