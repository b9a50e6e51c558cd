/*
 * test_throttle_plan: the throttle plan cache: a plan is reused for the same route and
 * caller, rebuilt when any string its keys use changes behind the same pointer (routes and
 * tiers change under a running gateway) or the policies change, and each thread keeps its
 * own plans, which share one credit entry per key.
 */
#include <string.h>

#include "credit_store.h"
#include "policy_set.h"
#include "throttle_plan.h"

typedef struct {
  char context[32], version[16], verb[8], template[16], api_tier[16], res_tier[16];
  char app[16], sub_tier[16], app_tier[16];
  TgRoute route;
  TgAuthInfo auth;
} Caller;

static void caller_init(Caller *c) {
  memset(c, 0, sizeof *c);
  strcpy(c->context, "/pizza");
  strcpy(c->version, "1.0.0");
  strcpy(c->verb, "GET");
  strcpy(c->template, "/menu");
  strcpy(c->api_tier, "Unlimited");
  strcpy(c->res_tier, "Unlimited");
  strcpy(c->app, "7");
  strcpy(c->sub_tier, "Gold");
  strcpy(c->app_tier, "Unlimited");
  c->route = (TgRoute){.context = c->context,
                       .version = c->version,
                       .verb = c->verb,
                       .uri_template = c->template,
                       .api_tier = c->api_tier,
                       .throttling_tier = c->res_tier,
                       .hard_limit = ""};
  c->auth = (TgAuthInfo){.authenticated = TRUE,
                         .application_id = c->app,
                         .subscription_tier = c->sub_tier,
                         .application_tier = c->app_tier};
}

/* The plan's keys joined with spaces. */
static char *keys_of(const ThrottlePlan *p) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; p && i < p->n; i++)
    g_string_append_printf(s, "%s%s", i ? " " : "", p->keys[i].key);
  return g_string_free(s, FALSE);
}

static void assert_keys(PlanCache *cache, Caller *c, PolicySet *ps, const char *want) {
  g_autofree char *got = keys_of(plan_cache_get(cache, &c->route, &c->auth, ps));
  g_assert_cmpstr(got, ==, want);
}

#define SUB_GOLD "SUBSCRIPTION|Gold|7|/pizza:1.0.0 SUBSCRIPTION_BURST|Gold|7|/pizza:1.0.0"

static void test_reused_and_rebuilt(void) {
  CreditStore *store = credit_store_new();
  PlanCache *cache = plan_cache_new(store);
  PolicySet *ps = policy_set_new();
  Caller c;
  caller_init(&c);
  const ThrottlePlan *p = plan_cache_get(cache, &c.route, &c.auth, ps);
  g_assert_nonnull(p);
  g_assert_true(plan_cache_get(cache, &c.route, &c.auth, ps) == p); /* reused */
  assert_keys(cache, &c, ps, SUB_GOLD);
  /* every string the keys use, changed behind the same pointer, rebuilds the plan */
  strcpy(c.sub_tier, "Silver");
  assert_keys(cache, &c, ps,
              "SUBSCRIPTION|Silver|7|/pizza:1.0.0 SUBSCRIPTION_BURST|Silver|7|/pizza:1.0.0");
  strcpy(c.app, "8");
  assert_keys(cache, &c, ps,
              "SUBSCRIPTION|Silver|8|/pizza:1.0.0 SUBSCRIPTION_BURST|Silver|8|/pizza:1.0.0");
  strcpy(c.version, "2.0.0");
  assert_keys(cache, &c, ps,
              "SUBSCRIPTION|Silver|8|/pizza:2.0.0 SUBSCRIPTION_BURST|Silver|8|/pizza:2.0.0");
  strcpy(c.context, "/pasta");
  assert_keys(cache, &c, ps,
              "SUBSCRIPTION|Silver|8|/pasta:2.0.0 SUBSCRIPTION_BURST|Silver|8|/pasta:2.0.0");
  caller_init(&c);
  strcpy(c.res_tier, "Res10");
  assert_keys(cache, &c, ps, "RESOURCE|Res10|/pizza:1.0.0|GET|/menu " SUB_GOLD);
  strcpy(c.template, "/menu/{id}");
  assert_keys(cache, &c, ps, "RESOURCE|Res10|/pizza:1.0.0|GET|/menu/{id} " SUB_GOLD);
  strcpy(c.verb, "PUT");
  assert_keys(cache, &c, ps, "RESOURCE|Res10|/pizza:1.0.0|PUT|/menu/{id} " SUB_GOLD);
  caller_init(&c);
  strcpy(c.api_tier, "Api5");
  assert_keys(cache, &c, ps, "API|Api5|/pizza:1.0.0 " SUB_GOLD);
  caller_init(&c);
  strcpy(c.app_tier, "50PerMin");
  assert_keys(cache, &c, ps, SUB_GOLD " APPLICATION|50PerMin|7 APPLICATION_BURST|50PerMin|7");
  strcpy(c.sub_tier, "Unlimited");
  assert_keys(cache, &c, ps, "APPLICATION|50PerMin|7 APPLICATION_BURST|50PerMin|7");
  strcpy(c.app_tier, "Unlimited");
  g_assert_null(plan_cache_get(cache, &c.route, &c.auth, ps)); /* nothing counts */
  /* the policies changed: the tier list now says Gold has no burst */
  caller_init(&c);
  TierDef tiers[] = {{"SUBSCRIPTION", "Gold", FALSE, FALSE}};
  policy_set_replace(ps, NULL, 0, tiers, 1);
  assert_keys(cache, &c, ps, "SUBSCRIPTION|Gold|7|/pizza:1.0.0");
  plan_cache_free(cache);
  g_assert_cmpuint(credit_store_size(store), ==, 0);
  policy_set_free(ps);
  credit_store_free(store);
}

