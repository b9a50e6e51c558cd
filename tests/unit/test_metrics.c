/*
 * test_metrics: the Prometheus registry: counters by name and labels,
 * gauges, histograms, and series handles counted on from several threads
 * without the registry's lock (no increment may be lost).
 */
#include <string.h>

#include "tg_metrics.h"

#define THREADS 4
#define ADDS    20000

static gpointer add_many(gpointer data) {
  TgSeries *s = data;
  for (int i = 0; i < ADDS; i++) tg_series_add(s, 1);
  return NULL;
}

static gpointer observe_many(gpointer data) {
  TgSeries *s = data;
  for (int i = 0; i < ADDS; i++) tg_series_observe(s, 0.002);
  return NULL;
}

static void test_handles_from_threads(void) {
  TgMetrics *m = tg_metrics_new();
  tg_metrics_describe(m, "t_seconds", TG_METRIC_HISTOGRAM, "latency");
  TgSeries *counter = tg_metrics_series(m, "t_total", "k=\"v\"");
  TgSeries *histogram = tg_metrics_series(m, "t_seconds", NULL);
  g_assert_true(counter == tg_metrics_series(m, "t_total", "k=\"v\""));
  GThread *threads[2 * THREADS];
  for (int i = 0; i < THREADS; i++) {
    threads[2 * i] = g_thread_new("add", add_many, counter);
    threads[2 * i + 1] = g_thread_new("observe", observe_many, histogram);
  }
  for (int i = 0; i < 2 * THREADS; i++) g_thread_join(threads[i]);
  g_autofree char *text = tg_metrics_render(m);
  g_assert_nonnull(strstr(text, "t_total{k=\"v\"} 80000\n"));
  g_assert_nonnull(strstr(text, "t_seconds_count{} 80000\n"));
  g_assert_nonnull(strstr(text, "t_seconds_bucket{le=\"0.001\"} 0\n"));
  g_assert_nonnull(strstr(text, "t_seconds_bucket{le=\"0.0025\"} 80000\n"));
  g_assert_nonnull(strstr(text, "t_seconds_sum{} 160.000000\n"));
  tg_metrics_free(m);
}

static void test_by_name_and_labels(void) {
  TgMetrics *m = tg_metrics_new();
  tg_metrics_describe(m, "req_total", TG_METRIC_COUNTER, "requests");
  tg_metrics_add(m, "req_total", "status=\"200\"", 2);
  tg_metrics_add(m, "req_total", "status=\"200\"", 0.5);
  tg_metrics_add(m, "req_total", "status=\"404\"", 1);
  tg_metrics_set(m, "up", NULL, 1);
  tg_metrics_set(m, "up", NULL, 0);
  g_autofree char *text = tg_metrics_render(m);
  g_assert_nonnull(strstr(text, "# HELP req_total requests\n# TYPE req_total counter\n"));
  g_assert_nonnull(strstr(text, "req_total{status=\"200\"} 2.5\n"));
  g_assert_nonnull(strstr(text, "req_total{status=\"404\"} 1\n"));
  g_assert_nonnull(strstr(text, "up 0\n"));
  tg_metrics_free(m);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/metrics/handles_from_threads", test_handles_from_threads);
  g_test_add_func("/metrics/by_name_and_labels", test_by_name_and_labels);
  return g_test_run();
}
