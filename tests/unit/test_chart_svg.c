/*
 * test_chart_svg: the usage charts' markup: stacked layers and their table,
 * escaping of user text in title, caption and table, no inline style or
 * script, broken latency lines for unknown buckets, axis rounding, labels.
 */
#include <string.h>

#include "chart_svg.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgUsageSeries, g_object_unref)

static TgUsageBucket *bucket(gint64 start, gint64 c2, gint64 c3, gint64 c4, gint64 c5, gint64 thr,
                             gint64 oq, gint64 p50, gint64 p99) {
  TgUsageBucket *b = g_object_new(TG_TYPE_USAGE_BUCKET, NULL);
  b->start = start;
  b->count2xx = c2;
  b->count3xx = c3;
  b->count4xx = c4;
  b->count5xx = c5;
  b->throttled = thr;
  b->overQuota = oq;
  b->p50Ms = p50;
  b->p99Ms = p99;
  return b;
}

static TgUsageSeries *series3(void) {
  TgUsageSeries *s = g_object_new(TG_TYPE_USAGE_SERIES, NULL);
  s->range = g_strdup("HOUR");
  s->step = 60;
  g_ptr_array_add(s->buckets, bucket(1764900000, 70, 1, 9, 2, 4, 3, 12, 80));
  g_ptr_array_add(s->buckets, bucket(1764900060, 0, 0, 0, 0, 0, 0, -1, -1));
  g_ptr_array_add(s->buckets, bucket(1764900120, 5, 0, 0, 0, 0, 0, 7, 9));
  return s;
}

static guint count(const char *hay, const char *needle) {
  guint n = 0;
  for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
  return n;
}

static void assert_no_active_content(const char *html) {
  g_assert_null(strstr(html, "<script"));
  g_assert_null(strstr(html, "style="));
  g_assert_null(strstr(html, "<style"));
  /* no event handler attribute: " on" followed by letters and '=' */
  for (const char *p = strstr(html, " on"); p; p = strstr(p + 1, " on")) {
    const char *q = p + 3;
    while (g_ascii_isalpha(*q)) q++;
    g_assert_cmpint(*q, !=, '=');
  }
}

static void test_axis_top(void) {
  /* step: 1, 2 or 5 x 10^n, at most 4 steps to the top */
  g_assert_cmpint(chart_svg_axis_step(0), ==, 1);
  g_assert_cmpint(chart_svg_axis_top(0), ==, 1);
  g_assert_cmpint(chart_svg_axis_top(1), ==, 1);
  g_assert_cmpint(chart_svg_axis_top(3), ==, 3);
  g_assert_cmpint(chart_svg_axis_step(6), ==, 2);
  g_assert_cmpint(chart_svg_axis_top(6), ==, 6);
  g_assert_cmpint(chart_svg_axis_top(10), ==, 10);
  g_assert_cmpint(chart_svg_axis_step(11), ==, 5);
  g_assert_cmpint(chart_svg_axis_top(11), ==, 15);
  g_assert_cmpint(chart_svg_axis_top(82), ==, 100);
  g_assert_cmpint(chart_svg_axis_step(4999), ==, 2000);
  g_assert_cmpint(chart_svg_axis_top(4999), ==, 6000);
  g_assert_cmpint(chart_svg_axis_top(G_MAXINT64 / 2), >=, G_MAXINT64 / 2);
}

static void test_time_labels(void) {
  char buf[32];
  g_assert_cmpstr(chart_svg_time_label(1764900060, 60, buf, sizeof buf), ==, "02:01");
  g_assert_cmpstr(chart_svg_time_label(1764900000, 3600, buf, sizeof buf), ==, "02:00");
  /* 2025-12-05 was a Friday */
  g_assert_cmpstr(chart_svg_time_label(1764900000, 6 * 3600, buf, sizeof buf), ==, "Fri 02h");
}

