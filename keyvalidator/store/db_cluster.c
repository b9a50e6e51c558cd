/*
 * db_cluster.c: which database nodes are healthy, and which one takes the writes (store
 * layer). A checker thread per node, on a connection of its own with bounded timeouts.
 * Trade-off: writes go to the first healthy node in the configured order, so hubs converge on
 * one writer; a hub that sees a failure earlier writes elsewhere for up to one check interval
 * (the deadlock retry in db.c absorbs the conflicts). Design notes: docs/HACKING.md.
 */
#include "config.h"

#include <mysql.h>
#include <string.h>

#include "db_cluster.h"
#include "tg_metrics.h"

typedef struct {
  struct DbCluster *owner;
  char *host;
  int port;
  char *labels;        /* node="host:port" */
  gint healthy;        /* atomic */
  gint good_checks;    /* atomic: checks in a row that found it usable */
  gint epoch;          /* atomic: times it was left */
  gint64 view;         /* under owner->lock: wsrep_cluster_conf_id at its last good answer */
  gint64 failed_at_us; /* under owner->lock: monotonic time it last failed (check or statement) */
  GThread *thread;
  MYSQL *conn; /* the checker's own */
} DbNode;

struct DbCluster {
  DbNode *nodes;
  guint n;
  char *user, *password;
  int connect_timeout_s, read_timeout_s, write_timeout_s, interval_ms;
  TgMetrics *metrics;
  GMutex lock;
  GCond wake;
  gboolean stopping;
  guint next_reader; /* atomic */
  gint writer;       /* atomic: the last writer handed out */
};

gboolean db_node_usable(const char *wsrep_on, const char *ready, const char *local_state,
                        const char *cluster_status) {
  if (wsrep_on == NULL) return FALSE;
  if (g_ascii_strcasecmp(wsrep_on, "0") == 0 || g_ascii_strcasecmp(wsrep_on, "OFF") == 0)
    return TRUE; /* a plain server: it answered, that is all there is to know */
  if (g_ascii_strcasecmp(wsrep_on, "1") != 0 && g_ascii_strcasecmp(wsrep_on, "ON") != 0)
    return FALSE;
  return ready != NULL && g_ascii_strcasecmp(ready, "ON") == 0 && local_state != NULL &&
         strcmp(local_state, "4") == 0 && cluster_status != NULL &&
         strcmp(cluster_status, "Primary") == 0;
}

static const char status_sql[] =
    "SELECT @@global.wsrep_on,"
    " MAX(IF(VARIABLE_NAME = 'WSREP_READY', VARIABLE_VALUE, NULL)),"
    " MAX(IF(VARIABLE_NAME = 'WSREP_LOCAL_STATE', VARIABLE_VALUE, NULL)),"
    " MAX(IF(VARIABLE_NAME = 'WSREP_CLUSTER_STATUS', VARIABLE_VALUE, NULL)),"
    " MAX(IF(VARIABLE_NAME = 'WSREP_CLUSTER_SIZE', VARIABLE_VALUE, NULL)),"
    " MAX(IF(VARIABLE_NAME = 'WSREP_CLUSTER_CONF_ID', VARIABLE_VALUE, NULL))"
    " FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN"
    " ('WSREP_READY', 'WSREP_LOCAL_STATE', 'WSREP_CLUSTER_STATUS', 'WSREP_CLUSTER_SIZE',"
    " 'WSREP_CLUSTER_CONF_ID')";

/* A node that hung (SIGSTOP) and resumes still reports the view it had, Synced and
   Primary, until it notices it was evicted: its view number (wsrep_cluster_conf_id) is
   then older than the one the other nodes reported. Such a node is not usable. */
static gboolean view_current(DbCluster *c, DbNode *n, gint64 view) {
  gboolean current = TRUE;
  g_mutex_lock(&c->lock);
  for (guint i = 0; i < c->n; i++)
    if (&c->nodes[i] != n && c->nodes[i].view > view) current = FALSE;
  if (current) n->view = view;
  g_mutex_unlock(&c->lock);
  return current;
}

static MYSQL *check_connect(DbCluster *c, DbNode *n) {
  MYSQL *m = mysql_init(NULL);
  /* the status query answers at once on a live node, even while the cluster waits to
     evict a dead one (only commits and causal reads wait then): a node that does not
     answer it within connect_timeout hangs */
  unsigned int ct = (unsigned)c->connect_timeout_s, rt = ct, wt = ct;
  my_bool off = 0;
  mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
  mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rt);
  mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &wt);
  mysql_options(m, MYSQL_OPT_RECONNECT, &off);
  /* a node that is not ready refuses plain SELECTs; the status is what we want from it */
  mysql_options(m, MYSQL_INIT_COMMAND, "SET SESSION wsrep_dirty_reads = 1");
  if (mysql_real_connect(m, n->host, c->user, c->password, NULL, (unsigned)n->port, NULL, 0) ==
      NULL) {
    g_debug("database node %s:%d: %s", n->host, n->port, mysql_error(m));
    mysql_close(m);
    return NULL;
  }
  return m;
}

