/*
 * throttle_plan: the credit keys of a request (throttle_plan.h). A plan is built from the
 * route's and the caller's strings and compared with them on each lookup (a few short
 * strcmp), never trusted by pointer: routes and tiers change under a running gateway.
 * Key text: LEVEL|tier|who, who = "ctx:version" (API, hard limit), "ctx:version|VERB|
 * template" (resource), "appId|ctx:version" (subscription), "appId" (application).
 */
#include "throttle_plan.h"

#include <string.h>

#include "tg_hash.h"
#include "tg_status.h"

#define PLAN_BUCKETS               1024 /* power of two */
#define THROTTLE_APPLICATION_BURST 900809
/* hard limit, API (+ bytes), resource (+ bytes), subscription (+ burst, bytes), application
   (+ burst, bytes) */
#define PLAN_CHECKS 11

/* One thread's plans: only that thread reads or replaces them, so a lookup takes no lock
   and no reference. */
typedef struct {
  GThread *thread;
  ThrottlePlan *bucket[PLAN_BUCKETS];
} ThreadPlans;

struct PlanCache {
  GMutex lock; /* threads only (a thread's first lookup) */
  CreditStore *store;
  guint serial;       /* tells this cache from one freed at the same address */
  GPtrArray *threads; /* ThreadPlans */
};

/* The calling thread's plans of the cache it used last (its serial). */
static __thread ThreadPlans *tls_plans;
static __thread guint tls_serial;

/* Which strings a plan depends on, in ThrottlePlan.id order. */
enum {
  ID_APP,
  ID_SUB_TIER,
  ID_APP_TIER,
  ID_CONTEXT,
  ID_VERSION,
  ID_VERB,
  ID_TEMPLATE,
  ID_API_TIER,
  ID_RES_TIER,
  ID_N
};
G_STATIC_ASSERT(ID_N == G_N_ELEMENTS(((ThrottlePlan *)0)->id));

static void plan_id(const TgRoute *route, const TgAuthInfo *auth, const char *id[ID_N]) {
  gboolean authed = auth->authenticated && auth->application_id;
  id[ID_APP] = authed ? auth->application_id : NULL;
  id[ID_SUB_TIER] = authed ? auth->subscription_tier : NULL;
  id[ID_APP_TIER] = authed ? auth->application_tier : NULL;
  id[ID_CONTEXT] = route->context;
  id[ID_VERSION] = route->version;
  id[ID_VERB] = route->verb;
  id[ID_TEMPLATE] = route->uri_template;
  id[ID_API_TIER] = route->api_tier;
  id[ID_RES_TIER] = route->throttling_tier;
}

/* A tier that counts: named, not Unlimited (most names are told apart by their first byte). */
static inline gboolean tier_counts(const char *tier) {
  return tier && *tier && (tier[0] != 'U' || strcmp(tier, "Unlimited") != 0);
}

static gboolean hard_of(const TgRoute *route) { return route->hard_limit && *route->hard_limit; }

/* The levels that count for a request (PLAN_*), and the strings each one's keys use. */
enum { PLAN_HARD = 1, PLAN_API = 2, PLAN_RES = 4, PLAN_SUB = 8, PLAN_APP = 16 };

static guint plan_levels(const TgRoute *route, const TgAuthInfo *auth) {
  gboolean authed = auth->authenticated && auth->application_id;
  return (hard_of(route) ? PLAN_HARD : 0) | (tier_counts(route->api_tier) ? PLAN_API : 0) |
         (tier_counts(route->throttling_tier) ? PLAN_RES : 0) |
         (authed && tier_counts(auth->subscription_tier) ? PLAN_SUB : 0) |
         (authed && tier_counts(auth->application_tier) ? PLAN_APP : 0);
}

#define ID_BIT(i) (1u << (i))
static guint id_mask(guint levels) {
  guint m = 0;
  if (levels & (PLAN_HARD | PLAN_API | PLAN_RES | PLAN_SUB))
    m |= ID_BIT(ID_CONTEXT) | ID_BIT(ID_VERSION);
  if (levels & PLAN_API) m |= ID_BIT(ID_API_TIER);
  if (levels & PLAN_RES) m |= ID_BIT(ID_RES_TIER) | ID_BIT(ID_VERB) | ID_BIT(ID_TEMPLATE);
  if (levels & PLAN_SUB) m |= ID_BIT(ID_APP) | ID_BIT(ID_SUB_TIER);
  if (levels & PLAN_APP) m |= ID_BIT(ID_APP) | ID_BIT(ID_APP_TIER);
  return m;
}

/* ---- building ---- */

