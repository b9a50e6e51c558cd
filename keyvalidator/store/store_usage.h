/*
 * store_usage.h: usage rows in statdb (STAT_API_USAGE), added up per second and
 * key with one prepared multi-row INSERT ... ON DUPLICATE KEY UPDATE per chunk,
 * and the batch ids that make a resent report count once (STAT_USAGE_BATCH).
 */
#ifndef TOLLGATE_HUB_STORE_USAGE_H
#define TOLLGATE_HUB_STORE_USAGE_H

#include <glib.h>
#include <mysql.h>

#define USAGE_ROWS_PER_STATEMENT 1000 /* 15 placeholders a row; MySQL allows 65535 */
#define USAGE_COLUMNS            15
/* Refusals of a usage batch, by its checks (usage.h) or its writer. */
#define USAGE_ERROR                (g_quark_from_static_string("hub-usage-error"))
#define USAGE_BATCH_ID_RETENTION_S (24 * 3600) /* stored batch ids are kept this long */

/* The INSERT for rows rows: placeholders only, never values. Caller frees. */
char *usage_insert_sql(guint rows);

/* Writes the batch in one transaction on a statdb connection (hub_db_transaction: run again
   when it loses a deadlock). With a batch_id (not NULL or ""), the id is stored in the same
   transaction, and a batch whose id is already there is skipped: *duplicate TRUE. */
gboolean usage_store(MYSQL *conn, const GPtrArray *records, const char *batch_id,
                     gboolean *duplicate, GError **error);
/* Deletes stored batch ids older than cutoff_s, at most limit; G_MAXUINT64 on error. */
guint64 usage_prune_batch_ids(MYSQL *conn, gint64 cutoff_s, guint limit, GError **error);

#endif
