/*
 * traffic.c: the traffic-management methods of the Tollgate service (grantCredits,
 * reportCredits, tier and blocking-condition CRUD): checks of the caller and the arguments,
 * then store/store_throttle.c. The ledger in apimgtdb is the truth, so any hub serves any
 * gateway. Trade-off: a tier is read from the database for every key of a grant call instead
 * of being cached. Design notes: docs/HACKING.md.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "handler.h"
#include "hub_internal.h"
#include "methods.h"
#include "mgmt_apps.h"
#include "session.h"
#include "store_policy.h"
#include "store_throttle.h"
#include "store_tier_approval.h"
#include "tg_cidr.h"
#include "tg_names.h"
#include "tg_throttle.h"
#include "tier_refs.h"

#define MAX_CREDIT_REQUESTS 1000
#define MAX_KEY             512
#define MAX_TIER_NAME       TG_NAME_MAX /* lookups: any stored name, also one from before the rule */
#define MAX_BLOCK_VALUE     512
#define LEDGER_METRIC       "tollgate_hub_throttle_ledger_writes_total"

static const char *const gateway_roles[] = {"gateway", "admin", NULL};
static const char *const admin_roles[] = {"admin", NULL};

static gboolean text_ok(const char *s, gsize max) {
  return s != NULL && *s != '\0' && strlen(s) <= max && g_utf8_validate(s, -1, NULL);
}

static void count_writes(Hub *hub, guint64 n) {
  if (hub->metrics == NULL || n == 0) return;
  tg_metrics_describe(hub->metrics, LEDGER_METRIC, TG_METRIC_COUNTER,
                      "Ledger rows written by grantCredits and reportCredits");
  tg_series_add(tg_metrics_series(hub->metrics, LEDGER_METRIC, NULL), n);
}

/* ---- grantCredits ---- */

/* The limit and unit of a request: its tier's request count, burst or bytes, a custom
   policy's, or the API's hard limit. */
typedef struct {
  gint64 limit; /* 0: unlimited */
  gint64 unit_ms;
  gboolean stop;
  gboolean sliding;
  const char *fail_mode;
} Policy;

/* HARD: the API's hard limit, all callers together; no hard limit: unlimited. */
static gboolean hard_policy_of(MYSQL *conn, const TgCreditRequest *r, Policy *pol, GError **error) {
  g_autofree char *text = NULL;
  gint64 count = 0, unit = 60;
  if (!text_ok(r->tier, MAX_KEY) || !store_throttle_hard_limit(conn, r->tier, &text, error))
    return FALSE;
  if (text == NULL) return mgmt_refuse(error, 404, "no API %s", r->tier);
  if (*text && !tg_rate_parse(text, &count, &unit)) count = 0;
  *pol = (Policy){.limit = count, .unit_ms = unit * 1000, .stop = TRUE, .fail_mode = "static"};
  return TRUE;
}

/* CUSTOM, CUSTOM_BYTES: the custom policy whose id is the request's tier. */
static gboolean custom_policy_of(MYSQL *conn, const TgCreditRequest *r, TgCreditMeasure measure,
                                 Policy *pol, GError **error) {
  g_autoptr(GObject) o = g_object_new(TG_TYPE_CUSTOM_POLICY, NULL);
  TgCustomPolicy *cp = (TgCustomPolicy *)o;
  gboolean found = FALSE;
  guint64 id = 0;
  if (!r->tier || !g_ascii_string_to_unsigned(r->tier, 10, 1, G_MAXINT64, &id, NULL))
    return mgmt_refuse(error, 400, "credit request %s: a custom policy's tier is its id", r->key);
  if (!store_policy_get(conn, (gint64)id, cp, &found, error)) return FALSE;
  if (!found) return mgmt_refuse(error, 404, "no custom policy %s", r->tier);
  *pol = (Policy){.limit = measure == TG_CREDIT_BYTES ? cp->bytesCount : cp->requestCount,
                  .unit_ms = MAX(cp->unitTime, 1) * 1000,
                  .stop = TRUE,
                  .sliding = cp->sliding,
                  .fail_mode = "static"};
  return TRUE;
}