/* Joins pieces (NULL-terminated) with '|' into out; FALSE when they do not fit. */
static gboolean key_join(char out[THROTTLE_KEY_MAX], const char *const *pieces) {
  gsize n = 0;
  for (guint i = 0; pieces[i]; i++) {
    gsize len = strlen(pieces[i]);
    if (n + len + 2 > THROTTLE_KEY_MAX) return FALSE;
    if (i) out[n++] = '|';
    memcpy(out + n, pieces[i], len);
    n += len;
  }
  out[n] = '\0';
  return TRUE;
}

/* A check being built: its key text in a buffer. */
typedef struct {
  ThrottleCheck c;
  gboolean bytes;
  char key[THROTTLE_KEY_MAX];
} Draft;

static guint add_check(Draft *d, guint n, guint max, const char *level, const char *tier,
                       const char *name, int code, const char *who) {
  if (!tier_counts(tier) || n >= max) return n;
  d[n].c = (ThrottleCheck){level, tier, name, code};
  d[n].bytes = strstr(level, "_BYTES") != NULL;
  const char *const pieces[] = {level, tier, who, NULL};
  return key_join(d[n].key, pieces) ? n + 1 : n;
}

/* "ctx:version" into out; FALSE when too long. */
static gboolean api_name(char out[THROTTLE_KEY_MAX], const TgRoute *route) {
  gsize a = strlen(route->context), b = strlen(route->version);
  if (a + b + 2 > THROTTLE_KEY_MAX) return FALSE;
  memcpy(out, route->context, a);
  out[a] = ':';
  memcpy(out + a + 1, route->version, b + 1);
  return TRUE;
}

/* The credit levels of one tier level: its requests, its burst (none at API and resource
   level) and its bytes, with their RateLimit names and fault codes. */
typedef struct {
  TierLevel lv;
  const char *level, *burst, *bytes;
  const char *name, *burst_name, *bytes_name;
  int code, burst_code;
} LevelSpec;

static const LevelSpec level_api = {
    TIER_LEVEL_API, "API", NULL, "API_BYTES", "api", NULL, "api-bytes", TG_THROTTLE_API_LIMIT, 0};
static const LevelSpec level_resource = {TIER_LEVEL_RESOURCE,
                                         "RESOURCE",
                                         NULL,
                                         "RESOURCE_BYTES",
                                         "resource",
                                         NULL,
                                         "resource-bytes",
                                         TG_THROTTLE_RESOURCE_LIMIT,
                                         0};
static const LevelSpec level_subscription = {TIER_LEVEL_SUBSCRIPTION,
                                             "SUBSCRIPTION",
                                             "SUBSCRIPTION_BURST",
                                             "SUBSCRIPTION_BYTES",
                                             "subscription",
                                             "subscription-burst",
                                             "subscription-bytes",
                                             TG_THROTTLE_SUBSCRIPTION_LIMIT,
                                             TG_THROTTLE_SUBSCRIPTION_BURST};
static const LevelSpec level_application = {TIER_LEVEL_APPLICATION,
                                            "APPLICATION",
                                            "APPLICATION_BURST",
                                            "APPLICATION_BYTES",
                                            "application",
                                            "application-burst",
                                            "application-bytes",
                                            TG_THROTTLE_APPLICATION_LIMIT,
                                            THROTTLE_APPLICATION_BURST};

/* A tier's keys: requests, then its burst when it has one (or is not known yet), then its
   bytes when it counts bytes; a tier the list says has no burst costs no burst key. */
static guint add_tier_checks(Draft *d, guint n, const PolicySnapshot *snap, const LevelSpec *l,
                             const char *tier, const char *who) {
  if (!tier_counts(tier)) return n;
  guint flags = policy_snapshot_tier(snap, l->lv, tier);
  n = add_check(d, n, PLAN_CHECKS, l->level, tier, l->name, l->code, who);
  if (l->burst && (flags & (TIER_BURST | TIER_UNKNOWN)))
    n = add_check(d, n, PLAN_CHECKS, l->burst, tier, l->burst_name, l->burst_code, who);
  if (flags & TIER_BYTES)
    n = add_check(d, n, PLAN_CHECKS, l->bytes, tier, l->bytes_name, l->code, who);
  return n;
}

