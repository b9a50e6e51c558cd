/*
 * chart_svg: usage charts as inline SVG plus a data table (see chart_svg.h).
 * Every piece of text goes through one escape (append_text); numbers are
 * written as integers so no locale or float formatting reaches the markup.
 * Trade-off: a fixed 720x240 viewBox with integer coordinates keeps the markup
 * small and deterministic (unit tests compare it) at the cost of sub-pixel
 * precision nobody sees.
 */
#include "chart_svg.h"

#include <string.h>
#include <time.h>

#define W            720
#define H            240
#define PLOT_X0      56
#define PLOT_X1      (W - 12)
#define PLOT_Y0      12
#define PLOT_Y1      (H - 36)
#define GRID_LINES   4
#define MAX_X_LABELS 6

typedef struct Layer {
  const char *cls;
  const char *label;
} Layer;

/* The stack order, bottom up. */
static const Layer LAYERS[] = {
    {"c-2xx", "2xx"},
    {"c-3xx", "3xx"},
    {"c-4xx", "4xx (not throttled)"},
    {"c-429", "Throttled (429)"},
    {"c-5xx", "5xx"},
};
#define N_LAYERS G_N_ELEMENTS(LAYERS)

static void append_text(GString *out, const char *s) {
  g_autofree char *e = g_markup_escape_text(s ? s : "", -1);
  g_string_append(out, e);
}

static void append_int(GString *out, gint64 v) {
  g_string_append_printf(out, "%" G_GINT64_FORMAT, v);
}

static const char *safe_id(const char *id) {
  if (!id || !*id) return "chart";
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '-') return "chart";
  return id;
}

static gint64 nonneg(gint64 v) { return v > 0 ? v : 0; }

/* The five stacked values of a bucket, in LAYERS order. */
static void bucket_layers(const TgUsageBucket *b, gint64 v[N_LAYERS]) {
  gint64 throttled = nonneg(b->throttled);
  gint64 c4 = nonneg(b->count4xx);
  v[0] = nonneg(b->count2xx);
  v[1] = nonneg(b->count3xx);
  v[2] = c4 > throttled ? c4 - throttled : 0;
  v[3] = throttled;
  v[4] = nonneg(b->count5xx);
}

static gint64 bucket_total(const TgUsageBucket *b) {
  gint64 v[N_LAYERS], t = 0;
  bucket_layers(b, v);
  for (guint i = 0; i < N_LAYERS; i++) t += v[i];
  return t;
}

gint64 chart_svg_axis_step(gint64 max) {
  static const gint64 steps[] = {1, 2, 5};
  gint64 want = (MAX(max, 1) + GRID_LINES - 1) / GRID_LINES; /* at most GRID_LINES steps */
  for (gint64 p = 1; p <= G_MAXINT64 / 10; p *= 10)
    for (guint i = 0; i < G_N_ELEMENTS(steps); i++)
      if (steps[i] * p >= want) return steps[i] * p;
  return want;
}

gint64 chart_svg_axis_top(gint64 max) {
  gint64 step = chart_svg_axis_step(max);
  gint64 n = (MAX(max, 1) + step - 1) / step;
  return n * step;
}

const char *chart_svg_time_label(gint64 start, gint64 step, char *buf, gsize size) {
  time_t t = (time_t)start;
  struct tm tm;
  if (!gmtime_r(&t, &tm)) {
    g_strlcpy(buf, "?", size);
    return buf;
  }
  if (step >= 6 * 3600)
    strftime(buf, size, "%a %Hh", &tm);
  else
    strftime(buf, size, "%H:%M", &tm);
  return buf;
}

static guint n_buckets(const TgUsageSeries *s) { return s && s->buckets ? s->buckets->len : 0; }

static const TgUsageBucket *bucket_at(const TgUsageSeries *s, guint i) {
  return g_ptr_array_index(s->buckets, i);
}

static int x_of(guint i, guint n) {
  return PLOT_X0 + (int)((gint64)(PLOT_X1 - PLOT_X0) * i / (n ? n : 1));
}

static int y_of(gint64 v, gint64 top) {
  return PLOT_Y1 - (int)((gint64)(PLOT_Y1 - PLOT_Y0) * nonneg(v) / top);
}

static void open_svg(GString *out, const char *id, const char *title, const char *desc) {
  g_string_append_printf(out, "<figure class=\"chart\" id=\"%s\"><figcaption>", id);
  append_text(out, title);
  g_string_append_printf(
      out,
      "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
      "role=\"img\" aria-labelledby=\"%s-t %s-d\" focusable=\"false\"><title id=\"%s-t\">",
      W, H, id, id, id);
  append_text(out, title);
  g_string_append_printf(out, "</title><desc id=\"%s-d\">", id);
  append_text(out, desc);
  g_string_append(out, "</desc>\n");
}

