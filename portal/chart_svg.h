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
void chart_svg_requests(GString *out, const char *id, const char *title, const TgUsageSeries *series);

/* p50 and p99 latency in ms as two lines; a bucket with unknown latency (-1 or no
   calls) breaks the line. */
void chart_svg_latency(GString *out, const char *id, const char *title, const TgUsageSeries *series);

/* The smallest 1, 2 or 5 times a power of ten at least max (at least 1): the axis top. */
gint64 chart_svg_axis_top(gint64 max);

/* The bucket's start as the chart labels it: "HH:MM" (UTC) for steps under a day's
   worth of hours, "Mon 18h" for 6-hour steps. Writes into buf. */
const char *chart_svg_time_label(gint64 start, gint64 step, char *buf, gsize size);

/* The stylesheet rules for the classes above (the portal's CSS includes it). */
extern const char chart_svg_css[];

#endif
