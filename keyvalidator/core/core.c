/*
 * core.c: the Hub object (hub.h): builds and tears down the configuration copy,
 * the database pool, sessions and caches (the Thrift handler is built by net/), and runs the
 * watcher thread that applies other hubs' changes to the caches and prunes old
 * tokens, ledger rows and usage batch ids; once, at its first connection, it gives search
 * words to APIs that have none (store_search_backfill). Building contacts no database (it is
 * retried on every call), so the hub starts before its database and survives it.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "hub_internal.h"
#include "login.h"
#include "login_limiter.h"
#include "session.h"
#include "store_feed.h"
#include "store_portal_sessions.h"
#include "store_search.h"
#include "store_throttle.h"
#include "store_usage.h"
#include "store_users.h"
#include "tg_crypto.h"
#include "ttl_cache.h"
#include "validation_caches.h"
#include "write_budget.h"

#define LOGIN_TRACKED 100000 /* user names and addresses whose failures are remembered */

MYSQL *hub_db_acquire(Hub *hub, const char *dbname, GError **error) {
  return db_pool_acquire(hub->db, dbname, FALSE, error);
}

MYSQL *hub_db_acquire_read(Hub *hub, const char *dbname, GError **error) {
  return db_pool_acquire(hub->db, dbname, TRUE, error);
}

void hub_db_release(Hub *hub, MYSQL *conn) { db_pool_release(hub->db, conn); }

static void config_copy(HubConfig *dst, const HubConfig *src) {
  *dst = *src;
  char **strings[] = {
      &dst->bind,        &dst->tls_cert,     &dst->tls_key,       &dst->session_secret_file,
      &dst->log_level,   &dst->db_host,      &dst->db_socket,     &dst->db_user,
      &dst->db_password, &dst->db_apimgt,    &dst->db_user_store, &dst->db_reg,
      &dst->db_stat,     &dst->metrics_token};
  for (guint i = 0; i < G_N_ELEMENTS(strings); i++) *strings[i] = g_strdup(*strings[i]);
  guint nodes = src->db_hosts ? g_strv_length(src->db_hosts) : 0;
  dst->db_hosts = g_strdupv(src->db_hosts);
  dst->db_ports = src->db_ports ? g_memdup2(src->db_ports, sizeof(int) * MAX(nodes, 1)) : NULL;
}

static void config_clear(HubConfig *c) {
  if (c->db_password) memset(c->db_password, 0, strlen(c->db_password));
  char *strings[] = {c->bind,        c->tls_cert,     c->tls_key,       c->session_secret_file,
                     c->log_level,   c->db_host,      c->db_socket,     c->db_user,
                     c->db_password, c->db_apimgt,    c->db_user_store, c->db_reg,
                     c->db_stat,     c->metrics_token};
  for (guint i = 0; i < G_N_ELEMENTS(strings); i++) g_free(strings[i]);
  g_strfreev(c->db_hosts);
  g_free(c->db_ports);
}

/* The pool from [database]: hosts (or host/port when a caller built the config by hand). */
static DbPool *pool_from_config(const HubConfig *cfg, TgMetrics *metrics) {
  const char *one_host[] = {cfg->db_host, NULL};
  int one_port = cfg->db_port;
  gboolean listed = cfg->db_hosts != NULL && cfg->db_hosts[0] != NULL;
  DbPoolSpec spec = {
      .nodes = {.hosts = listed ? (const char *const *)cfg->db_hosts : one_host,
                .ports = listed ? cfg->db_ports : &one_port,
                .n = listed ? g_strv_length(cfg->db_hosts) : 1,
                .user = cfg->db_user,
                .password = cfg->db_password,
                .connect_timeout_s = cfg->db_connect_timeout_s,
                .read_timeout_s = cfg->db_read_timeout_s ? cfg->db_read_timeout_s : 30,
                .write_timeout_s = cfg->db_write_timeout_s ? cfg->db_write_timeout_s : 30,
                .check_interval_ms = cfg->db_check_interval_ms ? cfg->db_check_interval_ms : 1000,
                .metrics = metrics},
      .socket = cfg->db_socket,
      .size = cfg->db_pool_size,
      .sync_wait = cfg->db_sync_wait,
      .sync_wait_timeout_s = cfg->db_sync_wait_timeout_s ? cfg->db_sync_wait_timeout_s : 1,
  };
  return db_pool_new(&spec);
}