/* One check: TRUE when the node answered and is usable; *size its cluster size. */
static gboolean node_check(DbCluster *c, DbNode *n, gint64 *size) {
  if (n->conn == NULL && (n->conn = check_connect(c, n)) == NULL) return FALSE;
  MYSQL_RES *res = NULL;
  if (mysql_query(n->conn, status_sql) != 0 || (res = mysql_store_result(n->conn)) == NULL) {
    g_debug("database node %s:%d: %s", n->host, n->port, mysql_error(n->conn));
    mysql_close(n->conn);
    n->conn = NULL;
    return FALSE;
  }
  MYSQL_ROW row = mysql_fetch_row(res);
  gboolean ok =
      row != NULL && mysql_num_fields(res) == 6 && db_node_usable(row[0], row[1], row[2], row[3]);
  *size = row != NULL && row[4] != NULL ? g_ascii_strtoll(row[4], NULL, 10) : 0;
  if (ok && row[5] != NULL && !view_current(c, n, g_ascii_strtoll(row[5], NULL, 10))) {
    g_debug("database node %s:%d reports an older cluster view", n->host, n->port);
    ok = FALSE;
  }
  mysql_free_result(res);
  return ok;
}

/* After a failure (a failed check or a lost connection) a node comes back only once
   READMIT_CHECKS checks in a row, at least READMIT_US after the failure, found it usable: a node
   that is rejoining can report Synced a moment before it serves its clients, and writes should not
   bounce. */
#define READMIT_CHECKS 2
#define READMIT_US     (2 * G_USEC_PER_SEC)

static void node_set(DbNode *n, gboolean ok) {
  gint good = ok ? g_atomic_int_add(&n->good_checks, 1) + 1 : 0;
  if (!ok) g_atomic_int_set(&n->good_checks, 0);
  g_mutex_lock(&n->owner->lock);
  if (!ok) n->failed_at_us = g_get_monotonic_time(); /* a failed check counts as a failure */
  gint64 failed_at = n->failed_at_us;
  g_mutex_unlock(&n->owner->lock);
  if (ok && failed_at != 0 &&
      (good < READMIT_CHECKS || g_get_monotonic_time() - failed_at < READMIT_US))
    ok = FALSE;
  gboolean was = g_atomic_int_exchange(&n->healthy, ok);
  if (was && !ok) g_atomic_int_inc(&n->epoch);
  if (was != ok)
    g_message("database node %s:%d is %s", n->host, n->port,
              ok ? "synced: in use" : "not usable: left");
  if (n->owner->metrics)
    tg_metrics_set(n->owner->metrics, "tollgate_hub_db_node_up", n->labels, ok);
}

static gpointer checker(gpointer data) {
  DbNode *n = data;
  DbCluster *c = n->owner;
  mysql_thread_init();
  g_mutex_lock(&c->lock);
  while (!c->stopping) {
    g_mutex_unlock(&c->lock);
    gint64 size = 0;
    gboolean ok = node_check(c, n, &size);
    node_set(n, ok);
    if (c->metrics && ok)
      tg_metrics_set(c->metrics, "tollgate_hub_db_cluster_size", n->labels, (double)size);
    gint64 deadline = g_get_monotonic_time() + (gint64)c->interval_ms * 1000;
    g_mutex_lock(&c->lock);
    while (!c->stopping && g_cond_wait_until(&c->wake, &c->lock, deadline))
      ;
  }
  g_mutex_unlock(&c->lock);
  if (n->conn) mysql_close(n->conn);
  n->conn = NULL;
  mysql_thread_end();
  return NULL;
}

static void describe(TgMetrics *m) {
  tg_metrics_describe(m, "tollgate_hub_db_node_up", TG_METRIC_GAUGE,
                      "1 when the database node is synced and used, else 0");
  tg_metrics_describe(m, "tollgate_hub_db_cluster_size", TG_METRIC_GAUGE,
                      "Galera cluster size as the node reports it");
  tg_metrics_describe(m, "tollgate_hub_db_writer_changes_total", TG_METRIC_COUNTER,
                      "Times the node taking the writes changed");
}

