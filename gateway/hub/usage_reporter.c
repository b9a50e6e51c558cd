/*
 * usage_reporter: aggregation table + flush thread (see usage_reporter.h). Trade-off: one
 * mutex guards the table (a record is one hash lookup, cheaper than a per-thread merge). A
 * batch keeps its id until a hub acknowledges it, so a resent batch is not counted twice.
 * Design notes: docs/HACKING.md.
 */
#include "usage_reporter.h"

#include "hub_call.h"
#include "tg_hub_client.h"
#include "scratch.h"
#include "tg_hash.h"
#include "tg_json.h"
#include "tg_latency_histogram.h"

#define USAGE_BATCH_MAX 1000

typedef struct {
  gint64 second;
  char *context, *version, *resource, *verb, *application_id, *subscriber, *key_type;
  int status;
  gint64 count, latency_total, latency_max, bytes_in, bytes_out, over_quota;
  gint64 latency_histogram[TG_LATENCY_BUCKETS]; /* UsageRecord.latencyHistogram */
} UsageRow;

struct UsageReporter {
  HubPool *pool;
  char *gateway_id;
  int flush_ms;
  guint max_pending;
  TgMetrics *metrics;
  GMutex lock;       /* table */
  GHashTable *table; /* key string -> UsageRow */
  GMutex queue_lock; /* pending */
  GQueue pending;    /* TgUsageRecord * */
  guint64 sent;
  /* the reporter thread's own: the batch being sent until acknowledged */
  GPtrArray *batch; /* TgUsageRecord * (refs; also still in pending) or NULL */
  char *batch_id;
  char *id_prefix; /* gateway id, start time, random: unique per process */
  guint64 batch_seq;
  int refused_code; /* the hub's TollgateException code for the last batch, or 0 */
  GThread *thread;
  GCond cond;
  gboolean stopping;
};

static void row_free(gpointer p) {
  UsageRow *r = p;
  g_free(r->context);
  g_free(r->version);
  g_free(r->resource);
  g_free(r->verb);
  g_free(r->application_id);
  g_free(r->subscriber);
  g_free(r->key_type);
  g_free(r);
}

#define S(x) ((x) ? (x) : "")

/* The fields joined by \x1f into k, built without printf (one key per request). */
static void row_key(const UsageEvent *ev, GString *k) {
  char second[TG_INT_TEXT_LEN], status[TG_INT_TEXT_LEN];
  const char *fields[] = {tg_int_text(ev->second, second),
                          ev->context,
                          ev->version,
                          ev->resource,
                          ev->verb,
                          ev->application_id,
                          ev->subscriber,
                          ev->key_type,
                          tg_int_text(ev->status, status)};
  scratch_join(k, fields, G_N_ELEMENTS(fields), '\x1f');
}

/* Each thread builds its keys in one buffer of its own: no allocation per request. */
static GPrivate key_buffer = SCRATCH_STRING_INIT;

static UsageRow *row_new(const UsageEvent *ev) {
  UsageRow *r = g_new0(UsageRow, 1);
  r->second = ev->second;
  r->context = g_strdup(S(ev->context));
  r->version = g_strdup(S(ev->version));
  r->resource = g_strdup(S(ev->resource));
  r->verb = g_strdup(S(ev->verb));
  r->application_id = g_strdup(S(ev->application_id));
  r->subscriber = g_strdup(S(ev->subscriber));
  r->key_type = g_strdup(S(ev->key_type));
  r->status = ev->status;
  return r;
}

void usage_reporter_record(UsageReporter *u, const UsageEvent *ev) {
  GString *key = scratch_string(&key_buffer);
  row_key(ev, key);
  gint64 latency = (gint64)(ev->latency_ms + 0.5);
  g_mutex_lock(&u->lock);
  UsageRow *r = g_hash_table_lookup(u->table, key->str);
  if (!r) {
    r = row_new(ev);
    g_hash_table_insert(u->table, g_strdup(key->str), r);
  }
  r->count++;
  r->latency_total += latency;
  r->latency_max = MAX(r->latency_max, latency);
  r->latency_histogram[tg_latency_bucket(ev->latency_ms)]++;
  r->bytes_in += (gint64)ev->bytes_in;
  r->bytes_out += (gint64)ev->bytes_out;
  r->over_quota += ev->over_quota ? 1 : 0;
  g_mutex_unlock(&u->lock);
}