#define WATCH_INTERVAL_US  (500 * 1000)
#define API_CACHE_SIZE     4096
#define WRITE_BUDGET_USERS 100000

#define PRUNE_BATCH       1000
#define PRUNE_MAX_BATCHES 100

/* One prune statement: deletes at most limit rows older than cutoff; G_MAXUINT64 on error. */
typedef guint64 (*PruneStep)(MYSQL *conn, gint64 cutoff, guint limit, GError **error);

/* Runs step PRUNE_BATCH rows at a time, so no statement holds many locks; at most
   PRUNE_MAX_BATCHES per run (the rest waits for the next run). what names the rows. */
static void prune_in_batches(MYSQL *conn, PruneStep step, gint64 cutoff, const char *what) {
  guint64 total = 0, n = PRUNE_BATCH;
  for (guint i = 0; i < PRUNE_MAX_BATCHES && n == PRUNE_BATCH; i++) {
    g_autoptr(GError) local = NULL;
    n = step(conn, cutoff, PRUNE_BATCH, &local);
    if (n == G_MAXUINT64) {
      g_warning("pruning %s: %s", what, local->message);
      return;
    }
    total += n;
  }
  if (total > 0) g_message("pruned %" G_GUINT64_FORMAT " %s", total, what);
}

/* Long-expired and long-revoked tokens, on an apimgtdb connection. */
static void prune_tokens(Hub *hub, MYSQL *apimgt) {
  gint64 now_ms = g_get_real_time() / 1000;
  prune_in_batches(apimgt, store_tokens_prune,
                   now_ms - (gint64)hub->cfg.expired_token_retention_s * 1000,
                   "expired or revoked token(s)");
}

/* Ledger rows of windows long over, and old credit-report batch ids (apimgtdb). */
static void prune_throttle(MYSQL *apimgt) {
  gint64 now_ms = g_get_real_time() / 1000;
  prune_in_batches(apimgt, store_throttle_prune_ledger, now_ms - THROTTLE_LEDGER_RETENTION_MS,
                   "throttle ledger row(s)");
  prune_in_batches(apimgt, store_throttle_prune_batches, now_ms / 1000 - THROTTLE_BATCH_RETENTION_S,
                   "credit report batch id(s)");
}

/* Usage batch ids older than USAGE_BATCH_ID_RETENTION_S (statdb). */
static void prune_usage_batch_ids(Hub *hub) {
  g_autoptr(GError) local = NULL;
  MYSQL *stat = hub_db_acquire(hub, hub->cfg.db_stat, &local);
  if (stat == NULL) return;
  prune_in_batches(stat, usage_prune_batch_ids,
                   g_get_real_time() / G_USEC_PER_SEC - USAGE_BATCH_ID_RETENTION_S,
                   "usage batch id(s)");
  hub_db_release(hub, stat);
}

/* Portal sessions past their absolute end (userdb). */
static void prune_portal_sessions(Hub *hub) {
  g_autoptr(GError) local = NULL;
  MYSQL *userdb = hub_db_acquire(hub, hub->cfg.db_user_store, &local);
  if (userdb == NULL) return;
  prune_in_batches(userdb, store_portal_sessions_prune, g_get_real_time() / G_USEC_PER_SEC,
                   "ended portal session(s)");
  hub_db_release(hub, userdb);
}

/* TRUE when a prune is due (at start, then every token_prune_interval). */
static gboolean prune_due(Hub *hub, gint64 *last_us) {
  gint64 now = g_get_monotonic_time();
  if (hub->cfg.token_prune_interval_s <= 0 ||
      (*last_us != 0 && now - *last_us < (gint64)hub->cfg.token_prune_interval_s * G_USEC_PER_SEC))
    return FALSE;
  *last_us = now;
  return TRUE;
}

/* Applies the changes other hubs wrote to AM_GATEWAY_CHANGE since *seen (each evicts what it
   affects); everything goes when the window cannot be read change by change (pruned, too
   many). The first call only learns where the table stands. */
static void watch_changes(Hub *hub, MYSQL *conn, gint64 *seen) {
  g_autoptr(GError) local = NULL;
  gint64 oldest = 0, newest = 0, pending = 0;
  if (!feed_read_window(conn, *seen, &oldest, &newest, &pending, &local)) return;
  if (*seen < 0 || newest == *seen) {
    *seen = newest;
    return;
  }
  g_autoptr(GPtrArray) changes = NULL;
  if (feed_needs_full_sync(*seen, oldest, newest, pending) ||
      (changes = feed_read_changes(conn, *seen, &local)) == NULL) {
    hub_validation_cache_clear(hub);
    *seen = newest;
    return;
  }
  for (guint i = 0; i < changes->len; i++) {
    TgGatewayChange *ch = g_ptr_array_index(changes, i);
    hub_validation_cache_apply_change(hub, ch->kind, ch->subject,
                                      ch->__isset_applicationId ? ch->applicationId : 0);
    *seen = MAX(*seen, ch->revision);
  }
}

