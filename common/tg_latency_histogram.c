/*
 * tg_latency_histogram.c: which bucket a latency falls in (tg_latency_histogram.h). A
 * linear walk of 12 bounds: cheaper than a binary search at this size, and branch-light.
 */
#include "tg_latency_histogram.h"

const gint64 tg_latency_bounds_ms[TG_LATENCY_BUCKETS - 1] = {1,   2,   5,   10,   20,   50,
                                                             100, 200, 500, 1000, 2000, 5000};

guint tg_latency_bucket(double ms) {
  guint i = 0;
  while (i < TG_LATENCY_BUCKETS - 1 && ms > (double)tg_latency_bounds_ms[i]) i++;
  return i;
}
