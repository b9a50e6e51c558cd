/*
 * usage.c: the checks of a publishUsage batch (usage.h): a bounded list, bounded
 * strings, non-negative counters, timestamps at most a day ahead. Pure: tested in
 * tests/unit/test_feed.c without a database.
 */
#include "config.h"

#include <string.h>

#include "usage.h"
#include "tg_tollgate_types.h"

static gboolean usage_string_ok(const char *name, const char *value, gsize max, gboolean required,
                                GError **error) {
  if (value == NULL || *value == '\0') {
    if (!required) return TRUE;
    g_set_error(error, USAGE_ERROR, 1, "%s is required", name);
    return FALSE;
  }
  if (strlen(value) > max || !g_utf8_validate(value, -1, NULL)) {
    g_set_error(error, USAGE_ERROR, 1, "%s is longer than %zu bytes or not UTF-8", name, max);
    return FALSE;
  }
  return TRUE;
}

static gboolean usage_number_ok(const char *name, gint64 value, gint64 min, gint64 max,
                                GError **error) {
  if (value >= min && value <= max) return TRUE;
  g_set_error(error, USAGE_ERROR, 1, "%s out of range", name);
  return FALSE;
}

#define USAGE_HISTOGRAM_LEN 13 /* UsageRecord.latencyHistogram: 12 bounds and the rest */

/* overQuotaCount in 0..count; a histogram of 0 or 13 counts >= 0 summing to at most count. */
static gboolean usage_extras_ok(const TgUsageRecord *r, GError **error) {
  if (r->overQuotaCount < 0 || r->overQuotaCount > r->count) {
    g_set_error(error, USAGE_ERROR, 1, "overQuotaCount must be 0 to count");
    return FALSE;
  }
  guint n = r->__isset_latencyHistogram && r->latencyHistogram ? r->latencyHistogram->len : 0;
  if (n != 0 && n != USAGE_HISTOGRAM_LEN) {
    g_set_error(error, USAGE_ERROR, 1, "latencyHistogram must hold %d counts", USAGE_HISTOGRAM_LEN);
    return FALSE;
  }
  gint64 total = 0;
  for (guint i = 0; i < n; i++) {
    gint64 v = g_array_index(r->latencyHistogram, gint64, i);
    if (v < 0 || v > r->count || (total += v) > r->count) {
      g_set_error(error, USAGE_ERROR, 1,
                  "latencyHistogram counts must be >= 0 and sum to at"
                  " most count");
      return FALSE;
    }
  }
  return TRUE;
}

gboolean usage_record_valid(gconstpointer record, gint64 now_s, GError **error) {
  const TgUsageRecord *r = record;
  if (r == NULL || !TG_IS_USAGE_RECORD(r)) {
    g_set_error(error, USAGE_ERROR, 1, "not a usage record");
    return FALSE;
  }
  return usage_number_ok("timestamp", r->timestamp, 1, now_s + 86400, error) &&
         usage_string_ok("gatewayId", r->gatewayId, USAGE_MAX_STRING, TRUE, error) &&
         usage_string_ok("apiContext", r->apiContext, USAGE_MAX_STRING, TRUE, error) &&
         usage_string_ok("apiVersion", r->apiVersion, USAGE_MAX_STRING, TRUE, error) &&
         usage_string_ok("resource", r->resource, USAGE_MAX_RESOURCE, FALSE, error) &&
         usage_string_ok("verb", r->verb, 16, FALSE, error) &&
         usage_string_ok("applicationId", r->applicationId, USAGE_MAX_STRING, FALSE, error) &&
         usage_string_ok("subscriber", r->subscriber, USAGE_MAX_STRING, FALSE, error) &&
         usage_string_ok("keyType", r->keyType, 32, FALSE, error) &&
         usage_number_ok("status", r->status, 0, 999, error) &&
         usage_number_ok("count", r->count, 1, G_MAXINT32, error) &&
         usage_number_ok("latencyMsTotal", r->latencyMsTotal, 0, G_MAXINT64 / 4, error) &&
         usage_number_ok("latencyMsMax", r->latencyMsMax, 0, r->latencyMsTotal, error) &&
         usage_number_ok("bytesIn", r->bytesIn, 0, G_MAXINT64 / 4, error) &&
         usage_number_ok("bytesOut", r->bytesOut, 0, G_MAXINT64 / 4, error) &&
         usage_extras_ok(r, error);
}

gboolean usage_batch_valid(const GPtrArray *records, gint64 now_s, GError **error) {
  if (records == NULL || records->len > USAGE_MAX_RECORDS) {
    g_set_error(error, USAGE_ERROR, 1, "at most %d usage records per call", USAGE_MAX_RECORDS);
    return FALSE;
  }
  for (guint i = 0; i < records->len; i++) {
    g_autoptr(GError) local = NULL;
    if (!usage_record_valid(g_ptr_array_index(records, i), now_s, &local)) {
      g_set_error(error, USAGE_ERROR, 1, "record %u: %s", i, local->message);
      return FALSE;
    }
  }
  return TRUE;
}
