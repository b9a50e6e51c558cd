/*
 * test_db_cluster: when a database node counts as usable (the wsrep status table, a
 * plain server, garbage), and where writes go when nodes fail: the next healthy node in
 * the configured order, and the last writer when none is healthy (here the nodes are
 * ports nothing listens on, so the checkers soon see every node down).
 */
#include <glib.h>

#include "db_cluster.h"

typedef struct {
  const char *on, *ready, *state, *status;
  gboolean usable;
} UsableCase;

static const UsableCase usable_cases[] = {
    {"1", "ON", "4", "Primary", TRUE},
    {"ON", "ON", "4", "Primary", TRUE},
    {"0", NULL, NULL, NULL, TRUE}, /* a plain server: it answered */
    {"OFF", "OFF", NULL, NULL, TRUE},
    {"1", "OFF", "4", "Primary", FALSE}, /* not ready */
    {"1", "ON", "1", "Primary", FALSE},  /* joining */
    {"1", "ON", "2", "Primary", FALSE},  /* donor / desynced */
    {"1", "ON", "3", "Primary", FALSE},  /* joined, catching up */
    {"1", "ON", "44", "Primary", FALSE},
    {"1", "ON", "4 ", "Primary", FALSE},
    {"1", "ON", "4", "non-Primary", FALSE}, /* a minority after a partition */
    {"1", "ON", "4", "primary", FALSE},
    {"1", "ON", "4", "Disconnected", FALSE},
    {"1", NULL, "4", "Primary", FALSE},
    {"1", "ON", NULL, "Primary", FALSE},
    {"1", "ON", "4", NULL, FALSE},
    {NULL, "ON", "4", "Primary", FALSE}, /* no answer at all */
    {"2", "ON", "4", "Primary", FALSE},  /* neither on nor off */
    {"", "ON", "4", "Primary", FALSE},
};

static void test_usable(void) {
  for (gsize i = 0; i < G_N_ELEMENTS(usable_cases); i++) {
    const UsableCase *c = &usable_cases[i];
    if (db_node_usable(c->on, c->ready, c->state, c->status) != c->usable)
      g_error("case %" G_GSIZE_FORMAT ": %s %s %s %s should be %s", i, c->on, c->ready, c->state,
              c->status, c->usable ? "usable" : "unusable");
  }
}

static DbCluster *three_dead_nodes(void) {
  static const char *const hosts[] = {"127.0.0.1", "127.0.0.1", "127.0.0.1"};
  static const int ports[] = {1, 1, 1}; /* tcpmux: nothing listens there */
  DbClusterSpec spec = {.hosts = hosts,
                        .ports = ports,
                        .n = 3,
                        .user = "u",
                        .password = "p",
                        .connect_timeout_s = 1,
                        .read_timeout_s = 1,
                        .write_timeout_s = 1,
                        .check_interval_ms = 50};
  return db_cluster_new(&spec);
}

static void test_failover_order(void) {
  DbCluster *c = three_dead_nodes();
  g_assert_true(db_cluster_is_galera(c));
  /* the checkers soon find all three down; until then each failure moves the writer */
  if (db_cluster_healthy(c, 0) && db_cluster_healthy(c, 1) && db_cluster_healthy(c, 2)) {
    g_assert_cmpuint(db_cluster_writer(c), ==, 0);
    db_cluster_node_failed(c, 0);
    if (db_cluster_healthy(c, 1)) g_assert_cmpuint(db_cluster_writer(c), ==, 1);
  }
  for (int i = 0; i < 200 && (db_cluster_healthy(c, 0) || db_cluster_healthy(c, 1) ||
                              db_cluster_healthy(c, 2));
       i++)
    g_usleep(10000);
  g_assert_false(db_cluster_healthy(c, 0) || db_cluster_healthy(c, 1) || db_cluster_healthy(c, 2));
  guint w = db_cluster_writer(c);
  g_assert_cmpuint(db_cluster_writer(c), ==, w); /* none healthy: it stays put */
  g_assert_cmpuint(db_cluster_reader(c), ==, w); /* and reads follow it */
  g_assert_false(db_cluster_node_failed(c, w));  /* already down */
  db_cluster_free(c);
}

static void test_single_node_never_fails(void) {
  static const char *const hosts[] = {"127.0.0.1"};
  static const int ports[] = {1};
  DbClusterSpec spec = {.hosts = hosts,
                        .ports = ports,
                        .n = 1,
                        .connect_timeout_s = 1,
                        .read_timeout_s = 1,
                        .write_timeout_s = 1,
                        .check_interval_ms = 50};
  DbCluster *c = db_cluster_new(&spec);
  g_assert_false(db_cluster_is_galera(c));
  g_assert_false(db_cluster_node_failed(c, 0)); /* nowhere else to go */
  g_usleep(100000);
  g_assert_true(db_cluster_healthy(c, 0)); /* no checker for one node */
  g_assert_cmpuint(db_cluster_writer(c), ==, 0);
  g_assert_cmpuint(db_cluster_reader(c), ==, 0);
  db_cluster_free(c);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL); /* leaving a node warns */
  g_test_add_func("/db_cluster/usable", test_usable);
  g_test_add_func("/db_cluster/failover_order", test_failover_order);
  g_test_add_func("/db_cluster/single_node", test_single_node_never_fails);
  return g_test_run();
}