/* The credit entry a plan keeps is the store's entry of its key: a take through the plan
   and a take by key text count against the same credit. */
static void test_entries_shared(void) {
  CreditStore *store = credit_store_new();
  PlanCache *cache = plan_cache_new(store);
  PolicySet *ps = policy_set_new();
  TierDef tiers[] = {{"SUBSCRIPTION", "Gold", FALSE, FALSE}};
  policy_set_replace(ps, NULL, 0, tiers, 1);
  Caller c;
  caller_init(&c);
  const ThrottlePlan *p = plan_cache_get(cache, &c.route, &c.auth, ps);
  g_assert_cmpuint(p->n, ==, 1);
  CreditTake t;
  guint at;
  g_assert_cmpint(credit_store_take_all(store, p->keys, 1, 1000, NULL, NULL, &t, &at), ==,
                  CREDIT_WAIT);
  CreditGrantInfo g = {.ok = TRUE,
                       .granted = 2,
                       .window_start = 0,
                       .window_end = 60000,
                       .limit = 10,
                       .remaining = 8,
                       .gateways = 1};
  credit_store_granted(store, p->keys[0].key, &g, 1000);
  g_assert_cmpint(credit_store_take_all(store, p->keys, 1, 1001, NULL, NULL, &t, &at), ==,
                  CREDIT_TAKEN);
  g_assert_cmpint(credit_store_take(store, "SUBSCRIPTION|Gold|7|/pizza:1.0.0", "SUBSCRIPTION",
                                    "Gold", 1002, NULL, NULL, &t),
                  ==, CREDIT_TAKEN);
  g_assert_cmpint(t.remaining, ==, 8); /* both credits of the grant spent */
  plan_cache_free(cache);
  policy_set_free(ps);
  credit_store_free(store);
}

typedef struct {
  PlanCache *cache;
  PolicySet *ps;
  const ThrottlePlan *plan;
  char *keys;
} ThreadRun;

static gpointer thread_get(gpointer data) {
  ThreadRun *r = data;
  Caller c;
  caller_init(&c);
  r->plan = plan_cache_get(r->cache, &c.route, &c.auth, r->ps);
  g_assert_true(plan_cache_get(r->cache, &c.route, &c.auth, r->ps) == r->plan);
  r->keys = keys_of(r->plan);
  return NULL;
}

/* Each thread builds and keeps its own plan (no lock between them); the cache frees them
   all, and a cache freed and made again at the same address is not mistaken for the old. */
static void test_per_thread(void) {
  CreditStore *store = credit_store_new();
  PolicySet *ps = policy_set_new();
  for (guint round = 0; round < 2; round++) {
    PlanCache *cache = plan_cache_new(store);
    ThreadRun a = {cache, ps, NULL, NULL}, b = {cache, ps, NULL, NULL};
    GThread *ta = g_thread_new("plan-a", thread_get, &a);
    GThread *tb = g_thread_new("plan-b", thread_get, &b);
    g_thread_join(ta);
    g_thread_join(tb);
    g_assert_true(a.plan != b.plan);
    g_assert_cmpstr(a.keys, ==, SUB_GOLD);
    g_assert_cmpstr(b.keys, ==, SUB_GOLD);
    Caller c;
    caller_init(&c);
    const ThrottlePlan *mine = plan_cache_get(cache, &c.route, &c.auth, ps);
    g_assert_true(mine != a.plan && mine != b.plan);
    g_autofree char *k = keys_of(mine);
    g_assert_cmpstr(k, ==, SUB_GOLD);
    g_free(a.keys);
    g_free(b.keys);
    plan_cache_free(cache);
  }
  policy_set_free(ps);
  credit_store_free(store);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/throttle_plan/reused_and_rebuilt", test_reused_and_rebuilt);
  g_test_add_func("/throttle_plan/entries_shared", test_entries_shared);
  g_test_add_func("/throttle_plan/per_thread", test_per_thread);
  return g_test_run();
}
