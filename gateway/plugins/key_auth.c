/*
 * key_auth: the access-phase plugin that checks the Bearer token of every request whose
 * resource needs one, the gateway half of validateKey. A cached answer decides at once; on a
 * miss the request pauses while a hub worker calls validateKey (one call per key: single
 * flight). Design notes: docs/HACKING.md.
 */
#include <string.h>

#include "builtin.h"
#include "gateway_host.h"
#include "hubside.h"
#include "plugin.h"
#include "tg_crypto.h"
#include "tg_hub_client.h"
#include "tg_status.h"

extern const TgPlugin tg_plugin_key_auth;

#define KEY_AUTH_MAX_TOKEN 4096
#define CACHE_METRIC       "tollgate_gateway_key_cache_total"

typedef enum { CACHE_HIT, CACHE_SHARED, CACHE_MISS, CACHE_RESULTS } CacheResult;

typedef struct {
  HubSide *hs;
  TgSeries *cache[CACHE_RESULTS]; /* NULL without metrics */
} KeyAuth;

typedef enum { CTX_NEW, CTX_WAITING, CTX_DONE } CtxState;

typedef struct {
  CtxState state;
  TokenValidation *result; /* NULL with state DONE: the hub call failed */
  TgRequest *req;
  char token_hash[TG_SHA256_HEX_LEN + 1];
} KeyAuthCtx;

/* The leader's hub call. */
typedef struct {
  KeyAuth *ka;
  KeyAuthCtx *ctx; /* a reference */
  char *token;
  char *context, *version, *uri_template, *verb, *auth_level, *domain;
  TokenValidation *result;
} ValidateJob;

static void ctx_unref(gpointer p) {
  KeyAuthCtx *ctx = p;
  g_atomic_rc_box_release_full(ctx, NULL);
}

static void ctx_clear(gpointer p) {
  KeyAuthCtx *ctx = p;
  token_validation_free(ctx->result);
}

static void ctx_release(gpointer p) { g_atomic_rc_box_release_full(p, ctx_clear); }

static void count(KeyAuth *ka, CacheResult result) {
  if (ka->cache[result]) tg_series_add(ka->cache[result], 1);
}

/* Gives ctx its answer and resumes its request (any thread). Consumes a reference. */
static void ctx_finish(KeyAuthCtx *ctx, const TokenValidation *v) {
  ctx->result = v ? token_validation_copy(v) : NULL;
  ctx->state = CTX_DONE;
  tg_request_resume(ctx->req);
  ctx_release(ctx);
}

static void waiter_cb(void *data, const TokenValidation *v) { ctx_finish(data, v); }

/* --- the hub call --- */

static gint64 token_expiry_ms(const TgAPIKeyValidationInfoDTO *dto) {
  if (!dto->__isset_validityPeriod || !dto->__isset_issuedTime) return 0;
  if (dto->validityPeriod <= 0 || dto->issuedTime <= 0) return 0;
  if (dto->validityPeriod > G_MAXINT64 - dto->issuedTime) return 0;
  return dto->issuedTime + dto->validityPeriod;
}

static TokenValidation *validation_from_dto(const TgAPIKeyValidationInfoDTO *dto) {
  TokenValidation v = {
      .authorized = dto->authorized,
      .status = dto->__isset_validationStatus ? dto->validationStatus : 0,
      .key_type = dto->type,
      .subscriber = dto->subscriber,
      .application_id = dto->applicationId,
      .application_name = dto->applicationName,
      .application_tier = dto->applicationTier,
      .subscription_tier = dto->tier,
      .consumer_key = dto->consumerKey,
      .end_user = dto->endUserName,
      .token_expiry_ms = token_expiry_ms(dto),
  };
  if (!v.authorized && v.status == 0) v.status = TG_INVALID_CREDENTIALS;
  return token_validation_copy(&v);
}

static HubCallResult validate_run(void *conn, void *data, GError **error) {
  ValidateJob *job = data;
  TgAPIKeyValidationInfoDTO *dto = g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_INFO_D_T_O, NULL);
  TgAPIKeyMgtException *kex = NULL;
  TgAPIManagementException *mex = NULL;
  gboolean ok = tg_a_p_i_key_validation_service_if_validate_key(
      TG_A_P_I_KEY_VALIDATION_SERVICE_IF(tg_hub_client_iface(conn)), &dto, job->context,
      job->version, job->token, tg_hub_client_session(conn), job->auth_level, job->domain,
      job->uri_template, job->verb, &kex, &mex, error);
  const char *msg = kex ? kex->message : mex ? mex->message : NULL;
  GObject *exc = kex ? G_OBJECT(kex) : mex ? G_OBJECT(mex) : NULL;
  HubCallResult r = hub_call_result(ok, error ? *error : NULL, exc, msg, -1);
  if (exc && error) {
    g_clear_error(error);
    g_set_error(error, HUB_POOL_ERROR, HUB_POOL_ERROR_CALL, "validateKey: %s", msg ? msg : "");
  }
  if (ok) {
    token_validation_free(job->result);
    job->result = validation_from_dto(dto);
  }
  g_clear_object(&kex);
  g_clear_object(&mex);
  g_clear_object(&dto);
  return r;
}