DbCluster *db_cluster_new(const DbClusterSpec *s) {
  DbCluster *c = g_new0(DbCluster, 1);
  c->n = MAX(s->n, 1);
  c->nodes = g_new0(DbNode, c->n);
  c->user = g_strdup(s->user ? s->user : "");
  c->password = g_strdup(s->password ? s->password : "");
  c->connect_timeout_s = CLAMP(s->connect_timeout_s, 1, 3600);
  c->read_timeout_s = CLAMP(s->read_timeout_s, 1, 3600);
  c->write_timeout_s = CLAMP(s->write_timeout_s, 1, 3600);
  c->interval_ms = CLAMP(s->check_interval_ms, 50, 3600000);
  c->metrics = s->metrics;
  g_mutex_init(&c->lock);
  g_cond_init(&c->wake);
  for (guint i = 0; i < c->n; i++) {
    DbNode *n = &c->nodes[i];
    n->owner = c;
    n->host = g_strdup(s->n > 0 && s->hosts[i] && *s->hosts[i] ? s->hosts[i] : "127.0.0.1");
    n->port = s->n > 0 ? s->ports[i] : 3306;
    n->labels = g_strdup_printf("node=\"%s:%d\"", n->host, n->port);
    n->healthy = TRUE; /* until a check says otherwise: the first calls need not wait */
  }
  if (c->n > 1) {
    if (c->metrics) describe(c->metrics);
    for (guint i = 0; i < c->n; i++)
      c->nodes[i].thread = g_thread_new("hub-db-check", checker, &c->nodes[i]);
  }
  return c;
}

void db_cluster_free(DbCluster *c) {
  if (c == NULL) return;
  g_mutex_lock(&c->lock);
  c->stopping = TRUE;
  g_cond_broadcast(&c->wake);
  g_mutex_unlock(&c->lock);
  for (guint i = 0; i < c->n; i++) {
    if (c->nodes[i].thread) g_thread_join(c->nodes[i].thread);
    g_free(c->nodes[i].host);
    g_free(c->nodes[i].labels);
  }
  g_free(c->nodes);
  g_free(c->user);
  if (c->password) memset(c->password, 0, strlen(c->password));
  g_free(c->password);
  g_mutex_clear(&c->lock);
  g_cond_clear(&c->wake);
  g_free(c);
}

guint db_cluster_size(DbCluster *c) { return c->n; }

gboolean db_cluster_is_galera(DbCluster *c) { return c->n > 1; }

const char *db_cluster_host(DbCluster *c, guint node) { return c->nodes[node].host; }

int db_cluster_port(DbCluster *c, guint node) { return c->nodes[node].port; }

guint db_cluster_epoch(DbCluster *c, guint node) {
  return (guint)g_atomic_int_get(&c->nodes[node].epoch);
}

gboolean db_cluster_healthy(DbCluster *c, guint node) {
  return g_atomic_int_get(&c->nodes[node].healthy);
}

guint db_cluster_writer(DbCluster *c) {
  guint w = (guint)g_atomic_int_get(&c->writer); /* none healthy: stay where we are */
  for (guint i = 0; i < c->n; i++)
    if (db_cluster_healthy(c, i)) {
      w = i;
      break;
    }
  gint was = g_atomic_int_exchange(&c->writer, (gint)w);
  if (was != (gint)w) {
    g_message("database writes now go to %s:%d (were on %s:%d)", c->nodes[w].host, c->nodes[w].port,
              c->nodes[was].host, c->nodes[was].port);
    if (c->metrics) tg_metrics_add(c->metrics, "tollgate_hub_db_writer_changes_total", NULL, 1);
  }
  return w;
}

guint db_cluster_reader(DbCluster *c) {
  guint start = (guint)g_atomic_int_add(&c->next_reader, 1);
  for (guint k = 0; k < c->n; k++) {
    guint i = (start + k) % c->n;
    if (db_cluster_healthy(c, i)) return i;
  }
  return db_cluster_writer(c);
}

gboolean db_cluster_node_failed(DbCluster *c, guint node) {
  if (c->n < 2) return FALSE; /* nowhere else to go: the pool's reconnect is all there is */
  g_atomic_int_set(&c->nodes[node].good_checks, 0);
  g_mutex_lock(&c->lock);
  c->nodes[node].failed_at_us = g_get_monotonic_time();
  g_mutex_unlock(&c->lock);
  gboolean was = g_atomic_int_exchange(&c->nodes[node].healthy, FALSE);
  if (was) {
    g_atomic_int_inc(&c->nodes[node].epoch);
    g_warning("database node %s:%d lost a connection: left until it is synced again",
              c->nodes[node].host, c->nodes[node].port);
    if (c->metrics) tg_metrics_set(c->metrics, "tollgate_hub_db_node_up", c->nodes[node].labels, 0);
  }
  return was;
}