static TgUsageRecord *row_to_record(UsageReporter *u, const UsageRow *r) {
  TgUsageRecord *rec =
      g_object_new(TG_TYPE_USAGE_RECORD, "timestamp", r->second, "gatewayId", u->gateway_id,
                   "apiContext", r->context, "apiVersion", r->version, "resource", r->resource,
                   "verb", r->verb, "applicationId", r->application_id, "subscriber", r->subscriber,
                   "keyType", r->key_type, "status", r->status, "count", r->count, "latencyMsTotal",
                   r->latency_total, "latencyMsMax", r->latency_max, "bytesIn", r->bytes_in,
                   "bytesOut", r->bytes_out, "overQuotaCount", r->over_quota, NULL);
  g_array_append_vals(rec->latencyHistogram, r->latency_histogram, TG_LATENCY_BUCKETS);
  rec->__isset_latencyHistogram = TRUE;
  return rec;
}

/* Moves the table's rows into the pending queue, dropping the oldest beyond the bound. */
static void drain_table(UsageReporter *u) {
  g_mutex_lock(&u->lock);
  GHashTable *table = u->table;
  u->table = g_hash_table_new_full(tg_str_hash, g_str_equal, g_free, row_free);
  g_mutex_unlock(&u->lock);
  GHashTableIter it;
  gpointer value;
  guint dropped = 0;
  g_mutex_lock(&u->queue_lock);
  g_hash_table_iter_init(&it, table);
  while (g_hash_table_iter_next(&it, NULL, &value)) {
    g_queue_push_tail(&u->pending, row_to_record(u, value));
    while (g_queue_get_length(&u->pending) > u->max_pending) {
      g_object_unref(g_queue_pop_head(&u->pending));
      dropped++;
    }
  }
  g_mutex_unlock(&u->queue_lock);
  g_hash_table_destroy(table);
  if (dropped && u->metrics)
    tg_metrics_add(u->metrics, "tollgate_gateway_usage_dropped_total", NULL, dropped);
  if (dropped) g_warning("usage: %u records dropped (hubs unreachable too long)", dropped);
}

static HubCallResult publish_run(void *conn, void *data, GError **error) {
  UsageReporter *u = data;
  TgTollgateException *exc = NULL;
  gboolean ok = tg_tollgate_if_publish_usage(tg_hub_client_iface(conn), tg_hub_client_session(conn),
                                             u->batch, u->batch_id, &exc, error);
  HubCallResult r =
      hub_call_result(ok, error ? *error : NULL, exc ? G_OBJECT(exc) : NULL,
                      exc ? exc->message : NULL, exc && exc->__isset_code ? exc->code : -1);
  u->refused_code = exc && exc->__isset_code ? exc->code : 0;
  if (exc && error && *error) {
    g_clear_error(error);
    g_set_error(error, HUB_POOL_ERROR, HUB_POOL_ERROR_CALL, "publishUsage: %s",
                exc->message ? exc->message : "");
  }
  g_clear_object(&exc);
  return r;
}

/* The next batch: the queue's head, with a new id. FALSE when the queue is empty. */
static gboolean batch_take(UsageReporter *u) {
  GPtrArray *batch = g_ptr_array_new_with_free_func(g_object_unref);
  g_mutex_lock(&u->queue_lock);
  for (GList *l = u->pending.head; l && batch->len < USAGE_BATCH_MAX; l = l->next)
    g_ptr_array_add(batch, g_object_ref(l->data));
  g_mutex_unlock(&u->queue_lock);
  if (batch->len == 0) {
    g_ptr_array_unref(batch);
    return FALSE;
  }
  u->batch = batch;
  u->batch_id = g_strdup_printf("%s:%" G_GUINT64_FORMAT, u->id_prefix, ++u->batch_seq);
  return TRUE;
}

/* The batch is done with (stored by the hub, or refused for good): out of the queue, unless
   dropped for size meanwhile. */
static void batch_done(UsageReporter *u, gboolean stored) {
  g_mutex_lock(&u->queue_lock);
  for (guint i = 0; i < u->batch->len; i++) {
    GList *l = g_queue_find(&u->pending, g_ptr_array_index(u->batch, i));
    if (!l) continue;
    g_object_unref(l->data);
    g_queue_delete_link(&u->pending, l);
  }
  if (stored) u->sent += u->batch->len;
  g_mutex_unlock(&u->queue_lock);
  if (!stored && u->metrics)
    tg_metrics_add(u->metrics, "tollgate_gateway_usage_dropped_total", NULL, u->batch->len);
  g_clear_pointer(&u->batch, g_ptr_array_unref);
  g_clear_pointer(&u->batch_id, g_free);
}

