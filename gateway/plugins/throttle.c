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
#include "tg_hub_client.h"
#include "tg_json.h"
#include "tg_status.h"

extern const TgPlugin tg_plugin_throttle;

#define THROTTLE_KEY_MAX    512
#define THROTTLE_CUSTOM_MAX 8 /* custom policies applied to one request, at most */
/* hard limit, API (+ bytes), resource (+ bytes), subscription (+ burst, bytes), application
   (+ burst, bytes), custom policies (requests and bytes each) */
#define THROTTLE_CHECKS            (11 + 2 * THROTTLE_CUSTOM_MAX)
#define THROTTLE_TICK_MS           250
#define THROTTLE_REPORT_MS         1000
#define THROTTLE_IDLE_MS           1000 /* credit of a key unused this long goes back to the ledger */
#define THROTTLE_APPLICATION_BURST 900809
#define FAILING_METRIC             "tollgate_gateway_throttle_failing_keys"
#define REFUSED_METRIC             "tollgate_gateway_throttled_total"
#define OVER_QUOTA_METRIC          "tollgate_gateway_over_quota_total"

typedef struct {
  HubSide *hs;
  char *gateway_id;
  CreditStore *store;
  BlockList *blocks;
  PolicySet *policies;
  gint policy_seen;
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean stopping;
  gint block_seen;
  guint64 batch_seq;
  gint64 started_ms;
  TgSeries *failing_gauge, *refused, *over_quota;
  double failing_shown;
} Throttle;

typedef enum { CTX_NEW, CTX_WAITING, CTX_RESUMED } CtxState;

/* One level a request is checked at. */
typedef struct {
  const char *level; /* for the hub: SUBSCRIPTION, APPLICATION_BURST, CUSTOM_BYTES, ... */
  const char *tier;
  const char *name; /* the RateLimit policy's name */
  int code;
  gboolean bytes; /* counts response bytes, spent in the log phase */
  char key[THROTTLE_KEY_MAX];
} Check;

/* A bytes key an admitted request spends in the log phase (strings owned). */
typedef struct {
  char *key, *level, *tier;
  gint64 reserved; /* CreditTake.reserved at admission */
} SpendKey;

