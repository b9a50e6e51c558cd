/*
 * hub_pool: worker threads with blocking hub connections, round-robin over healthy hubs,
 * failover and background probing (see hub_pool.h). One mutex guards the hub table, never held
 * during a call. Trade-off: jobs are not pinned to a hub, so a call may pay a connect on a
 * worker that had not used that hub yet. Design notes: docs/HACKING.md.
 */
#include "hub_pool.h"

#include <string.h>

#define HUB_POOL_MAX_HUBS      64
#define HUB_POOL_PROBE_TICK_MS 50

G_DEFINE_QUARK(hub - pool - error - quark, hub_pool_error)

typedef struct {
  char *host;
  int port;
  char *name; /* host:port, for metrics and logs */
  gboolean up;
  guint generation;
  int backoff_ms;
  gint64 next_probe_us;
  guint64 calls;
  void *spare; /* the last successful probe's connection, for a worker */
  guint spare_generation;
} Hub;

typedef struct {
  const char *method;
  HubJobRun run;
  HubJobDone done;
  void *data;
  gboolean stop; /* the poison pill that ends a worker */
} Job;

typedef struct {
  void *conn;
  guint generation;
} WorkerConn;

typedef struct {
  HubPool *pool;
  GThread *thread;
  WorkerConn *conns; /* one per hub */
} Worker;

struct HubPool {
  GMutex lock;
  GCond probe_cond;
  Hub *hubs;
  guint nhubs;
  guint next; /* round-robin cursor */
  Worker *workers;
  guint nworkers;
  GAsyncQueue *jobs;
  GThread *prober;
  gboolean stopping;
  HubConnOps ops;
  TgMetrics *metrics;
};

int hub_backoff_next(int current_ms) {
  if (current_ms < HUB_BACKOFF_MIN_MS) return HUB_BACKOFF_MIN_MS;
  return MIN(current_ms * 2, HUB_BACKOFF_MAX_MS);
}

static char *hub_label(const Hub *hub, const char *key, const char *value) {
  return g_strdup_printf("hub=\"%s\",%s=\"%s\"", hub->name, key, value);
}

static void metric_up(HubPool *pool, const Hub *hub) {
  if (!pool->metrics) return;
  g_autofree char *labels = g_strdup_printf("hub=\"%s\"", hub->name);
  tg_metrics_set(pool->metrics, "tollgate_gateway_hub_up", labels, hub->up ? 1 : 0);
}

static void metric_error(HubPool *pool, const Hub *hub, const char *kind) {
  if (!pool->metrics) return;
  g_autofree char *labels = hub_label(hub, "kind", kind);
  tg_metrics_add(pool->metrics, "tollgate_gateway_hub_rpc_errors_total", labels, 1);
}

static void metric_latency(HubPool *pool, const Hub *hub, const char *method, double s) {
  if (!pool->metrics) return;
  g_autofree char *labels = hub_label(hub, "method", method);
  tg_metrics_observe(pool->metrics, "tollgate_gateway_hub_rpc_seconds", labels, s);
}

/* Marks hub i down unless its generation moved on already (someone else did). */
static void hub_mark_down(HubPool *pool, guint i, guint seen_generation, const GError *why) {
  void *stale = NULL;
  g_mutex_lock(&pool->lock);
  Hub *hub = &pool->hubs[i];
  if (hub->up && hub->generation == seen_generation) {
    stale = g_steal_pointer(&hub->spare);
    hub->up = FALSE;
    hub->generation++;
    hub->backoff_ms = HUB_BACKOFF_MIN_MS;
    hub->next_probe_us = g_get_monotonic_time() + hub->backoff_ms * 1000;
    g_warning("hub %s marked down: %s", hub->name, why ? why->message : "unknown error");
    metric_up(pool, hub);
    g_cond_signal(&pool->probe_cond);
  }
  g_mutex_unlock(&pool->lock);
  if (stale) pool->ops.close(pool->ops.user, stale);
}

/* Hub i's spare connection if it is of generation gen, else NULL. */
static void *take_spare(HubPool *pool, guint i, guint gen) {
  g_mutex_lock(&pool->lock);
  Hub *hub = &pool->hubs[i];
  void *conn = hub->spare_generation == gen ? g_steal_pointer(&hub->spare) : NULL;
  g_mutex_unlock(&pool->lock);
  return conn;
}

/* Next up hub not in excluded (a bit set), round robin; -1 if none. Lock held. */
static int pick_hub_locked(HubPool *pool, guint64 excluded) {
  for (guint k = 0; k < pool->nhubs; k++) {
    guint i = (pool->next + k) % pool->nhubs;
    if (!pool->hubs[i].up || (excluded & (G_GUINT64_CONSTANT(1) << i))) continue;
    pool->next = (i + 1) % pool->nhubs;
    return (int)i;
  }
  return -1;
}

