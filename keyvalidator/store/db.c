/*
 * db.c: the hub's bounded MariaDB connection pool and prepared-statement helpers.
 * Connections open lazily, heal after a database restart, go to the writer or any
 * healthy node of a cluster, and keep their prepared statements; transactions run a
 * deadlock's victim again. Trade-off: the liveness round trip is skipped for a
 * connection used moments ago. Design notes: docs/HACKING.md, "The database pool".
 */
#include "config.h"

#include <errmsg.h>
#include <poll.h>
#include <mysqld_error.h>
#include <string.h>

#include "db.h"
#include "db_cluster.h"
#include "tg_metrics.h"

#define STMT_CACHE_MAX 128
#define LIVE_IDLE_US   (1000 * 1000)

typedef struct {
  MYSQL *conn;
  gint64 idle_since_us;
  guint epoch; /* its node's db_cluster_epoch when it was given back */
} IdleConn;

/* MYSQL * -> GHashTable (SQL text -> MYSQL_STMT *): a pooled connection's
   prepared statements. A connection is used by one thread at a time; the lock
   guards the outer table only. */
static GMutex stmt_lock;
static GHashTable *stmt_caches;

static void stmt_close_cb(gpointer st) { mysql_stmt_close(st); }

/* The cache of connection c, created on first use. */
static GHashTable *stmt_cache_of(MYSQL *c) {
  g_mutex_lock(&stmt_lock);
  if (stmt_caches == NULL)
    stmt_caches = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                        (GDestroyNotify)g_hash_table_unref);
  GHashTable *cache = g_hash_table_lookup(stmt_caches, c);
  if (cache == NULL) {
    cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, stmt_close_cb);
    g_hash_table_insert(stmt_caches, c, cache);
  }
  g_mutex_unlock(&stmt_lock);
  return cache;
}

/* Closes a connection with its cached statements. */
static void db_close(MYSQL *c) {
  g_mutex_lock(&stmt_lock);
  if (stmt_caches != NULL) g_hash_table_remove(stmt_caches, c);
  g_mutex_unlock(&stmt_lock);
  mysql_close(c);
}

/* Idle connections are kept per node and per kind: a read connection to a cluster node
   waits for causality (wsrep_sync_wait) before each read, a write connection does not. */
enum { KIND_WRITE, KIND_READ, KINDS };

struct DbPool {
  DbCluster *cluster;
  char *socket; /* one node only */
  char *user, *password;
  int size, connect_timeout_s, read_timeout_s, write_timeout_s, sync_wait, sync_wait_timeout_s;
  char *read_init; /* "SET SESSION wsrep_sync_wait = N" for read connections, or NULL */
  TgMetrics *metrics;
  GMutex lock;
  GCond freed;
  GQueue *idle;        /* [node * KINDS + kind]: IdleConn *, most recently used first */
  GHashTable *slot_of; /* MYSQL * -> its idle queue's index + 1 */
  int open;            /* connections in existence (idle + in use) */
  gint64 last_loss_us; /* monotonic time a connection was last found lost */
  int in_use;
};

G_DEFINE_QUARK(hub - db - error - quark, hub_db_error)

gboolean hub_db_errno_is_lost(unsigned int err) {
  switch (err) {
  case CR_SERVER_GONE_ERROR:
  case CR_SERVER_LOST:
  case CR_CONN_HOST_ERROR:
  case CR_CONNECTION_ERROR:
  case CR_SERVER_LOST_EXTENDED:
  case ER_CONNECTION_KILLED:
  case ER_SERVER_SHUTDOWN:
  case CR_COMMANDS_OUT_OF_SYNC:
  case ER_UNKNOWN_COM_ERROR: /* a Galera node out of the primary component: go elsewhere */
    return TRUE;
  default:
    return FALSE;
  }
}

