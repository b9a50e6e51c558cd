/*
 * hub_bench: a load client for the hub's validateKey over the Thrift port.
 *
 * N threads, each with one persistent logged-in connection (common/tg_hub_client),
 * call validateKey back to back for a fixed time. "cached" mode repeats one
 * (token, resource) pair, so the hub answers from its validation cache;
 * "uncached" mode sends a fresh concrete resource path every call
 * (/items/<n> against the template /items/{id}), so every call misses the
 * cache and reads the database. Prints calls/s and p50/p99 latency.
 * A benchmark, not a test: it asserts nothing beyond "calls were authorized".
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_hub_client.h"
#include "tg_tls.h"

typedef struct BenchOptions {
  char *hub;
  char *ca;
  char *user;
  char *password;
  char *token;
  char *context;
  char *version;
  char *resource;
  char *mode;
  int connections;
  int seconds;
  gboolean plaintext;
} BenchOptions;

typedef struct Worker {
  const BenchOptions *opts;
  SSL_CTX *tls;
  int index;
  GArray *latencies_us; /* guint32 */
  guint64 calls;
  guint64 failures;
  char *error;
} Worker;

static volatile gint bench_running = 1;

static gboolean one_call(Worker *w, TgHubClient *client, guint64 n) {
  const BenchOptions *o = w->opts;
  g_autofree char *resource = NULL;
  if (!strcmp(o->mode, "uncached"))
    resource = g_strdup_printf("/items/%d-%" G_GUINT64_FORMAT, w->index, n);
  else
    resource = g_strdup(o->resource);
  /* c_glib's client fills a result object the caller allocates */
  TgAPIKeyValidationInfoDTO *dto = g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_INFO_D_T_O, NULL);
  TgAPIKeyMgtException *keymgt = NULL;
  TgAPIManagementException *apimgt = NULL;
  GError *error = NULL;
  gboolean ok = tg_a_p_i_key_validation_service_if_validate_key(
      TG_A_P_I_KEY_VALIDATION_SERVICE_IF(tg_hub_client_iface(client)), &dto, o->context,
      o->version, o->token, tg_hub_client_session(client), "Any", "", resource, "GET", &keymgt,
      &apimgt, &error);
  gboolean authorized = FALSE;
  if (ok && dto) g_object_get(dto, "authorized", &authorized, NULL);
  if (!authorized && !w->error) {
    w->error = g_strdup(error ? error->message : keymgt ? "APIKeyMgtException"
                        : apimgt ? "APIManagementException" : "not authorized");
  }
  g_clear_object(&dto);
  g_clear_object(&keymgt);
  g_clear_object(&apimgt);
  g_clear_error(&error);
  return authorized;
}

static gpointer worker_run(gpointer data) {
  Worker *w = data;
  const BenchOptions *o = w->opts;
  g_autofree char *host = NULL;
  int port = 0;
  GError *error = NULL;
  if (!tg_parse_host_port(o->hub, 10397, &host, &port, &error)) {
    w->error = g_strdup(error->message);
    g_error_free(error);
    return NULL;
  }
  TgHubClientOptions copts = {.host = host, .port = port, .tls = !o->plaintext, .tls_ctx = w->tls,
                              .timeout_ms = 5000, .user = o->user, .password = o->password};
  g_autoptr(TgHubClient) client = tg_hub_client_connect(&copts, &error);
  if (!client) {
    w->error = g_strdup(error->message);
    g_error_free(error);
    return NULL;
  }
  for (guint64 n = 0; g_atomic_int_get(&bench_running); n++) {
    gint64 start = g_get_monotonic_time();
    gboolean ok = one_call(w, client, n);
    guint32 us = (guint32)(g_get_monotonic_time() - start);
    g_array_append_val(w->latencies_us, us);
    if (ok) w->calls++;
    else w->failures++;
    if (!ok && !tg_hub_client_is_open(client) && !tg_hub_client_reconnect(client, NULL)) break;
  }
  return NULL;
}

static gint compare_u32(gconstpointer a, gconstpointer b) {
  guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
  return x < y ? -1 : x > y;
}

static double percentile_ms(GArray *all, double p) {
  if (all->len == 0) return 0;
  guint idx = (guint)(p * (all->len - 1));
  return g_array_index(all, guint32, idx) / 1000.0;
}

