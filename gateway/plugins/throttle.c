/*
 * throttle: the access-phase plugin that enforces traffic management, the gateway half of
 * "reserve, then spend" (HACKING.md, Traffic management). Each level takes one credit from
 * the credit store; the first refusal answers. Trade-off: the first request of a key in each
 * window waits for one hub round trip; every other one decides from local credit.
 * Order of the checks and design notes: docs/HACKING.md.
 */
#include <stdio.h>
#include <string.h>

#include "block_list.h"
#include "builtin.h"
#include "credit_store.h"
#include "gateway_host.h"
#include "hubside.h"
#include "plugin.h"
#include "policy_set.h"
#include "ratelimit_headers.h"
#include "throttle_plan.h"
#include "tg_hub_client.h"
#include "tg_json.h"
#include "tg_status.h"

extern const TgPlugin tg_plugin_throttle;

/* the plan's levels, then the custom policies' (requests and bytes each) */
#define THROTTLE_CHECKS            (11 + 2 * THROTTLE_CUSTOM_MAX)
#define THROTTLE_TICK_MS           250
#define THROTTLE_REPORT_MS         1000
#define THROTTLE_IDLE_MS           1000 /* credit of a key unused this long goes back to the ledger */
#define THROTTLE_APPLICATION_BURST 900809
#define FAILING_METRIC             "tollgate_gateway_throttle_failing_keys"
#define REFUSED_METRIC             "tollgate_gateway_throttled_total"
#define OVER_QUOTA_METRIC          "tollgate_gateway_over_quota_total"
#define NO_TIER_METRIC             "tollgate_gateway_throttle_unknown_tier_total"

typedef struct {
  HubSide *hs;
  char *gateway_id;
  CreditStore *store;
  BlockList *blocks;
  PolicySet *policies;
  PlanCache *plans;
  gint policy_seen;
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean stopping;
  gint block_seen;
  guint64 batch_seq;
  gint64 started_ms;
  TgSeries *failing_gauge, *refused, *over_quota, *no_tier;
  double failing_shown;
  guint64 no_tier_shown;
  GMutex warned_lock;
  GHashTable *warned; /* "LEVEL tier" the hubs said do not exist, warned about once */
  gint warned_n;      /* its size (atomic): a grant looks in it only when it is not empty */
} Throttle;

typedef enum { CTX_NEW, CTX_WAITING, CTX_RESUMED } CtxState;

/* A bytes key an admitted request spends in the log phase (strings owned). */
typedef struct {
  char *key, *level, *tier;
  gint64 reserved; /* CreditTake.reserved at admission */
} SpendKey;

typedef struct {
  gint refs; /* atomic: the request's, and a waiter's while it waits */
  TgRequest *req;
  gint state; /* CtxState (atomic: the waiter runs on a hub worker) */
  gboolean headers;
  GArray *spend; /* SpendKey: bytes keys of the admitted request, or NULL */
  RateLimitHeaders h;
} ThrottleCtx;

static gint64 now_ms(void) { return g_get_real_time() / 1000; }

static void spend_clear(ThrottleCtx *ctx) {
  for (guint i = 0; ctx->spend && i < ctx->spend->len; i++) {
    SpendKey *k = &g_array_index(ctx->spend, SpendKey, i);
    g_free(k->key);
    g_free(k->level);
    g_free(k->tier);
  }
  if (ctx->spend) g_array_set_size(ctx->spend, 0);
}

/* Contexts of ended requests, kept by the thread that ended them for its next requests:
   a throttled request costs no allocation. Freed with the thread. */
#define CTX_SPARE 16
typedef struct {
  guint n;
  ThrottleCtx *ctx[CTX_SPARE];
} CtxSpare;

static void spare_free(gpointer p) {
  CtxSpare *s = p;
  for (guint i = 0; i < s->n; i++) g_free(s->ctx[i]);
  g_free(s);
}

static GPrivate spare_key = G_PRIVATE_INIT(spare_free);
static __thread CtxSpare *spare; /* this thread's, once it ended a request (spare_key's) */