static int pick_hub(HubPool *pool, guint64 excluded, guint *generation) {
  g_mutex_lock(&pool->lock);
  int i = pick_hub_locked(pool, excluded);
  if (i >= 0) {
    *generation = pool->hubs[i].generation;
    pool->hubs[i].calls++;
  }
  g_mutex_unlock(&pool->lock);
  return i;
}

gboolean hub_pool_any_up(HubPool *pool) {
  gboolean any = FALSE;
  g_mutex_lock(&pool->lock);
  for (guint i = 0; i < pool->nhubs; i++) any = any || pool->hubs[i].up;
  g_mutex_unlock(&pool->lock);
  return any;
}

/* The worker's connection to hub i at generation gen (reconnecting if stale). */
static void *worker_conn(Worker *w, guint i, guint gen, GError **error) {
  HubPool *pool = w->pool;
  WorkerConn *wc = &w->conns[i];
  if (wc->conn && wc->generation != gen) {
    pool->ops.close(pool->ops.user, wc->conn);
    wc->conn = NULL;
  }
  if (!wc->conn) {
    wc->conn = take_spare(pool, i, gen);
    if (!wc->conn)
      wc->conn = pool->ops.connect(pool->ops.user, pool->hubs[i].host, pool->hubs[i].port, error);
    wc->generation = gen;
  }
  return wc->conn;
}

static void worker_drop_conn(Worker *w, guint i) {
  if (!w->conns[i].conn) return;
  w->pool->ops.close(w->pool->ops.user, w->conns[i].conn);
  w->conns[i].conn = NULL;
}

/* A transport failure: the hub closing the connection on a call it refuses is not the hub
   down (ops.after_transport): the call is made once more on a new connection, and if that
   one is closed too the call is refused, final, and the hub stays up. */
static HubCallResult after_transport(HubPool *pool, void *conn, Job *job, HubCallResult r,
                                     GError **error) {
  if (r != HUB_CALL_TRANSPORT || pool->ops.after_transport == NULL) return r;
  r = pool->ops.after_transport(pool->ops.user, conn, FALSE, error);
  if (r != HUB_CALL_RETRY) return r;
  g_clear_error(error);
  r = job->run(conn, job->data, error);
  if (r == HUB_CALL_TRANSPORT) r = pool->ops.after_transport(pool->ops.user, conn, TRUE, error);
  return r == HUB_CALL_RETRY ? HUB_CALL_TRANSPORT : r;
}

/* One call on hub i, with one re-login on a session error. */
static HubCallResult run_on_hub(Worker *w, guint i, void *conn, Job *job, GError **error) {
  HubPool *pool = w->pool;
  Hub *hub = &pool->hubs[i];
  gint64 t0 = g_get_monotonic_time();
  HubCallResult r = job->run(conn, job->data, error);
  if (r == HUB_CALL_SESSION) {
    metric_error(pool, hub, "session");
    g_clear_error(error);
    if (pool->ops.relogin(pool->ops.user, conn, error))
      r = job->run(conn, job->data, error);
    else
      r = HUB_CALL_TRANSPORT;
  }
  r = after_transport(pool, conn, job, r, error);
  metric_latency(pool, hub, job->method, (g_get_monotonic_time() - t0) / 1e6);
  if (r == HUB_CALL_REFUSED) metric_error(pool, hub, "refused");
  if (r == HUB_CALL_SESSION) r = HUB_CALL_REFUSED;
  return r;
}

/* Runs a job: at most two calls (the second on another hub), connect
   failures only exclude the hub. Returns the final error (NULL: success). */
static GError *worker_run_job(Worker *w, Job *job) {
  HubPool *pool = w->pool;
  guint64 excluded = 0;
  GError *error = NULL;
  int calls = 0;
  while (calls < 2) {
    guint gen = 0;
    int i = pick_hub(pool, excluded, &gen);
    if (i < 0) break;
    excluded |= G_GUINT64_CONSTANT(1) << i;
    g_clear_error(&error);
    void *conn = worker_conn(w, (guint)i, gen, &error);
    if (!conn) {
      metric_error(pool, &pool->hubs[i], "connect");
      hub_mark_down(pool, (guint)i, gen, error);
      continue;
    }
    calls++;
    HubCallResult r = run_on_hub(w, (guint)i, conn, job, &error);
    if (r == HUB_CALL_OK) return NULL;
    if (r == HUB_CALL_REFUSED) return error;
    metric_error(pool, &pool->hubs[i], "transport");
    worker_drop_conn(w, (guint)i);
    hub_mark_down(pool, (guint)i, gen, error);
  }
  GError *final = g_error_new(HUB_POOL_ERROR, HUB_POOL_ERROR_NO_HUB, "no hub answered%s%s",
                              error ? ": " : "", error ? error->message : "");
  g_clear_error(&error);
  return final;
}