static gboolean policy_of(MYSQL *conn, const TgCreditRequest *r, TgTier *tier, Policy *pol,
                          GError **error) {
  TgCreditMeasure measure = TG_CREDIT_REQUESTS;
  const char *level = tg_credit_level_parse(r->level, &measure);
  gboolean found = FALSE;
  if (level != NULL && strcmp(level, "HARD") == 0) return hard_policy_of(conn, r, pol, error);
  if (level != NULL && strcmp(level, "CUSTOM") == 0)
    return custom_policy_of(conn, r, measure, pol, error);
  const char *const *levels = tier_ref_levels(level);
  if (levels == NULL || !text_ok(r->tier, MAX_TIER_NAME))
    return mgmt_refuse(error, 400, "credit request %s: unknown level or tier", r->key);
  /* the levels an API write checked the tier against (tier_refs.c), in the same order */
  for (guint i = 0; levels[i] && !found; i++)
    if (!store_throttle_tier_get(conn, r->tier, levels[i], tier, &found, error)) return FALSE;
  if (!found) return mgmt_refuse(error, 404, "no %s tier %s", level, r->tier);
  gboolean burst = measure == TG_CREDIT_BURST;
  pol->limit = burst                        ? tier->burstCount
               : measure == TG_CREDIT_BYTES ? tier->bytesCount
                                            : tier->requestCount;
  pol->unit_ms = (burst ? tier->burstUnitTime : tier->unitTime) * 1000;
  if (pol->unit_ms <= 0) pol->unit_ms = 60000;
  pol->stop = tier->stopOnQuotaReach;
  pol->sliding = tier->sliding && !burst; /* a burst is a fixed second or minute */
  pol->fail_mode = tier->failMode;
  return TRUE;
}

/* The grant of one request under pol: its window (a slot of a sliding window) and credit. */
static gboolean ledger_grant(MYSQL *conn, const TgCreditRequest *r, const Policy *pol,
                             gint gateways, gint64 now_ms, gint64 *window, gint64 *window_ms,
                             gint64 *granted, gint64 *remaining, GError **error) {
  *window_ms = pol->sliding ? tg_sliding_slot_ms(pol->unit_ms) : pol->unit_ms;
  *window = tg_window_start(now_ms, *window_ms);
  *granted = r->requested;
  *remaining = 0;
  if (pol->limit <= 0) return TRUE;
  if (pol->sliding) {
    /* credit dies with its slot and comes back to the ledger only with the next report:
       a grant is at most a share of one slot's worth, so little is held there meanwhile */
    gint64 share = MAX(1, pol->limit / (TG_SLIDING_SLOTS * MAX(gateways, 1)));
    return store_throttle_grant_sliding(conn, r->key, *window, pol->unit_ms, pol->limit,
                                        MIN(r->requested, share), granted, remaining, error);
  }
  return store_throttle_grant(conn, r->key, *window, pol->limit, r->requested, granted, remaining,
                              error);
}

static TgCreditGrant *grant_one(Hub *hub, MYSQL *conn, const TgCreditRequest *r, gint gateways,
                                gint64 now_ms, GError **error) {
  g_autoptr(GObject) tier = g_object_new(TG_TYPE_TIER, NULL);
  Policy pol = {0};
  if (!policy_of(conn, r, (TgTier *)tier, &pol, error)) return NULL;
  gint64 window = 0, window_ms = 0, granted = 0, remaining = 0;
  if (!ledger_grant(conn, r, &pol, gateways, now_ms, &window, &window_ms, &granted, &remaining,
                    error))
    return NULL;
  if (pol.limit > 0) count_writes(hub, granted > 0 ? 2 : 1);
  return g_object_new(TG_TYPE_CREDIT_GRANT, "key", r->key, "granted", granted, "windowStart",
                      window, "windowEnd", window + window_ms, "limit", pol.limit, "remaining",
                      remaining, "gatewaysSeen", gateways, "failMode",
                      pol.fail_mode ? pol.fail_mode : "static", "stopOnQuotaReach", pol.stop, NULL);
}

static gboolean requests_valid(const GPtrArray *requests, GError **error) {
  if (requests == NULL || requests->len > MAX_CREDIT_REQUESTS)
    return mgmt_refuse(error, 400, "at most %d credit requests per call", MAX_CREDIT_REQUESTS);
  for (guint i = 0; i < requests->len; i++) {
    const TgCreditRequest *r = g_ptr_array_index(requests, i);
    if (!text_ok(r->key, MAX_KEY) || r->requested < 1 || r->requested > G_MAXINT32)
      return mgmt_refuse(error, 400,
                         "credit request %u: key (at most %d bytes) and requested"
                         " (1 or more) are required",
                         i, MAX_KEY);
  }
  return TRUE;
}