static void ctx_release(gpointer p) {
  ThrottleCtx *ctx = p;
  if (!g_atomic_int_dec_and_test(&ctx->refs)) return;
  if (ctx->spend) {
    spend_clear(ctx);
    g_array_unref(ctx->spend);
  }
  if (G_UNLIKELY(!spare)) {
    spare = g_new0(CtxSpare, 1);
    g_private_set(&spare_key, spare);
  }
  if (spare->n < CTX_SPARE)
    spare->ctx[spare->n++] = ctx;
  else
    g_free(ctx);
}

static void ctx_hold(gpointer p) { g_atomic_int_inc(&((ThrottleCtx *)p)->refs); }

/* The request's context, new or a spare (not zeroed: the header text is written before it
   is read). */
static ThrottleCtx *ctx_new(TgRequest *req) {
  ThrottleCtx *ctx = spare && spare->n ? spare->ctx[--spare->n] : g_new(ThrottleCtx, 1);
  ctx->refs = 1;
  ctx->req = req;
  ctx->state = CTX_NEW;
  ctx->headers = FALSE;
  ctx->spend = NULL;
  tg_request_set_plugin_ctx(req, &tg_plugin_throttle, ctx, ctx_release);
  return ctx;
}

/* A refill came back (hub worker thread): run the paused request's access phase again. */
static void waiter_cb(gpointer data) {
  ThrottleCtx *ctx = data;
  if (g_atomic_int_compare_and_exchange(&ctx->state, CTX_WAITING, CTX_RESUMED))
    tg_request_resume(ctx->req);
  ctx_release(ctx);
}

/* ---- refills ---- */

typedef struct {
  Throttle *t;
  char *key, *level, *tier;
  gint64 amount;
  CreditGrantInfo info;
} RefillJob;

static void grant_read(RefillJob *job, GPtrArray *grants) {
  TgCreditGrant *g = grants->len ? g_ptr_array_index(grants, 0) : NULL;
  if (!g) return;
  job->info = (CreditGrantInfo){.ok = TRUE,
                                .granted = g->granted,
                                .window_start = g->windowStart,
                                .window_end = g->windowEnd,
                                .limit = g->limit,
                                .remaining = g->remaining,
                                .gateways = g->gatewaysSeen};
  tg_fail_mode_parse(g->failMode, &job->info.fail_mode);
  job->info.let_through = g->__isset_stopOnQuotaReach && !g->stopOnQuotaReach;
}

static HubCallResult refill_run(void *conn, void *data, GError **error) {
  RefillJob *job = data;
  g_autoptr(GPtrArray) reqs = g_ptr_array_new_with_free_func(g_object_unref);
  g_ptr_array_add(reqs, g_object_new(TG_TYPE_CREDIT_REQUEST, "key", job->key, "level", job->level,
                                     "tier", job->tier, "requested", job->amount, NULL));
  g_autoptr(GPtrArray) grants = g_ptr_array_new_with_free_func(g_object_unref);
  TgTollgateException *exc = NULL;
  gboolean ok =
      tg_tollgate_if_grant_credits(tg_hub_client_iface(conn), &grants, tg_hub_client_session(conn),
                                   job->t->gateway_id, reqs, &exc, error);
  HubCallResult r =
      hub_call_result(ok, error ? *error : NULL, exc ? G_OBJECT(exc) : NULL,
                      exc ? exc->message : NULL, exc && exc->__isset_code ? exc->code : -1);
  if (exc && error) {
    g_clear_error(error);
    g_set_error(error, HUB_POOL_ERROR, HUB_POOL_ERROR_CALL, "grantCredits: %s",
                exc->message ? exc->message : "");
  }
  if (ok) grant_read(job, grants);
  job->info.no_tier = exc && exc->__isset_code && exc->code == 404; /* a hub answered */
  g_clear_object(&exc);
  return r;
}

static void refill_job_free(RefillJob *job) {
  g_free(job->key);
  g_free(job->level);
  g_free(job->tier);
  g_free(job);
}