/* Horizontal grid lines with their value on the left, and up to MAX_X_LABELS times below. */
static void axes(GString *out, const TgUsageSeries *s, gint64 top, const char *unit) {
  guint n = n_buckets(s);
  gint64 step = chart_svg_axis_step(top);
  for (gint64 v = 0; v <= top; v += step) {
    int y = y_of(v, top);
    g_string_append_printf(out,
                           "<line class=\"c-grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                           "<text class=\"c-axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">",
                           PLOT_X0, y, PLOT_X1, y, PLOT_X0 - 6, y + 4);
    append_int(out, v);
    append_text(out, unit);
    g_string_append(out, "</text>\n");
  }
  guint every = n > MAX_X_LABELS ? (n + MAX_X_LABELS - 1) / MAX_X_LABELS : 1;
  for (guint i = 0; i < n; i += every) {
    char label[32];
    chart_svg_time_label(bucket_at(s, i)->start, s->step, label, sizeof label);
    g_string_append_printf(out, "<text class=\"c-axis\" x=\"%d\" y=\"%d\">", x_of(i, n),
                           PLOT_Y1 + 18);
    append_text(out, label);
    g_string_append(out, "</text>");
  }
  g_string_append_c(out, '\n');
}

static void legend_item(GString *out, const char *cls, const char *label) {
  g_string_append_printf(out, "<li><span class=\"sw %s\" aria-hidden=\"true\"></span>", cls);
  append_text(out, label);
  g_string_append(out, "</li>");
}

static void table_head(GString *out, const char *title, const char *const *cols, guint ncols) {
  g_string_append(out, "<details><summary>Show the numbers</summary><table><caption>");
  append_text(out, title);
  g_string_append(out, "</caption><thead><tr><th scope=\"col\">Time (UTC)</th>");
  for (guint i = 0; i < ncols; i++) {
    g_string_append(out, "<th scope=\"col\">");
    append_text(out, cols[i]);
    g_string_append(out, "</th>");
  }
  g_string_append(out, "</tr></thead><tbody>\n");
}

static void table_row_time(GString *out, const TgUsageSeries *s, const TgUsageBucket *b) {
  char label[32];
  g_string_append(out, "<tr><th scope=\"row\">");
  append_text(out, chart_svg_time_label(b->start, s->step, label, sizeof label));
  g_string_append(out, "</th>");
}

static void table_cell(GString *out, gint64 v, gboolean known) {
  g_string_append(out, "<td>");
  if (known)
    append_int(out, v);
  else
    g_string_append(out, "&#8211;");
  g_string_append(out, "</td>");
}

static void requests_table(GString *out, const char *title, const TgUsageSeries *s) {
  static const char *const cols[] = {"2xx", "3xx",        "4xx",  "Throttled",
                                     "5xx", "Over quota", "Total"};
  table_head(out, title, cols, G_N_ELEMENTS(cols));
  for (guint i = 0; i < n_buckets(s); i++) {
    const TgUsageBucket *b = bucket_at(s, i);
    table_row_time(out, s, b);
    table_cell(out, nonneg(b->count2xx), TRUE);
    table_cell(out, nonneg(b->count3xx), TRUE);
    table_cell(out, nonneg(b->count4xx), TRUE);
    table_cell(out, nonneg(b->throttled), TRUE);
    table_cell(out, nonneg(b->count5xx), TRUE);
    table_cell(out, nonneg(b->overQuota), TRUE);
    table_cell(
        out, nonneg(b->count2xx) + nonneg(b->count3xx) + nonneg(b->count4xx) + nonneg(b->count5xx),
        TRUE);
    g_string_append(out, "</tr>\n");
  }
  g_string_append(out, "</tbody></table></details></figure>\n");
}