static void validate_job_free(ValidateJob *job) {
  if (job->token) {
    memset(job->token, 0, strlen(job->token));
    g_free(job->token);
  }
  g_free(job->context);
  g_free(job->version);
  g_free(job->uri_template);
  g_free(job->verb);
  g_free(job->auth_level);
  g_free(job->domain);
  token_validation_free(job->result);
  g_free(job);
}

static TokenCacheKey job_key(ValidateJob *job) {
  TokenCacheKey key = {job->ctx->token_hash, job->context, job->version,
                       job->uri_template,    job->verb,    job->domain};
  return key;
}

/* Worker thread: cache the answer, wake the followers, then the leader. */
static void validate_done(void *data, const GError *error) {
  ValidateJob *job = data;
  const TokenValidation *v = error ? NULL : job->result;
  if (error)
    g_warning("validateKey failed (token %.12s...): %s", job->ctx->token_hash, error->message);
  TokenCacheKey key = job_key(job);
  token_cache_complete(job->ka->hs->cache, &key, v, hubside_now_ms());
  KeyAuthCtx *ctx = job->ctx;
  job->ctx = NULL;
  ctx_finish(ctx, v);
  validate_job_free(job);
}

/* --- the access phase --- */

/* The token of "Authorization: Bearer <token>" as a slice of the header's value
   (*len bytes, not NUL-terminated), or NULL. Not copied: on a cache hit the token
   is only hashed, so no copy of it is made (or left to wipe). */
static const char *bearer_token(TgRequest *req, gsize *len) {
  const char *h = tg_request_header(req, "Authorization");
  if (!h) return NULL;
  while (*h == ' ') h++;
  if (g_ascii_strncasecmp(h, "Bearer ", 7) != 0) return NULL;
  h += 7;
  while (*h == ' ') h++;
  gsize n = strlen(h);
  while (n > 0 && g_ascii_isspace(h[n - 1])) n--;
  if (n == 0 || n > KEY_AUTH_MAX_TOKEN || memchr(h, ' ', n)) return NULL;
  *len = n;
  return h;
}

/* The host of the Origin header, or NULL when there is none (caller frees). */
static char *origin_host(TgRequest *req) {
  const char *origin = tg_request_header(req, "Origin");
  const char *p = origin ? strstr(origin, "://") : NULL;
  if (!p) return NULL;
  p += 3;
  if (*p == '[') {
    const char *end = strchr(p, ']');
    return end ? g_strndup(p + 1, (gsize)(end - p - 1)) : NULL;
  }
  return g_strndup(p, strcspn(p, ":/"));
}

static TgPluginStatus fault(TgRequest *req, int code) {
  if (tg_status_lookup(code)->http_status == 401)
    tg_request_set_response_header(req, "WWW-Authenticate",
                                   code == TG_MISSING_CREDENTIALS
                                       ? "Bearer realm=\"tollgate\""
                                       : "Bearer realm=\"tollgate\", error=\"invalid_token\"");
  tg_request_fault(req, code, NULL);
  return TG_PLUGIN_DONE;
}

static TgPluginStatus decide(TgRequest *req, const TokenValidation *v, const char *token_hash) {
  if (!v) return fault(req, TG_AUTH_GENERAL_ERROR);
  if (!v->authorized) return fault(req, v->status ? v->status : TG_INVALID_CREDENTIALS);
  TgAuthInfo auth = {
      .authenticated = TRUE,
      .key_type = v->key_type,
      .subscriber = v->subscriber,
      .application_id = v->application_id,
      .application_name = v->application_name,
      .application_tier = v->application_tier,
      .subscription_tier = v->subscription_tier,
      .consumer_key = v->consumer_key,
      .end_user = v->end_user,
      .token_hash = token_hash,
  };
  tg_request_set_auth(req, &auth);
  tg_request_remove_header(req, "Authorization"); /* the token never reaches the backend */
  return TG_PLUGIN_CONTINUE;
}

static KeyAuthCtx *ctx_new(TgRequest *req) {
  KeyAuthCtx *ctx = g_atomic_rc_box_new0(KeyAuthCtx);
  ctx->req = req;
  tg_request_set_plugin_ctx(req, &tg_plugin_key_auth, ctx, ctx_release);
  return ctx;
}