/* Sends the queue front to back, a batch at a time; stops at the first failure: that batch
   is sent again, as it is, next time. A batch the hub refuses as invalid (400) would be
   refused every time: it is dropped, so it does not hold up the others. */
static void send_pending(UsageReporter *u) {
  while (u->batch != NULL || batch_take(u)) {
    g_autoptr(GError) error = NULL;
    u->refused_code = 0;
    if (hub_pool_call(u->pool, "publishUsage", publish_run, u, &error)) {
      batch_done(u, TRUE);
    } else if (u->refused_code == 400) {
      g_warning("usage: batch %s of %u records refused, dropped: %s", u->batch_id, u->batch->len,
                error->message);
      batch_done(u, FALSE);
    } else {
      g_debug("usage: batch %s of %u records kept: %s", u->batch_id, u->batch->len, error->message);
      return;
    }
  }
}

static gpointer reporter_main(gpointer p) {
  UsageReporter *u = p;
  gboolean stop = FALSE;
  while (!stop) {
    g_mutex_lock(&u->lock);
    gint64 until = g_get_monotonic_time() + (gint64)u->flush_ms * 1000;
    while (!u->stopping && g_cond_wait_until(&u->cond, &u->lock, until)) {
    }
    stop = u->stopping;
    g_mutex_unlock(&u->lock);
    drain_table(u);
    if (u->pool) send_pending(u);
  }
  return NULL;
}

/* The gateway id (16 characters at most, valid UTF-8), the start time and a random number:
   with a sequence number, ids within publishUsage's 128 bytes (64 + 1 + 24 + 1 + 20). */
static char *batch_id_prefix(const char *gateway_id) {
  g_autofree char *valid = g_utf8_make_valid(gateway_id, -1);
  g_autofree char *name = g_utf8_substring(valid, 0, MIN(g_utf8_strlen(valid, -1), 16));
  return g_strdup_printf("%s:%016" G_GINT64_MODIFIER "x%08x", name, g_get_real_time(),
                         g_random_int());
}

UsageReporter *usage_reporter_new(HubPool *pool, const char *gateway_id, int flush_interval_ms,
                                  guint max_pending, TgMetrics *metrics) {
  UsageReporter *u = g_new0(UsageReporter, 1);
  u->pool = pool;
  u->gateway_id = g_strdup(gateway_id ? gateway_id : "");
  u->flush_ms = flush_interval_ms;
  u->max_pending = MAX(1u, max_pending);
  u->metrics = metrics;
  g_mutex_init(&u->lock);
  g_mutex_init(&u->queue_lock);
  g_cond_init(&u->cond);
  g_queue_init(&u->pending);
  u->table = g_hash_table_new_full(tg_str_hash, g_str_equal, g_free, row_free);
  u->id_prefix = batch_id_prefix(u->gateway_id);
  if (metrics) {
    tg_metrics_describe(metrics, "tollgate_gateway_usage_dropped_total", TG_METRIC_COUNTER,
                        "Usage records dropped: hubs unreachable too long, or a batch refused "
                        "as invalid");
    tg_metrics_add(metrics, "tollgate_gateway_usage_dropped_total", NULL, 0);
  }
  u->thread = g_thread_new("usage-reporter", reporter_main, u);
  return u;
}

void usage_reporter_free(UsageReporter *u) {
  if (!u) return;
  g_mutex_lock(&u->lock);
  u->stopping = TRUE;
  g_cond_signal(&u->cond);
  g_mutex_unlock(&u->lock);
  g_thread_join(u->thread);
  if (g_queue_get_length(&u->pending))
    g_warning("usage: %u records not sent at shutdown", g_queue_get_length(&u->pending));
  g_queue_clear_full(&u->pending, g_object_unref);
  g_clear_pointer(&u->batch, g_ptr_array_unref);
  g_free(u->batch_id);
  g_free(u->id_prefix);
  g_hash_table_destroy(u->table);
  g_cond_clear(&u->cond);
  g_mutex_clear(&u->queue_lock);
  g_mutex_clear(&u->lock);
  g_free(u->gateway_id);
  g_free(u);
}

guint usage_reporter_pending(UsageReporter *u) {
  g_mutex_lock(&u->queue_lock);
  guint n = g_queue_get_length(&u->pending);
  g_mutex_unlock(&u->queue_lock);
  return n;
}

guint64 usage_reporter_sent(UsageReporter *u) {
  g_mutex_lock(&u->queue_lock);
  guint64 n = u->sent;
  g_mutex_unlock(&u->queue_lock);
  return n;
}