static gpointer worker_main(gpointer p) {
  Worker *w = p;
  for (;;) {
    Job *job = g_async_queue_pop(w->pool->jobs);
    if (job->stop) {
      g_free(job);
      break;
    }
    GError *error = worker_run_job(w, job);
    job->done(job->data, error);
    g_clear_error(&error);
    g_free(job);
  }
  for (guint i = 0; i < w->pool->nhubs; i++) worker_drop_conn(w, i);
  return NULL;
}

/* Tries one down hub (no lock held); marks it up, keeping the connection as
   its spare, or backs off. */
static void probe_hub(HubPool *pool, guint i) {
  g_autoptr(GError) error = NULL;
  void *conn = pool->ops.connect(pool->ops.user, pool->hubs[i].host, pool->hubs[i].port, &error);
  void *old_spare = NULL;
  g_mutex_lock(&pool->lock);
  Hub *hub = &pool->hubs[i];
  if (conn) {
    old_spare = hub->spare;
    hub->spare = conn;
    hub->spare_generation = hub->generation;
    hub->up = TRUE;
    hub->backoff_ms = HUB_BACKOFF_MIN_MS;
    g_message("hub %s is up again", hub->name);
    metric_up(pool, hub);
  } else {
    hub->backoff_ms = hub_backoff_next(hub->backoff_ms);
    hub->next_probe_us = g_get_monotonic_time() + hub->backoff_ms * 1000;
    g_debug("hub %s still down (%s), next probe in %d ms", hub->name, error->message,
            hub->backoff_ms);
  }
  g_mutex_unlock(&pool->lock);
  if (old_spare) pool->ops.close(pool->ops.user, old_spare);
}

static gpointer prober_main(gpointer p) {
  HubPool *pool = p;
  g_mutex_lock(&pool->lock);
  while (!pool->stopping) {
    gint64 now = g_get_monotonic_time();
    int due = -1;
    for (guint i = 0; i < pool->nhubs && due < 0; i++)
      if (!pool->hubs[i].up && pool->hubs[i].next_probe_us <= now) due = (int)i;
    if (due >= 0) {
      g_mutex_unlock(&pool->lock);
      probe_hub(pool, (guint)due);
      g_mutex_lock(&pool->lock);
      continue;
    }
    g_cond_wait_until(&pool->probe_cond, &pool->lock, now + HUB_POOL_PROBE_TICK_MS * 1000);
  }
  g_mutex_unlock(&pool->lock);
  return NULL;
}

HubPool *hub_pool_new(const HubAddr *hubs, guint n, guint workers, const HubConnOps *ops,
                      TgMetrics *metrics, GError **error) {
  if (n == 0 || n > HUB_POOL_MAX_HUBS) {
    g_set_error(error, HUB_POOL_ERROR, HUB_POOL_ERROR_NO_HUB,
                "between 1 and %d hubs must be configured (got %u)", HUB_POOL_MAX_HUBS, n);
    return NULL;
  }
  HubPool *pool = g_new0(HubPool, 1);
  g_mutex_init(&pool->lock);
  g_cond_init(&pool->probe_cond);
  pool->ops = *ops;
  pool->metrics = metrics;
  pool->nhubs = n;
  pool->hubs = g_new0(Hub, n);
  for (guint i = 0; i < n; i++) {
    pool->hubs[i].host = g_strdup(hubs[i].host);
    pool->hubs[i].port = hubs[i].port;
    pool->hubs[i].name = g_strdup_printf("%s:%d", hubs[i].host, hubs[i].port);
    pool->hubs[i].up = TRUE; /* optimistic: the first failure marks it down */
    pool->hubs[i].backoff_ms = HUB_BACKOFF_MIN_MS;
    metric_up(pool, &pool->hubs[i]);
  }
  if (metrics) {
    tg_metrics_describe(metrics, "tollgate_gateway_hub_rpc_seconds", TG_METRIC_HISTOGRAM,
                        "Hub calls by hub and method");
    tg_metrics_describe(metrics, "tollgate_gateway_hub_rpc_errors_total", TG_METRIC_COUNTER,
                        "Failed hub calls by hub and kind");
    tg_metrics_describe(metrics, "tollgate_gateway_hub_up", TG_METRIC_GAUGE,
                        "1 when the hub is considered healthy");
  }
  pool->jobs = g_async_queue_new();
  pool->nworkers = MAX(1u, workers);
  pool->workers = g_new0(Worker, pool->nworkers);
  for (guint i = 0; i < pool->nworkers; i++) {
    Worker *w = &pool->workers[i];
    w->pool = pool;
    w->conns = g_new0(WorkerConn, n);
    w->thread = g_thread_new("hub-worker", worker_main, w);
  }
  pool->prober = g_thread_new("hub-prober", prober_main, pool);
  return pool;
}

