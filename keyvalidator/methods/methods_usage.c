/*
 * methods_usage.c: getUsage, the usage series a chart draws: one bucket per step of the
 * range (HOUR: 60 x 60 s, DAY: 24 x 1 h, WEEK: 28 x 6 h), oldest first, every step
 * present (zeros where nothing happened), p50/p99 from the summed latency histograms.
 * Scope API (subject "context:version": its provider or an admin) or APPLICATION (subject
 * "owner:name": its owner or an admin). Trade-off: the minute table answers a week in at
 * most 10080 rows per key, summed by the database; no pre-aggregated hours.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "handler.h"
#include "hub_internal.h"
#include "methods_portal.h"
#include "mgmt_apps.h"
#include "portal_rules.h"
#include "store_usage_minute.h"

static const char *const usage_readers[] = {"admin", "publisher", "subscriber", NULL};

/* The statdb key of the subject: (context, version) of an API the caller provides, or the
   id of an application the caller owns. Sets the answer on refusal. */
static gboolean usage_subject(MgmtCall *c, const char *scope, const char *subject, char **context,
                              char **version, char **app_id) {
  GError *local = NULL;
  if (scope == NULL) scope = "";
  const char *colon = subject ? (g_ascii_strcasecmp(scope, "API") == 0 ? strrchr(subject, ':')
                                                                       : strchr(subject, ':'))
                              : NULL;
  if (colon == NULL ||
      (g_ascii_strcasecmp(scope, "API") != 0 && g_ascii_strcasecmp(scope, "APPLICATION") != 0)) {
    hub_set_error(c->err, 400,
                  "scope is API (subject \"context:version\") or APPLICATION"
                  " (subject \"owner:name\")");
    return FALSE;
  }
  g_autofree char *left = g_strndup(subject, (gsize)(colon - subject));
  if (g_ascii_strcasecmp(scope, "APPLICATION") == 0) {
    g_autoptr(TgApplication) app = g_object_new(TG_TYPE_APPLICATION, NULL);
    if (!mgmt_app_find(c, left, colon + 1, app)) return FALSE;
    *app_id = g_strdup_printf("%" G_GINT64_FORMAT, app->id);
    return TRUE;
  }
  g_autoptr(TgApi) api = mgmt_api_find(c, left, colon + 1);
  if (api == NULL) return FALSE;
  if (!mgmt_may_moderate(c->who.user, c->admin, api->provider, &local)) return mgmt_fail(c, local);
  *context = g_strdup(api->context);
  *version = g_strdup(api->version);
  return TRUE;
}

static TgUsageBucket *bucket_new(gint64 start, const UsageStep *s) {
  static const UsageStep none;
  if (s == NULL) s = &none;
  return g_object_new(TG_TYPE_USAGE_BUCKET, "start", start, "count2xx", s->sum[USAGE_2XX],
                      "count3xx", s->sum[USAGE_3XX], "count4xx", s->sum[USAGE_4XX], "count5xx",
                      s->sum[USAGE_5XX], "throttled", s->sum[USAGE_THROTTLED], "overQuota",
                      s->sum[USAGE_OVER_QUOTA], "p50Ms",
                      portal_histogram_percentile(s->histogram, 0.50), "p99Ms",
                      portal_histogram_percentile(s->histogram, 0.99), "bytesIn",
                      s->sum[USAGE_BYTES_IN], "bytesOut", s->sum[USAGE_BYTES_OUT], NULL);
}

/* Every step of the range into series, the stored ones where there are. */
static void series_fill(TgUsageSeries *series, const GArray *steps, gint64 from, gint64 step,
                        guint n) {
  guint k = 0;
  for (guint i = 0; i < n; i++) {
    const UsageStep *s = NULL;
    while (k < steps->len && g_array_index(steps, UsageStep, k).index < (gint64)i) k++;
    if (k < steps->len && g_array_index(steps, UsageStep, k).index == (gint64)i)
      s = &g_array_index(steps, UsageStep, k);
    g_ptr_array_add(series->buckets, bucket_new(from + step * (gint64)i, s));
  }
  series->__isset_buckets = TRUE;
}

gboolean hub_method_get_usage(TgTollgateIf *iface, TgUsageSeries **_return, const gchar *sessionId,
                              const gchar *scope, const gchar *subject, const gchar *range,
                              TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  const char *canonical = NULL;
  gint64 step = 0;
  guint n = 0;
  g_autofree char *context = NULL, *version = NULL, *app_id = NULL;
  if (!mgmt_call_begin(&c, iface, "getUsage", sessionId, usage_readers, err)) return FALSE;
  if (!portal_usage_range(range, &canonical, &step, &n, &local)) return portal_rule_fail(&c, local);
  if (!usage_subject(&c, scope, subject, &context, &version, &app_id)) return FALSE;
  hub_db_release(c.hub, c.conn); /* the apimgtdb connection back before a statdb one */
  c.conn = NULL;
  gint64 from = portal_usage_from(g_get_real_time() / G_USEC_PER_SEC, step, n);
  MYSQL *conn = hub_db_acquire_read(c.hub, c.hub->cfg.db_stat, &local);
  g_autoptr(GArray) steps =
      conn ? store_usage_steps(conn, context, version, app_id, from, step, n, &local) : NULL;
  hub_db_release(c.hub, conn);
  if (steps == NULL) return mgmt_fail(&c, local);
  g_object_set(*_return, "scope", app_id ? "APPLICATION" : "API", "subject", subject, "range",
               canonical, "step", step, NULL);
  series_fill(*_return, steps, from, step, n);
  return TRUE;
}