gboolean hub_method_grant_credits(TgTollgateIf *iface, GPtrArray **_return, const gchar *sessionId,
                                  const gchar *gatewayId, const GPtrArray *requests,
                                  TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  gint64 start = g_get_monotonic_time();
  if (!mgmt_call_begin(&c, iface, "grantCredits", sessionId, gateway_roles, err)) return FALSE;
  if (!text_ok(gatewayId, 128))
    return mgmt_fail(&c, g_error_new(MGMT_ERROR, 400, "gatewayId is required"));
  if (!requests_valid(requests, &local)) return mgmt_fail(&c, local);
  if (mgmt_call_db(&c) == NULL) return FALSE;
  gint64 now_ms = g_get_real_time() / 1000;
  gint gateways = 1;
  if (!store_throttle_gateway_seen(c.conn, gatewayId, now_ms, &gateways, &local))
    return mgmt_fail(&c, local);
  for (guint i = 0; i < requests->len; i++) {
    TgCreditGrant *g =
        grant_one(c.hub, c.conn, g_ptr_array_index(requests, i), gateways, now_ms, &local);
    if (g == NULL) return mgmt_fail(&c, local);
    g_ptr_array_add(*_return, g);
  }
  hub_count_call(c.hub, "grantCredits", start, TRUE);
  return TRUE;
}

/* ---- reportCredits ---- */

static gboolean reports_valid(const GPtrArray *reports, GError **error) {
  if (reports == NULL || reports->len > MAX_CREDIT_REQUESTS)
    return mgmt_refuse(error, 400, "at most %d credit reports per call", MAX_CREDIT_REQUESTS);
  for (guint i = 0; i < reports->len; i++) {
    const TgCreditReport *r = g_ptr_array_index(reports, i);
    if (!text_ok(r->key, MAX_KEY) || r->used < 0 || r->unused < 0 || r->used > G_MAXINT32 ||
        r->unused > G_MAXINT32)
      return mgmt_refuse(error, 400, "credit report %u: key and non-negative counts required", i);
  }
  return TRUE;
}

gboolean hub_method_report_credits(TgTollgateIf *iface, const gchar *sessionId,
                                   const gchar *gatewayId, const GPtrArray *reports,
                                   const gchar *batchId, TgTollgateException **err,
                                   GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  gint64 start = g_get_monotonic_time();
  if (!mgmt_call_begin(&c, iface, "reportCredits", sessionId, gateway_roles, err)) return FALSE;
  if (!text_ok(gatewayId, 128) || (batchId && strlen(batchId) > 128))
    return mgmt_fail(&c, g_error_new(MGMT_ERROR, 400,
                                     "gatewayId is required; batchId is at"
                                     " most 128 bytes"));
  if (!reports_valid(reports, &local)) return mgmt_fail(&c, local);
  if (mgmt_call_db(&c) == NULL) return FALSE;
  gboolean duplicate = FALSE;
  gint gateways = 1;
  if (!store_throttle_gateway_seen(c.conn, gatewayId, g_get_real_time() / 1000, &gateways,
                                   &local) ||
      !store_throttle_report(c.conn, reports, batchId, &duplicate, &local))
    return mgmt_fail(&c, local);
  if (duplicate)
    g_info("reportCredits: batch %s was counted before", batchId);
  else
    count_writes(c.hub, reports->len);
  hub_count_call(c.hub, "reportCredits", start, TRUE);
  return TRUE;
}

/* ---- tiers ---- */

static gboolean tier_valid(TgTier *t, GError **error) {
  const char *level = tg_tier_level_canonical(t->level);
  TgFailMode mode = TG_FAIL_STATIC;
  if (!tg_name_valid(t->name)) return mgmt_refuse(error, 400, "a tier name is " TG_NAME_RULE);
  if (level == NULL)
    return mgmt_refuse(error, 400, "level is SUBSCRIPTION, APPLICATION, API or RESOURCE");
  if (t->requestCount < 0 || t->bytesCount < 0 || t->burstCount < 0)
    return mgmt_refuse(error, 400, "counts are 0 (none) or more");
  if (t->unitTime <= 0 || t->unitTime > 86400)
    return mgmt_refuse(error, 400, "unitTime is 1 to 86400 seconds");
  if (t->burstCount > 0 && t->burstUnitTime != 1 && t->burstUnitTime != 60)
    return mgmt_refuse(error, 400, "a burst is per second (1) or per minute (60)");
  if (t->failMode && *t->failMode && !tg_fail_mode_parse(t->failMode, &mode))
    return mgmt_refuse(error, 400, "failMode is static, closed or open");
  if (t->description && strlen(t->description) > 255)
    return mgmt_refuse(error, 400, "description is at most 255 bytes");
  g_object_set(t, "level", level, "failMode", tg_fail_mode_name(mode), "burstUnitTime",
               t->burstCount > 0 ? t->burstUnitTime : (gint64)0, NULL);
  if (!t->__isset_stopOnQuotaReach) g_object_set(t, "stopOnQuotaReach", TRUE, NULL);
  return TRUE;
}