/* Evicts what changes made through another hub affect, and prunes expired tokens, old
   usage batch ids and old throttle ledger rows when due. */
/* The search index back-fill (store_search.h); TRUE once done. */
static gboolean search_backfill(MYSQL *conn) {
  g_autoptr(GError) local = NULL;
  guint indexed = 0;
  gboolean ok = store_search_backfill(conn, &indexed, &local);
  if (ok)
    g_message("search index: %u APIs without search words indexed", indexed);
  else
    g_warning("search index back-fill (retried): %s", local->message);
  return ok;
}

static gpointer change_watcher(gpointer data) {
  Hub *hub = data;
  gint64 seen = -1, pruned_us = 0;
  gboolean backfilled = FALSE;
  while (!g_atomic_int_get(&hub->stopping)) {
    g_usleep(WATCH_INTERVAL_US);
    g_autoptr(GError) local = NULL;
    MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_apimgt, &local);
    if (conn == NULL) continue; /* database down: keep serving the cache */
    if (!backfilled) backfilled = search_backfill(conn);
    watch_changes(hub, conn, &seen);
    gboolean prune = prune_due(hub, &pruned_us);
    if (prune) {
      prune_tokens(hub, conn);
      prune_throttle(conn);
    }
    hub_db_release(hub, conn);
    if (prune) prune_usage_batch_ids(hub);
    if (prune) prune_portal_sessions(hub);
  }
  return NULL;
}

Hub *hub_core_new(const HubConfig *cfg, TgMetrics *metrics, GError **error) {
  Hub *hub = g_new0(Hub, 1);
  config_copy(&hub->cfg, cfg);
  hub->metrics = metrics;
  if (metrics != NULL) {
    hub->cache_hits =
        tg_metrics_series(metrics, "tollgate_hub_validation_cache_total", "result=\"hit\"");
    hub->cache_misses =
        tg_metrics_series(metrics, "tollgate_hub_validation_cache_total", "result=\"miss\"");
  }
  hub->sessions = session_manager_new(hub->cfg.session_secret_file, hub->cfg.session_ttl_s, error);
  if (hub->sessions == NULL) {
    hub_core_free(hub);
    return NULL;
  }
  hub->db = pool_from_config(&hub->cfg, metrics);
  /* validation_cache_size = 0 switches the cache off (every validation reads the database). */
  if (hub->cfg.validation_cache_size > 0)
    hub->vcache =
        hub_facts_cache_new((guint)hub->cfg.validation_cache_size,
                            (gint64)MAX(hub->cfg.validation_cache_ttl_s, 1) * G_USEC_PER_SEC);
  /* APIs are few and change rarely: a small cache, cleared with the validation cache, saves
     two statements per validation the validation cache does not answer. */
  hub->api_cache = hub_api_cache_new(
      API_CACHE_SIZE, (gint64)MAX(hub->cfg.validation_cache_ttl_s, 1) * G_USEC_PER_SEC);
  hub->logins =
      login_limiter_new(&(LoginLimits){.delay_ms = hub->cfg.login_failure_delay_ms,
                                       .max_delay_ms = hub->cfg.login_failure_delay_max_ms,
                                       .user_failures = hub->cfg.login_max_failures,
                                       .address_failures = hub->cfg.login_max_failures_per_address,
                                       .lockout_s = hub->cfg.login_lockout_s,
                                       .max_tracked = LOGIN_TRACKED});
  if (metrics) hub_login_describe_metrics(metrics);
  if (hub->cfg.mgmt_write_rate > 0)
    hub->writes = write_budget_new((guint)hub->cfg.mgmt_write_rate,
                                   (guint)hub->cfg.mgmt_write_burst, WRITE_BUDGET_USERS);
  hub->change_watcher = g_thread_new("hub-change-watch", change_watcher, hub);
  return hub;
}