/* A hub answered that a key's tier does not exist (no_tier) or granted under it: warned once
   per level and tier name (a tier's requests and burst keys are one tier) until a grant shows
   the tier exists (the answer comes back at most every 30 s per key: not per request). The
   name is shown escaped: a row written by SQL may hold any byte. */
static void no_tier_note(Throttle *t, const char *key_level, const char *tier, gboolean no_tier) {
  if (!no_tier && g_atomic_int_get(&t->warned_n) == 0) return;
  TgCreditMeasure measure;
  const char *level = key_level ? tg_credit_level_parse(key_level, &measure) : NULL;
  if (!level) level = key_level;
  g_autofree char *name = g_strdup_printf("%s %s", level ? level : "", tier ? tier : "");
  g_mutex_lock(&t->warned_lock);
  gboolean first = no_tier && !g_hash_table_contains(t->warned, name);
  if (first)
    g_hash_table_add(t->warned, g_steal_pointer(&name));
  else if (!no_tier)
    g_hash_table_remove(t->warned, name);
  g_atomic_int_set(&t->warned_n, (gint)g_hash_table_size(t->warned));
  g_mutex_unlock(&t->warned_lock);
  if (!first) return;
  g_autofree char *shown = g_strescape(tier ? tier : "", NULL);
  const char *what = !level                              ? "tier"
                     : g_str_has_prefix(level, "CUSTOM") ? "custom policy"
                     : g_str_equal(level, "HARD")        ? "API (hard limit)"
                                                         : "tier";
  g_warning(
      "throttle: %s %s '%s' does not exist on the hubs (grantCredits answered 404): its"
      " keys are not limited until it is created",
      level ? level : "?", what, shown);
}

static void refill_done(void *data, const GError *error) {
  RefillJob *job = data;
  if (job->info.no_tier || job->info.ok)
    no_tier_note(job->t, job->level, job->tier, job->info.no_tier);
  else if (error)
    g_info("throttle: refill of %s: %s", job->key, error->message);
  g_debug("throttle: refill of %s: asked %" G_GINT64_FORMAT " granted %" G_GINT64_FORMAT
          " left %" G_GINT64_FORMAT,
          job->key, job->amount, job->info.granted, job->info.remaining);
  credit_store_granted(job->t->store, job->key, &job->info, now_ms());
  refill_job_free(job);
}

static void refill_submit(Throttle *t, const char *key, const char *level, const char *tier,
                          gint64 amount) {
  RefillJob *job = g_new0(RefillJob, 1);
  job->t = t;
  job->key = g_strdup(key);
  job->level = g_strdup(level);
  job->tier = g_strdup(tier);
  job->amount = amount;
  if (!hub_pool_submit(t->hs->pool, "grantCredits", refill_run, refill_done, job, NULL))
    refill_done(job, NULL); /* info.ok FALSE: no hub is up */
}

/* ---- the checks of one request ---- */

/* "ctx:version" into out ("" when too long). */
static void api_text(char out[THROTTLE_KEY_MAX], const TgRoute *route) {
  gsize a = strlen(route->context), b = strlen(route->version);
  out[0] = '\0';
  if (a + b + 2 > THROTTLE_KEY_MAX) return;
  memcpy(out, route->context, a);
  out[a] = ':';
  memcpy(out + a + 1, route->version, b + 1);
}

static gboolean blocked(Throttle *t, TgRequest *req, const TgRoute *route, const TgAuthInfo *auth) {
  if (block_list_empty(t->blocks)) return FALSE;
  char api[THROTTLE_KEY_MAX], app[THROTTLE_KEY_MAX];
  api_text(api, route);
  gboolean authed = auth->authenticated && auth->subscriber && auth->application_name;
  if (authed) g_snprintf(app, sizeof app, "%s:%s", auth->subscriber, auth->application_name);
  BlockSubject s = {
      .api = api,
      .application = authed ? app : NULL,
      .user = auth->authenticated ? (auth->end_user ? auth->end_user : auth->subscriber) : NULL,
      .client_ip = tg_request_client_ip(req)};
  return block_list_match(t->blocks, &s);
}