static int db_error_code(unsigned int err) {
  if (hub_db_errno_is_lost(err)) return HUB_DB_ERROR_UNAVAILABLE;
  if (err == ER_DUP_ENTRY) return HUB_DB_ERROR_DUPLICATE;
  if (err == ER_LOCK_DEADLOCK) /* also a Galera certification failure */
    return HUB_DB_ERROR_DEADLOCK;
  if (err == ER_ROW_IS_REFERENCED_2 || err == ER_NO_REFERENCED_ROW_2 ||
      err == ER_ROW_IS_REFERENCED || err == ER_NO_REFERENCED_ROW)
    return HUB_DB_ERROR_FOREIGN_KEY;
  return HUB_DB_ERROR_QUERY;
}

gboolean hub_db_fail(MYSQL *conn, const char *what, GError **error) {
  g_set_error(error, HUB_DB_ERROR, db_error_code(mysql_errno(conn)), "%s: %s (%u)", what,
              mysql_error(conn), mysql_errno(conn));
  return FALSE;
}

gboolean hub_db_stmt_fail(MYSQL_STMT *stmt, const char *what, GError **error) {
  g_set_error(error, HUB_DB_ERROR, db_error_code(mysql_stmt_errno(stmt)), "%s: %s (%u)", what,
              mysql_stmt_error(stmt), mysql_stmt_errno(stmt));
  return FALSE;
}

static void pool_gauges(DbPool *p) {
  if (p->metrics == NULL) return;
  tg_metrics_set(p->metrics, "tollgate_hub_db_pool_in_use", NULL, p->in_use);
  tg_metrics_set(p->metrics, "tollgate_hub_db_pool_size", NULL, p->open);
}

static void pool_describe(TgMetrics *m) {
  tg_metrics_describe(m, "tollgate_hub_db_pool_in_use", TG_METRIC_GAUGE,
                      "Database connections in use");
  tg_metrics_describe(m, "tollgate_hub_db_pool_size", TG_METRIC_GAUGE, "Database connections open");
  tg_metrics_describe(m, "tollgate_hub_db_reconnects_total", TG_METRIC_COUNTER,
                      "Database connections reopened after a lost connection");
  tg_metrics_describe(m, "tollgate_hub_db_deadlock_retries_total", TG_METRIC_COUNTER,
                      "Transactions run again after a deadlock or a certification failure");
}

DbPool *db_pool_new(const DbPoolSpec *spec) {
  DbPool *p = g_new0(DbPool, 1);
  p->cluster = db_cluster_new(&spec->nodes);
  p->socket = spec->socket && *spec->socket && spec->nodes.n <= 1 ? g_strdup(spec->socket) : NULL;
  p->user = g_strdup(spec->nodes.user ? spec->nodes.user : "");
  p->password = g_strdup(spec->nodes.password ? spec->nodes.password : "");
  p->size = CLAMP(spec->size, 1, 1024);
  p->connect_timeout_s = CLAMP(spec->nodes.connect_timeout_s, 1, 60);
  p->read_timeout_s = CLAMP(spec->nodes.read_timeout_s, 1, 3600);
  p->write_timeout_s = CLAMP(spec->nodes.write_timeout_s, 1, 3600);
  p->sync_wait = CLAMP(spec->sync_wait, 0, 15);
  p->sync_wait_timeout_s = CLAMP(spec->sync_wait_timeout_s, 1, 3600);
  if (db_cluster_is_galera(p->cluster) && p->sync_wait > 0)
    p->read_init = g_strdup_printf("SET SESSION wsrep_sync_wait = %d", p->sync_wait);
  p->metrics = spec->nodes.metrics;
  g_mutex_init(&p->lock);
  g_cond_init(&p->freed);
  guint slots = db_cluster_size(p->cluster) * KINDS;
  p->idle = g_new0(GQueue, slots);
  for (guint i = 0; i < slots; i++) g_queue_init(&p->idle[i]);
  p->slot_of = g_hash_table_new(g_direct_hash, g_direct_equal);
  if (p->metrics) pool_describe(p->metrics);
  return p;
}