static void test_requests_layers_and_table(void) {
  g_autoptr(TgUsageSeries) s = series3();
  g_autoptr(GString) out = g_string_new(NULL);
  chart_svg_requests(out, "req", "Requests", s);
  const char *h = out->str;
  /* bucket 0: 2xx, 3xx, other 4xx (9 - 4 throttled), 429, 5xx; bucket 2: 2xx only */
  g_assert_cmpuint(count(h, "<rect class=\"c-2xx\""), ==, 2);
  g_assert_cmpuint(count(h, "<rect class=\"c-3xx\""), ==, 1);
  g_assert_cmpuint(count(h, "<rect class=\"c-4xx\""), ==, 1);
  g_assert_cmpuint(count(h, "<rect class=\"c-429\""), ==, 1);
  g_assert_cmpuint(count(h, "<rect class=\"c-5xx\""), ==, 1);
  g_assert_cmpuint(count(h, "<rect class=\"c-oq\""), ==, 1);
  /* one table row per bucket, with every number: 2xx 3xx 4xx throttled 5xx over-quota total */
  g_assert_cmpuint(count(h, "<th scope=\"row\">"), ==, 3);
  g_assert_nonnull(strstr(h,
                          "<th scope=\"row\">02:00</th><td>70</td><td>1</td><td>9</td><td>4</td>"
                          "<td>2</td><td>3</td><td>82</td></tr>"));
  g_assert_nonnull(strstr(h, "role=\"img\" aria-labelledby=\"req-t req-d\""));
  g_assert_nonnull(strstr(h, "<title id=\"req-t\">Requests</title>"));
  /* the axis top is 100 for a tallest bar of 82, in steps of 50 */
  g_assert_nonnull(strstr(h, "text-anchor=\"end\">100</text>"));
  g_assert_nonnull(strstr(h, "text-anchor=\"end\">50</text>"));
  g_assert_cmpuint(count(h, "<line class=\"c-grid\""), ==, 3);
  assert_no_active_content(h);
}

static void test_title_escaped(void) {
  g_autoptr(TgUsageSeries) s = series3();
  g_autoptr(GString) out = g_string_new(NULL);
  const char *evil = "<script>alert(1)</script>\"'&";
  chart_svg_requests(out, "x", evil, s);
  chart_svg_latency(out, "y", evil, s);
  g_assert_null(strstr(out->str, "<script>"));
  g_assert_null(strstr(out->str, "\"'&<"));
  g_assert_cmpuint(count(out->str, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;"), ==,
                   6);
  assert_no_active_content(out->str);
}

static void test_bad_id_replaced(void) {
  g_autoptr(TgUsageSeries) s = series3();
  g_autoptr(GString) out = g_string_new(NULL);
  chart_svg_requests(out, "a\" onload=\"x", "t", s);
  g_assert_null(strstr(out->str, "onload"));
  g_assert_nonnull(strstr(out->str, "id=\"chart\""));
}

static void test_latency_gaps(void) {
  g_autoptr(TgUsageSeries) s = series3();
  g_autoptr(GString) out = g_string_new(NULL);
  chart_svg_latency(out, "lat", "Latency", s);
  /* the middle bucket has no calls: each line breaks into two runs of one, drawn as dots */
  g_assert_cmpuint(count(out->str, "<polyline"), ==, 0);
  g_assert_cmpuint(count(out->str, "<circle class=\"c-p50-dot\""), ==, 2);
  g_assert_cmpuint(count(out->str, "<circle class=\"c-p99-dot\""), ==, 2);
  /* two known buckets in a row make a line */
  TgUsageSeries *s2 = series3();
  g_ptr_array_add(s2->buckets, bucket(1764900180, 5, 0, 0, 0, 0, 0, 8, 10));
  g_autoptr(GString) out2 = g_string_new(NULL);
  chart_svg_latency(out2, "lat2", "Latency", s2);
  g_object_unref(s2);
  g_assert_cmpuint(count(out2->str, "<polyline class=\"c-p50\""), ==, 1);
  g_assert_cmpuint(count(out2->str, "<circle class=\"c-p50-dot\""), ==, 1);
  g_assert_nonnull(strstr(out->str, "<td>12</td><td>80</td>"));
  g_assert_nonnull(strstr(out->str, "<td>&#8211;</td><td>&#8211;</td>"));
  g_assert_nonnull(strstr(out->str, ">80 ms</text>"));
  assert_no_active_content(out->str);
}

static void test_empty_series(void) {
  g_autoptr(TgUsageSeries) s = g_object_new(TG_TYPE_USAGE_SERIES, NULL);
  g_autoptr(GString) out = g_string_new(NULL);
  chart_svg_requests(out, "e", "Nothing", s);
  chart_svg_latency(out, "f", "Nothing", s);
  g_assert_cmpuint(count(out->str, "<rect"), ==, 0);
  g_assert_cmpuint(count(out->str, "<polyline"), ==, 0);
  g_assert_cmpuint(count(out->str, "<table>"), ==, 2);
  chart_svg_requests(out, "g", "Null", NULL);
  g_assert_cmpuint(count(out->str, "<table>"), ==, 3);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/chart_svg/axis_top", test_axis_top);
  g_test_add_func("/chart_svg/time_labels", test_time_labels);
  g_test_add_func("/chart_svg/requests_layers_and_table", test_requests_layers_and_table);
  g_test_add_func("/chart_svg/title_escaped", test_title_escaped);
  g_test_add_func("/chart_svg/bad_id_replaced", test_bad_id_replaced);
  g_test_add_func("/chart_svg/latency_gaps", test_latency_gaps);
  g_test_add_func("/chart_svg/empty_series", test_empty_series);
  return g_test_run();
}