static TgPluginStatus refuse(Throttle *t, TgRequest *req, ThrottleCtx *ctx, const ThrottleCheck *c,
                             const CreditTake *take, gint64 now) {
  const TgStatusInfo *info = tg_status_lookup(c->code);
  int status = c->code == THROTTLE_APPLICATION_BURST ? 429 : info->http_status;
  gint64 reset = take->reset_ms > now ? take->reset_ms : now + 1000;
  char next[48], retry[24];
  ratelimit_next_access_time(reset, next);
  ctx->headers = take->limit > 0; /* the refusing policy's headers, set with the answer */
  if (ctx->headers)
    ratelimit_headers_format(&ctx->h, c->name, take->limit, 0, take->window_ms, reset, now);
  snprintf(retry, sizeof retry, "%" G_GINT64_FORMAT, ratelimit_seconds_until(now, reset));
  tg_request_set_response_header(req, "Retry-After", retry);
  g_autoptr(GString) body = g_string_new("{\"fault\":{");
  tg_json_member_int(body, "code", c->code);
  tg_json_member_string(
      body, "message",
      c->code == THROTTLE_APPLICATION_BURST ? "Burst Control Limit Reached" : info->message);
  tg_json_member_string(body, "description",
                        c->code == THROTTLE_APPLICATION_BURST
                            ? "The application's burst limit is exceeded"
                            : info->description);
  tg_json_member_string(body, "nextAccessTime", next);
  g_string_append(body, "}}");
  tg_request_respond(req, status, "application/json", body->str, body->len);
  if (t->refused) tg_series_add(t->refused, 1);
  return TG_PLUGIN_DONE;
}

/* The bytes keys of an admitted request, for the log phase. */
static void spend_keep(ThrottleCtx *ctx, const CreditKeyRef *keys, const CreditTake *takes,
                       guint n) {
  spend_clear(ctx);
  for (guint i = 0; i < n; i++) {
    if (!keys[i].bytes) continue;
    if (!ctx->spend) ctx->spend = g_array_new(FALSE, FALSE, sizeof(SpendKey));
    SpendKey k = {g_strdup(keys[i].key), g_strdup(keys[i].level), g_strdup(keys[i].tier),
                  takes[i].reserved};
    g_array_append_val(ctx->spend, k);
  }
}

/* An admitted request: over quota marked, and the headers of the tightest policy (the least
   left of its limit; the headers speak of requests, not bytes). */
static void admitted(Throttle *t, TgRequest *req, ThrottleCtx *ctx, const ThrottleCheck *checks,
                     const CreditKeyRef *keys, const CreditTake *takes, guint n, gint64 now) {
  guint best = n;
  double best_left = 2.0;
  gboolean over = FALSE, bytes = FALSE;
  for (guint i = 0; i < n; i++) {
    over |= takes[i].over_quota;
    bytes |= keys[i].bytes;
    if (takes[i].limit <= 0 || keys[i].bytes) continue;
    double left = (double)takes[i].remaining / (double)takes[i].limit;
    if (best < n && left >= best_left) continue;
    best_left = left;
    best = i;
  }
  if (bytes || ctx->spend) spend_keep(ctx, keys, takes, n);
  if (over) {
    tg_request_set_over_quota(req); /* usage counts it in overQuotaCount */
    if (t->over_quota) tg_series_add(t->over_quota, 1);
  }
  if (best < n) {
    ctx->headers = TRUE;
    ratelimit_headers_format(&ctx->h, checks[best].name, takes[best].limit, takes[best].remaining,
                             takes[best].window_ms, takes[best].reset_ms, now);
  }
}