void db_pool_free(DbPool *p) {
  if (p == NULL) return;
  guint slots = db_cluster_size(p->cluster) * KINDS;
  for (guint i = 0; i < slots; i++) {
    IdleConn *ic;
    while ((ic = g_queue_pop_head(&p->idle[i])) != NULL) {
      db_close(ic->conn);
      g_free(ic);
    }
  }
  db_cluster_free(p->cluster);
  g_hash_table_unref(p->slot_of);
  g_free(p->idle);
  g_mutex_clear(&p->lock);
  g_cond_clear(&p->freed);
  g_free(p->socket);
  g_free(p->user);
  if (p->password) memset(p->password, 0, strlen(p->password));
  g_free(p->password);
  g_free(p->read_init);
  g_free(p);
}

/* A new connection to node for kind (slot = node * KINDS + kind). */
static MYSQL *db_open(DbPool *p, guint slot, GError **error) {
  guint node = slot / KINDS;
  MYSQL *c = mysql_init(NULL);
  unsigned int timeout = (unsigned)p->connect_timeout_s;
  unsigned int rt = (unsigned)p->read_timeout_s, wt = (unsigned)p->write_timeout_s;
  my_bool off = 0;
  mysql_options(c, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_options(c, MYSQL_OPT_READ_TIMEOUT, &rt);
  mysql_options(c, MYSQL_OPT_WRITE_TIMEOUT, &wt);
  mysql_options(c, MYSQL_OPT_RECONNECT, &off); /* we reconnect ourselves, knowingly */
  mysql_options(c, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (slot % KINDS == KIND_READ && p->read_init != NULL) {
    mysql_options(c, MYSQL_INIT_COMMAND, p->read_init);
    rt = (unsigned)MIN(p->read_timeout_s, p->sync_wait_timeout_s);
    mysql_options(c, MYSQL_OPT_READ_TIMEOUT, &rt);
  }
  const char *host = db_cluster_host(p->cluster, node);
  if (mysql_real_connect(c, p->socket ? NULL : host, p->user, p->password, NULL,
                         p->socket ? 0 : (unsigned)db_cluster_port(p->cluster, node), p->socket,
                         0) == NULL) {
    g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_UNAVAILABLE, "database unavailable: %s (%u)",
                mysql_error(c), mysql_errno(c));
    mysql_close(c);
    return NULL;
  }
  mysql_autocommit(c, 1);
  g_mutex_lock(&p->lock);
  g_hash_table_insert(p->slot_of, c, GUINT_TO_POINTER(slot + 1));
  g_mutex_unlock(&p->lock);
  return c;
}

/* Closes the idle connections to node (it failed: they may be dead or in a state its
   clients cannot use) and gives their places back. */
static void pool_forget_node(DbPool *p, guint node) {
  GSList *dead = NULL;
  g_mutex_lock(&p->lock);
  for (guint kind = 0; kind < KINDS; kind++) {
    IdleConn *ic;
    while ((ic = g_queue_pop_head(&p->idle[node * KINDS + kind])) != NULL) {
      g_hash_table_remove(p->slot_of, ic->conn);
      dead = g_slist_prepend(dead, ic->conn);
      p->open--;
      g_free(ic);
    }
  }
  pool_gauges(p);
  g_cond_broadcast(&p->freed);
  g_mutex_unlock(&p->lock);
  for (GSList *l = dead; l; l = l->next) db_close(l->data);
  g_slist_free(dead);
}

/* Forgets c (closed by the caller): no longer in any slot. */
static void slot_forget(DbPool *p, MYSQL *c) { g_hash_table_remove(p->slot_of, c); }

/* Under the lock: the least recently used idle connection of another slot, to be closed
   so its place serves slot (the pool is full, and that one is idle elsewhere). */
static MYSQL *steal_idle(DbPool *p, guint slot) {
  guint slots = db_cluster_size(p->cluster) * KINDS;
  for (guint i = 0; i < slots; i++) {
    if (i == slot || g_queue_is_empty(&p->idle[i])) continue;
    IdleConn *ic = g_queue_pop_tail(&p->idle[i]);
    MYSQL *c = ic->conn;
    g_free(ic);
    slot_forget(p, c);
    return c;
  }
  return NULL;
}

/* Takes an idle connection of slot or a place for a new one (*idle NULL); waits while the
   pool is full. *trusted: the connection was in use less than LIVE_IDLE_US ago and no
   connection was found lost since, so it can skip the liveness check. */
static gboolean pool_take(DbPool *p, guint slot, MYSQL **idle, gboolean *trusted, GError **error) {
  gint64 deadline = g_get_monotonic_time() + (gint64)p->connect_timeout_s * G_USEC_PER_SEC;
  MYSQL *victim = NULL;
  g_mutex_lock(&p->lock);
  while (g_queue_is_empty(&p->idle[slot]) && p->open >= p->size &&
         (victim = steal_idle(p, slot)) == NULL) {
    if (!g_cond_wait_until(&p->freed, &p->lock, deadline)) {
      g_mutex_unlock(&p->lock);
      g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_UNAVAILABLE,
                  "database unavailable: all %d pool connections busy", p->size);
      return FALSE;
    }
  }
  IdleConn *ic = victim ? NULL : g_queue_pop_head(&p->idle[slot]);
  *idle = ic ? ic->conn : NULL;
  *trusted = ic != NULL && ic->idle_since_us > p->last_loss_us &&
             g_get_monotonic_time() - ic->idle_since_us < LIVE_IDLE_US;
  if (ic != NULL && ic->epoch != db_cluster_epoch(p->cluster, slot / KINDS)) {
    victim = ic->conn; /* its node was left since: it may be dead or refused; a new one */
    g_hash_table_remove(p->slot_of, victim);
    *idle = NULL;
    *trusted = FALSE;
  }
  g_free(ic);
  if (*idle == NULL && victim == NULL) p->open++;
  p->in_use++;
  pool_gauges(p);
  g_mutex_unlock(&p->lock);
  if (victim) db_close(victim);
  return TRUE;
}