void hub_pool_free(HubPool *pool) {
  if (!pool) return;
  g_mutex_lock(&pool->lock);
  pool->stopping = TRUE;
  g_cond_signal(&pool->probe_cond);
  g_mutex_unlock(&pool->lock);
  g_thread_join(pool->prober);
  /* Jobs queued before the pills still run (they fail fast if hubs are down). */
  for (guint i = 0; i < pool->nworkers; i++) {
    Job *pill = g_new0(Job, 1);
    pill->stop = TRUE;
    g_async_queue_push(pool->jobs, pill);
  }
  for (guint i = 0; i < pool->nworkers; i++) {
    g_thread_join(pool->workers[i].thread);
    g_free(pool->workers[i].conns);
  }
  g_free(pool->workers);
  g_async_queue_unref(pool->jobs);
  for (guint i = 0; i < pool->nhubs; i++) {
    if (pool->hubs[i].spare) pool->ops.close(pool->ops.user, pool->hubs[i].spare);
    g_free(pool->hubs[i].host);
    g_free(pool->hubs[i].name);
  }
  g_free(pool->hubs);
  g_cond_clear(&pool->probe_cond);
  g_mutex_clear(&pool->lock);
  g_free(pool);
}

gboolean hub_pool_submit(HubPool *pool, const char *method, HubJobRun run, HubJobDone done,
                         void *data, GError **error) {
  if (!hub_pool_any_up(pool)) {
    g_set_error(error, HUB_POOL_ERROR, HUB_POOL_ERROR_NO_HUB, "no hub is up");
    return FALSE;
  }
  Job *job = g_new0(Job, 1);
  job->method = method;
  job->run = run;
  job->done = done;
  job->data = data;
  g_async_queue_push(pool->jobs, job);
  return TRUE;
}

typedef struct {
  GMutex lock;
  GCond cond;
  gboolean finished;
  GError *error;
  HubJobRun run;
  void *data;
} SyncCall;

static HubCallResult sync_run(void *conn, void *data, GError **error) {
  SyncCall *sc = data;
  return sc->run(conn, sc->data, error);
}

static void sync_done(void *data, const GError *error) {
  SyncCall *sc = data;
  g_mutex_lock(&sc->lock);
  sc->error = error ? g_error_copy(error) : NULL;
  sc->finished = TRUE;
  g_cond_signal(&sc->cond);
  g_mutex_unlock(&sc->lock);
}

gboolean hub_pool_call(HubPool *pool, const char *method, HubJobRun run, void *data,
                       GError **error) {
  SyncCall sc = {.run = run, .data = data};
  g_mutex_init(&sc.lock);
  g_cond_init(&sc.cond);
  gboolean ok = hub_pool_submit(pool, method, sync_run, sync_done, &sc, error);
  if (ok) {
    g_mutex_lock(&sc.lock);
    while (!sc.finished) g_cond_wait(&sc.cond, &sc.lock);
    g_mutex_unlock(&sc.lock);
    ok = sc.error == NULL;
    if (sc.error) g_propagate_error(error, sc.error);
  }
  g_cond_clear(&sc.cond);
  g_mutex_clear(&sc.lock);
  return ok;
}

guint hub_pool_hub_count(HubPool *pool) { return pool->nhubs; }

gboolean hub_pool_hub_up(HubPool *pool, guint i) {
  g_mutex_lock(&pool->lock);
  gboolean up = i < pool->nhubs && pool->hubs[i].up;
  g_mutex_unlock(&pool->lock);
  return up;
}

const char *hub_pool_hub_name(HubPool *pool, guint i) {
  return i < pool->nhubs ? pool->hubs[i].name : NULL;
}

guint64 hub_pool_hub_calls(HubPool *pool, guint i) {
  g_mutex_lock(&pool->lock);
  guint64 calls = i < pool->nhubs ? pool->hubs[i].calls : 0;
  g_mutex_unlock(&pool->lock);
  return calls;
}

char *hub_pool_health_json(HubPool *pool) {
  GString *out = g_string_new("[");
  g_mutex_lock(&pool->lock);
  for (guint i = 0; i < pool->nhubs; i++) {
    g_string_append_printf(out, "%s{\"hub\":\"%s\",\"up\":%s,\"calls\":%" G_GUINT64_FORMAT "}",
                           i ? "," : "", pool->hubs[i].name, pool->hubs[i].up ? "true" : "false",
                           pool->hubs[i].calls);
  }
  g_mutex_unlock(&pool->lock);
  g_string_append_c(out, ']');
  return g_string_free(out, FALSE);
}
