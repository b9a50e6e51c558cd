/*
 * usage.h: publishUsage ingestion: gateways send per-second aggregates
 * (TgUsageRecord), the hub adds them into statdb's STAT_API_USAGE with one
 * prepared multi-row INSERT ... ON DUPLICATE KEY UPDATE per chunk, all chunks
 * in one transaction, so a batch lands entirely or not at all.
 */
#ifndef TOLLGATE_HUB_USAGE_H
#define TOLLGATE_HUB_USAGE_H

#include <glib.h>
#include <mysql.h>

#define USAGE_MAX_RECORDS 10000
#define USAGE_MAX_STRING 256            /* gateway id, context, version, verb, ... */
#define USAGE_MAX_RESOURCE 1024         /* URI templates can be long */
#define USAGE_ROWS_PER_STATEMENT 1000   /* 15 placeholders a row; MySQL allows 65535 */
#define USAGE_COLUMNS 15

#define USAGE_ERROR (g_quark_from_static_string("hub-usage-error"))

/* Checks one TgUsageRecord (as gpointer to keep Thrift types out of this header); the error
   names the field. now_s bounds timestamps (at most one day ahead). */
gboolean usage_record_valid(gconstpointer record, gint64 now_s, GError **error);
/* Checks the whole batch (size and every record); the error names the record's index. */
gboolean usage_batch_valid(const GPtrArray *records, gint64 now_s, GError **error);

/* The INSERT for rows rows: placeholders only, never values. Caller frees. */
char *usage_insert_sql(guint rows);

#define USAGE_MAX_BATCH_ID 128
#define USAGE_BATCH_ID_RETENTION_S (24 * 3600)   /* stored batch ids are kept this long */

/* Writes the batch in one transaction on a statdb connection (hub_db_transaction: run again
   when it loses a deadlock). With a batch_id (not NULL or ""), the id is stored in the same
   transaction, and a batch whose id is already there is skipped: *duplicate TRUE. In
   libhubcore only (HUB_CORE_GLUE), as is usage_prune_batch_ids. */
gboolean usage_store(MYSQL *conn, const GPtrArray *records, const char *batch_id,
                     gboolean *duplicate, GError **error);
/* Deletes stored batch ids older than cutoff_s, at most limit; G_MAXUINT64 on error. */
guint64 usage_prune_batch_ids(MYSQL *conn, gint64 cutoff_s, guint limit, GError **error);

#endif
