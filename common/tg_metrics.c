/*
 * tg_metrics: one mutex-protected hash table of series keyed by "name{labels}", rendered
 * sorted so the output is stable. Trade-off: the lock guards the table only; a series'
 * numbers are updated atomically, so a handle counts without the lock and render may see a
 * histogram's count a step ahead of its buckets. Design notes: docs/HACKING.md.
 */
#include "tg_metrics.h"

#include <stdlib.h>
#include <string.h>

static const double histogram_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                          0.1,    0.25,  0.5,    1.0,   2.5,  10.0};
#define N_BOUNDS (sizeof histogram_bounds / sizeof histogram_bounds[0])

typedef struct TgSeries {
  char *name;
  char *labels;
  guint64 value_bits;        /* counter / gauge: a double's bits */
  guint64 buckets[N_BOUNDS]; /* histogram, per bucket (not cumulative) */
  guint64 count;
  guint64 sum_bits; /* a double's bits */
} Series;

static double load_double(const guint64 *bits) {
  guint64 b = __atomic_load_n(bits, __ATOMIC_RELAXED);
  double d;
  memcpy(&d, &b, sizeof d);
  return d;
}

static void store_double(guint64 *bits, double d) {
  guint64 b;
  memcpy(&b, &d, sizeof b);
  __atomic_store_n(bits, b, __ATOMIC_RELAXED);
}

static void add_double(guint64 *bits, double delta) {
  guint64 old = __atomic_load_n(bits, __ATOMIC_RELAXED), next;
  do {
    double d;
    memcpy(&d, &old, sizeof d);
    d += delta;
    memcpy(&next, &d, sizeof next);
  } while (
      !__atomic_compare_exchange_n(bits, &old, next, TRUE, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
}

typedef struct Description {
  TgMetricType type;
  char *help;
} Description;

struct TgMetrics {
  guint64 id;
  GMutex lock;
  GHashTable *series;       /* "name{labels}" -> Series */
  GHashTable *descriptions; /* name -> Description */
};

static void series_free(gpointer p) {
  Series *s = p;
  g_free(s->name);
  g_free(s->labels);
  g_free(s);
}

static void description_free(gpointer p) {
  Description *d = p;
  g_free(d->help);
  g_free(d);
}

TgMetrics *tg_metrics_new(void) {
  static guint64 last_id;
  TgMetrics *m = g_new0(TgMetrics, 1);
  m->id = __atomic_add_fetch(&last_id, 1, __ATOMIC_RELAXED);
  g_mutex_init(&m->lock);
  m->series = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, series_free);
  m->descriptions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, description_free);
  return m;
}

void tg_metrics_free(TgMetrics *m) {
  if (!m) return;
  g_hash_table_destroy(m->series);
  g_hash_table_destroy(m->descriptions);
  g_mutex_clear(&m->lock);
  g_free(m);
}

void tg_metrics_describe(TgMetrics *m, const char *name, TgMetricType type, const char *help) {
  Description *d = g_new0(Description, 1);
  d->type = type;
  d->help = g_strdup(help);
  g_mutex_lock(&m->lock);
  g_hash_table_replace(m->descriptions, g_strdup(name), d);
  g_mutex_unlock(&m->lock);
}

/* Returns the series for name/labels, creating it; caller holds the lock. */
static Series *series_get(TgMetrics *m, const char *name, const char *labels) {
  char key[256];
  const char *l = labels ? labels : "";
  size_t nl = strlen(name), ll = strlen(l);
  if (nl + ll + 3 <= sizeof key) { /* "name{labels}" without printf: this runs per request */
    memcpy(key, name, nl);
    key[nl] = '{';
    memcpy(key + nl + 1, l, ll);
    memcpy(key + nl + 1 + ll, "}", 2);
  } else {
    g_snprintf(key, sizeof key, "%s{%s}", name, l);
  }
  Series *s = g_hash_table_lookup(m->series, key);
  if (!s) {
    s = g_new0(Series, 1);
    s->name = g_strdup(name);
    s->labels = g_strdup(labels ? labels : "");
    g_hash_table_insert(m->series, g_strdup(key), s);
  }
  return s;
}

