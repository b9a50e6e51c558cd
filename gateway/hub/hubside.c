/*
 * hubside: reads [hubs], [plugin.key_auth] and [plugin.usage], and wires the hub pool, the
 * token cache, the change feed and the usage reporter together for main.c and the plugins.
 * Trade-off: start-up never waits for a hub, at the cost of answering 404 for every API until
 * the first sync succeeds. Design notes: docs/HACKING.md.
 */
#include "hubside.h"

#include <string.h>
#include <sys/socket.h>

#include "feed.h"
#include "gateway_config.h"
#include "tg_hub_client.h"
#include "tg_socket_transport.h"
#include "tg_tls.h"
#include "usage_reporter.h"

#define HUB_DEFAULT_PORT 10397

gint64 hubside_now_ms(void) { return g_get_real_time() / 1000; }

/* --- connections for the pool --- */

static void *conn_connect(void *user, const char *host, int port, GError **error) {
  HubSide *hs = user;
  TgHubClientOptions opts = {
      .host = host,
      .port = port,
      .tls = hs->tls,
      .tls_ctx = hs->tls_ctx,
      .timeout_ms = hs->timeout_ms,
      .login_timeout_ms = hs->login_timeout_ms,
      .user = hs->user,
      .password = hs->password,
  };
  return tg_hub_client_connect(&opts, error);
}

static gboolean conn_relogin(void *user, void *conn, GError **error) {
  return tg_hub_client_reconnect(conn, error);
}

static void conn_close(void *user, void *conn) { tg_hub_client_free(conn); }

static HubCallResult conn_after_transport(void *user, void *conn, gboolean retried,
                                          GError **error) {
  g_autoptr(GError) why = NULL;
  TgHubFailure f = tg_hub_client_failure(conn, *error, retried, &why);
  if (f == TG_HUB_FAILURE_RETRY) return HUB_CALL_RETRY;
  if (why != NULL) {
    g_clear_error(error);
    g_propagate_error(error, g_steal_pointer(&why));
  }
  return f == TG_HUB_FAILURE_CALL ? HUB_CALL_REFUSED : HUB_CALL_TRANSPORT;
}

/* --- configuration --- */

static char *read_password(const char *path, GError **error) {
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, error)) {
    g_prefix_error(error, "[hubs] password_file: ");
    return NULL;
  }
  return g_strdup(g_strchomp(text));
}

/* Defaults live in gateway_config.c's table (--print-config prints them): read them there. */
static const char *def_str(const char *group, const char *key) {
  return gateway_config_default(group, key);
}

static gint64 def_int(const char *group, const char *key) {
  return g_ascii_strtoll(gateway_config_default(group, key), NULL, 10);
}

static gboolean def_bool(const char *group, const char *key) {
  return !g_strcmp0(gateway_config_default(group, key), "true");
}

static gboolean read_hub_settings(HubSide *hs, TgConfig *cfg, GError **error) {
  gint64 timeout = 0, login_timeout = 0;
  if (!tg_config_bool(cfg, "hubs", "tls", def_bool("hubs", "tls"), &hs->tls, error) ||
      !tg_config_int(cfg, "hubs", "timeout_ms", def_int("hubs", "timeout_ms"), 50, 600000, &timeout,
                     error) ||
      !tg_config_int(cfg, "hubs", "login_timeout_ms", def_int("hubs", "login_timeout_ms"), 50,
                     600000, &login_timeout, error))
    return FALSE;
  hs->timeout_ms = (int)timeout;
  hs->login_timeout_ms = (int)MAX(login_timeout, timeout);
  hs->user = tg_config_string(cfg, "hubs", "user", def_str("hubs", "user"));
  g_autofree char *pw_file =
      tg_config_string(cfg, "hubs", "password_file", def_str("hubs", "password_file"));
  hs->password = read_password(pw_file, error);
  if (!hs->password) return FALSE;
  if (hs->tls) {
    g_autofree char *ca = tg_config_string(cfg, "hubs", "ca_file", def_str("hubs", "ca_file"));
    hs->tls_ctx = tg_tls_client_ctx_new(ca, TRUE, error);
    if (!hs->tls_ctx) return FALSE;
  }
  return TRUE;
}

static gboolean start_pool(HubSide *hs, TgConfig *cfg, GError **error) {
  g_auto(GStrv) list = tg_config_list(cfg, "hubs", "key_validators");
  guint n = g_strv_length(list);
  if (n == 0) {
    g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID,
                "%s: [hubs] key_validators: at least one hub host:port is required",
                tg_config_path(cfg) ? tg_config_path(cfg) : "configuration");
    return FALSE;
  }
  gint64 per_hub = 0;
  if (!tg_config_int(cfg, "hubs", "connections_per_hub", def_int("hubs", "connections_per_hub"), 1,
                     256, &per_hub, error))
    return FALSE;
  HubAddr *addrs = g_new0(HubAddr, n);
  char **hosts = g_new0(char *, n + 1);
  gboolean ok = TRUE;
  for (guint i = 0; i < n && ok; i++) {
    ok = tg_parse_host_port(list[i], HUB_DEFAULT_PORT, &hosts[i], &addrs[i].port, error);
    addrs[i].host = hosts[i];
    if (!ok) g_prefix_error(error, "[hubs] key_validators: ");
  }
  HubConnOps ops = {conn_connect, conn_relogin, conn_close, conn_after_transport, hs};
  if (ok) hs->pool = hub_pool_new(addrs, n, (guint)per_hub, &ops, hs->metrics, error);
  g_strfreev(hosts);
  g_free(addrs);
  return hs->pool != NULL;
}