static ValidateJob *job_new(KeyAuth *ka, KeyAuthCtx *ctx, const TgRoute *route, char *token,
                            char *domain) {
  ValidateJob *job = g_new0(ValidateJob, 1);
  job->ka = ka;
  job->ctx = g_atomic_rc_box_acquire(ctx);
  job->token = token;
  job->context = g_strdup(route->context);
  job->version = g_strdup(route->version);
  job->uri_template = g_strdup(route->uri_template);
  job->verb = g_strdup(route->verb);
  job->auth_level = g_strdup(route->auth_type && *route->auth_type ? route->auth_type : "Any");
  job->domain = domain;
  return job;
}

/* Leader: ask a hub. FALSE when no hub is up (the caller faults at once). */
static gboolean start_validation(KeyAuth *ka, KeyAuthCtx *ctx, const TgRoute *route, char *token,
                                 char *domain) {
  ValidateJob *job = job_new(ka, ctx, route, token, domain);
  g_autoptr(GError) error = NULL;
  if (hub_pool_submit(ka->hs->pool, "validateKey", validate_run, validate_done, job, &error))
    return TRUE;
  TokenCacheKey key = job_key(job);
  token_cache_complete(ka->hs->cache, &key, NULL, hubside_now_ms());
  ctx_unref(job->ctx);
  job->ctx = NULL;
  validate_job_free(job);
  return FALSE;
}

static TgPluginStatus key_auth_access(void *state, TgRequest *req) {
  KeyAuth *ka = state;
  const TgRoute *route = tg_request_route(req);
  if (!route) return TG_PLUGIN_CONTINUE;
  KeyAuthCtx *ctx = tg_request_plugin_ctx(req, &tg_plugin_key_auth);
  if (ctx && ctx->state == CTX_DONE) return decide(req, ctx->result, ctx->token_hash);
  if (ctx && ctx->state == CTX_WAITING) return TG_PLUGIN_AGAIN; /* a spurious re-entry */
  if (route->auth_type && g_ascii_strcasecmp(route->auth_type, "None") == 0)
    return TG_PLUGIN_CONTINUE;
  gsize token_len = 0;
  const char *token = bearer_token(req, &token_len);
  if (!token) return fault(req, TG_MISSING_CREDENTIALS);
  ctx = ctx_new(req);
  tg_sha256_hex(token, token_len, ctx->token_hash);
  g_autofree char *domain = origin_host(req);
  TokenCacheKey key = {ctx->token_hash,     route->context, route->version,
                       route->uri_template, route->verb,    domain ? domain : ""};
  TokenValidation *hit = NULL;
  ctx->state = CTX_WAITING;
  switch (token_cache_lookup(ka->hs->cache, &key, hubside_now_ms(), &hit, waiter_cb,
                             g_atomic_rc_box_acquire(ctx))) {
  case TOKEN_CACHE_HIT: {
    count(ka, CACHE_HIT);
    ctx_unref(ctx); /* the waiter reference was not used */
    ctx->state = CTX_DONE;
    ctx->result = hit;
    return decide(req, hit, ctx->token_hash);
  }
  case TOKEN_CACHE_WAITING:
    count(ka, CACHE_SHARED);
    return TG_PLUGIN_AGAIN;
  case TOKEN_CACHE_LEADER:
  default:
    count(ka, CACHE_MISS);
    ctx_unref(ctx);
    if (start_validation(ka, ctx, route, g_strndup(token, token_len),
                         domain ? g_steal_pointer(&domain) : g_strdup("")))
      return TG_PLUGIN_AGAIN;
    ctx->state = CTX_DONE;
    return fault(req, TG_AUTH_GENERAL_ERROR);
  }
}

static void *key_auth_init(TgPluginHost *host, TgConfig *cfg, const char *group, GError **error) {
  if (!host->hubside) {
    g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID,
                "key_auth needs the gateway's hub side ([hubs] configuration)");
    return NULL;
  }
  KeyAuth *ka = g_new0(KeyAuth, 1);
  ka->hs = host->hubside;
  if (host->metrics) {
    tg_metrics_describe(host->metrics, CACHE_METRIC, TG_METRIC_COUNTER,
                        "Key validations by cache result (hit, miss, shared)");
    static const char *const labels[CACHE_RESULTS] = {"result=\"hit\"", "result=\"shared\"",
                                                      "result=\"miss\""};
    for (int i = 0; i < CACHE_RESULTS; i++)
      ka->cache[i] = tg_metrics_series(host->metrics, CACHE_METRIC, labels[i]);
  }
  return ka;
}

static void key_auth_destroy(void *state) { g_free(state); }

const TgPlugin tg_plugin_key_auth = {
    .abi_version = TG_PLUGIN_ABI_VERSION,
    .name = "key_auth",
    .init = key_auth_init,
    .destroy = key_auth_destroy,
    .access = key_auth_access,
};
