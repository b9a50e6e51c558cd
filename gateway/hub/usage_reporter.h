/*
 * usage_reporter: per-second aggregates of API calls, sent to the hubs as publishUsage batches
 * by a background thread. Trade-off: while hubs are down the queue is kept, bounded by
 * max_pending_records (oldest dropped, counted). Design notes: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_USAGE_REPORTER_H
#define TG_GATEWAY_USAGE_REPORTER_H

#include <glib.h>

#include "hub_pool.h"
#include "tg_metrics.h"

typedef struct UsageReporter UsageReporter;

typedef struct UsageEvent {
  gint64 second; /* Unix time, seconds */
  const char *context, *version, *resource, *verb;
  const char *application_id, *subscriber, *key_type;
  int status;
  double latency_ms;
  guint64 bytes_in, bytes_out;
  gboolean over_quota; /* let through over a quota (UsageRecord.overQuotaCount) */
} UsageEvent;

/* pool NULL: nothing is sent (tests read the queue with usage_reporter_take). */
UsageReporter *usage_reporter_new(HubPool *pool, const char *gateway_id, int flush_interval_ms,
                                  guint max_pending, TgMetrics *metrics);
void usage_reporter_free(UsageReporter *r); /* last flush attempt, then stop */
void usage_reporter_record(UsageReporter *r, const UsageEvent *ev);
guint usage_reporter_pending(UsageReporter *r);
guint64 usage_reporter_sent(UsageReporter *r);

#endif