static TgPluginStatus check_all(Throttle *t, TgRequest *req, ThrottleCtx *ctx,
                                const ThrottleCheck *checks, const CreditKeyRef *keys, guint n) {
  CreditTake takes[THROTTLE_CHECKS];
  gint64 now = now_ms();
  guint at = 0;
  ctx->headers = FALSE;
  g_atomic_int_set(&ctx->state, CTX_WAITING); /* before the waiter can run */
  CreditResult r =
      credit_store_take_all_held(t->store, keys, n, now, waiter_cb, ctx_hold, ctx, takes, &at);
  if (r != CREDIT_WAIT) g_atomic_int_set(&ctx->state, CTX_NEW);
  for (guint i = 0; i <= at && i < n; i++)
    if (takes[i].refill > 0)
      refill_submit(t, keys[i].key, keys[i].level, keys[i].tier, takes[i].refill);
  if (r == CREDIT_WAIT) return TG_PLUGIN_AGAIN;
  if (r == CREDIT_REFUSED) return refuse(t, req, ctx, &checks[at], &takes[at], now);
  admitted(t, req, ctx, checks, keys, takes, n, now);
  return TG_PLUGIN_CONTINUE;
}

/* The plan's keys, then the custom policies' (copied: a request with custom keys is rarer). */
static TgPluginStatus check_plan_custom(Throttle *t, TgRequest *req, ThrottleCtx *ctx,
                                        const ThrottlePlan *plan, const ThrottleCustom *custom) {
  ThrottleCheck checks[THROTTLE_CHECKS];
  CreditKeyRef keys[THROTTLE_CHECKS];
  guint n = 0;
  for (guint i = 0; plan && i < plan->n && n < THROTTLE_CHECKS; i++, n++) {
    checks[n] = plan->checks[i];
    keys[n] = plan->keys[i];
  }
  for (guint i = 0; i < custom->n && n < THROTTLE_CHECKS; i++, n++) {
    checks[n] = custom->checks[i];
    keys[n] = custom->keys[i];
  }
  if (n == 0) return TG_PLUGIN_CONTINUE;
  return check_all(t, req, ctx, checks, keys, n);
}

static TgPluginStatus throttle_access(void *state, TgRequest *req) {
  Throttle *t = state;
  const TgRoute *route = tg_request_route(req);
  if (!route) return TG_PLUGIN_CONTINUE;
  ThrottleCtx *ctx = tg_request_plugin_ctx(req, &tg_plugin_throttle);
  if (ctx && g_atomic_int_get(&ctx->state) == CTX_WAITING) return TG_PLUGIN_AGAIN;
  const TgAuthInfo *auth = tg_request_auth(req);
  if (blocked(t, req, route, auth)) {
    tg_request_fault(req, TG_THROTTLE_BLOCKED, NULL);
    if (t->refused) tg_series_add(t->refused, 1);
    return TG_PLUGIN_DONE;
  }
  const ThrottlePlan *plan = plan_cache_get(t->plans, route, auth, t->policies);
  PolicySnapshot *snap = policy_set_has_rules(t->policies) ? policy_set_acquire(t->policies) : NULL;
  if (!plan && !snap) return TG_PLUGIN_CONTINUE;
  if (!ctx) ctx = ctx_new(req);
  TgPluginStatus st;
  if (!snap) {
    st = plan->n ? check_all(t, req, ctx, plan->checks, plan->keys, plan->n) : TG_PLUGIN_CONTINUE;
  } else {
    ThrottleCustom *custom = g_new(ThrottleCustom, 1);
    throttle_custom_build(req, route, auth, snap, custom);
    st = check_plan_custom(t, req, ctx, plan, custom);
    g_free(custom);
  }
  policy_snapshot_release(snap);
  return st;
}

/* The response is done: its body bytes, as sent to the client, spent from each bytes key. */
static void throttle_log(void *state, TgRequest *req) {
  Throttle *t = state;
  ThrottleCtx *ctx = tg_request_plugin_ctx(req, &tg_plugin_throttle);
  if (!ctx || !ctx->spend || ctx->spend->len == 0) return;
  gint64 bytes = (gint64)tg_request_bytes_out(req), now = now_ms();
  for (guint i = 0; i < ctx->spend->len; i++) {
    SpendKey *k = &g_array_index(ctx->spend, SpendKey, i);
    gint64 refill = credit_store_spend(t->store, k->key, k->reserved, bytes, now);
    if (refill > 0) refill_submit(t, k->key, k->level, k->tier, refill);
  }
  spend_clear(ctx);
}