static gboolean tier_read(MgmtCall *c, const char *name, const char *level, TgTier *out) {
  GError *local = NULL;
  gboolean found = FALSE;
  const char *lv = tg_tier_level_canonical(level);
  if (lv == NULL || !text_ok(name, MAX_TIER_NAME))
    return mgmt_fail(c, g_error_new(MGMT_ERROR, 400, "a tier name and level are required"));
  if (mgmt_call_db(c) == NULL) return FALSE;
  if (!store_throttle_tier_get(c->conn, name, lv, out, &found, &local)) return mgmt_fail(c, local);
  if (!found) return mgmt_fail(c, g_error_new(MGMT_ERROR, 404, "no %s tier %s", lv, name));
  gboolean approval = FALSE;
  if (strcmp(lv, "SUBSCRIPTION") == 0 &&
      !store_tier_requires_approval(c->conn, name, &approval, &local))
    return mgmt_fail(c, local);
  g_object_set(out, "requiresApproval", approval, NULL);
  return TRUE;
}

gboolean hub_method_add_tier(TgTollgateIf *iface, TgTier **_return, const gchar *sessionId,
                             const TgTier *tier, TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_call_begin(&c, iface, "addTier", sessionId, admin_roles, err)) return FALSE;
  if (tier == NULL) return mgmt_fail(&c, g_error_new(MGMT_ERROR, 400, "a tier is required"));
  g_autoptr(GObject) t = g_object_new(TG_TYPE_TIER, NULL);
  TgTier *copy = (TgTier *)t;
  g_object_set(copy, "name", tier->name, "level", tier->level, "requestCount", tier->requestCount,
               "unitTime", tier->__isset_unitTime ? tier->unitTime : (gint64)60, "description",
               tier->description ? tier->description : "", "bytesCount", tier->bytesCount,
               "burstCount", tier->burstCount, "burstUnitTime", tier->burstUnitTime, "sliding",
               tier->sliding, "failMode", tier->failMode, NULL);
  if (tier->__isset_stopOnQuotaReach)
    g_object_set(copy, "stopOnQuotaReach", tier->stopOnQuotaReach, NULL);
  if (!tier_valid(copy, &local)) return mgmt_fail(&c, local);
  mgmt_call_subject(&c, "%s (%s)", copy->name, copy->level);
  if (tier->requiresApproval && g_strcmp0(copy->level, "SUBSCRIPTION") != 0)
    return mgmt_fail(&c, g_error_new(MGMT_ERROR, 400,
                                     "requiresApproval is for SUBSCRIPTION"
                                     " tiers"));
  if (mgmt_call_db(&c) == NULL) return FALSE;
  if (!store_throttle_tier_add(c.conn, copy, tier_name_distinct, &local) ||
      (tier->requiresApproval &&
       !store_tier_set_requires_approval(c.conn, copy->name, copy->level, TRUE, &local))) {
    if (!g_error_matches(local, HUB_DB_ERROR, HUB_DB_ERROR_DUPLICATE)) return mgmt_fail(&c, local);
    g_error_free(local);
    return mgmt_fail(&c,
                     g_error_new(MGMT_ERROR, 409, "%s tier %s exists", copy->level, copy->name));
  }
  g_message("tier %s (%s) added by %s", copy->name, copy->level, c.who.user);
  return tier_read(&c, copy->name, copy->level, *_return);
}

gboolean hub_method_get_tier(TgTollgateIf *iface, TgTier **_return, const gchar *sessionId,
                             const gchar *name, const gchar *level, TgTollgateException **err,
                             GError **error) {
  g_auto(MgmtCall) c = {0};
  return mgmt_call_begin(&c, iface, "getTier", sessionId, NULL, err) &&
         tier_read(&c, name, level, *_return);
}

