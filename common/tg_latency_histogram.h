/*
 * tg_latency_histogram.h: the latency buckets of UsageRecord.latencyHistogram, shared by
 * the gateway that fills them and the hub that reads percentiles from them: upper bounds
 * 1 2 5 10 20 50 100 200 500 1000 2000 5000 ms, then one bucket for anything slower.
 * Trade-off: fixed buckets add up exactly across gateways and minutes; a percentile is
 * known only to its bucket.
 */
#ifndef TG_LATENCY_HISTOGRAM_H
#define TG_LATENCY_HISTOGRAM_H

#include <glib.h>

#define TG_LATENCY_BUCKETS 13

/* Upper bounds (ms, inclusive) of buckets 0..11; bucket 12 holds the rest. */
extern const gint64 tg_latency_bounds_ms[TG_LATENCY_BUCKETS - 1];

/* The bucket of a call that took ms milliseconds. */
guint tg_latency_bucket(double ms);

#endif
