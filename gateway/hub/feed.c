/*
 * feed: polls the hub's gateway change feed and applies it (see feed.h).
 *
 * Polling (not a push channel) keeps the hub stateless about gateways: any
 * hub can answer "what changed since revision N", so the feed fails over with
 * the pool like any other call. The cost is up to one poll interval of delay,
 * which with the default 1 s keeps revocation within the 2 s promise.
 */
#include "feed.h"

#include <string.h>

#include "hub_call.h"
#include "tg_hub_client.h"

struct Feed {
  FeedTargets t;
  int poll_ms;
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean stopping;
  gint64 revision; /* guarded by lock (read by /health) */
  gboolean synced;
  GQueue recent; /* RecentRevocation; feed thread only */
};

/* A validation racing a revocation (answered by a hub whose own cache had not seen it yet)
   can put the token back into the cache after the feed evicted it, for the cache's whole
   TTL: so a revoked token is evicted again at every poll for REVOKE_REPEAT_US, longer than
   the hubs take to see each other's changes (about a second). */
#define REVOKE_REPEAT_US (3 * G_USEC_PER_SEC)

typedef struct {
  char *subject;
  gint64 until_us;
} RecentRevocation;

typedef struct {
  gint64 since;
  TgGatewayConfig *result;
} FeedCall;

static HubCallResult feed_run(void *conn, void *data, GError **error) {
  FeedCall *fc = data;
  TgTollgateException *exc = NULL;
  g_clear_object(&fc->result);
  fc->result = g_object_new(TG_TYPE_GATEWAY_CONFIG, NULL);
  gboolean ok = tg_tollgate_if_get_gateway_config(
      tg_hub_client_iface(conn), &fc->result, tg_hub_client_session(conn), fc->since, &exc, error);
  HubCallResult r =
      hub_call_result(ok, error ? *error : NULL, exc ? G_OBJECT(exc) : NULL,
                      exc ? exc->message : NULL, exc && exc->__isset_code ? exc->code : -1);
  if (exc && error && *error) {
    g_clear_error(error);
    g_set_error(error, HUB_POOL_ERROR, HUB_POOL_ERROR_CALL, "getGatewayConfig: %s (%d)",
                exc->message ? exc->message : "", exc->__isset_code ? exc->code : 0);
  }
  g_clear_object(&exc);
  return r;
}

/* An API's entries, or (app_id not NULL) only one application's entries for it. */
static void evict_api_by_subject(TokenCache *cache, const char *subject, const char *app_id) {
  const char *colon = subject ? strrchr(subject, ':') : NULL;
  if (!colon) return;
  g_autofree char *context = g_strndup(subject, (gsize)(colon - subject));
  if (app_id)
    token_cache_evict_application_api(cache, app_id, context, colon + 1);
  else
    token_cache_evict_api(cache, context, colon + 1);
}

static void apply_change(const FeedTargets *targets, const TgGatewayChange *ch) {
  const char *kind = ch->kind ? ch->kind : "";
  if (strcmp(kind, "TOKEN_REVOKED") == 0) {
    guint n = token_cache_evict_token(targets->cache, ch->subject);
    g_info("token %.12s... revoked: %u cache entries evicted", ch->subject ? ch->subject : "", n);
  } else if (strcmp(kind, "SUBSCRIPTION_CHANGED") == 0 && ch->__isset_applicationId) {
    g_autofree char *app_id = g_strdup_printf("%" G_GINT64_FORMAT, ch->applicationId);
    evict_api_by_subject(targets->cache, ch->subject, app_id);
  } else if (strcmp(kind, "SUBSCRIPTION_CHANGED") == 0 || strcmp(kind, "API_CHANGED") == 0) {
    evict_api_by_subject(targets->cache, ch->subject, NULL);
  } else if (strcmp(kind, "APPLICATION_CHANGED") == 0) {
    token_cache_evict_application(targets->cache, ch->subject);
  } else if (strcmp(kind, "BLOCK_CHANGED") == 0) {
    g_atomic_int_inc(targets->block_changes); /* the throttle plugin reloads its list */
  } else if (strcmp(kind, "POLICY_CHANGED") == 0) {
    g_atomic_int_inc(targets->policy_changes); /* custom policies or tiers: reloaded likewise */
  } else {
    g_debug("feed: ignoring change kind %s", kind);
  }
}