guint64 tg_metrics_id(const TgMetrics *m) { return m->id; }

TgSeries *tg_metrics_series(TgMetrics *m, const char *name, const char *labels) {
  g_mutex_lock(&m->lock);
  Series *s = series_get(m, name, labels);
  g_mutex_unlock(&m->lock);
  return s;
}

void tg_series_add(TgSeries *s, double delta) { add_double(&s->value_bits, delta); }

void tg_series_observe(TgSeries *s, double seconds) {
  for (size_t i = 0; i < N_BOUNDS; i++) {
    if (seconds <= histogram_bounds[i]) {
      __atomic_fetch_add(&s->buckets[i], 1, __ATOMIC_RELAXED);
      break;
    }
  }
  __atomic_fetch_add(&s->count, 1, __ATOMIC_RELAXED);
  add_double(&s->sum_bits, seconds);
}

void tg_metrics_add(TgMetrics *m, const char *name, const char *labels, double delta) {
  tg_series_add(tg_metrics_series(m, name, labels), delta);
}

void tg_metrics_set(TgMetrics *m, const char *name, const char *labels, double value) {
  store_double(&tg_metrics_series(m, name, labels)->value_bits, value);
}

void tg_metrics_observe(TgMetrics *m, const char *name, const char *labels, double seconds) {
  tg_series_observe(tg_metrics_series(m, name, labels), seconds);
}

static const char *type_name(TgMetricType t) {
  return t == TG_METRIC_COUNTER ? "counter" : t == TG_METRIC_GAUGE ? "gauge" : "histogram";
}

static void render_histogram(GString *out, const Series *s) {
  const char *sep = s->labels[0] ? "," : "";
  guint64 cumulative = 0, count = __atomic_load_n(&s->count, __ATOMIC_RELAXED);
  for (size_t i = 0; i < N_BOUNDS; i++) {
    cumulative += __atomic_load_n(&s->buckets[i], __ATOMIC_RELAXED);
    g_string_append_printf(out, "%s_bucket{%s%sle=\"%g\"} %" G_GUINT64_FORMAT "\n", s->name,
                           s->labels, sep, histogram_bounds[i], cumulative);
  }
  count = MAX(count, cumulative);
  g_string_append_printf(out, "%s_bucket{%s%sle=\"+Inf\"} %" G_GUINT64_FORMAT "\n", s->name,
                         s->labels, sep, count);
  g_string_append_printf(out, "%s_sum{%s} %.6f\n", s->name, s->labels, load_double(&s->sum_bits));
  g_string_append_printf(out, "%s_count{%s} %" G_GUINT64_FORMAT "\n", s->name, s->labels, count);
}

static gint compare_keys(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char *tg_metrics_render(TgMetrics *m) {
  GString *out = g_string_new(NULL);
  g_mutex_lock(&m->lock);
  guint n = 0;
  gpointer *keys = g_hash_table_get_keys_as_array(m->series, &n);
  qsort(keys, n, sizeof(gpointer), (int (*)(const void *, const void *))compare_keys);
  const char *last_name = NULL;
  for (guint i = 0; i < n; i++) {
    Series *s = g_hash_table_lookup(m->series, keys[i]);
    Description *d = g_hash_table_lookup(m->descriptions, s->name);
    if (!last_name || strcmp(last_name, s->name)) {
      if (d)
        g_string_append_printf(out, "# HELP %s %s\n# TYPE %s %s\n", s->name, d->help, s->name,
                               type_name(d->type));
      last_name = s->name;
    }
    if (d && d->type == TG_METRIC_HISTOGRAM)
      render_histogram(out, s);
    else if (s->labels[0])
      g_string_append_printf(out, "%s{%s} %.17g\n", s->name, s->labels,
                             load_double(&s->value_bits));
    else
      g_string_append_printf(out, "%s %.17g\n", s->name, load_double(&s->value_bits));
  }
  g_free(keys);
  g_mutex_unlock(&m->lock);
  return g_string_free(out, FALSE);
}
