/*
 * test_hub_pool: the gateway's hub pool against fake hubs (no sockets):
 * backoff, round robin, failover on connect and call errors, retry once,
 * re-login on session errors, background probing back in, failing fast
 * when no hub is up, and a hub that closes the connection on one call (but
 * takes new ones) neither marked down nor sent the call twice over.
 */
#include <glib.h>
#include <string.h>

#include "hub_pool.h"

#define NHUBS 2

typedef struct {
  GMutex lock;
  gboolean alive[NHUBS];
  int connects[NHUBS];
  int calls[NHUBS];
  int relogins;
  int session_failures; /* the next N calls answer "session expired" */
  int stale;            /* the next N calls find their connection closed by the hub */
  int after_transport;  /* calls of ops.after_transport */
} FakeHubs;

static FakeHubs fake;

typedef struct {
  int hub;
} FakeConn;

static gboolean fake_alive(int hub) {
  g_mutex_lock(&fake.lock);
  gboolean alive = fake.alive[hub];
  g_mutex_unlock(&fake.lock);
  return alive;
}

static void fake_set(int hub, gboolean alive) {
  g_mutex_lock(&fake.lock);
  fake.alive[hub] = alive;
  g_mutex_unlock(&fake.lock);
}

static void *fake_connect(void *user, const char *host, int port, GError **error) {
  int hub = port - 1000;
  g_mutex_lock(&fake.lock);
  fake.connects[hub]++;
  gboolean alive = fake.alive[hub];
  g_mutex_unlock(&fake.lock);
  if (!alive) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "connection refused");
    return NULL;
  }
  FakeConn *c = g_new0(FakeConn, 1);
  c->hub = hub;
  return c;
}

static gboolean fake_relogin(void *user, void *conn, GError **error) {
  g_mutex_lock(&fake.lock);
  fake.relogins++;
  g_mutex_unlock(&fake.lock);
  return TRUE;
}

static void fake_close(void *user, void *conn) { g_free(conn); }

static HubCallResult fake_call(void *conn, void *data, GError **error) {
  FakeConn *c = conn;
  if (!fake_alive(c->hub)) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "timed out");
    return HUB_CALL_TRANSPORT;
  }
  g_mutex_lock(&fake.lock);
  fake.calls[c->hub]++;
  gboolean session = fake.session_failures > 0;
  if (session) fake.session_failures--;
  g_mutex_unlock(&fake.lock);
  if (session) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "session expired");
    return HUB_CALL_SESSION;
  }
  g_mutex_lock(&fake.lock);
  gboolean stale = fake.stale > 0;
  if (stale) fake.stale--;
  g_mutex_unlock(&fake.lock);
  if (stale || (data && strcmp(data, "close") == 0)) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "connection closed by peer");
    return HUB_CALL_TRANSPORT;
  }
  if (data && strcmp(data, "refuse") == 0) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "hub says no");
    return HUB_CALL_REFUSED;
  }
  return HUB_CALL_OK;
}

/* tg_hub_client_failure's verdicts: a live hub that closed is reconnected (RETRY), then,
   closed again, refuses the call; a dead one is down. */
static HubCallResult fake_after_transport(void *user, void *conn, gboolean retried,
                                          GError **error) {
  FakeConn *c = conn;
  g_mutex_lock(&fake.lock);
  fake.after_transport++;
  g_mutex_unlock(&fake.lock);
  if (!fake_alive(c->hub)) return HUB_CALL_TRANSPORT;
  if (!retried) return HUB_CALL_RETRY;
  g_clear_error(error);
  g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "closed twice: the call is refused");
  return HUB_CALL_REFUSED;
}

static HubPool *new_pool(void) {
  memset(fake.connects, 0, sizeof fake.connects);
  memset(fake.calls, 0, sizeof fake.calls);
  fake.relogins = 0;
  fake.session_failures = 0;
  fake.stale = 0;
  fake.after_transport = 0;
  for (int i = 0; i < NHUBS; i++) fake.alive[i] = TRUE;
  HubAddr addrs[NHUBS] = {{"127.0.0.1", 1000}, {"127.0.0.1", 1001}};
  HubConnOps ops = {fake_connect, fake_relogin, fake_close, fake_after_transport, NULL};
  g_autoptr(GError) error = NULL;
  HubPool *pool = hub_pool_new(addrs, NHUBS, 2, &ops, NULL, &error);
  g_assert_no_error(error);
  return pool;
}

static int calls_to(int hub) {
  g_mutex_lock(&fake.lock);
  int n = fake.calls[hub];
  g_mutex_unlock(&fake.lock);
  return n;
}

static void call_ok(HubPool *pool) {
  g_autoptr(GError) error = NULL;
  g_assert_true(hub_pool_call(pool, "test", fake_call, NULL, &error));
  g_assert_no_error(error);
}

static gboolean wait_up(HubPool *pool, guint hub, gboolean up, int ms) {
  for (int waited = 0; waited < ms; waited += 10) {
    if (hub_pool_hub_up(pool, hub) == up) return TRUE;
    g_usleep(10000);
  }
  return hub_pool_hub_up(pool, hub) == up;
}