/* The headers of an admitted request: not copied, the text stays in the context. */
static void throttle_response_headers(void *state, TgRequest *req) {
  (void)state;
  ThrottleCtx *ctx = tg_request_plugin_ctx(req, &tg_plugin_throttle);
  if (!ctx || !ctx->headers) return;
  tg_request_add_response_headers_len(req, ratelimit_header_names, ratelimit_header_lens,
                                      ctx->h.value, ctx->h.len, RATELIMIT_HEADERS);
}

/* ---- the reporting thread ---- */

static HubCallResult exc_result(gboolean ok, GError **error, TgTollgateException *exc,
                                const char *method) {
  HubCallResult r =
      hub_call_result(ok, error ? *error : NULL, exc ? G_OBJECT(exc) : NULL,
                      exc ? exc->message : NULL, exc && exc->__isset_code ? exc->code : -1);
  if (exc && error) {
    g_clear_error(error);
    g_set_error(error, HUB_POOL_ERROR, HUB_POOL_ERROR_CALL, "%s: %s", method,
                exc->message ? exc->message : "");
  }
  return r;
}

typedef struct {
  Throttle *t;
  GPtrArray *reports; /* TgCreditReport */
  char batch_id[128];
  GPtrArray *conditions;
} ReportCall;

static HubCallResult report_run(void *conn, void *data, GError **error) {
  ReportCall *rc = data;
  TgTollgateException *exc = NULL;
  gboolean ok =
      tg_tollgate_if_report_credits(tg_hub_client_iface(conn), tg_hub_client_session(conn),
                                    rc->t->gateway_id, rc->reports, rc->batch_id, &exc, error);
  HubCallResult r = exc_result(ok, error, exc, "reportCredits");
  g_clear_object(&exc);
  return r;
}

static void report_send(Throttle *t, gint64 now) {
  g_autoptr(GPtrArray) lines = credit_store_drain_reports(t->store, now, THROTTLE_IDLE_MS);
  if (lines->len == 0) return;
  ReportCall rc = {.t = t, .reports = g_ptr_array_new_with_free_func(g_object_unref)};
  for (guint i = 0; i < lines->len && i < 1000; i++) {
    CreditReportLine *l = g_ptr_array_index(lines, i);
    g_ptr_array_add(rc.reports,
                    g_object_new(TG_TYPE_CREDIT_REPORT, "key", l->key, "windowStart",
                                 l->window_start, "used", l->used, "unused", l->unused, NULL));
  }
  snprintf(rc.batch_id, sizeof rc.batch_id, "%.64s-%" G_GINT64_FORMAT "-%" G_GUINT64_FORMAT,
           t->gateway_id, t->started_ms, ++t->batch_seq);
  g_autoptr(GError) error = NULL;
  if (!hub_pool_call(t->hs->pool, "reportCredits", report_run, &rc, &error)) {
    g_info("throttle: credit report not delivered (%s): kept for the next one", error->message);
    credit_store_requeue(t->store, lines);
  }
  g_ptr_array_unref(rc.reports);
}

static HubCallResult blocks_run(void *conn, void *data, GError **error) {
  ReportCall *rc = data;
  TgTollgateException *exc = NULL;
  g_ptr_array_set_size(rc->conditions, 0);
  gboolean ok = tg_tollgate_if_list_block_conditions(tg_hub_client_iface(conn), &rc->conditions,
                                                     tg_hub_client_session(conn), &exc, error);
  HubCallResult r = exc_result(ok, error, exc, "listBlockConditions");
  g_clear_object(&exc);
  return r;
}