gboolean hub_method_delete_tier(TgTollgateIf *iface, const gchar *sessionId, const gchar *name,
                                const gchar *level, TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  gboolean deleted = FALSE;
  const char *lv = tg_tier_level_canonical(level);
  if (!mgmt_call_begin(&c, iface, "deleteTier", sessionId, admin_roles, err)) return FALSE;
  if (lv == NULL || !text_ok(name, MAX_TIER_NAME))
    return mgmt_fail(&c, g_error_new(MGMT_ERROR, 400, "a tier name and level are required"));
  mgmt_call_subject(&c, "%s (%s)", name, lv);
  if (g_strcmp0(name, "Unlimited") == 0)
    return mgmt_fail(&c, g_error_new(MGMT_ERROR, 409, "the Unlimited tiers stay"));
  if (mgmt_call_db(&c) == NULL) return FALSE;
  if (!store_throttle_tier_delete(c.conn, name, lv, tier_delete_allowed, &deleted, &local))
    return mgmt_fail(&c, local);
  if (!deleted) return mgmt_fail(&c, g_error_new(MGMT_ERROR, 404, "no %s tier %s", lv, name));
  g_message("tier %s (%s) deleted by %s", name, lv, c.who.user);
  return TRUE;
}

/* ---- blocking conditions ---- */

static gboolean block_value_ok(const char *kind, const char *value, GError **error) {
  if (!text_ok(value, MAX_BLOCK_VALUE))
    return mgmt_refuse(error, 400, "a value of at most %d bytes is required", MAX_BLOCK_VALUE);
  if (strcmp(kind, "IP") == 0) {
    TgCidr range;
    if (!tg_cidr_parse(value, &range))
      return mgmt_refuse(error, 400, "IP: an IPv4 or IPv6 address, optionally /PREFIX");
  } else if ((strcmp(kind, "API") == 0 || strcmp(kind, "APPLICATION") == 0) &&
             strchr(value, ':') == NULL) {
    return mgmt_refuse(error, 400, "%s: the value is %s", kind,
                       strcmp(kind, "API") == 0 ? "/context:VERSION" : "OWNER:NAME");
  }
  return TRUE;
}

gboolean hub_method_add_block_condition(TgTollgateIf *iface, TgBlockCondition **_return,
                                        const gchar *sessionId, const TgBlockCondition *cond,
                                        TgTollgateException **err, GError **error) {
  static const char *const kinds[] = {"API", "APPLICATION", "USER", "IP", NULL};
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_call_begin(&c, iface, "addBlockCondition", sessionId, admin_roles, err)) return FALSE;
  g_autofree char *kind = cond && cond->kind ? g_ascii_strup(cond->kind, -1) : NULL;
  if (kind == NULL || !g_strv_contains(kinds, kind))
    return mgmt_fail(&c, g_error_new(MGMT_ERROR, 400, "kind is API, APPLICATION, USER or IP"));
  if (!block_value_ok(kind, cond->value, &local)) return mgmt_fail(&c, local);
  mgmt_call_subject(&c, "%s %s", kind, cond->value);
  g_object_set(*_return, "kind", kind, "value", cond->value, "createdAt",
               g_get_real_time() / G_USEC_PER_SEC, NULL);
  if (mgmt_call_db(&c) == NULL) return FALSE;
  if (!store_block_add(c.conn, *_return, &local)) {
    if (!g_error_matches(local, HUB_DB_ERROR, HUB_DB_ERROR_DUPLICATE)) return mgmt_fail(&c, local);
    g_error_free(local);
    return mgmt_fail(&c, g_error_new(MGMT_ERROR, 409, "that blocking condition exists"));
  }
  g_message("blocking condition %" G_GINT64_FORMAT " (%s) added by %s", (*_return)->id, kind,
            c.who.user);
  return TRUE;
}

gboolean hub_method_list_block_conditions(TgTollgateIf *iface, GPtrArray **_return,
                                          const gchar *sessionId, TgTollgateException **err,
                                          GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_call_begin(&c, iface, "listBlockConditions", sessionId, gateway_roles, err) ||
      mgmt_call_db(&c) == NULL)
    return FALSE;
  if (!store_block_list(c.conn, *_return, &local)) return mgmt_fail(&c, local);
  return TRUE;
}

gboolean hub_method_delete_block_condition(TgTollgateIf *iface, const gchar *sessionId,
                                           const gint64 id, TgTollgateException **err,
                                           GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  gboolean deleted = FALSE;
  if (!mgmt_call_begin(&c, iface, "deleteBlockCondition", sessionId, admin_roles, err) ||
      mgmt_call_db(&c) == NULL)
    return FALSE;
  mgmt_call_subject(&c, "%" G_GINT64_FORMAT, id);
  if (!store_block_delete(c.conn, id, &deleted, &local)) return mgmt_fail(&c, local);
  if (!deleted)
    return mgmt_fail(&c,
                     g_error_new(MGMT_ERROR, 404, "no blocking condition %" G_GINT64_FORMAT, id));
  g_message("blocking condition %" G_GINT64_FORMAT " deleted by %s", id, c.who.user);
  return TRUE;
}