/* The tier levels of a request in enforcement order into d; api: "ctx:version". */
static guint build_drafts(const TgRoute *route, const TgAuthInfo *auth, const PolicySnapshot *snap,
                          const char *api, Draft d[PLAN_CHECKS]) {
  char who[THROTTLE_KEY_MAX];
  guint n = 0;
  if (hard_of(route)) /* the tier sent to the hub names the API */
    n = add_check(d, n, PLAN_CHECKS, "HARD", api, "hard", TG_THROTTLE_HARD_LIMIT, api);
  n = add_tier_checks(d, n, snap, &level_api, route->api_tier, api);
  const char *const res[] = {api, route->verb ? route->verb : "",
                             route->uri_template ? route->uri_template : "", NULL};
  if (tier_counts(route->throttling_tier) && key_join(who, res))
    n = add_tier_checks(d, n, snap, &level_resource, route->throttling_tier, who);
  if (auth->authenticated && auth->application_id) {
    const char *const sub[] = {auth->application_id, api, NULL};
    if (key_join(who, sub))
      n = add_tier_checks(d, n, snap, &level_subscription, auth->subscription_tier, who);
    n = add_tier_checks(d, n, snap, &level_application, auth->application_tier,
                        auth->application_id);
  }
  return n;
}

static ThrottlePlan *plan_build(const TgRoute *route, const TgAuthInfo *auth,
                                const PolicySnapshot *snap, guint levels, guint hash,
                                guint generation) {
  char api[THROTTLE_KEY_MAX];
  Draft d[PLAN_CHECKS];
  if (!api_name(api, route)) return NULL;
  guint n = build_drafts(route, auth, snap, api, d);
  ThrottlePlan *p = g_new0(ThrottlePlan, 1);
  const char *id[ID_N];
  plan_id(route, auth, id);
  guint mask = id_mask(levels);
  for (guint i = 0; i < ID_N; i++) p->id[i] = mask & ID_BIT(i) ? g_strdup(id[i]) : NULL;
  p->hash = hash;
  p->generation = generation;
  p->levels = levels;
  p->api = g_strdup(api);
  p->n = n;
  p->checks = g_new0(ThrottleCheck, MAX(n, 1));
  p->keys = g_new0(CreditKeyRef, MAX(n, 1));
  p->entries = g_new0(CreditEntry *, MAX(n, 1));
  for (guint i = 0; i < n; i++) {
    p->checks[i] = d[i].c;
    /* the tier of a hard limit is the API's name; the others are the route's or caller's */
    p->checks[i].tier = g_strdup(d[i].c.tier);
    p->keys[i] = (CreditKeyRef){g_strdup(d[i].key), d[i].c.level, p->checks[i].tier, d[i].bytes,
                                &p->entries[i]};
  }
  return p;
}

static void plan_free(CreditStore *store, ThrottlePlan *p) {
  credit_store_forget(store, p->keys, p->n);
  for (guint i = 0; i < p->n; i++) {
    g_free((char *)p->keys[i].key);
    g_free((char *)p->checks[i].tier);
  }
  for (guint i = 0; i < ID_N; i++) g_free(p->id[i]);
  g_free(p->api);
  g_free(p->checks);
  g_free(p->keys);
  g_free(p->entries);
  g_free(p);
}

/* ---- the cache ---- */

PlanCache *plan_cache_new(CreditStore *store) {
  static gint serials;
  PlanCache *c = g_new0(PlanCache, 1);
  g_mutex_init(&c->lock);
  c->store = store;
  c->serial = (guint)g_atomic_int_add(&serials, 1) + 1; /* 0: no cache yet */
  c->threads = g_ptr_array_new();
  return c;
}

void plan_cache_free(PlanCache *c) {
  if (!c) return;
  for (guint t = 0; t < c->threads->len; t++) {
    ThreadPlans *tp = g_ptr_array_index(c->threads, t);
    for (guint i = 0; i < PLAN_BUCKETS; i++)
      if (tp->bucket[i]) plan_free(c->store, tp->bucket[i]);
    g_free(tp);
  }
  g_ptr_array_unref(c->threads);
  if (tls_serial == c->serial) tls_plans = NULL, tls_serial = 0;
  g_mutex_clear(&c->lock);
  g_free(c);
}

/* The calling thread's plans in c, made at its first lookup (or when it used another cache
   since: tests). */
static ThreadPlans *thread_plans(PlanCache *c) {
  if (G_LIKELY(tls_serial == c->serial)) return tls_plans;
  GThread *self = g_thread_self();
  ThreadPlans *tp = NULL;
  g_mutex_lock(&c->lock);
  for (guint t = 0; t < c->threads->len && !tp; t++)
    if (((ThreadPlans *)g_ptr_array_index(c->threads, t))->thread == self)
      tp = g_ptr_array_index(c->threads, t);
  if (!tp) {
    tp = g_new0(ThreadPlans, 1);
    tp->thread = self;
    g_ptr_array_add(c->threads, tp);
  }
  g_mutex_unlock(&c->lock);
  tls_plans = tp;
  tls_serial = c->serial;
  return tp;
}

