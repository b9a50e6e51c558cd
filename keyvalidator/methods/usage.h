/*
 * usage.h: the rules of publishUsage: gateways send per-second aggregates
 * (TgUsageRecord); a batch is checked whole before any of it is stored
 * (store_usage.h), so a bad one is refused with a message naming the record.
 */
#ifndef TOLLGATE_HUB_USAGE_H
#define TOLLGATE_HUB_USAGE_H

#include <glib.h>
#include <mysql.h>

#include "store_usage.h"

#define USAGE_MAX_RECORDS  10000
#define USAGE_MAX_STRING   256  /* gateway id, context, version, verb, ... */
#define USAGE_MAX_RESOURCE 1024 /* URI templates can be long */

/* Checks one TgUsageRecord (as gpointer to keep Thrift types out of this header); the error
   names the field. now_s bounds timestamps (at most one day ahead). */
gboolean usage_record_valid(gconstpointer record, gint64 now_s, GError **error);
/* Checks the whole batch (size and every record); the error names the record's index. */
gboolean usage_batch_valid(const GPtrArray *records, gint64 now_s, GError **error);

#define USAGE_MAX_BATCH_ID 128

#endif