static void apply_config(Feed *feed, TgGatewayConfig *gc) {
  const FeedTargets *targets = &feed->t;
  GPtrArray *apis = gc->apis ? gc->apis : g_ptr_array_new();
  if (gc->fullSync) {
    router_load(targets->router, apis);
    token_cache_flush(targets->cache);
    g_atomic_int_inc(targets->block_changes);
    g_atomic_int_inc(targets->policy_changes);
    g_message("full sync: %u APIs, revision %" G_GINT64_FORMAT, apis->len, gc->revision);
  } else if (apis->len > 0) {
    router_update(targets->router, apis);
    for (guint i = 0; i < apis->len; i++) {
      TgApi *api = g_ptr_array_index(apis, i);
      token_cache_evict_api(targets->cache, api->context, api->version);
    }
  }
  if (!gc->apis) g_ptr_array_unref(apis);
  for (guint i = 0; gc->changes && i < gc->changes->len; i++)
    apply_change(targets, g_ptr_array_index(gc->changes, i));
  g_mutex_lock(&feed->lock);
  feed->revision = gc->revision;
  feed->synced = TRUE;
  g_mutex_unlock(&feed->lock);
}

static void remember_revocations(Feed *feed, const TgGatewayConfig *gc) {
  gint64 until = g_get_monotonic_time() + REVOKE_REPEAT_US;
  for (guint i = 0; gc->changes && i < gc->changes->len; i++) {
    const TgGatewayChange *ch = g_ptr_array_index(gc->changes, i);
    if (ch->kind && ch->subject && strcmp(ch->kind, "TOKEN_REVOKED") == 0) {
      RecentRevocation *r = g_new(RecentRevocation, 1);
      *r = (RecentRevocation){g_strdup(ch->subject), until};
      g_queue_push_tail(&feed->recent, r);
    }
  }
}

static void recent_free(gpointer p) {
  RecentRevocation *r = p;
  g_free(r->subject);
  g_free(r);
}

static void evict_recent_revocations(Feed *feed) {
  gint64 now = g_get_monotonic_time();
  for (GList *l = feed->recent.head; l != NULL;) {
    GList *next = l->next;
    RecentRevocation *r = l->data;
    token_cache_evict_token(feed->t.cache, r->subject);
    if (now > r->until_us) {
      recent_free(r);
      g_queue_delete_link(&feed->recent, l);
    }
    l = next;
  }
}

/* One poll; logs a failure once per outage. */
static void feed_poll(Feed *feed, gboolean *failing) {
  evict_recent_revocations(feed);
  FeedCall fc = {.since = feed_revision(feed)};
  g_autoptr(GError) error = NULL;
  if (hub_pool_call(feed->t.pool, "getGatewayConfig", feed_run, &fc, &error)) {
    if (*failing) g_message("change feed is back");
    *failing = FALSE;
    apply_config(feed, fc.result);
    remember_revocations(feed, fc.result);
  } else if (!*failing) {
    g_warning("change feed: %s (retrying every poll)", error->message);
    *failing = TRUE;
  }
  g_clear_object(&fc.result);
}

/* Waits one poll interval, then polls, until feed_stop. The first poll
   already happened in feed_start. */
static gpointer feed_main(gpointer p) {
  Feed *feed = p;
  gboolean failing = !feed_synced(feed);
  for (;;) {
    g_mutex_lock(&feed->lock);
    gint64 until = g_get_monotonic_time() + (gint64)feed->poll_ms * 1000;
    while (!feed->stopping && g_cond_wait_until(&feed->cond, &feed->lock, until)) {
    }
    gboolean stop = feed->stopping;
    g_mutex_unlock(&feed->lock);
    if (stop) break;
    feed_poll(feed, &failing);
  }
  return NULL;
}

Feed *feed_start(const FeedTargets *targets, int poll_interval_ms) {
  Feed *feed = g_new0(Feed, 1);
  feed->t = *targets;
  g_queue_init(&feed->recent);
  feed->poll_ms = poll_interval_ms;
  g_mutex_init(&feed->lock);
  g_cond_init(&feed->cond);
  gboolean failing = FALSE;
  feed_poll(feed, &failing); /* the first sync, before traffic if a hub answers */
  if (failing) g_warning("no hub answered at start-up: serving no APIs until one does");
  feed->thread = g_thread_new("hub-feed", feed_main, feed);
  return feed;
}

void feed_stop(Feed *feed) {
  g_mutex_lock(&feed->lock);
  feed->stopping = TRUE;
  g_cond_signal(&feed->cond);
  g_mutex_unlock(&feed->lock);
  g_thread_join(feed->thread);
  g_cond_clear(&feed->cond);
  g_mutex_clear(&feed->lock);
  g_queue_clear_full(&feed->recent, recent_free);
  g_free(feed);
}

gint64 feed_revision(Feed *feed) {
  g_mutex_lock(&feed->lock);
  gint64 r = feed->revision;
  g_mutex_unlock(&feed->lock);
  return r;
}

gboolean feed_synced(Feed *feed) {
  g_mutex_lock(&feed->lock);
  gboolean s = feed->synced;
  g_mutex_unlock(&feed->lock);
  return s;
}
