/*
 * store_usage_minute.h: per-minute usage for charts (statdb.STAT_USAGE_MINUTE): the
 * publishUsage records of a batch summed per (minute, API, application) with status
 * classes, 429s, over-quota calls, bytes and the 13 latency buckets, and read back summed
 * per chart step. The per-second STAT_API_USAGE rows stay the detailed record.
 */
#ifndef TOLLGATE_HUB_STORE_USAGE_MINUTE_H
#define TOLLGATE_HUB_STORE_USAGE_MINUTE_H

#include <glib.h>
#include <mysql.h>

#define USAGE_HISTOGRAM_BUCKETS 13

/* One step of a series, as summed by the database. */
typedef enum {
  USAGE_2XX,
  USAGE_3XX,
  USAGE_4XX,
  USAGE_5XX,
  USAGE_THROTTLED,
  USAGE_OVER_QUOTA,
  USAGE_BYTES_IN,
  USAGE_BYTES_OUT,
  USAGE_SUMS
} UsageSum;

typedef struct {
  gint64 index; /* which step: (minute - from) / step */
  gint64 sum[USAGE_SUMS];
  gint64 histogram[USAGE_HISTOGRAM_BUCKETS];
} UsageStep;

/* Inside publishUsage's transaction: adds the records (TgUsageRecord *) to their minutes. */
gboolean store_usage_minutes_add(MYSQL *conn, const GPtrArray *records, GError **error);

/* Steps of [from, from + step * n) that have calls (UsageStep, by index) for API
   (context, version) when app_id is NULL, else for application app_id (any API). */
GArray *store_usage_steps(MYSQL *conn, const char *context, const char *version, const char *app_id,
                          gint64 from, gint64 step, guint n, GError **error);

#endif
