/*
 * store_usage_minute.c: STAT_USAGE_MINUTE (store_usage_minute.h). A batch is first
 * summed in memory per (minute, API, application), so a gateway's 60 per-second records
 * of one key cost one upsert, not 60. Trade-off: one statement per group rather than a
 * multi-row upsert; a batch holds few distinct groups per minute.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "store_usage_minute.h"
#include "tg_tollgate_types.h"

typedef struct {
  gint64 minute;
  const char *context, *version, *app;
  gint64 sum[USAGE_SUMS];
  gint64 histogram[USAGE_HISTOGRAM_BUCKETS];
} MinuteGroup;

static gboolean group_matches(const MinuteGroup *g, gint64 minute, const TgUsageRecord *r,
                              const char *app) {
  return g->minute == minute && strcmp(g->context, r->apiContext) == 0 &&
         strcmp(g->version, r->apiVersion) == 0 && strcmp(g->app, app) == 0;
}

static void group_add(MinuteGroup *g, const TgUsageRecord *r) {
  int cls = r->status / 100;
  if (cls >= 2 && cls <= 5) g->sum[USAGE_2XX + (cls - 2)] += r->count;
  if (r->status == 429) g->sum[USAGE_THROTTLED] += r->count;
  g->sum[USAGE_OVER_QUOTA] += r->overQuotaCount;
  g->sum[USAGE_BYTES_IN] += r->bytesIn;
  g->sum[USAGE_BYTES_OUT] += r->bytesOut;
  if (r->__isset_latencyHistogram && r->latencyHistogram != NULL &&
      r->latencyHistogram->len == USAGE_HISTOGRAM_BUCKETS)
    for (guint i = 0; i < USAGE_HISTOGRAM_BUCKETS; i++)
      g->histogram[i] += g_array_index(r->latencyHistogram, gint64, i);
}

static GArray *groups_of(const GPtrArray *records) {
  GArray *groups = g_array_new(FALSE, TRUE, sizeof(MinuteGroup));
  for (guint i = 0; i < records->len; i++) {
    const TgUsageRecord *r = g_ptr_array_index(records, i);
    const char *app = r->applicationId ? r->applicationId : "";
    gint64 minute = r->timestamp - r->timestamp % 60;
    MinuteGroup *g = NULL;
    for (guint k = groups->len; k > 0 && g == NULL; k--)
      if (group_matches(&g_array_index(groups, MinuteGroup, k - 1), minute, r, app))
        g = &g_array_index(groups, MinuteGroup, k - 1);
    if (g == NULL) {
      MinuteGroup fresh = {
          .minute = minute, .context = r->apiContext, .version = r->apiVersion, .app = app};
      g_array_append_val(groups, fresh);
      g = &g_array_index(groups, MinuteGroup, groups->len - 1);
    }
    group_add(g, r);
  }
  return groups;
}

#define MINUTE_UPSERT                                                                        \
  "INSERT INTO STAT_USAGE_MINUTE (minute, api_context, api_version,"                         \
  " application_id, c2xx, c3xx, c4xx, c5xx, throttled, over_quota, bytes_in, bytes_out,"     \
  " h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"  \
  " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"              \
  " c2xx = c2xx + VALUES(c2xx), c3xx = c3xx + VALUES(c3xx), c4xx = c4xx + VALUES(c4xx),"     \
  " c5xx = c5xx + VALUES(c5xx), throttled = throttled + VALUES(throttled),"                  \
  " over_quota = over_quota + VALUES(over_quota), bytes_in = bytes_in + VALUES(bytes_in),"   \
  " bytes_out = bytes_out + VALUES(bytes_out), h0 = h0 + VALUES(h0), h1 = h1 + VALUES(h1),"  \
  " h2 = h2 + VALUES(h2), h3 = h3 + VALUES(h3), h4 = h4 + VALUES(h4), h5 = h5 + VALUES(h5)," \
  " h6 = h6 + VALUES(h6), h7 = h7 + VALUES(h7), h8 = h8 + VALUES(h8), h9 = h9 + VALUES(h9)," \
  " h10 = h10 + VALUES(h10), h11 = h11 + VALUES(h11), h12 = h12 + VALUES(h12)"

gboolean store_usage_minutes_add(MYSQL *conn, const GPtrArray *records, GError **error) {
  g_autoptr(GArray) groups = groups_of(records);
  for (guint i = 0; i < groups->len; i++) {
    const MinuteGroup *g = &g_array_index(groups, MinuteGroup, i);
    DbParam p[4 + USAGE_SUMS + USAGE_HISTOGRAM_BUCKETS];
    guint n = 0;
    p[n++] = DBP_I(g->minute);
    p[n++] = DBP_S(g->context);
    p[n++] = DBP_S(g->version);
    p[n++] = DBP_S(g->app);
    for (guint k = 0; k < USAGE_SUMS; k++) p[n++] = DBP_I(g->sum[k]);
    for (guint k = 0; k < USAGE_HISTOGRAM_BUCKETS; k++) p[n++] = DBP_I(g->histogram[k]);
    if (!hub_db_exec(conn, MINUTE_UPSERT, p, n, NULL, NULL, error)) return FALSE;
  }
  return TRUE;
}

#define STEP_SUMS                                                                         \
  "SUM(c2xx), SUM(c3xx), SUM(c4xx), SUM(c5xx), SUM(throttled), SUM(over_quota),"          \
  " SUM(bytes_in), SUM(bytes_out), SUM(h0), SUM(h1), SUM(h2), SUM(h3), SUM(h4), SUM(h5)," \
  " SUM(h6), SUM(h7), SUM(h8), SUM(h9), SUM(h10), SUM(h11), SUM(h12)"

GArray *store_usage_steps(MYSQL *conn, const char *context, const char *version, const char *app_id,
                          gint64 from, gint64 step, guint n, GError **error) {
  gint64 to = from + step * (gint64)n;
  DbParam api[] = {DBP_I(from),    DBP_I(step), DBP_S(context),
                   DBP_S(version), DBP_I(from), DBP_I(to)};
  DbParam app[] = {DBP_I(from), DBP_I(step), DBP_S(app_id), DBP_I(from), DBP_I(to)};
  g_autoptr(GPtrArray) rows =
      app_id == NULL
          ? hub_db_query(conn,
                         "SELECT (minute - ?) DIV ? AS k, " STEP_SUMS
                         " FROM STAT_USAGE_MINUTE"
                         " WHERE api_context = ? AND api_version = ? AND minute >= ? AND minute < ?"
                         " GROUP BY k ORDER BY k",
                         api, G_N_ELEMENTS(api), n, error)
          : hub_db_query(conn,
                         "SELECT (minute - ?) DIV ? AS k, " STEP_SUMS
                         " FROM STAT_USAGE_MINUTE"
                         " WHERE application_id = ? AND minute >= ? AND minute < ?"
                         " GROUP BY k ORDER BY k",
                         app, G_N_ELEMENTS(app), n, error);
  if (rows == NULL) return NULL;
  GArray *steps = g_array_new(FALSE, TRUE, sizeof(UsageStep));
  for (guint i = 0; i < rows->len; i++) {
    char **r = g_ptr_array_index(rows, i);
    UsageStep s = {.index = g_ascii_strtoll(r[0], NULL, 10)};
    for (guint k = 0; k < USAGE_SUMS; k++)
      s.sum[k] = r[1 + k] ? g_ascii_strtoll(r[1 + k], NULL, 10) : 0;
    for (guint k = 0; k < USAGE_HISTOGRAM_BUCKETS; k++)
      s.histogram[k] = r[1 + USAGE_SUMS + k] ? g_ascii_strtoll(r[1 + USAGE_SUMS + k], NULL, 10) : 0;
    g_array_append_val(steps, s);
  }
  return steps;
}