static void pool_drop(DbPool *p, MYSQL *c) {
  g_mutex_lock(&p->lock);
  if (c) slot_forget(p, c);
  g_mutex_unlock(&p->lock);
  if (c) db_close(c); /* after forgetting it: its address may come back from mysql_init */
  g_mutex_lock(&p->lock);
  p->open--;
  p->in_use--;
  pool_gauges(p);
  g_cond_signal(&p->freed);
  g_mutex_unlock(&p->lock);
}

/* TRUE when the server has sent nothing on an idle connection. A server that kills a
   connection or shuts down sends an error packet and closes it: readable at once, seen
   here with one poll and no round trip. */
static gboolean socket_quiet(MYSQL *c) {
  struct pollfd pfd = {.fd = (int)mysql_get_socket(c), .events = POLLIN};
  return pfd.fd >= 0 && poll(&pfd, 1, 0) == 0;
}

static __thread gboolean forbidden, deferred;

void hub_core_nowait_begin(void) {
  forbidden = TRUE;
  deferred = FALSE;
}

gboolean hub_core_nowait_end(void) {
  forbidden = FALSE;
  return deferred;
}

gboolean hub_db_may_block(void) {
  if (forbidden) deferred = TRUE;
  return !forbidden;
}

gboolean hub_db_call_deferred(void) { return deferred && forbidden; }

/* A connection of slot with dbname selected: an idle one checked (or trusted), else a new
   one. NULL with error; the place in the pool is then given back. */
static MYSQL *slot_acquire(DbPool *p, guint slot, const char *dbname, GError **error) {
  MYSQL *c = NULL;
  gboolean trusted = FALSE;
  if (!pool_take(p, slot, &c, &trusted, error)) return NULL;
  if (c != NULL && trusted && g_strcmp0(c->db, dbname) == 0 && socket_quiet(c))
    return c; /* just worked, right database, nothing from the server: no round trip */
  if (c != NULL && mysql_select_db(c, dbname) == 0) return c;
  if (c != NULL) { /* stale (server restarted, killed): reopen once */
    g_mutex_lock(&p->lock);
    slot_forget(p, c);
    g_mutex_unlock(&p->lock);
    db_close(c);
    if (p->metrics) tg_metrics_add(p->metrics, "tollgate_hub_db_reconnects_total", NULL, 1);
  }
  c = db_open(p, slot, error);
  if (c != NULL && mysql_select_db(c, dbname) != 0) {
    hub_db_fail(c, "select database", error);
    g_mutex_lock(&p->lock);
    slot_forget(p, c);
    g_mutex_unlock(&p->lock);
    db_close(c);
    c = NULL;
  }
  if (c == NULL) pool_drop(p, NULL);
  return c;
}

