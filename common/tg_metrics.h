/*
 * tg_metrics: counters, gauges and latency histograms shared by the daemons, rendered in the
 * Prometheus text format for GET /metrics. Thread-safe; a hot path looks its series up once
 * (tg_metrics_series) and counts on the handle with atomic operations, without the lock.
 * Design notes: docs/HACKING.md.
 */
#ifndef TG_METRICS_H
#define TG_METRICS_H

#include <glib.h>

typedef struct TgMetrics TgMetrics;
typedef enum { TG_METRIC_COUNTER, TG_METRIC_GAUGE, TG_METRIC_HISTOGRAM } TgMetricType;

TgMetrics *tg_metrics_new(void);
void tg_metrics_free(TgMetrics *m);

/* Declares a metric's type and help text (optional; undeclared names render untyped). */
void tg_metrics_describe(TgMetrics *m, const char *name, TgMetricType type, const char *help);
void tg_metrics_add(TgMetrics *m, const char *name, const char *labels, double delta);
void tg_metrics_set(TgMetrics *m, const char *name, const char *labels, double value);
/* Histogram of seconds, buckets 0.5ms .. 10s. */
void tg_metrics_observe(TgMetrics *m, const char *name, const char *labels, double seconds);

/* A series, made on first use; the handle stays valid until tg_metrics_free. */
typedef struct TgSeries TgSeries;
TgSeries *tg_metrics_series(TgMetrics *m, const char *name, const char *labels);
void tg_series_add(TgSeries *s, double delta);
void tg_series_observe(TgSeries *s, double seconds);
/* Never the same for two registries of one process, even one made after
   another was freed at the same address: a key for caches of handles. */
guint64 tg_metrics_id(const TgMetrics *m);

/* The whole registry in Prometheus text format. Caller frees. */
char *tg_metrics_render(TgMetrics *m);

#endif
