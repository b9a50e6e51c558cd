/*
 * validate_key.c: the WSO2 key validation methods (validateKey, validateKeyforHandshake,
 * getAllURITemplates): looks up the facts, lets validation.c decide, and fills the DTO.
 * Trade-off: the facts (not the decision) are cached per token hash, context and version, so
 * one entry serves every resource; the decision is recomputed on every hit (cheap, and it
 * checks the token expiry each time). Design notes: docs/HACKING.md.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "hub_internal.h"
#include "session.h"
#include "store_tokens.h"
#include "validate_key.h"
#include "validation_caches.h"
#include "tg_crypto.h"
#include "validation.h"
#include "ttl_cache.h"

#define KEY_CALLERS (ROLE_ADMIN | ROLE_GATEWAY)

typedef struct {
  GPtrArray *token; /* rows of the token query (owner of the strings) */
  TgApi *api;
  ValidationResource *res;
  ValidationFacts f;
} FactsBox;

static void facts_clear(FactsBox *b) {
  g_clear_pointer(&b->token, g_ptr_array_unref);
  g_clear_object(&b->api);
  g_clear_pointer(&b->res, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(FactsBox, facts_clear)

static char **token_row(const FactsBox *b) {
  return b->token && b->token->len ? g_ptr_array_index(b->token, 0) : NULL;
}

/* The API with its resources (no tiers), from the API cache or the database. api_id, when
   known from the token statement, must match: a cached API that was since deleted and
   created again is read anew. */
static gboolean api_load(Hub *hub, MYSQL *conn, const char *context, const char *version,
                         const char *api_id, TgApi **out, GError **error) {
  g_autofree char *key = g_strconcat(context, "\n", version, NULL);
  gint64 now = g_get_real_time();
  TgApi *api = ttl_cache_get(hub->api_cache, key, now);
  if (api != NULL && (api_id == NULL || api->id == g_ascii_strtoll(api_id, NULL, 10))) {
    *out = api;
    return TRUE;
  }
  g_clear_object(&api);
  guint generation = ttl_cache_generation(hub->api_cache);
  GError *local = NULL;
  api = store_api_get_for_validation(conn, context, version, &local);
  if (local) {
    g_propagate_error(error, local);
    return FALSE;
  }
  if (api != NULL)
    ttl_cache_put(hub->api_cache, key, g_object_ref(api), now, G_MAXINT64, generation);
  *out = api;
  return TRUE;
}

static gboolean facts_load(Hub *hub, MYSQL *conn, const char *hash, const char *context,
                           const char *version, FactsBox *b, GError **error) {
  b->token = store_token_facts(conn, context, version, hash, error);
  if (b->token == NULL) return FALSE;
  char **t = token_row(b);
  if (t != NULL && t[TF_API_ID] == NULL) return TRUE; /* no such API */
  return api_load(hub, conn, context, version, t ? t[TF_API_ID] : NULL, &b->api, error);
}

static void facts_fill(FactsBox *b) {
  ValidationFacts *f = &b->f;
  char **t = token_row(b);
  if (t) {
    *f = (ValidationFacts){.token_found = TRUE,
                           .token_state = t[TF_STATE],
                           .issued_ms = g_ascii_strtoll(t[TF_ISSUED], NULL, 10),
                           .validity_s = g_ascii_strtoll(t[TF_VALIDITY], NULL, 10),
                           .key_type = t[TF_KEYTYPE],
                           .end_user = t[TF_USER],
                           .scopes = t[TF_SCOPES],
                           .allowed_domains = t[TF_DOMAINS]};
    if (t[TF_SUB_STATUS] != NULL) {
      f->subscribed = TRUE;
      f->subscription_status = t[TF_SUB_STATUS];
    }
  }
  if (b->api) {
    TgApi *api = b->api;
    f->api_found = TRUE;
    f->api_status = api->status;
    f->production_endpoint = api->productionEndpoint;
    f->sandbox_endpoint = api->sandboxEndpoint;
    b->res = g_new0(ValidationResource, MAX(api->resources->len, 1));
    for (guint i = 0; i < api->resources->len; i++) {
      TgResource *r = g_ptr_array_index(api->resources, i);
      b->res[i] =
          (ValidationResource){r->verb, r->uriTemplate, r->authType, r->throttlingTier, r->scope};
    }
    f->resources = b->res;
    f->n_resources = api->resources->len;
  }
}

/* facts_load on a pooled read connection (on a Galera cluster any healthy node, waiting
   for the writes committed before it). Reads only, so it runs again once after any
   database error: on a connection found lost (MariaDB restarted or killed it) the pool
   checks the others before use; on a cluster the second try reads from the writer
   without the causality wait, which a cluster that is evicting a dead node cannot give
   for a few seconds (the writes the hubs made are on the writer already). */
static gboolean facts_read(Hub *hub, const char *hash, const char *context, const char *version,
                           FactsBox *b, GError **error) {
  for (guint attempt = 0;; attempt++) {
    GError *local = NULL;
    MYSQL *conn = attempt == 0 ? hub_db_acquire_read(hub, hub->cfg.db_apimgt, &local)
                               : hub_db_acquire(hub, hub->cfg.db_apimgt, &local);
    gboolean ok = conn != NULL && facts_load(hub, conn, hash, context, version, b, &local);
    if (conn) hub_db_release(hub, conn);
    if (ok) return TRUE;
    if (attempt > 0 || conn == NULL || local == NULL || local->domain != HUB_DB_ERROR) {
      g_propagate_error(error, local);
      return FALSE;
    }
    g_error_free(local);
    facts_clear(b);
  }
}

static void cache_count(Hub *hub, gboolean hit) {
  TgSeries *s = hit ? hub->cache_hits : hub->cache_misses;
  if (s != NULL) tg_series_add(s, 1);
}

static gint64 token_expiry_us(char **t) {
  gint64 validity = t ? g_ascii_strtoll(t[TF_VALIDITY], NULL, 10) : 0;
  return validity > 0 ? (g_ascii_strtoll(t[TF_ISSUED], NULL, 10) + validity * 1000) * 1000
                      : G_MAXINT64;
}

/* The facts cache's key: one entry per token, context and version. */
static char *facts_key(const char *hash, const char *context, const char *version) {
  return g_strconcat(hash, "\n", context, "\n", version, NULL);
}

/* Facts from the cache, or from the database (then cached). */
static gboolean facts_get(Hub *hub, const char *hash, const char *context, const char *version,
                          FactsBox *b, GError **error) {
  g_autofree char *key = facts_key(hash, context, version);
  gint64 now = g_get_real_time();
  CachedFacts *c = hub->vcache ? ttl_cache_get(hub->vcache, key, now) : NULL;
  if (c == NULL && !hub_db_may_block()) /* deferred to a worker: counted there */
    return g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_WOULD_BLOCK, "cache miss"), FALSE;
  cache_count(hub, c != NULL);
  if (c == NULL) {
    guint generation = hub->vcache ? ttl_cache_generation(hub->vcache) : 0;
    if (!facts_read(hub, hash, context, version, b, error)) return FALSE;
    if (hub->vcache == NULL) return TRUE;
    c = g_atomic_rc_box_new0(CachedFacts);
    c->token = g_ptr_array_ref(b->token);
    c->api = b->api ? g_object_ref(b->api) : NULL;
    ttl_cache_put(hub->vcache, key, c, now, token_expiry_us(token_row(b)), generation);
    return TRUE;
  }
  b->token = g_ptr_array_ref(c->token);
  b->api = c->api ? g_object_ref(c->api) : NULL;
  hub_cached_facts_unref(c);
  return TRUE;
}

/* Generated-struct fields set directly (what g_object_set would do, without a property
   lookup and a GValue per field: this runs on every validation). */
static void dto_str(gchar **field, gboolean *isset, const char *value) {
  g_free(*field);
  *field = g_strdup(value);
  *isset = TRUE;
}
#define DTO_STR(dto, name, value) dto_str(&(dto)->name, &(dto)->__isset_##name, (value))
#define DTO_NUM(dto, name, value) ((dto)->name = (value), (dto)->__isset_##name = TRUE)

static void dto_fill(TgAPIKeyValidationInfoDTO *dto, const FactsBox *b, ValidationDecision d) {
  DTO_NUM(dto, authorized, d.authorized);
  if (!d.authorized) {
    DTO_NUM(dto, validationStatus, d.status);
    return;
  }
  char **t = token_row(b);
  if (t == NULL) /* auth None resource: authorized without a token */
    return;
  gint64 validity = g_ascii_strtoll(t[TF_VALIDITY], NULL, 10);
  DTO_STR(dto, subscriber, t[TF_OWNER]);
  DTO_STR(dto, tier, t[TF_SUB_TIER]);
  DTO_STR(dto, apiTier, b->api->apiTier);
  DTO_STR(dto, type, t[TF_KEYTYPE]);
  DTO_STR(dto, consumerKey, t[TF_CKEY]);
  DTO_STR(dto, applicationId, t[TF_APPID]);
  DTO_STR(dto, applicationName, t[TF_APPNAME]);
  DTO_STR(dto, applicationTier, t[TF_APPTIER]);
  DTO_STR(dto, apiName, b->api->name);
  DTO_STR(dto, apiPublisher, b->api->provider);
  DTO_STR(dto, endUserName, *t[TF_USER] ? t[TF_USER] : t[TF_OWNER]);
  DTO_NUM(dto, issuedTime, g_ascii_strtoll(t[TF_ISSUED], NULL, 10));
  DTO_NUM(dto, validityPeriod, validity > 0 ? validity * 1000 : G_MAXINT64 / 2);
  DTO_NUM(dto, stopOnQuotaReach, g_strcmp0(t[TF_STOP_ON_QUOTA], "0") != 0);
  DTO_NUM(dto, spikeArrestLimit, 0);
  DTO_STR(dto, spikeArrestUnit, "");
  DTO_STR(dto, subscriberTenantDomain, "carbon.super");
  g_auto(GStrv) scopes = g_strsplit(t[TF_SCOPES], " ", 64);
  for (guint i = 0; scopes[i]; i++)
    if (*scopes[i]) g_hash_table_add(dto->scopes, g_strdup(scopes[i]));
  g_auto(GStrv) domains = g_strsplit(t[TF_DOMAINS], ",", 64);
  for (guint i = 0; domains[i]; i++)
    if (*g_strstrip(domains[i])) g_ptr_array_add(dto->authorizedDomains, g_strdup(domains[i]));
  dto->__isset_scopes = dto->__isset_authorizedDomains = dto->__isset_throttlingDataList = TRUE;
}

static void key_mgt_error(TgAPIKeyMgtException **err, const char *msg) {
  *err = g_object_new(TG_TYPE_A_P_I_KEY_MGT_EXCEPTION, "message", msg, NULL);
}

/* Shared body of validateKey and validateKeyforHandshake (resource NULL). */
gboolean hub_validate(Hub *hub, TgAPIKeyValidationInfoDTO *dto, const char *context,
                      const char *version, const char *token, const char *session,
                      const char *client_domain, const char *resource, const char *verb,
                      TgAPIKeyMgtException **err) {
  g_autoptr(GError) local = NULL;
  if (!hub_check_session(hub, session, KEY_CALLERS, NULL, &local)) {
    key_mgt_error(err, local->message);
    return FALSE;
  }
  char hash[TG_SHA256_HEX_LEN + 1];
  tg_sha256_hex(token ? token : "", token ? strlen(token) : 0, hash);
  g_auto(FactsBox) b = {0};
  if (!facts_get(hub, hash, context ? context : "", version ? version : "", &b, &local)) {
    if (hub_db_call_deferred())
      return TRUE; /* the answer is dropped: the call runs again on a worker */
    g_warning("validateKey: %s", local->message);
    key_mgt_error(err, "key manager database unavailable");
    return FALSE;
  }
  facts_fill(&b);
  ValidationDecision d =
      validation_decide(&b.f, resource, verb, client_domain, g_get_real_time() / 1000);
  dto_fill(dto, &b, d);
  return TRUE;
}

/* The DTO of decision d on facts b, encoded. */
static GBytes *dto_encode(const FactsBox *b, ValidationDecision d, HubDtoEncoder encode,
                          gpointer data) {
  g_autoptr(GObject) dto = g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_INFO_D_T_O, NULL);
  dto_fill((TgAPIKeyValidationInfoDTO *)dto, b, d);
  return encode((TgAPIKeyValidationInfoDTO *)dto, data);
}