static void test_backoff(void) {
  int expect[] = {500, 1000, 2000, 4000, 5000, 5000};
  int b = HUB_BACKOFF_MIN_MS;
  for (gsize i = 0; i < G_N_ELEMENTS(expect); i++) {
    b = hub_backoff_next(b);
    g_assert_cmpint(b, ==, expect[i]);
  }
  g_assert_cmpint(hub_backoff_next(0), ==, HUB_BACKOFF_MIN_MS);
}

static void test_round_robin(void) {
  HubPool *pool = new_pool();
  for (int i = 0; i < 100; i++) call_ok(pool);
  g_assert_cmpint(calls_to(0) + calls_to(1), ==, 100);
  g_assert_cmpint(calls_to(0), >=, 40);
  g_assert_cmpint(calls_to(1), >=, 40);
  g_assert_cmpuint(hub_pool_hub_calls(pool, 0) + hub_pool_hub_calls(pool, 1), ==, 100);
  hub_pool_free(pool);
}

static void test_failover_connect_refused(void) {
  HubPool *pool = new_pool();
  fake_set(0, FALSE);
  for (int i = 0; i < 50; i++) call_ok(pool); /* no call fails */
  g_assert_cmpint(calls_to(1), ==, 50);
  g_assert_false(hub_pool_hub_up(pool, 0));
  g_assert_true(hub_pool_hub_up(pool, 1));
  hub_pool_free(pool);
}

static void test_failover_mid_call(void) {
  HubPool *pool = new_pool();
  for (int i = 0; i < 10; i++) call_ok(pool); /* both hubs connected */
  fake_set(1, FALSE);                         /* hub 1 dies with open connections */
  for (int i = 0; i < 20; i++) call_ok(pool); /* retried once on hub 0 */
  g_assert_false(hub_pool_hub_up(pool, 1));
  g_assert_cmpint(calls_to(0), >=, 25);
  hub_pool_free(pool);
}

/* A call the hub closes the connection on, twice: refused, made on one hub only, no hub
   marked down (it was: both hubs down after one over-long user input). */
static void test_closed_call_not_failed_over(void) {
  HubPool *pool = new_pool();
  for (int round = 0; round < 4; round++) {
    g_autoptr(GError) error = NULL;
    g_assert_false(hub_pool_call(pool, "test", fake_call, "close", &error));
    g_assert_nonnull(strstr(error->message, "closed twice"));
    g_assert_true(hub_pool_hub_up(pool, 0));
    g_assert_true(hub_pool_hub_up(pool, 1));
  }
  g_assert_cmpint(calls_to(0) + calls_to(1), ==, 8); /* each call twice, on one hub */
  g_assert_cmpint(calls_to(0), ==, calls_to(1));     /* round robin goes on */
  call_ok(pool);
  hub_pool_free(pool);
}

/* A connection the hub had closed (idle, restart): the call is made again on a new one to
   the same hub and answered; nothing marked down. */
static void test_stale_connection_retried_on_same_hub(void) {
  HubPool *pool = new_pool();
  fake.stale = 1;
  call_ok(pool);
  g_assert_cmpint(calls_to(0) + calls_to(1), ==, 2);
  g_assert_true(calls_to(0) == 0 || calls_to(1) == 0);
  g_assert_true(hub_pool_hub_up(pool, 0));
  g_assert_true(hub_pool_hub_up(pool, 1));
  g_assert_cmpint(fake.after_transport, ==, 1);
  hub_pool_free(pool);
}

static void test_probe_brings_hub_back(void) {
  HubPool *pool = new_pool();
  fake_set(0, FALSE);
  for (int i = 0; i < 4; i++) call_ok(pool);
  g_assert_false(hub_pool_hub_up(pool, 0));
  g_usleep(600 * 1000); /* a few failed probes: backoff grows */
  int before = calls_to(0);
  fake_set(0, TRUE);
  g_assert_true(wait_up(pool, 0, TRUE, 3000)); /* backoff at most 1 s by then */
  for (int i = 0; i < 20; i++) call_ok(pool);
  g_assert_cmpint(calls_to(0), >, before); /* used again */
  hub_pool_free(pool);
}

static int connects_to(int hub) {
  g_mutex_lock(&fake.lock);
  int n = fake.connects[hub];
  g_mutex_unlock(&fake.lock);
  return n;
}

/* A probe's connection is logged in already: the first worker to use the hub
   again adopts it instead of logging in once more (logins are slow). */
static void test_probe_connection_reused(void) {
  HubPool *pool = new_pool();
  fake_set(0, FALSE);
  for (int i = 0; i < 4; i++) call_ok(pool);
  fake_set(0, TRUE);
  g_assert_true(wait_up(pool, 0, TRUE, 3000));
  int connects = connects_to(0);
  int before = calls_to(0);
  for (int i = 0; i < 2; i++) call_ok(pool); /* round robin: one lands on hub 0 */
  g_assert_cmpint(calls_to(0), >, before);
  g_assert_cmpint(connects_to(0), ==, connects);
  hub_pool_free(pool);
}

