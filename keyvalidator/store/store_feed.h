/*
 * store_feed.h: the gateway change log (AM_GATEWAY_CHANGE) as the feed reads it:
 * the window of revisions, the rows above one, and pruning. Every function takes
 * an apimgtdb connection.
 */
#ifndef TOLLGATE_HUB_STORE_FEED_H
#define TOLLGATE_HUB_STORE_FEED_H

#include <glib.h>
#include <mysql.h>

#define FEED_MAX_CHANGES 10000 /* more pending than this: full sync */
#define FEED_RETENTION_S 3600  /* changes older than this are pruned */

/* MIN and MAX revision, and how many rows lie above since. */
gboolean feed_read_window(MYSQL *conn, gint64 since, gint64 *oldest, gint64 *newest,
                          gint64 *pending, GError **error);
/* Rows with revision > since, ascending, at most FEED_MAX_CHANGES (TgGatewayChange *). */
GPtrArray *feed_read_changes(MYSQL *conn, gint64 since, GError **error);
/* Deletes changes older than FEED_RETENTION_S, always keeping the newest row so MAX(revision)
   never falls back to 0 (which would make every gateway full-sync forever). */
gboolean feed_prune(MYSQL *conn, GError **error);

/* TRUE when a gateway at since needs everything: since <= 0, since ahead of newest, since
   before the oldest retained change minus one, or more than FEED_MAX_CHANGES pending.
   oldest/newest are 0 for an empty table. */
gboolean feed_needs_full_sync(gint64 since, gint64 oldest, gint64 newest, gint64 pending);

/* Splits an API_CHANGED subject "context:version" at its last ':' (contexts may not contain
   one, versions never do). FALSE when malformed. */
gboolean feed_parse_api_subject(const char *subject, char **context, char **version);

#endif