typedef struct {
  TgRequest *req;
  gint state; /* CtxState (atomic: the waiter runs on a hub worker) */
  gboolean headers;
  RateLimitHeaders h;
  GArray *spend; /* SpendKey: bytes keys of the admitted request, or NULL */
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

static void ctx_clear(gpointer p) {
  ThrottleCtx *ctx = p;
  spend_clear(ctx);
  if (ctx->spend) g_array_unref(ctx->spend);
}

static void ctx_release(gpointer p) { g_atomic_rc_box_release_full(p, ctx_clear); }

static ThrottleCtx *ctx_get(TgRequest *req) {
  ThrottleCtx *ctx = tg_request_plugin_ctx(req, &tg_plugin_throttle);
  if (ctx) return ctx;
  ctx = g_atomic_rc_box_new0(ThrottleCtx);
  ctx->req = req;
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
  g_clear_object(&exc);
  return r;
}

static void refill_job_free(RefillJob *job) {
  g_free(job->key);
  g_free(job->level);
  g_free(job->tier);
  g_free(job);
}

static void refill_done(void *data, const GError *error) {
  RefillJob *job = data;
  if (error) g_info("throttle: refill of %s: %s", job->key, error->message);
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

static gboolean tier_counts(const char *tier) {
  return tier && *tier && strcmp(tier, "Unlimited") != 0;
}

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

static guint add_check(Check *checks, guint n, const char *level, const char *tier,
                       const char *name, int code, const char *who) {
  if (!tier_counts(tier) || n >= THROTTLE_CHECKS) return n;
  Check *c = &checks[n];
  c->level = level;
  c->tier = tier;
  c->name = name;
  c->code = code;
  c->bytes = strstr(level, "_BYTES") != NULL;
  const char *const pieces[] = {level, tier, who, NULL};
  return key_join(c->key, pieces) ? n + 1 : n;
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
   bytes when it counts bytes; a tier the list says has no burst costs no burst lookup. */
static guint add_tier_checks(Check *checks, guint n, const PolicySnapshot *snap, const LevelSpec *l,
                             const char *tier, const char *who) {
  if (!tier_counts(tier)) return n;
  guint flags = policy_snapshot_tier(snap, l->lv, tier);
  n = add_check(checks, n, l->level, tier, l->name, l->code, who);
  if (l->burst && (flags & (TIER_BURST | TIER_UNKNOWN)))
    n = add_check(checks, n, l->burst, tier, l->burst_name, l->burst_code, who);
  if (flags & TIER_BYTES) n = add_check(checks, n, l->bytes, tier, l->bytes_name, l->code, who);
  return n;
}

/* The custom policies that apply to this request, after every tier. */
static guint add_custom_checks(TgRequest *req, const TgRoute *route, const TgAuthInfo *auth,
                               const PolicySnapshot *snap, const char *api, Check *checks,
                               guint n) {
  const CustomRule *rules = NULL;
  guint count = policy_snapshot_rules(snap, &rules), added = 0;
  PolicySubject subj = {
      .context = route->context,
      .api = api,
      .user = auth->authenticated ? (auth->end_user ? auth->end_user : auth->subscriber) : NULL,
      .application = auth->authenticated ? auth->application_id : NULL,
      .client_ip = tg_request_client_ip(req)};
  for (guint i = 0; i < count && added < THROTTLE_CUSTOM_MAX; i++) {
    const CustomRule *r = &rules[i];
    char who[POLICY_WHO_MAX];
    const char *header = r->key_by == POLICY_BY_HEADER ? tg_request_header(req, r->header) : NULL;
    if (!policy_rule_who(r, &subj, header, who)) continue;
    added++;
    if (r->requests)
      n = add_check(checks, n, "CUSTOM", r->id, "custom", TG_THROTTLE_CUSTOM_POLICY, who);
    if (r->bytes)
      n = add_check(checks, n, "CUSTOM_BYTES", r->id, "custom-bytes", TG_THROTTLE_CUSTOM_POLICY,
                    who);
  }
  return n;
}

/* The levels of this request in enforcement order. api: the caller's buffer for
   "ctx:version", which the hard limit's check names as its tier (it must outlive checks).
   snap: the custom policies and bytes tiers (NULL: none). */
static guint build_checks(TgRequest *req, const TgRoute *route, const TgAuthInfo *auth,
                          const PolicySnapshot *snap, Check checks[THROTTLE_CHECKS],
                          char api[THROTTLE_KEY_MAX]) {
  char who[THROTTLE_KEY_MAX];
  guint n = 0;
  if (!api_name(api, route)) return 0;
  if (route->hard_limit && *route->hard_limit) /* the tier sent to the hub names the API */
    n = add_check(checks, n, "HARD", api, "hard", TG_THROTTLE_HARD_LIMIT, api);
  n = add_tier_checks(checks, n, snap, &level_api, route->api_tier, api);
  const char *const res[] = {api, route->verb ? route->verb : "",
                             route->uri_template ? route->uri_template : "", NULL};
  if (tier_counts(route->throttling_tier) && key_join(who, res))
    n = add_tier_checks(checks, n, snap, &level_resource, route->throttling_tier, who);
  if (auth->authenticated && auth->application_id) {
    const char *const sub[] = {auth->application_id, api, NULL};
    if (key_join(who, sub))
      n = add_tier_checks(checks, n, snap, &level_subscription, auth->subscription_tier, who);
    n = add_tier_checks(checks, n, snap, &level_application, auth->application_tier,
                        auth->application_id);
  }
  if (snap) n = add_custom_checks(req, route, auth, snap, api, checks, n);
  return n;
}

static gboolean blocked(Throttle *t, TgRequest *req, const TgRoute *route, const TgAuthInfo *auth) {
  if (block_list_empty(t->blocks)) return FALSE;
  char api[THROTTLE_KEY_MAX], app[THROTTLE_KEY_MAX];
  if (!api_name(api, route)) api[0] = '\0';
  gboolean authed = auth->authenticated && auth->subscriber && auth->application_name;
  if (authed) g_snprintf(app, sizeof app, "%s:%s", auth->subscriber, auth->application_name);
  BlockSubject s = {
      .api = api,
      .application = authed ? app : NULL,
      .user = auth->authenticated ? (auth->end_user ? auth->end_user : auth->subscriber) : NULL,
      .client_ip = tg_request_client_ip(req)};
  return block_list_match(t->blocks, &s);
}

static TgPluginStatus refuse(Throttle *t, TgRequest *req, ThrottleCtx *ctx, const Check *c,
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

/* The tightest policy so far: the least left of its limit. */
static void keep_tightest(const Check *c, const CreditTake *take, double *best,
                          const Check **best_check, CreditTake *best_take) {
  if (take->limit <= 0 || c->bytes) return; /* the headers speak of requests */
  double left = (double)take->remaining / (double)take->limit;
  if (*best_check && left >= *best) return;
  *best = left;
  *best_check = c;
  *best_take = *take;
}

/* The bytes keys of an admitted request, for the log phase. */
static void spend_keep(ThrottleCtx *ctx, const Check *checks, const CreditTake *takes, guint n) {
  spend_clear(ctx);
  for (guint i = 0; i < n; i++) {
    if (!checks[i].bytes) continue;
    if (!ctx->spend) ctx->spend = g_array_new(FALSE, FALSE, sizeof(SpendKey));
    SpendKey k = {g_strdup(checks[i].key), g_strdup(checks[i].level), g_strdup(checks[i].tier),
                  takes[i].reserved};
    g_array_append_val(ctx->spend, k);
  }
}

static TgPluginStatus check_all(Throttle *t, TgRequest *req, ThrottleCtx *ctx, Check *checks,
                                guint n) {
  CreditKeyRef keys[THROTTLE_CHECKS];
  CreditTake takes[THROTTLE_CHECKS];
  for (guint i = 0; i < n; i++)
    keys[i] = (CreditKeyRef){checks[i].key, checks[i].level, checks[i].tier, checks[i].bytes};
  gint64 now = now_ms();
  guint at = 0;
  ctx->headers = FALSE;
  g_atomic_int_set(&ctx->state, CTX_WAITING);
  CreditResult r = credit_store_take_all(t->store, keys, n, now, waiter_cb,
                                         g_atomic_rc_box_acquire(ctx), takes, &at);
  if (r != CREDIT_WAIT) {
    g_atomic_int_set(&ctx->state, CTX_NEW);
    ctx_release(ctx); /* the waiter reference was not used */
  }
  for (guint i = 0; i <= at && i < n; i++)
    if (takes[i].refill > 0)
      refill_submit(t, checks[i].key, checks[i].level, checks[i].tier, takes[i].refill);
  if (r == CREDIT_WAIT) return TG_PLUGIN_AGAIN;
  if (r == CREDIT_REFUSED) return refuse(t, req, ctx, &checks[at], &takes[at], now);
  spend_keep(ctx, checks, takes, n);
  for (guint i = 0; i < n; i++) {
    if (!takes[i].over_quota) continue;
    tg_request_set_over_quota(req); /* usage counts it in overQuotaCount */
    if (t->over_quota) tg_series_add(t->over_quota, 1);
    break;
  }
  double best = 2.0;
  const Check *best_check = NULL;
  CreditTake best_take;
  for (guint i = 0; i < n; i++)
    keep_tightest(&checks[i], &takes[i], &best, &best_check, &best_take);
  if (best_check) {
    ctx->headers = TRUE;
    ratelimit_headers_format(&ctx->h, best_check->name, best_take.limit, best_take.remaining,
                             best_take.window_ms, best_take.reset_ms, now);
  }
  return TG_PLUGIN_CONTINUE;
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
  Check checks[THROTTLE_CHECKS];
  char api[THROTTLE_KEY_MAX];
  PolicySnapshot *snap = policy_set_acquire(t->policies);
  guint n = build_checks(req, route, auth, snap, checks, api);
  policy_snapshot_release(snap);
  if (n == 0) return TG_PLUGIN_CONTINUE;
  return check_all(t, req, ctx ? ctx : ctx_get(req), checks, n);
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
  static const char *const names[] = {"RateLimit-Policy", "RateLimit", "X-RateLimit-Limit",
                                      "X-RateLimit-Remaining", "X-RateLimit-Reset"};
  (void)state;
  ThrottleCtx *ctx = tg_request_plugin_ctx(req, &tg_plugin_throttle);
  if (!ctx || !ctx->headers) return;
  const RateLimitHeaders *h = &ctx->h;
  const char *const values[] = {h->policy, h->ratelimit, h->limit, h->remaining, h->reset};
  tg_request_add_response_headers_ref(req, names, values, G_N_ELEMENTS(names));
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
  t->policy_seen = -1;
  t->started_ms = now_ms();
  g_mutex_init(&t->lock);
  g_cond_init(&t->cond);
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