static gboolean start_cache(HubSide *hs, TgConfig *cfg, GError **error) {
  gint64 size = 0, neg = 0, max_ttl = 0;
  if (!tg_config_int(cfg, "plugin.key_auth", "cache_size", def_int("plugin.key_auth", "cache_size"),
                     16, 100000000, &size, error) ||
      !tg_config_int(cfg, "plugin.key_auth", "negative_ttl",
                     def_int("plugin.key_auth", "negative_ttl"), 0, 86400, &neg, error) ||
      !tg_config_int(cfg, "plugin.key_auth", "max_ttl", def_int("plugin.key_auth", "max_ttl"), 0,
                     86400 * 30, &max_ttl, error))
    return FALSE;
  hs->cache = token_cache_new((guint)size, (guint)neg, (guint)max_ttl);
  return TRUE;
}

static gboolean start_usage(HubSide *hs, TgConfig *cfg, GError **error) {
  gint64 flush = 0, max_pending = 0;
  if (!tg_config_int(cfg, "plugin.usage", "flush_interval_ms",
                     def_int("plugin.usage", "flush_interval_ms"), 50, 3600000, &flush, error) ||
      !tg_config_int(cfg, "plugin.usage", "max_pending_records",
                     def_int("plugin.usage", "max_pending_records"), 1, 100000000, &max_pending,
                     error))
    return FALSE;
  hs->usage = usage_reporter_new(hs->pool, hs->host->gateway_id, (int)flush, (guint)max_pending,
                                 hs->metrics);
  return TRUE;
}

static const char *const hubs_keys[] = {
    "key_validators",   "tls",        "ca_file",          "user",
    "password_file",    "timeout_ms", "login_timeout_ms", "connections_per_hub",
    "poll_interval_ms", NULL};
static const char *const key_auth_keys[] = {"cache_size", "negative_ttl", "max_ttl", NULL};
static const char *const usage_keys[] = {"flush_interval_ms", "max_pending_records", NULL};

/* Unknown keys in our groups are typos: refuse them with the key's name. */
static gboolean check_keys(TgConfig *cfg, GError **error) {
  return tg_config_check_keys(cfg, "hubs", hubs_keys, error) &&
         tg_config_check_keys(cfg, "plugin.key_auth", key_auth_keys, error) &&
         tg_config_check_keys(cfg, "plugin.usage", usage_keys, error);
}

HubSide *hubside_start(TgPluginHost *host, GError **error) {
  HubSide *hs = g_new0(HubSide, 1);
  hs->host = host;
  hs->metrics = host->metrics;
  TgConfig *cfg = host->cfg;
  gint64 poll = 0;
  if (!check_keys(cfg, error) || !read_hub_settings(hs, cfg, error) ||
      !start_cache(hs, cfg, error) || !start_pool(hs, cfg, error) || !start_usage(hs, cfg, error) ||
      !tg_config_int(cfg, "hubs", "poll_interval_ms", def_int("hubs", "poll_interval_ms"), 50,
                     600000, &poll, error)) {
    hubside_stop(hs);
    return NULL;
  }
  FeedTargets targets = {.pool = hs->pool,
                         .router = hs->host->router,
                         .cache = hs->cache,
                         .block_changes = &hs->block_changes,
                         .policy_changes = &hs->policy_changes};
  hs->feed = feed_start(&targets, (int)poll);
  return hs;
}

void hubside_stop(HubSide *hs) {
  if (!hs) return;
  if (hs->feed) feed_stop(hs->feed);
  if (hs->usage) usage_reporter_free(hs->usage);
  if (hs->pool) hub_pool_free(hs->pool);
  token_cache_free(hs->cache);
  if (hs->tls_ctx) SSL_CTX_free(hs->tls_ctx);
  g_free(hs->user);
  if (hs->password) {
    memset(hs->password, 0, strlen(hs->password));
    g_free(hs->password);
  }
  g_free(hs);
}

char *hubside_health_json(HubSide *hs) {
  g_autofree char *hubs = hub_pool_health_json(hs->pool);
  return g_strdup_printf("{\"synced\":%s,\"revision\":%" G_GINT64_FORMAT
                         ",\"cached_tokens\":%u,\"usage_pending\":%u,\"nodes\":%s}",
                         hs->feed && feed_synced(hs->feed) ? "true" : "false",
                         hs->feed ? feed_revision(hs->feed) : 0, token_cache_size(hs->cache),
                         hs->usage ? usage_reporter_pending(hs->usage) : 0, hubs);
}