/* An authorized answer depends on the facts alone (dto_fill): encoded once per entry. Two
   threads may both encode it first; one encoding is kept. */
static GBytes *authorized_dto(CachedFacts *c, const FactsBox *b, ValidationDecision d,
                              HubDtoEncoder encode, gpointer data) {
  GBytes *kept = g_atomic_pointer_get(&c->authorized_dto);
  if (kept != NULL) return g_bytes_ref(kept);
  GBytes *bytes = dto_encode(b, d, encode, data);
  if (bytes == NULL) return NULL;
  if (!g_atomic_pointer_compare_and_exchange(&c->authorized_dto, NULL, bytes)) {
    g_bytes_unref(bytes);
    return g_bytes_ref(g_atomic_pointer_get(&c->authorized_dto));
  }
  return g_bytes_ref(bytes);
}

GBytes *hub_validate_cached(Hub *hub, const char *context, const char *version, const char *token,
                            const char *session, const char *client_domain, const char *resource,
                            const char *verb, HubDtoEncoder encode, gpointer data) {
  if (hub->vcache == NULL || !hub_check_session(hub, session, KEY_CALLERS, NULL, NULL)) return NULL;
  char hash[TG_SHA256_HEX_LEN + 1];
  tg_sha256_hex(token, strlen(token), hash);
  g_autofree char *key = facts_key(hash, context, version);
  gint64 now = g_get_real_time();
  CachedFacts *c = ttl_cache_get(hub->vcache, key, now);
  if (c == NULL) return NULL;
  cache_count(hub, TRUE);
  g_auto(FactsBox)
      b = {.token = g_ptr_array_ref(c->token), .api = c->api ? g_object_ref(c->api) : NULL};
  facts_fill(&b);
  ValidationDecision d = validation_decide(&b.f, resource, verb, client_domain, now / 1000);
  GBytes *bytes = d.authorized && token_row(&b) != NULL ? authorized_dto(c, &b, d, encode, data)
                                                        : dto_encode(&b, d, encode, data);
  hub_cached_facts_unref(c);
  return bytes;
}

