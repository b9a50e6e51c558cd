/*
 * chart_svg: usage charts drawn by the portal itself as inline SVG markup, no
 * script and no inline style (classes c-* are styled by the portal's CSS), each
 * followed by a <table> of the same numbers for screen readers and JavaScript-off
 * readers. Trade-off: bars and polylines on a fixed viewBox scaled by CSS,
 * instead of a charting library: a few KB per chart, and nothing to load.
 */
#ifndef CHART_SVG_H
#define CHART_SVG_H

#include <glib.h>

#include "tg_tollgate_types.h"

/* Requests per bucket, stacked: 2xx, 3xx, other 4xx, throttled (429), 5xx; calls let
   through over quota drawn as a mark over each bar. id: a unique HTML id prefix
   ([A-Za-z0-9-] only, else "chart"); title: user text (escaped here). */
void chart_svg_requests(GString *out, const char *id, const char *title,
                        const TgUsageSeries *series);

/* p50 and p99 latency in ms as two lines; a bucket with unknown latency (-1 or no
   calls) breaks the line. */
void chart_svg_latency(GString *out, const char *id, const char *title,
                       const TgUsageSeries *series);

/* The grid step for values up to max: the smallest 1, 2 or 5 times a power of ten
   that needs at most 4 steps; and the axis top, the first multiple of it >= max
   (both at least 1). */
gint64 chart_svg_axis_step(gint64 max);
gint64 chart_svg_axis_top(gint64 max);

/* The bucket's start as the chart labels it: "HH:MM" (UTC) for steps under a day's
   worth of hours, "Mon 18h" for 6-hour steps. Writes into buf. */
const char *chart_svg_time_label(gint64 start, gint64 step, char *buf, gsize size);

/* The stylesheet rules for the classes above (a string literal: the portal's one
   stylesheet appends it, see publisher_css.h). */
#define CHART_SVG_CSS                                                                            \
  ".chart{margin:0 0 1.5rem}\n"                                                                  \
  ".chart svg{width:100%;height:auto;max-width:54rem;display:block}\n"                           \
  ".chart .c-grid{stroke:var(--line,#d0d5dd);stroke-width:1}\n"                                  \
  ".chart .c-axis{fill:var(--muted,#4a5565);font-size:11px;font-family:inherit}\n"               \
  ".chart .c-2xx{fill:#2f7d4f}.chart .c-3xx{fill:#3b6fb6}.chart .c-4xx{fill:#c47f17}\n"          \
  ".chart .c-429{fill:#8a5cc2}.chart .c-5xx{fill:#c2372f}.chart "                                \
  ".c-oq{fill:none;stroke:#111827;stroke-width:2}\n"                                             \
  ".chart .c-p50-dot{fill:#3b6fb6}.chart .c-p99-dot{fill:#c2372f}"                               \
  ".chart .c-p50{fill:none;stroke:#3b6fb6;stroke-width:2}.chart "                                \
  ".c-p99{fill:none;stroke:#c2372f;stroke-width:2;stroke-dasharray:6 3}\n"                       \
  ".chart .legend{display:flex;flex-wrap:wrap;gap:.25rem "                                       \
  "1rem;list-style:none;padding:0;margin:.25rem 0;font-size:.875rem}\n"                          \
  ".chart "                                                                                      \
  ".sw{display:inline-block;width:.75rem;height:.75rem;margin-right:.35rem;vertical-align:-1px;" \
  "border-radius:2px}\n"                                                                         \
  ".chart .sw.c-2xx{background:#2f7d4f}.chart .sw.c-3xx{background:#3b6fb6}.chart "              \
  ".sw.c-4xx{background:#c47f17}\n"                                                              \
  ".chart .sw.c-429{background:#8a5cc2}.chart .sw.c-5xx{background:#c2372f}.chart "              \
  ".sw.c-oq{border:2px solid #111827}\n"                                                         \
  ".chart .sw.c-p50{background:#3b6fb6;height:3px}.chart "                                       \
  ".sw.c-p99{background:#c2372f;height:3px}\n"                                                   \
  ".chart table{border-collapse:collapse;font-size:.8125rem;margin-top:.5rem}\n"                 \
  ".chart th,.chart td{padding:.15rem .5rem;text-align:right;border-bottom:1px solid "           \
  "var(--line,#d0d5dd)}\n"                                                                       \
  "@media (max-width:600px){.chart .c-axis{font-size:22px}.chart .c-p50-dot,.chart "             \
  ".c-p99-dot{r:6px}}\n"                                                                         \
  "@media (prefers-color-scheme:dark){.chart .c-oq{stroke:#f3f4f6}.chart "                       \
  ".sw.c-oq{border-color:#f3f4f6}}\n"

#endif
