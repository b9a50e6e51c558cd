/*
 * db.h: the hub's MariaDB connection pool (db.c): a plain MYSQL * with the wanted
 * database selected, statement helpers with typed parameters, errors mapped to
 * HubDbError, and transactions that run a deadlock's victim again. Design notes:
 * docs/HACKING.md, "The database pool".
 */
#ifndef TOLLGATE_HUB_DB_H
#define TOLLGATE_HUB_DB_H

#include <glib.h>
#include <mysql.h>

#include "db_cluster.h"

typedef struct DbPool DbPool;

#define HUB_DB_ERROR (hub_db_error_quark())
GQuark hub_db_error_quark(void);

typedef enum {
  HUB_DB_ERROR_UNAVAILABLE, /* cannot connect / connection lost: answer 503 */
  HUB_DB_ERROR_QUERY,       /* statement failed (mysql errno in the message) */
  HUB_DB_ERROR_DUPLICATE,   /* ER_DUP_ENTRY: usually 409 */
  HUB_DB_ERROR_FOREIGN_KEY, /* ER_ROW_IS_REFERENCED / ER_NO_REFERENCED_ROW: 409 / 404 */
  HUB_DB_ERROR_WOULD_BLOCK, /* asked on a thread that must not wait (hub_core_nowait_begin) */
  HUB_DB_ERROR_DEADLOCK,    /* ER_LOCK_DEADLOCK: InnoDB rolled the transaction back */
} HubDbError;

/* What a pool is made from: the nodes (db_cluster.h; one for a single MariaDB), the
   socket (used only with one node), the most connections in all, and the wsrep_sync_wait
   of read connections on a cluster (0: none) with the longest such a read may wait: a
   causal read waits while the cluster evicts a dead node (evs.suspect_timeout, seconds),
   and neither max_statement_time nor repl.causal_read_timeout cuts that short. */
typedef struct {
  DbClusterSpec nodes;
  const char *socket;
  int size;
  int sync_wait;
  int sync_wait_timeout_s; /* read timeout of those connections */
} DbPoolSpec;

DbPool *db_pool_new(const DbPoolSpec *spec);
void db_pool_free(DbPool *pool);

/* On a thread inside hub_core_nowait_begin/end (hub.h): FALSE, and the call is marked
   deferred; code on the way to the database must then leave no trace (no metric, no
   log), as the call runs again elsewhere: hub_db_call_deferred() tells it. Elsewhere TRUE. */
gboolean hub_db_may_block(void);
gboolean hub_db_call_deferred(void);

/* A connection from pool with database dbname selected, or NULL with
   HUB_DB_ERROR_UNAVAILABLE (HUB_DB_ERROR_WOULD_BLOCK on a forbidden thread). read: any
   healthy node of a cluster (hub_db_acquire_read), else the writer. */
MYSQL *db_pool_acquire(DbPool *pool, const char *dbname, gboolean read, GError **error);
/* Gives the connection back; one whose last error was a lost-connection error is closed. */
void db_pool_release(DbPool *pool, MYSQL *conn);

/* TRUE for CR_SERVER_GONE_ERROR, CR_SERVER_LOST, CR_CONN_HOST_ERROR, ER_CONNECTION_KILLED,
   ER_UNKNOWN_COM_ERROR (a Galera node outside the primary component)... */
gboolean hub_db_errno_is_lost(unsigned int err);

/* Sets error from the connection / statement (maps errno to HubDbError). Returns FALSE. */
gboolean hub_db_fail(MYSQL *conn, const char *what, GError **error);
gboolean hub_db_stmt_fail(MYSQL_STMT *stmt, const char *what, GError **error);

/* ---- transactions ---- */

/* The statements of one transaction: TRUE to commit; FALSE (with or without error) to roll
   back. A body may run more than once, so it keeps its effects inside the transaction and
   sets its outputs afresh each time. */
typedef gboolean (*HubDbTxnBody)(MYSQL *conn, gpointer data, GError **error);

/* Runs body in a transaction, committed when it returns TRUE, else rolled back. When InnoDB
   picks it as a deadlock's victim (HUB_DB_ERROR_DEADLOCK, the whole transaction already
   undone; a Galera certification failure is the same error 1213) it runs again after a
   random pause that doubles with each attempt (1-5 ms, then 2-10 ms, ... up to 64-320 ms,
   about 0.6 s in all at most), up to HUB_DB_TXN_ATTEMPTS times in all;
   the last attempt's error is returned. Retries are counted in
   tollgate_hub_db_deadlock_retries_total when the connection is released. */
/* 8: two hubs that write to two Galera nodes on one hot row (a configuration the
   single-writer default avoids) lose certification often; 4 was not always enough. */
#define HUB_DB_TXN_ATTEMPTS 8
gboolean hub_db_transaction(MYSQL *conn, HubDbTxnBody body, gpointer data, GError **error);

/* ---- prepared statement helpers (typed parameters, no string building) ---- */

typedef enum { DB_P_NULL, DB_P_STR, DB_P_INT64 } DbParamType;
typedef struct {
  DbParamType type;
  const char *s; /* DB_P_STR (NULL -> SQL NULL) */
  gint64 i;      /* DB_P_INT64 */
} DbParam;
#define DBP_S(v) ((DbParam){.type = DB_P_STR, .s = (v)})
#define DBP_I(v) ((DbParam){.type = DB_P_INT64, .i = (v)})
#define DBP_NULL ((DbParam){.type = DB_P_NULL})

/* Runs a statement without a result set; affected rows and insert id are optional. */
gboolean hub_db_exec(MYSQL *conn, const char *sql, const DbParam *params, guint n,
                     guint64 *affected, guint64 *insert_id, GError **error);

/* Runs a query and returns its rows, at most max_rows: a GPtrArray (free with
   g_ptr_array_unref) of char ** rows indexed by column, an entry NULL for SQL NULL (so not a
   GStrv: never g_strfreev a row). NULL with error on failure. */
GPtrArray *hub_db_query(MYSQL *conn, const char *sql, const DbParam *params, guint n,
                        guint max_rows, GError **error);

#endif