gboolean hub_uri_templates(Hub *hub, GPtrArray *out, const char *context, const char *version,
                           const char *session, TgAPIKeyMgtException **err) {
  g_autoptr(GError) local = NULL;
  if (!hub_check_session(hub, session, KEY_CALLERS, NULL, &local)) {
    key_mgt_error(err, local->message);
    return FALSE;
  }
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_apimgt, &local);
  g_autoptr(GObject) api_obj =
      conn ? (GObject *)store_api_get(conn, context, version, &local) : NULL;
  TgApi *api = (TgApi *)api_obj;
  if (conn) hub_db_release(hub, conn);
  if (local) {
    g_warning("getAllURITemplates: %s", local->message);
    key_mgt_error(err, "key manager database unavailable");
    return FALSE;
  }
  for (guint i = 0; api && i < api->resources->len; i++) {
    TgResource *r = g_ptr_array_index(api->resources, i);
    g_ptr_array_add(
        out, g_object_new(TG_TYPE_U_R_I_TEMPLATE, "uriTemplate", r->uriTemplate, "httpVerb",
                          r->verb, "authType", r->authType, "throttlingTier", r->throttlingTier,
                          "resourceURI", api->productionEndpoint, "resourceSandboxURI",
                          api->sandboxEndpoint, "applicableLevel", "apiLevel", NULL));
  }
  return TRUE;
}