void hub_core_free(Hub *hub) {
  if (hub == NULL) return;
  g_atomic_int_set(&hub->stopping, 1);
  if (hub->change_watcher) g_thread_join(hub->change_watcher);
  login_limiter_free(hub->logins);
  ttl_cache_free(hub->vcache);
  ttl_cache_free(hub->api_cache);
  write_budget_free(hub->writes);
  db_pool_free(hub->db);
  session_manager_free(hub->sessions);
  config_clear(&hub->cfg);
  g_free(hub);
}

gboolean hub_core_metrics_allowed(Hub *hub, const char *authorization) {
  static const char scheme[] = "Bearer ";
  if (authorization == NULL || g_ascii_strncasecmp(authorization, scheme, strlen(scheme)) != 0)
    return FALSE;
  const char *credential = authorization + strlen(scheme);
  if (*credential == '\0') return FALSE;
  const char *token = hub->cfg.metrics_token;
  if (token != NULL && *token != '\0' && tg_secure_streq(credential, token)) return TRUE;
  return hub_check_session(hub, credential, hub_role_bit("admin"), NULL, NULL);
}

gboolean hub_core_db_ok(Hub *hub) {
  g_autoptr(GError) local = NULL;
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_apimgt, &local);
  if (conn == NULL) return FALSE;
  gboolean ok = mysql_ping(conn) == 0;
  hub_db_release(hub, conn);
  return ok;
}

gboolean hub_core_ensure_user(Hub *hub, const char *name, const char *roles, const char *password,
                              GError **error) {
  g_auto(GStrv) names = g_strsplit(roles ? roles : "", ",", 8);
  for (guint i = 0; names[i]; i++) g_strstrip(names[i]);
  guint mask = hub_role_mask((const char *const *)names);
  if (name == NULL || *name == '\0' || password == NULL || *password == '\0' || mask == 0) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "--ensure-user needs a name, a password and known roles (admin, publisher, "
                "subscriber, gateway)");
    return FALSE;
  }
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_user_store, error);
  if (conn == NULL) return FALSE;
  gboolean exists = FALSE;
  gboolean ok = store_user_exists(conn, name, &exists, error) &&
                (exists || store_user_create(conn, name, password, mask, error));
  hub_db_release(hub, conn);
  if (ok && !exists) g_message("created user %s", name);
  return ok;
}

/* Narrow evictions: a change drops the cached validations it can affect and nothing else,
   so one tenant's churn (updateApplication, /token + /revoke in a loop) does not send every
   other tenant's validations back to the database. */
void hub_validation_cache_evict(Hub *hub, const char *token_hash) {
  if (hub->vcache) hub_facts_cache_evict_token(hub->vcache, token_hash);
}

void hub_validation_cache_evict_application(Hub *hub, gint64 app_id, const char *context,
                                            const char *version) {
  g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, app_id);
  if (hub->vcache) hub_facts_cache_evict_application(hub->vcache, id, context, version);
}

void hub_validation_cache_evict_api(Hub *hub, const char *context, const char *version) {
  if (hub->vcache) hub_facts_cache_evict_api(hub->vcache, context, version);
  hub_api_cache_evict(hub->api_cache, context, version);
}

void hub_validation_cache_apply_change(Hub *hub, const char *kind, const char *subject,
                                       gint64 app_id) {
  g_autofree char *context = NULL, *version = NULL;
  if (g_strcmp0(kind, "TOKEN_REVOKED") == 0 && subject != NULL) {
    hub_validation_cache_evict(hub, subject);
  } else if ((g_strcmp0(kind, "API_CHANGED") == 0 ||
              g_strcmp0(kind, "SUBSCRIPTION_CHANGED") == 0) &&
             feed_parse_api_subject(subject, &context, &version)) {
    if (kind[0] == 'A')
      hub_validation_cache_evict_api(hub, context, version);
    else if (app_id > 0) /* one application's subscription to the API */
      hub_validation_cache_evict_application(hub, app_id, context, version);
    else if (hub->vcache)
      hub_facts_cache_evict_api(hub->vcache, context, version);
  } else if (g_strcmp0(kind, "APPLICATION_CHANGED") == 0 && subject != NULL &&
             g_ascii_strtoll(subject, NULL, 10) > 0) {
    hub_validation_cache_evict_application(hub, g_ascii_strtoll(subject, NULL, 10), NULL, NULL);
  } else {
    hub_validation_cache_clear(hub); /* a change we cannot place: drop everything */
  }
}

void hub_validation_cache_clear(Hub *hub) {
  ttl_cache_clear(hub->vcache);
  ttl_cache_clear(hub->api_cache);
}