void chart_svg_requests(GString *out, const char *id, const char *title,
                        const TgUsageSeries *series) {
  id = safe_id(id);
  guint n = n_buckets(series);
  gint64 max = 0, sum = 0;
  for (guint i = 0; i < n; i++) {
    gint64 t = bucket_total(bucket_at(series, i));
    max = MAX(max, t);
    sum += t;
  }
  gint64 top = chart_svg_axis_top(max);
  g_autofree char *desc =
      g_strdup_printf("Requests per interval, stacked by outcome: %" G_GINT64_FORMAT
                      " in all over %u intervals, at most %" G_GINT64_FORMAT " in one.",
                      sum, n, max);
  open_svg(out, id, title, desc);
  axes(out, series, top, "");
  int bw = n ? MAX(1, (PLOT_X1 - PLOT_X0) / (int)n - 1) : 0;
  for (guint i = 0; i < n; i++) {
    const TgUsageBucket *b = bucket_at(series, i);
    gint64 v[N_LAYERS], base = 0;
    bucket_layers(b, v);
    for (guint l = 0; l < N_LAYERS; l++) {
      if (!v[l]) continue;
      int y_hi = y_of(base + v[l], top), y_lo = y_of(base, top);
      g_string_append_printf(out,
                             "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
                             LAYERS[l].cls, x_of(i, n), y_hi, bw, MAX(1, y_lo - y_hi));
      base += v[l];
    }
    if (nonneg(b->overQuota) > 0) {
      int y = y_of(MIN(nonneg(b->overQuota), top), top);
      g_string_append_printf(out,
                             "<rect class=\"c-oq\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
                             x_of(i, n), y, bw, MAX(1, PLOT_Y1 - y));
    }
  }
  g_string_append(out, "\n</svg>\n<ul class=\"legend\">");
  for (guint l = 0; l < N_LAYERS; l++) legend_item(out, LAYERS[l].cls, LAYERS[l].label);
  legend_item(out, "c-oq", "Over quota (let through)");
  g_string_append(out, "</ul>\n");
  requests_table(out, title, series);
}

static gboolean latency_known(const TgUsageBucket *b, gint64 v) {
  return v >= 0 && bucket_total(b) + nonneg(b->overQuota) > 0;
}

static gint64 latency_of(const TgUsageBucket *b, gboolean p99) { return p99 ? b->p99Ms : b->p50Ms; }

static gboolean known_at(const TgUsageSeries *s, guint i, gboolean p99) {
  if (i >= n_buckets(s)) return FALSE;
  const TgUsageBucket *b = bucket_at(s, i);
  return latency_known(b, latency_of(b, p99));
}

/* One polyline per run of known values; a run of one is a dot. */
static void latency_line(GString *out, const TgUsageSeries *s, gboolean p99, gint64 top,
                         const char *cls) {
  guint n = n_buckets(s);
  int bw = n ? (PLOT_X1 - PLOT_X0) / (int)n : 0;
  for (guint i = 0; i < n; i++) {
    if (!known_at(s, i, p99)) continue;
    int x = x_of(i, n) + bw / 2, y = y_of(MIN(latency_of(bucket_at(s, i), p99), top), top);
    gboolean first = i == 0 || !known_at(s, i - 1, p99), last = !known_at(s, i + 1, p99);
    if (first && last) {
      g_string_append_printf(out, "<circle class=\"%s-dot\" cx=\"%d\" cy=\"%d\" r=\"3\"/>", cls, x,
                             y);
      continue;
    }
    if (first) g_string_append_printf(out, "<polyline class=\"%s\" points=\"", cls);
    g_string_append_printf(out, "%s%d,%d", first ? "" : " ", x, y);
    if (last) g_string_append(out, "\"/>");
  }
}

void chart_svg_latency(GString *out, const char *id, const char *title,
                       const TgUsageSeries *series) {
  id = safe_id(id);
  guint n = n_buckets(series);
  gint64 max = 0;
  for (guint i = 0; i < n; i++) {
    const TgUsageBucket *b = bucket_at(series, i);
    if (latency_known(b, b->p99Ms)) max = MAX(max, b->p99Ms);
    if (latency_known(b, b->p50Ms)) max = MAX(max, b->p50Ms);
  }
  gint64 top = chart_svg_axis_top(max);
  g_autofree char *desc = g_strdup_printf(
      "Latency in milliseconds, median (p50) and 99th percentile (p99) "
      "per interval; the highest p99 is %" G_GINT64_FORMAT " ms.",
      max);
  open_svg(out, id, title, desc);
  axes(out, series, top, " ms");
  latency_line(out, series, FALSE, top, "c-p50");
  latency_line(out, series, TRUE, top, "c-p99");
  g_string_append(out, "\n</svg>\n<ul class=\"legend\">");
  legend_item(out, "c-p50", "p50 (median)");
  legend_item(out, "c-p99", "p99");
  g_string_append(out, "</ul>\n");
  static const char *const cols[] = {"p50 (ms)", "p99 (ms)"};
  table_head(out, title, cols, G_N_ELEMENTS(cols));
  for (guint i = 0; i < n; i++) {
    const TgUsageBucket *b = bucket_at(series, i);
    table_row_time(out, series, b);
    table_cell(out, b->p50Ms, latency_known(b, b->p50Ms));
    table_cell(out, b->p99Ms, latency_known(b, b->p99Ms));
    g_string_append(out, "</tr>\n");
  }
  g_string_append(out, "</tbody></table></details></figure>\n");
}