/* Writes go to the cluster's writer, reads to any healthy node; a node that cannot be
   reached is marked failed and the next one tried, so a dead writer costs the caller
   one refused connection (or one connect timeout when it hangs), not an error. */
static MYSQL *acquire_kind(DbPool *p, const char *dbname, guint kind, GError **error) {
  if (!hub_db_may_block()) {
    g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_WOULD_BLOCK,
                "the database is not for this thread");
    return NULL;
  }
  guint nodes = db_cluster_size(p->cluster);
  for (guint attempt = 0;; attempt++) {
    guint node = kind == KIND_READ && nodes > 1 ? db_cluster_reader(p->cluster)
                                                : db_cluster_writer(p->cluster);
    GError *local = NULL;
    MYSQL *c = slot_acquire(p, node * KINDS + (nodes > 1 ? kind : KIND_WRITE), dbname, &local);
    if (c != NULL) return c;
    if (attempt + 1 >= nodes || !g_error_matches(local, HUB_DB_ERROR, HUB_DB_ERROR_UNAVAILABLE)) {
      g_propagate_error(error, local);
      return NULL;
    }
    g_error_free(local);
    if (db_cluster_node_failed(p->cluster, node)) /* FALSE: another thread saw it first */
      pool_forget_node(p, node);
  }
}

MYSQL *db_pool_acquire(DbPool *pool, const char *dbname, gboolean read, GError **error) {
  return acquire_kind(pool, dbname, read ? KIND_READ : KIND_WRITE, error);
}

/* Deadlock retries on this thread since its last release: hub_db_transaction has no pool. */
static __thread guint deadlock_retries;

void db_pool_release(DbPool *p, MYSQL *c) {
  if (deadlock_retries > 0 && p->metrics)
    tg_metrics_add(p->metrics, "tollgate_hub_db_deadlock_retries_total", NULL, deadlock_retries);
  deadlock_retries = 0;
  if (c == NULL) return;
  g_mutex_lock(&p->lock);
  guint slot = GPOINTER_TO_UINT(g_hash_table_lookup(p->slot_of, c));
  g_mutex_unlock(&p->lock);
  g_return_if_fail(slot > 0); /* not from this pool */
  slot--;
  if (hub_db_errno_is_lost(mysql_errno(c))) {
    pool_drop(p, c);
    g_mutex_lock(&p->lock);
    p->last_loss_us = g_get_monotonic_time(); /* the others may be dead too: check them */
    g_mutex_unlock(&p->lock);
    /* a causal read that timed out says the cluster is busy evicting a node, not that
       this one failed: the checks decide about read connections' nodes */
    if (slot % KINDS == KIND_WRITE && db_cluster_node_failed(p->cluster, slot / KINDS))
      pool_forget_node(p, slot / KINDS);
    return;
  }
  IdleConn *ic = g_new(IdleConn, 1);
  ic->conn = c;
  ic->idle_since_us = g_get_monotonic_time();
  ic->epoch = db_cluster_epoch(p->cluster, slot / KINDS);
  g_mutex_lock(&p->lock);
  g_queue_push_head(&p->idle[slot], ic);
  p->in_use--;
  pool_gauges(p);
  g_cond_signal(&p->freed);
  g_mutex_unlock(&p->lock);
}

static gboolean txn_begin(MYSQL *c, GError **error) {
  return mysql_query(c, "START TRANSACTION") == 0 || hub_db_fail(c, "begin", error);
}

static gboolean txn_commit(MYSQL *c, GError **error) {
  return mysql_commit(c) == 0 || hub_db_fail(c, "commit", error);
}