static void test_no_hub_fails_fast(void) {
  HubPool *pool = new_pool();
  fake_set(0, FALSE);
  fake_set(1, FALSE);
  g_autoptr(GError) error = NULL;
  /* hubs still believed up: the job tries both, then fails */
  g_assert_false(hub_pool_call(pool, "test", fake_call, NULL, &error));
  g_assert_error(error, HUB_POOL_ERROR, HUB_POOL_ERROR_NO_HUB);
  g_clear_error(&error);
  g_assert_false(hub_pool_any_up(pool));
  /* now known down: refused at submit time, without queueing */
  gint64 t0 = g_get_monotonic_time();
  g_assert_false(hub_pool_call(pool, "test", fake_call, NULL, &error));
  g_assert_error(error, HUB_POOL_ERROR, HUB_POOL_ERROR_NO_HUB);
  g_assert_cmpint(g_get_monotonic_time() - t0, <, 50000);
  g_clear_error(&error);
  fake_set(1, TRUE);
  g_assert_true(wait_up(pool, 1, TRUE, 3000));
  call_ok(pool);
  hub_pool_free(pool);
}

static void test_session_relogin(void) {
  HubPool *pool = new_pool();
  g_mutex_lock(&fake.lock);
  fake.session_failures = 1;
  g_mutex_unlock(&fake.lock);
  call_ok(pool);
  g_assert_cmpint(fake.relogins, ==, 1);
  g_assert_true(hub_pool_hub_up(pool, 0));
  g_assert_true(hub_pool_hub_up(pool, 1));
  hub_pool_free(pool);
}

static void test_refused_not_retried(void) {
  HubPool *pool = new_pool();
  g_autoptr(GError) error = NULL;
  g_assert_false(hub_pool_call(pool, "test", fake_call, (void *)"refuse", &error));
  g_assert_nonnull(error);
  g_assert_cmpint(calls_to(0) + calls_to(1), ==, 1);
  g_assert_true(hub_pool_hub_up(pool, 0));
  g_assert_true(hub_pool_hub_up(pool, 1));
  hub_pool_free(pool);
}

typedef struct {
  GMutex lock;
  GCond cond;
  int done, failed;
} AsyncLog;

static void async_done(void *data, const GError *error) {
  AsyncLog *log = data;
  g_mutex_lock(&log->lock);
  log->done++;
  if (error) log->failed++;
  g_cond_signal(&log->cond);
  g_mutex_unlock(&log->lock);
}

static HubCallResult async_call(void *conn, void *data, GError **error) {
  return fake_call(conn, NULL, error);
}

static void test_async_submit_with_failover(void) {
  HubPool *pool = new_pool();
  AsyncLog log = {0};
  g_mutex_init(&log.lock);
  g_cond_init(&log.cond);
  for (int i = 0; i < 200; i++) {
    if (i == 50) fake_set(0, FALSE);
    g_assert_true(hub_pool_submit(pool, "test", async_call, async_done, &log, NULL));
  }
  g_mutex_lock(&log.lock);
  while (log.done < 200) g_cond_wait(&log.cond, &log.lock);
  g_mutex_unlock(&log.lock);
  g_assert_cmpint(log.failed, ==, 0);
  g_autofree char *json = hub_pool_health_json(pool);
  g_assert_nonnull(strstr(json, "\"hub\":\"127.0.0.1:1000\",\"up\":false"));
  hub_pool_free(pool);
  g_cond_clear(&log.cond);
  g_mutex_clear(&log.lock);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  /* the pool warns when it marks a hub down: expected here, not fatal */
  g_log_set_always_fatal(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
  g_mutex_init(&fake.lock);
  g_test_add_func("/hub_pool/backoff", test_backoff);
  g_test_add_func("/hub_pool/round_robin", test_round_robin);
  g_test_add_func("/hub_pool/failover_connect_refused", test_failover_connect_refused);
  g_test_add_func("/hub_pool/failover_mid_call", test_failover_mid_call);
  g_test_add_func("/hub_pool/closed_call_not_failed_over", test_closed_call_not_failed_over);
  g_test_add_func("/hub_pool/stale_connection_retried_on_same_hub",
                  test_stale_connection_retried_on_same_hub);
  g_test_add_func("/hub_pool/probe_brings_hub_back", test_probe_brings_hub_back);
  g_test_add_func("/hub_pool/probe_connection_reused", test_probe_connection_reused);
  g_test_add_func("/hub_pool/no_hub_fails_fast", test_no_hub_fails_fast);
  g_test_add_func("/hub_pool/session_relogin", test_session_relogin);
  g_test_add_func("/hub_pool/refused_not_retried", test_refused_not_retried);
  g_test_add_func("/hub_pool/async_submit_with_failover", test_async_submit_with_failover);
  return g_test_run();
}