static inline gboolean same(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

/* The strings of the levels that count: each is non-NULL when its level counts (verb and
   template aside). */
static gboolean plan_is(const ThrottlePlan *p, guint hash, guint generation, guint levels,
                        const char *const id[ID_N]) {
  if (p->hash != hash || p->generation != generation || p->levels != levels) return FALSE;
  if ((levels & (PLAN_HARD | PLAN_API | PLAN_RES | PLAN_SUB)) &&
      (strcmp(p->id[ID_CONTEXT], id[ID_CONTEXT]) || strcmp(p->id[ID_VERSION], id[ID_VERSION])))
    return FALSE;
  if ((levels & (PLAN_SUB | PLAN_APP)) && strcmp(p->id[ID_APP], id[ID_APP])) return FALSE;
  if ((levels & PLAN_SUB) && strcmp(p->id[ID_SUB_TIER], id[ID_SUB_TIER])) return FALSE;
  if ((levels & PLAN_APP) && strcmp(p->id[ID_APP_TIER], id[ID_APP_TIER])) return FALSE;
  if ((levels & PLAN_API) && strcmp(p->id[ID_API_TIER], id[ID_API_TIER])) return FALSE;
  return !(levels & PLAN_RES) ||
         (!strcmp(p->id[ID_RES_TIER], id[ID_RES_TIER]) && same(p->id[ID_VERB], id[ID_VERB]) &&
          same(p->id[ID_TEMPLATE], id[ID_TEMPLATE]));
}

/* Spreads the plans by caller, route and levels; equality is decided by plan_is (the route's
   strings are hashed by address: they live as long as the route table, and a new table
   only moves its plans to other buckets). */
static guint plan_hash(const char *const id[ID_N], guint levels) {
  guint64 h =
      levels ^ (guint64)(guintptr)id[ID_CONTEXT] ^ ((guint64)(guintptr)id[ID_TEMPLATE] << 7);
  if (id[ID_APP]) h ^= tg_str_hash(id[ID_APP]);
  h *= 0x9E3779B97F4A7C15ULL;
  return (guint)(h >> 32);
}

const ThrottlePlan *plan_cache_get(PlanCache *c, const TgRoute *route, const TgAuthInfo *auth,
                                   PolicySet *policies) {
  guint levels = plan_levels(route, auth);
  if (!levels) return NULL;
  const char *id[ID_N];
  plan_id(route, auth, id);
  guint hash = plan_hash(id, levels), generation = policy_set_generation(policies);
  ThrottlePlan **slot = &thread_plans(c)->bucket[hash & (PLAN_BUCKETS - 1)], *p = *slot;
  if (p && plan_is(p, hash, generation, levels, id)) return p;
  PolicySnapshot *snap = policy_set_acquire(policies);
  p = plan_build(route, auth, snap, levels, hash, generation);
  policy_snapshot_release(snap);
  if (!p) return NULL;
  if (*slot) plan_free(c->store, *slot);
  *slot = p;
  return p;
}

/* ---- custom policies ---- */

void throttle_custom_build(TgRequest *req, const TgRoute *route, const TgAuthInfo *auth,
                           const PolicySnapshot *snap, ThrottleCustom *out) {
  char api[THROTTLE_KEY_MAX];
  const CustomRule *rules = NULL;
  guint count = policy_snapshot_rules(snap, &rules), added = 0, n = 0;
  out->n = 0;
  if (!api_name(api, route)) return;
  PolicySubject subj = {
      .context = route->context,
      .api = api,
      .user = auth->authenticated ? (auth->end_user ? auth->end_user : auth->subscriber) : NULL,
      .application = auth->authenticated ? auth->application_id : NULL,
      .client_ip = tg_request_client_ip(req)};
  Draft d;
  for (guint i = 0; i < count && added < THROTTLE_CUSTOM_MAX; i++) {
    const CustomRule *r = &rules[i];
    char who[POLICY_WHO_MAX];
    const char *header = r->key_by == POLICY_BY_HEADER ? tg_request_header(req, r->header) : NULL;
    if (!policy_rule_who(r, &subj, header, who)) continue;
    added++;
    for (guint b = 0; b < 2; b++) {
      if (!(b ? r->bytes : r->requests)) continue;
      if (!add_check(&d, 0, 1, b ? "CUSTOM_BYTES" : "CUSTOM", r->id, b ? "custom-bytes" : "custom",
                     TG_THROTTLE_CUSTOM_POLICY, who))
        continue;
      out->checks[n] = d.c;
      memcpy(out->key[n], d.key, strlen(d.key) + 1);
      out->keys[n] = (CreditKeyRef){out->key[n], d.c.level, d.c.tier, d.bytes, NULL};
      n++;
    }
  }
  out->n = n;
}