static void txn_rollback(MYSQL *c) {
  if (mysql_rollback(c) != 0) g_warning("rollback: %s", mysql_error(c));
}

static gboolean txn_attempt(MYSQL *c, HubDbTxnBody body, gpointer data, GError **error) {
  if (!txn_begin(c, error)) return FALSE;
  if (body(c, data, error) && txn_commit(c, error)) return TRUE;
  txn_rollback(c);
  return FALSE;
}

gboolean hub_db_transaction(MYSQL *c, HubDbTxnBody body, gpointer data, GError **error) {
  for (guint attempt = 1;; attempt++) {
    GError *local = NULL;
    if (txn_attempt(c, body, data, &local)) return TRUE;
    if (attempt == HUB_DB_TXN_ATTEMPTS ||
        !g_error_matches(local, HUB_DB_ERROR, HUB_DB_ERROR_DEADLOCK)) {
      if (local != NULL) /* a body may refuse without an error (db.h) */
        g_propagate_error(error, local);
      return FALSE;
    }
    g_info("transaction chosen as a deadlock's victim, running it again (attempt %u of %u)",
           attempt + 1, HUB_DB_TXN_ATTEMPTS);
    g_error_free(local);
    deadlock_retries++;
    /* the winner usually needs a few ms more; a random pause keeps two victims apart, and
       doubling it spreads out writers that keep meeting on one hot row (two Galera writers
       lost all 8 attempts on a fixed pause of at most 20 ms) */
    g_usleep((gulong)g_random_int_range(1000, 5000) << MIN(attempt - 1, 6));
  }
}

/* ---- prepared statements ---- */

/* Done with the statement stmt_run gave for sql: kept for next time unless it failed. */
static void stmt_done(MYSQL *c, const char *sql, MYSQL_STMT *st, gboolean failed) {
  GHashTable *cache = stmt_cache_of(c);
  mysql_stmt_free_result(st);
  if (g_hash_table_lookup(cache, sql) != st)
    mysql_stmt_close(st); /* not cached (the cache was full) */
  else if (failed)
    g_hash_table_remove(cache, sql); /* closes it */
}

/* A prepared statement for sql on c: from the cache, or prepared now. */
static MYSQL_STMT *stmt_prepare(MYSQL *c, const char *sql, guint n, GError **error) {
  GHashTable *cache = stmt_cache_of(c);
  MYSQL_STMT *st = g_hash_table_lookup(cache, sql);
  if (st != NULL) return st;
  st = mysql_stmt_init(c);
  if (st == NULL) {
    hub_db_fail(c, "statement", error);
    return NULL;
  }
  if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0 || mysql_stmt_param_count(st) != n) {
    if (mysql_stmt_errno(st) == 0)
      g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_QUERY, "parameter count mismatch");
    else
      hub_db_stmt_fail(st, "prepare", error);
    mysql_stmt_close(st);
    return NULL;
  }
  if (g_hash_table_size(cache) < STMT_CACHE_MAX) g_hash_table_insert(cache, g_strdup(sql), st);
  return st;
}

static MYSQL_STMT *stmt_run(MYSQL *c, const char *sql, const DbParam *params, guint n,
                            GError **error) {
  MYSQL_STMT *st = stmt_prepare(c, sql, n, error);
  if (st == NULL) return NULL;
  g_autofree MYSQL_BIND *b = g_new0(MYSQL_BIND, MAX(n, 1));
  g_autofree unsigned long *lens = g_new0(unsigned long, MAX(n, 1));
  for (guint i = 0; i < n; i++) {
    if (params[i].type == DB_P_INT64) {
      b[i].buffer_type = MYSQL_TYPE_LONGLONG;
      b[i].buffer = (void *)&params[i].i;
    } else if (params[i].type == DB_P_STR && params[i].s != NULL) {
      lens[i] = strlen(params[i].s);
      b[i].buffer_type = MYSQL_TYPE_STRING;
      b[i].buffer = (void *)params[i].s;
      b[i].buffer_length = lens[i];
      b[i].length = &lens[i];
    } else {
      b[i].buffer_type = MYSQL_TYPE_NULL;
    }
  }
  if ((n > 0 && mysql_stmt_bind_param(st, b) != 0) || mysql_stmt_execute(st) != 0) {
    hub_db_stmt_fail(st, "execute", error);
    stmt_done(c, sql, st, TRUE);
    return NULL;
  }
  return st;
}