static void report(const BenchOptions *o, Worker *workers, double elapsed) {
  g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(guint32));
  guint64 calls = 0, failures = 0;
  for (int i = 0; i < o->connections; i++) {
    calls += workers[i].calls;
    failures += workers[i].failures;
    g_array_append_vals(all, workers[i].latencies_us->data, workers[i].latencies_us->len);
    if (workers[i].error) fprintf(stderr, "connection %d: %s\n", i, workers[i].error);
  }
  g_array_sort(all, compare_u32);
  printf("mode=%s connections=%d seconds=%.1f calls=%" G_GUINT64_FORMAT " failures=%" G_GUINT64_FORMAT
         " calls_per_s=%.0f p50_ms=%.3f p99_ms=%.3f\n",
         o->mode, o->connections, elapsed, calls, failures, calls / elapsed,
         percentile_ms(all, 0.50), percentile_ms(all, 0.99));
}

int main(int argc, char **argv) {
  BenchOptions o = {.connections = 16, .seconds = 10};
  GOptionEntry entries[] = {
      {"hub", 0, 0, G_OPTION_ARG_STRING, &o.hub, "hub HOST:PORT", NULL},
      {"ca", 0, 0, G_OPTION_ARG_FILENAME, &o.ca, "CA file", NULL},
      {"plaintext", 0, 0, G_OPTION_ARG_NONE, &o.plaintext, "no TLS", NULL},
      {"user", 0, 0, G_OPTION_ARG_STRING, &o.user, "user (role admin or gateway)", NULL},
      {"password", 0, 0, G_OPTION_ARG_STRING, &o.password, "password", NULL},
      {"token", 0, 0, G_OPTION_ARG_STRING, &o.token, "access token", NULL},
      {"context", 0, 0, G_OPTION_ARG_STRING, &o.context, "API context", NULL},
      {"version", 0, 0, G_OPTION_ARG_STRING, &o.version, "API version", NULL},
      {"resource", 0, 0, G_OPTION_ARG_STRING, &o.resource, "resource (cached mode)", NULL},
      {"mode", 0, 0, G_OPTION_ARG_STRING, &o.mode, "cached | uncached", NULL},
      {"connections", 'c', 0, G_OPTION_ARG_INT, &o.connections, "connections", NULL},
      {"seconds", 's', 0, G_OPTION_ARG_INT, &o.seconds, "duration", NULL},
      {NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new("- validateKey load client");
  g_option_context_add_main_entries(ctx, entries, NULL);
  GError *error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error) || !o.hub || !o.token || !o.context ||
      !o.version || !o.user || !o.password || o.connections < 1 || o.seconds < 1) {
    fprintf(stderr, "%s\nneeds --hub --user --password --token --context --version\n",
            error ? error->message : "bad arguments");
    return 2;
  }
  if (!o.mode) o.mode = g_strdup("cached");
  if (!o.resource) o.resource = g_strdup("/items/1");
  SSL_CTX *tls = NULL;
  if (!o.plaintext && !(tls = tg_tls_client_ctx_new(o.ca, o.ca != NULL, &error))) {
    fprintf(stderr, "%s\n", error->message);
    return 1;
  }
  Worker *workers = g_new0(Worker, o.connections);
  GThread **threads = g_new0(GThread *, o.connections);
  gint64 start = g_get_monotonic_time();
  for (int i = 0; i < o.connections; i++) {
    workers[i] = (Worker){.opts = &o, .tls = tls, .index = i,
                          .latencies_us = g_array_new(FALSE, FALSE, sizeof(guint32))};
    threads[i] = g_thread_new("bench", worker_run, &workers[i]);
  }
  g_usleep((gulong)o.seconds * G_USEC_PER_SEC);
  g_atomic_int_set(&bench_running, 0);
  for (int i = 0; i < o.connections; i++) g_thread_join(threads[i]);
  report(&o, workers, (g_get_monotonic_time() - start) / 1e6);
  for (int i = 0; i < o.connections; i++) {
    g_array_free(workers[i].latencies_us, TRUE);
    g_free(workers[i].error);
  }
  g_free(workers);
  g_free(threads);
  if (tls) SSL_CTX_free(tls);
  return 0;
}