static void blocks_reload(Throttle *t) {
  gint seen = g_atomic_int_get(&t->hs->block_changes);
  if (seen == t->block_seen) return;
  ReportCall rc = {.t = t, .conditions = g_ptr_array_new_with_free_func(g_object_unref)};
  g_autoptr(GError) error = NULL;
  if (hub_pool_call(t->hs->pool, "listBlockConditions", blocks_run, &rc, &error)) {
    guint n = rc.conditions->len;
    g_autofree const char **kinds = g_new0(const char *, n + 1);
    g_autofree const char **values = g_new0(const char *, n + 1);
    for (guint i = 0; i < n; i++) {
      TgBlockCondition *c = g_ptr_array_index(rc.conditions, i);
      kinds[i] = c->kind;
      values[i] = c->value;
    }
    block_list_set(t->blocks, kinds, values, n);
    t->block_seen = seen;
    g_message("throttle: %u blocking condition(s) in force", n);
  } else {
    g_warning("throttle: blocking conditions not reloaded: %s", error->message);
  }
  g_ptr_array_unref(rc.conditions);
}

typedef struct {
  GPtrArray *policies; /* TgCustomPolicy */
  GPtrArray *tiers;    /* TgTier */
} PolicyCall;

static HubCallResult policies_run(void *conn, void *data, GError **error) {
  PolicyCall *pc = data;
  TgTollgateException *exc = NULL;
  g_ptr_array_set_size(pc->policies, 0);
  g_ptr_array_set_size(pc->tiers, 0);
  gboolean ok = tg_tollgate_if_list_custom_policies(tg_hub_client_iface(conn), &pc->policies,
                                                    tg_hub_client_session(conn), &exc, error) &&
                tg_tollgate_if_list_tiers(tg_hub_client_iface(conn), &pc->tiers,
                                          tg_hub_client_session(conn), &exc, error);
  HubCallResult r = exc_result(ok, error, exc, "listCustomPolicies");
  g_clear_object(&exc);
  return r;
}

/* The custom policies and the tiers that count bytes, after a POLICY_CHANGED. */
static void policies_reload(Throttle *t) {
  gint seen = g_atomic_int_get(&t->hs->policy_changes);
  if (seen == t->policy_seen) return;
  credit_store_tiers_changed(t->store); /* a tier that did not exist may now */
  PolicyCall pc = {g_ptr_array_new_with_free_func(g_object_unref),
                   g_ptr_array_new_with_free_func(g_object_unref)};
  g_autoptr(GError) error = NULL;
  if (hub_pool_call(t->hs->pool, "listCustomPolicies", policies_run, &pc, &error)) {
    guint n = pc.policies->len;
    g_autofree CustomRuleDef *defs = g_new0(CustomRuleDef, n + 1);
    for (guint i = 0; i < n; i++) {
      TgCustomPolicy *p = g_ptr_array_index(pc.policies, i);
      defs[i] = (CustomRuleDef){p->id,         p->keyBy,        p->headerName,
                                p->apiContext, p->requestCount, p->bytesCount};
    }
    guint nt = pc.tiers->len, bandwidth = 0;
    g_autofree TierDef *tiers = g_new0(TierDef, nt + 1);
    for (guint i = 0; i < nt; i++) {
      TgTier *tier = g_ptr_array_index(pc.tiers, i);
      tiers[i] = (TierDef){tier->level, tier->name, tier->bytesCount > 0, tier->burstCount > 0};
      bandwidth += tiers[i].bytes;
    }
    policy_set_replace(t->policies, defs, n, tiers, nt);
    t->policy_seen = seen;
    g_message("throttle: %u custom policies and %u bandwidth tier(s) in force", n, bandwidth);
  } else {
    g_warning("throttle: custom policies not reloaded: %s", error->message);
  }
  g_ptr_array_unref(pc.policies);
  g_ptr_array_unref(pc.tiers);
}

static void failing_show(Throttle *t) {
  double n = credit_store_failing(t->store);
  if (n == t->failing_shown) return;
  if (t->failing_gauge) tg_series_add(t->failing_gauge, n - t->failing_shown);
  if (t->failing_shown == 0)
    g_warning("throttle: hubs unreachable: %.0f key(s) on their tier's fail mode", n);
  else if (n == 0)
    g_message("throttle: hubs reachable again: every key counts against the ledger");
  t->failing_shown = n;
}

static void no_tier_show(Throttle *t) {
  guint64 n = credit_store_no_tier_admitted(t->store);
  if (n == t->no_tier_shown) return;
  if (t->no_tier) tg_series_add(t->no_tier, (double)(n - t->no_tier_shown));
  t->no_tier_shown = n;
}