gboolean hub_db_exec(MYSQL *c, const char *sql, const DbParam *params, guint n, guint64 *affected,
                     guint64 *insert_id, GError **error) {
  MYSQL_STMT *st = stmt_run(c, sql, params, n, error);
  if (st == NULL) return FALSE;
  if (affected) *affected = mysql_stmt_affected_rows(st);
  if (insert_id) *insert_id = mysql_stmt_insert_id(st);
  stmt_done(c, sql, st, FALSE);
  return TRUE;
}

/* Fetches one row; columns longer than the first guess are refetched at full length. */
static GStrv stmt_row(MYSQL_STMT *st, MYSQL_BIND *r, unsigned long *lens, my_bool *nulls,
                      char **bufs, guint cols) {
  /* slot 0 holds the column count so row_free can free the NULL holes; the row starts at 1 */
  char **boxed = g_new0(char *, cols + 2);
  boxed[0] = GUINT_TO_POINTER(cols);
  GStrv row = boxed + 1;
  for (guint i = 0; i < cols; i++) {
    if (nulls[i]) {
      row[i] = NULL;
      continue;
    }
    if (lens[i] > r[i].buffer_length) {
      char *big = g_malloc(lens[i] + 1);
      MYSQL_BIND one = {
          .buffer_type = MYSQL_TYPE_STRING, .buffer = big, .buffer_length = lens[i] + 1};
      mysql_stmt_fetch_column(st, &one, i, 0);
      big[lens[i]] = '\0';
      row[i] = big;
    } else {
      row[i] = g_strndup(bufs[i], lens[i]);
    }
  }
  return row;
}

static void row_free(gpointer p) {
  GStrv row = p;
  guint cols = GPOINTER_TO_UINT(row[-1]);
  for (guint i = 0; i < cols; i++) g_free(row[i]);
  g_free(row - 1);
}

GPtrArray *hub_db_query(MYSQL *c, const char *sql, const DbParam *params, guint n, guint max_rows,
                        GError **error) {
  MYSQL_STMT *st = stmt_run(c, sql, params, n, error);
  if (st == NULL) return NULL;
  guint cols = mysql_stmt_field_count(st);
  g_autofree MYSQL_BIND *r = g_new0(MYSQL_BIND, MAX(cols, 1));
  g_autofree unsigned long *lens = g_new0(unsigned long, MAX(cols, 1));
  g_autofree my_bool *nulls = g_new0(my_bool, MAX(cols, 1));
  char **bufs = g_new0(char *, MAX(cols, 1));
  for (guint i = 0; i < cols; i++) {
    bufs[i] = g_malloc(256);
    r[i] = (MYSQL_BIND){.buffer_type = MYSQL_TYPE_STRING,
                        .buffer = bufs[i],
                        .buffer_length = 255,
                        .length = &lens[i],
                        .is_null = &nulls[i]};
  }
  GPtrArray *rows = g_ptr_array_new_with_free_func(row_free);
  gboolean ok = mysql_stmt_bind_result(st, r) == 0 && mysql_stmt_store_result(st) == 0;
  if (!ok) hub_db_stmt_fail(st, "fetch", error);
  while (ok && rows->len < max_rows) {
    int rc = mysql_stmt_fetch(st);
    if (rc == MYSQL_NO_DATA) break;
    if (rc == 1) {
      ok = hub_db_stmt_fail(st, "fetch", error);
      break;
    }
    g_ptr_array_add(rows, stmt_row(st, r, lens, nulls, bufs, cols));
  }
  for (guint i = 0; i < cols; i++) g_free(bufs[i]);
  g_free(bufs);
  stmt_done(c, sql, st, !ok);
  if (!ok) {
    g_ptr_array_unref(rows);
    return NULL;
  }
  return rows;
}
