/*
 * db_cluster.h: the database nodes a hub may use ([database] hosts) and which of
 * them are healthy right now. One node (the default) is never checked: it is
 * simply used. Several nodes are a MariaDB Galera cluster: a thread per node
 * reads its wsrep status every check interval; writes go to the first healthy
 * node in the configured order (one writer at a time), reads to any healthy one.
 */
#ifndef TOLLGATE_HUB_DB_CLUSTER_H
#define TOLLGATE_HUB_DB_CLUSTER_H

#include <glib.h>

typedef struct DbCluster DbCluster;

typedef struct {
  const char *const *hosts; /* n host names */
  const int *ports;         /* n ports */
  guint n;
  const char *user, *password;
  int connect_timeout_s, read_timeout_s, write_timeout_s;
  int check_interval_ms;
  gpointer metrics; /* TgMetrics * or NULL */
} DbClusterSpec;

/* Starts the checkers when spec->n > 1. Copies what it keeps. */
DbCluster *db_cluster_new(const DbClusterSpec *spec);
void db_cluster_free(DbCluster *c);

guint db_cluster_size(DbCluster *c);
gboolean db_cluster_is_galera(DbCluster *c); /* more than one node configured */
const char *db_cluster_host(DbCluster *c, guint node);
int db_cluster_port(DbCluster *c, guint node);

/* The node writes go to: the first healthy one in the configured order (every hub with
   the same list picks the same node); when none is healthy, the last writer (its error
   is then the caller's answer). */
guint db_cluster_writer(DbCluster *c);
/* A node for a read: the healthy ones in turn; the writer when none is healthy. */
guint db_cluster_reader(DbCluster *c);
gboolean db_cluster_healthy(DbCluster *c, guint node);
/* How many times node was left so far: a connection opened (or last used) under an
   older count predates a failure of its node and is not trusted again. */
guint db_cluster_epoch(DbCluster *c, guint node);
/* A statement on node failed with a lost-connection error: use the others until its
   checker sees it synced again. Returns TRUE when it was healthy until now. */
gboolean db_cluster_node_failed(DbCluster *c, guint node);

/* The check itself, kept pure for the unit tests: the values of @@wsrep_on and the
   status variables wsrep_ready, wsrep_local_state and wsrep_cluster_status (NULL when
   absent). A server without wsrep is usable when it answers; a Galera node only when
   ready, Synced (4) and part of the Primary component. */
gboolean db_node_usable(const char *wsrep_on, const char *ready, const char *local_state,
                        const char *cluster_status);

#endif