static gpointer reporter_main(gpointer p) {
  Throttle *t = p;
  gint64 last_report = 0;
  for (;;) {
    g_mutex_lock(&t->lock);
    gint64 until = g_get_monotonic_time() + THROTTLE_TICK_MS * 1000;
    while (!t->stopping && g_cond_wait_until(&t->cond, &t->lock, until)) {
    }
    gboolean stop = t->stopping;
    g_mutex_unlock(&t->lock);
    gint64 now = now_ms();
    if (stop || now - last_report >= THROTTLE_REPORT_MS) {
      report_send(t, now);
      last_report = now;
    }
    if (stop) break;
    blocks_reload(t);
    policies_reload(t);
    failing_show(t);
    no_tier_show(t);
  }
  return NULL;
}

static void *throttle_init(TgPluginHost *host, TgConfig *cfg, const char *group, GError **error) {
  (void)cfg;
  (void)group;
  if (!host->hubside) {
    g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID,
                "throttle needs the gateway's hub side ([hubs] configuration)");
    return NULL;
  }
  Throttle *t = g_new0(Throttle, 1);
  t->hs = host->hubside;
  t->gateway_id = g_strdup(host->gateway_id ? host->gateway_id : "gateway");
  t->store = credit_store_new();
  t->blocks = block_list_new();
  t->block_seen = -1;
  t->policies = policy_set_new();
  t->plans = plan_cache_new(t->store);
  t->policy_seen = -1;
  t->started_ms = now_ms();
  g_mutex_init(&t->lock);
  g_cond_init(&t->cond);
  g_mutex_init(&t->warned_lock);
  t->warned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  if (host->metrics) {
    tg_metrics_describe(host->metrics, FAILING_METRIC, TG_METRIC_GAUGE,
                        "Throttle keys answering by their tier's fail mode (hubs unreachable)");
    tg_metrics_describe(host->metrics, REFUSED_METRIC, TG_METRIC_COUNTER,
                        "Requests refused by the throttle plugin (429, 503, 403)");
    t->failing_gauge = tg_metrics_series(host->metrics, FAILING_METRIC, NULL);
    t->refused = tg_metrics_series(host->metrics, REFUSED_METRIC, NULL);
    tg_metrics_describe(host->metrics, OVER_QUOTA_METRIC, TG_METRIC_COUNTER,
                        "Requests let through over a quota (tiers that do not stop on quota)");
    t->over_quota = tg_metrics_series(host->metrics, OVER_QUOTA_METRIC, NULL);
    tg_metrics_describe(host->metrics, NO_TIER_METRIC, TG_METRIC_COUNTER,
                        "Requests admitted on a key whose tier does not exist on the hubs"
                        " (not limited)");
    t->no_tier = tg_metrics_series(host->metrics, NO_TIER_METRIC, NULL);
  }
  blocks_reload(t);
  policies_reload(t);
  t->thread = g_thread_new("throttle-report", reporter_main, t);
  return t;
}

static void throttle_destroy(void *state) {
  Throttle *t = state;
  if (!t) return;
  g_mutex_lock(&t->lock);
  t->stopping = TRUE;
  g_cond_signal(&t->cond);
  g_mutex_unlock(&t->lock);
  g_thread_join(t->thread);
  g_cond_clear(&t->cond);
  g_mutex_clear(&t->lock);
  g_hash_table_destroy(t->warned);
  g_mutex_clear(&t->warned_lock);
  plan_cache_free(t->plans);
  credit_store_free(t->store);
  block_list_free(t->blocks);
  policy_set_free(t->policies);
  g_free(t->gateway_id);
  g_free(t);
}

const TgPlugin tg_plugin_throttle = {
    .abi_version = TG_PLUGIN_ABI_VERSION,
    .name = "throttle",
    .init = throttle_init,
    .destroy = throttle_destroy,
    .access = throttle_access,
    .response_headers = throttle_response_headers,
    .log = throttle_log,
};
