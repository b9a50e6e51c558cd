/*
 * store_apis.c: APIs as stored in apimgtdb (AM_API and its mapping, tier and scope tables),
 * read into the generated TgApi so getApi, the gateway feed and validation share one reader;
 * their writers; the tiers (AM_TIER); the gateway change log (AM_GATEWAY_CHANGE). Trade-off: a
 * write replaces an API's resources and tiers wholesale rather than diffing them (simpler; an
 * API has few). Design notes: docs/HACKING.md.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "store.h"
#include "store_apis.h"
#include "store_apps.h" /* store_api_subject */
#include "store_search.h"

#define API_COLUMNS                                                                                \
  "api_id, name, context, version, provider, status, production_endpoint,"                         \
  " sandbox_endpoint, api_tier, is_default_version, description, updated_at, upstream_tls_verify," \
  " hard_limit"
#define MAX_APIS      100000
#define MAX_RESOURCES 1000
#define MAX_SCOPES    1000

gboolean store_record_change(MYSQL *conn, const char *kind, const char *subject, GError **error) {
  DbParam p[] = {DBP_S(kind), DBP_S(subject ? subject : "")};
  return hub_db_exec(conn, "INSERT INTO AM_GATEWAY_CHANGE (kind, subject) VALUES (?, ?)", p, 2,
                     NULL, NULL, error);
}

gboolean store_record_app_change(MYSQL *conn, const char *kind, const char *subject, gint64 app_id,
                                 GError **error) {
  DbParam p[] = {DBP_S(kind), DBP_S(subject ? subject : ""), DBP_I(app_id)};
  return hub_db_exec(conn,
                     "INSERT INTO AM_GATEWAY_CHANGE (kind, subject, application_id)"
                     " VALUES (?, ?, ?)",
                     p, 3, NULL, NULL, error);
}

static gint64 col_int(const char *s) { return s ? g_ascii_strtoll(s, NULL, 10) : 0; }

static TgApi *api_from_row(char **r) {
  TgApi *api = g_object_new(
      TG_TYPE_API, "id", col_int(r[0]), "name", r[1] ? r[1] : "", "context", r[2], "version", r[3],
      "provider", r[4], "status", r[5], "productionEndpoint", r[6] ? r[6] : "", "sandboxEndpoint",
      r[7] ? r[7] : "", "apiTier", r[8] ? r[8] : "", "isDefaultVersion", col_int(r[9]) != 0,
      "description", r[10] ? r[10] : "", "updatedAt", col_int(r[11]), "upstreamTlsVerify",
      !r[12] || col_int(r[12]) != 0, "hardLimit", r[13] ? r[13] : "", NULL);
  api->__isset_resources = api->__isset_subscriptionTiers = TRUE;
  return api;
}

/* Reads an API's declared scopes (Api.scopes) from AM_API_SCOPE. */
static gboolean api_fill_scopes(MYSQL *conn, TgApi *api, GError **error) {
  DbParam p[] = {DBP_I(api->id)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT name, description, roles"
                                           " FROM AM_API_SCOPE WHERE api_id = ? ORDER BY name",
                                           p, 1, MAX_SCOPES, error);
  if (rows == NULL) return FALSE;
  for (guint i = 0; i < rows->len; i++) {
    char **r = g_ptr_array_index(rows, i);
    TgApiScope *scope =
        g_object_new(TG_TYPE_API_SCOPE, "name", r[0], "description", r[1] ? r[1] : "", NULL);
    g_auto(GStrv) roles = g_strsplit(r[2] ? r[2] : "", " ", -1);
    for (guint j = 0; roles[j]; j++)
      if (*roles[j] != '\0') g_ptr_array_add(scope->roles, g_strdup(roles[j]));
    scope->__isset_roles = TRUE;
    g_ptr_array_add(api->scopes, scope);
  }
  api->__isset_scopes = TRUE;
  return TRUE;
}

/* Writes api's declared scopes (after any old ones were deleted). */
static gboolean api_write_scopes(MYSQL *conn, const TgApi *api, GError **error) {
  for (guint i = 0; api->scopes != NULL && i < api->scopes->len; i++) {
    TgApiScope *scope = g_ptr_array_index(api->scopes, i);
    g_autoptr(GString) roles = g_string_new(NULL);
    for (guint j = 0; j < scope->roles->len; j++)
      g_string_append_printf(roles, "%s%s", j ? " " : "", (char *)scope->roles->pdata[j]);
    DbParam p[] = {DBP_I(api->id), DBP_S(scope->name), DBP_S(scope->description),
                   DBP_S(roles->str)};
    if (!hub_db_exec(conn,
                     "INSERT INTO AM_API_SCOPE (api_id, name, description, roles)"
                     " VALUES (?, ?, ?, ?)",
                     p, 4, NULL, NULL, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean api_delete_scopes(MYSQL *conn, gint64 api_id, GError **error) {
  DbParam p[] = {DBP_I(api_id)};
  return hub_db_exec(conn, "DELETE FROM AM_API_SCOPE WHERE api_id = ?", p, 1, NULL, NULL, error);
}

GHashTable *store_api_scope_declarations(MYSQL *conn, const char *requested, GError **error) {
  g_autoptr(GHashTable) out =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  g_auto(GStrv) names = g_strsplit(requested ? requested : "", " ", -1);
  for (guint i = 0; names[i]; i++) {
    if (*names[i] == '\0' || g_hash_table_contains(out, names[i])) continue;
    DbParam p[] = {DBP_S(names[i])};
    g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                             "SELECT roles FROM AM_API_SCOPE"
                                             " WHERE name = ?",
                                             p, 1, MAX_APIS, error);
    if (rows == NULL) return NULL;
    if (rows->len == 0) continue;
    GPtrArray *lists = g_ptr_array_new_with_free_func(g_free);
    for (guint j = 0; j < rows->len; j++) {
      const char *roles = ((char **)g_ptr_array_index(rows, j))[0];
      g_ptr_array_add(lists, g_strdup(roles ? roles : ""));
    }
    g_hash_table_insert(out, g_strdup(names[i]), lists);
  }
  return g_steal_pointer(&out);
}

/* Reads an API's resources and, with tiers, its subscription tiers. */
static gboolean api_fill(MYSQL *conn, TgApi *api, gboolean tiers_too, GError **error) {
  DbParam p[] = {DBP_I(api->id)};
  g_autoptr(GPtrArray) res = hub_db_query(
      conn,
      "SELECT http_method, url_pattern, auth_scheme, throttling_tier, scope FROM AM_API_URL_MAPPING"
      " WHERE api_id = ? ORDER BY url_mapping_id",
      p, 1, MAX_RESOURCES, error);
  if (res == NULL) return FALSE;
  if (!tiers_too) api->__isset_subscriptionTiers = FALSE;
  for (guint i = 0; i < res->len; i++) {
    char **r = g_ptr_array_index(res, i);
    g_ptr_array_add(api->resources,
                    g_object_new(TG_TYPE_RESOURCE, "verb", r[0], "uriTemplate", r[1], "authType",
                                 r[2], "throttlingTier", r[3], "scope", r[4] ? r[4] : "", NULL));
  }
  if (!tiers_too) return TRUE;
  if (!api_fill_scopes(conn, api, error) || !store_search_fill_tags(conn, api, error)) return FALSE;
  g_autoptr(GPtrArray) tiers = hub_db_query(
      conn, "SELECT tier_name FROM AM_API_SUBSCRIPTION_TIER WHERE api_id = ? ORDER BY tier_name", p,
      1, 100, error);
  if (tiers == NULL) return FALSE;
  for (guint i = 0; i < tiers->len; i++)
    g_ptr_array_add(api->subscriptionTiers, g_strdup(((char **)g_ptr_array_index(tiers, i))[0]));
  return TRUE;
}

static GPtrArray *api_list_full(MYSQL *conn, const char *sql, const DbParam *p, guint n,
                                gboolean tiers_too, GError **error) {
  g_autoptr(GPtrArray) rows = hub_db_query(conn, sql, p, n, MAX_APIS, error);
  if (rows == NULL) return NULL;
  g_autoptr(GPtrArray) apis = g_ptr_array_new_with_free_func(g_object_unref);
  for (guint i = 0; i < rows->len; i++) {
    TgApi *api = api_from_row(g_ptr_array_index(rows, i));
    g_ptr_array_add(apis, api);
    if (!api_fill(conn, api, tiers_too, error)) return NULL;
  }
  return g_steal_pointer(&apis);
}

static GPtrArray *api_list(MYSQL *conn, const char *sql, const DbParam *p, guint n,
                           GError **error) {
  return api_list_full(conn, sql, p, n, TRUE, error);
}

static TgApi *api_get(MYSQL *conn, const char *context, const char *version, gboolean tiers_too,
                      GError **error) {
  DbParam p[] = {DBP_S(context), DBP_S(version)};
  g_autoptr(GPtrArray) apis = api_list_full(conn,
                                            "SELECT " API_COLUMNS
                                            " FROM AM_API"
                                            " WHERE context = ? AND version = ?",
                                            p, 2, tiers_too, error);
  if (apis == NULL || apis->len == 0) return NULL;
  return g_object_ref(g_ptr_array_index(apis, 0));
}

TgApi *store_api_get(MYSQL *conn, const char *context, const char *version, GError **error) {
  return api_get(conn, context, version, TRUE, error);
}

TgApi *store_api_get_for_validation(MYSQL *conn, const char *context, const char *version,
                                    GError **error) {
  return api_get(conn, context, version, FALSE, error);
}

GPtrArray *store_api_list_for_gateways(MYSQL *conn, GError **error) {
  return api_list(conn,
                  "SELECT " API_COLUMNS
                  " FROM AM_API"
                  " WHERE status IN ('PUBLISHED','DEPRECATED','BLOCKED') ORDER BY api_id",
                  NULL, 0, error);
}

GPtrArray *store_api_list(MYSQL *conn, gboolean visible_only, GError **error) {
  if (visible_only)
    return api_list(conn,
                    "SELECT " API_COLUMNS
                    " FROM AM_API"
                    " WHERE status IN ('PUBLISHED','DEPRECATED') ORDER BY api_id",
                    NULL, 0, error);
  return api_list(conn, "SELECT " API_COLUMNS " FROM AM_API ORDER BY api_id", NULL, 0, error);
}

/* ---- writers: each runs inside a transaction its caller opened ---- */

static gint64 now_s(void) { return g_get_real_time() / G_USEC_PER_SEC; }

static gboolean api_changed(MYSQL *conn, const char *context, const char *version, GError **error) {
  g_autofree char *subject = store_api_subject(context, version);
  return store_record_change(conn, "API_CHANGED", subject, error);
}

/* Takes the default-version flag from every other version of api's context (recording each),
   when api is to be the default. Locks the context's rows first, so concurrent writers of one
   context take turns. */
static gboolean api_claim_default(MYSQL *conn, const TgApi *api, GError **error) {
  if (!api->isDefaultVersion) return TRUE;
  DbParam p[] = {DBP_S(api->context), DBP_I(api->id)};
  g_autoptr(GPtrArray) rows = hub_db_query(
      conn,
      "SELECT version, is_default_version FROM AM_API WHERE context = ? AND api_id <> ?"
      " FOR UPDATE",
      p, 2, MAX_APIS, error);
  if (rows == NULL) return FALSE;
  for (guint i = 0; i < rows->len; i++) {
    char **r = g_ptr_array_index(rows, i);
    if (col_int(r[1]) == 0) continue;
    DbParam u[] = {DBP_I(now_s()), DBP_S(api->context), DBP_S(r[0])};
    if (!hub_db_exec(conn,
                     "UPDATE AM_API SET is_default_version = 0, updated_at = ?"
                     " WHERE context = ? AND version = ?",
                     u, 3, NULL, NULL, error) ||
        !api_changed(conn, api->context, r[0], error))
      return FALSE;
  }
  return TRUE;
}

/* Writes api's resources and subscription tiers (after any old ones were deleted). */
static gboolean api_write_children(MYSQL *conn, const TgApi *api, GError **error) {
  for (guint i = 0; i < api->resources->len; i++) {
    TgResource *r = g_ptr_array_index(api->resources, i);
    DbParam p[] = {DBP_I(api->id),     DBP_S(r->verb),           DBP_S(r->uriTemplate),
                   DBP_S(r->authType), DBP_S(r->throttlingTier), DBP_S(r->scope ? r->scope : "")};
    if (!hub_db_exec(conn,
                     "INSERT INTO AM_API_URL_MAPPING (api_id, http_method, url_pattern,"
                     " auth_scheme, throttling_tier, scope) VALUES (?, ?, ?, ?, ?, ?)",
                     p, 6, NULL, NULL, error))
      return FALSE;
  }
  for (guint i = 0; i < api->subscriptionTiers->len; i++) {
    DbParam p[] = {DBP_I(api->id), DBP_S(g_ptr_array_index(api->subscriptionTiers, i))};
    if (!hub_db_exec(conn,
                     "INSERT INTO AM_API_SUBSCRIPTION_TIER (api_id, tier_name)"
                     " VALUES (?, ?)",
                     p, 2, NULL, NULL, error))
      return FALSE;
  }
  return store_search_index_api(conn, api, error); /* tags and search words */
}

static gboolean api_delete_children(MYSQL *conn, gint64 api_id, GError **error) {
  DbParam p[] = {DBP_I(api_id)};
  return hub_db_exec(conn, "DELETE FROM AM_API_URL_MAPPING WHERE api_id = ?", p, 1, NULL, NULL,
                     error) &&
         hub_db_exec(conn, "DELETE FROM AM_API_SUBSCRIPTION_TIER WHERE api_id = ?", p, 1, NULL,
                     NULL, error);
}

static gboolean api_insert_row(MYSQL *conn, TgApi *api, GError **error) {
  guint64 id = 0;
  DbParam p[] = {DBP_S(api->context),
                 DBP_S(api->version),
                 DBP_S(api->name),
                 DBP_S(api->provider),
                 DBP_S(api->description),
                 DBP_S(api->status),
                 DBP_S(api->productionEndpoint),
                 DBP_S(api->sandboxEndpoint),
                 DBP_S(api->apiTier),
                 DBP_I(api->isDefaultVersion ? 1 : 0),
                 DBP_I(api->updatedAt),
                 DBP_I(api->updatedAt),
                 DBP_I(api->upstreamTlsVerify ? 1 : 0),
                 DBP_S(api->hardLimit ? api->hardLimit : "")};
  if (!hub_db_exec(conn,
                   "INSERT INTO AM_API (context, version, name, provider, description,"
                   " status, production_endpoint, sandbox_endpoint, api_tier, is_default_version,"
                   " created_at, updated_at, upstream_tls_verify, hard_limit)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   p, 14, NULL, &id, error))
    return FALSE;
  g_object_set(api, "id", (gint64)id, NULL);
  return TRUE;
}

static gboolean api_insert_txn(MYSQL *conn, gpointer api, GError **error) {
  g_object_set(api, "id", (gint64)0, NULL);
  TgApi *a = api;
  return api_claim_default(conn, a, error) && api_insert_row(conn, a, error) &&
         api_write_children(conn, a, error) && api_write_scopes(conn, a, error) &&
         api_changed(conn, a->context, a->version, error);
}

gboolean store_api_insert(MYSQL *conn, TgApi *api, GError **error) {
  g_object_set(api, "updatedAt", now_s(), NULL);
  return hub_db_transaction(conn, api_insert_txn, api, error);
}

GPtrArray *store_api_neighbours(MYSQL *conn, const char *context, const char *version,
                                gboolean lock, GError **error) {
  g_autofree char *path = g_strconcat(context, "/", version, NULL);
  DbParam p[] = {DBP_S(context), DBP_S(context), DBP_I(g_utf8_strlen(path, -1)), DBP_S(path)};
  g_autofree char *sql = g_strconcat(
      "SELECT api_id, context, version, provider FROM AM_API"
      " WHERE context = ? OR LEFT(?, CHAR_LENGTH(context) + CHAR_LENGTH(version) + 1)"
      " = CONCAT(context, '/', version) OR LEFT(context, ?) = ? ORDER BY api_id",
      lock ? " FOR UPDATE" : "", NULL);
  g_autoptr(GPtrArray) rows = hub_db_query(conn, sql, p, 4, MAX_APIS, error);
  if (rows == NULL) return NULL;
  GPtrArray *apis = g_ptr_array_new_with_free_func(g_object_unref);
  for (guint i = 0; i < rows->len; i++) {
    char **r = g_ptr_array_index(rows, i);
    g_ptr_array_add(apis, g_object_new(TG_TYPE_API, "id", col_int(r[0]), "context", r[1], "version",
                                       r[2], "provider", r[3], NULL));
  }
  return apis;
}

typedef struct {
  TgApi *api;
  StoreApiPlacement placement;
  gpointer data;
} ApiPlacedTxn;

static gboolean api_insert_placed_txn(MYSQL *conn, gpointer data, GError **error) {
  ApiPlacedTxn *t = data;
  g_autoptr(GPtrArray) neighbours =
      store_api_neighbours(conn, t->api->context, t->api->version, TRUE, error);
  return neighbours != NULL && t->placement(t->api, neighbours, t->data, error) &&
         api_insert_txn(conn, t->api, error);
}

gboolean store_api_insert_placed(MYSQL *conn, TgApi *api, StoreApiPlacement placement,
                                 gpointer data, GError **error) {
  ApiPlacedTxn t = {api, placement, data};
  g_object_set(api, "updatedAt", now_s(), NULL);
  return hub_db_transaction(conn, api_insert_placed_txn, &t, error);
}

/* Locks API id for the rest of the transaction; *found says whether it exists. */
static gboolean api_lock(MYSQL *conn, gint64 id, gboolean *found, GError **error) {
  DbParam p[] = {DBP_I(id)};
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn, "SELECT 1 FROM AM_API WHERE api_id = ? FOR UPDATE", p, 1, 1, error);
  if (rows == NULL) return FALSE;
  *found = rows->len > 0;
  return TRUE;
}

static gboolean api_update_row(MYSQL *conn, const TgApi *api, GError **error) {
  DbParam p[] = {DBP_S(api->name),
                 DBP_S(api->provider),
                 DBP_S(api->description),
                 DBP_S(api->productionEndpoint),
                 DBP_S(api->sandboxEndpoint),
                 DBP_S(api->apiTier),
                 DBP_I(api->isDefaultVersion ? 1 : 0),
                 DBP_I(api->updatedAt),
                 DBP_I(api->upstreamTlsVerify ? 1 : 0),
                 DBP_S(api->hardLimit ? api->hardLimit : ""),
                 DBP_I(api->id)};
  return hub_db_exec(conn,
                     "UPDATE AM_API SET name = ?, provider = ?, description = ?,"
                     " production_endpoint = ?, sandbox_endpoint = ?, api_tier = ?,"
                     " is_default_version = ?, updated_at = ?, upstream_tls_verify = ?,"
                     " hard_limit = ? WHERE api_id = ?",
                     p, 11, NULL, NULL, error);
}

typedef struct {
  TgApi *api;
  StoreApiGuard guard;
} ApiUpdateTxn;

static gboolean api_update_txn(MYSQL *conn, gpointer data, GError **error) {
  ApiUpdateTxn *t = data;
  TgApi *a = t->api;
  gboolean found = FALSE;
  return api_lock(conn, a->id, &found, error) && found &&
         (t->guard == NULL || t->guard(conn, a, error)) && api_claim_default(conn, a, error) &&
         api_update_row(conn, a, error) && api_delete_children(conn, a->id, error) &&
         api_write_children(conn, a, error) && api_delete_scopes(conn, a->id, error) &&
         api_write_scopes(conn, a, error) && api_changed(conn, a->context, a->version, error);
}

gboolean store_api_update(MYSQL *conn, TgApi *api, StoreApiGuard guard, GError **error) {
  ApiUpdateTxn t = {api, guard};
  g_object_set(api, "updatedAt", now_s(), NULL);
  return hub_db_transaction(conn, api_update_txn, &t, error);
}

typedef struct {
  const TgApi *api;
  const char *status;
} ApiStatusTxn;

static gboolean api_set_status_txn(MYSQL *conn, gpointer data, GError **error) {
  const ApiStatusTxn *t = data;
  guint64 changed = 0;
  DbParam p[] = {DBP_S(t->status), DBP_I(now_s()), DBP_I(t->api->id), DBP_S(t->api->status)};
  return hub_db_exec(conn,
                     "UPDATE AM_API SET status = ?, updated_at = ?"
                     " WHERE api_id = ? AND status = ?",
                     p, 4, &changed, NULL, error) &&
         changed > 0 && api_changed(conn, t->api->context, t->api->version, error);
}

gboolean store_api_set_status(MYSQL *conn, const TgApi *api, const char *status, GError **error) {
  ApiStatusTxn t = {api, status};
  return hub_db_transaction(conn, api_set_status_txn, &t, error);
}

/* *n: the subscriptions of API id. */
static gboolean api_count_subscriptions(MYSQL *conn, gint64 id, gint64 *n, GError **error) {
  DbParam p[] = {DBP_I(id)};
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn, "SELECT COUNT(*) FROM AM_SUBSCRIPTION WHERE api_id = ?", p, 1, 1, error);
  if (rows == NULL) return FALSE;
  *n = rows->len ? col_int(((char **)g_ptr_array_index(rows, 0))[0]) : 0;
  return TRUE;
}

typedef struct {
  const TgApi *api;
  gint64 *subscriptions;
} ApiDeleteTxn;

static gboolean api_delete_txn(MYSQL *conn, gpointer data, GError **error) {
  const ApiDeleteTxn *t = data;
  const TgApi *api = t->api;
  gboolean found = FALSE;
  DbParam p[] = {DBP_I(api->id)};
  *t->subscriptions = 0;
  /* the row lock makes a concurrent subscribe wait, then fail on its foreign key */
  return api_lock(conn, api->id, &found, error) && found &&
         api_count_subscriptions(conn, api->id, t->subscriptions, error) &&
         *t->subscriptions == 0 && api_delete_children(conn, api->id, error) &&
         api_delete_scopes(conn, api->id, error) &&
         hub_db_exec(conn, "DELETE FROM AM_API WHERE api_id = ?", p, 1, NULL, NULL, error) &&
         api_changed(conn, api->context, api->version, error);
}

gboolean store_api_delete(MYSQL *conn, const TgApi *api, gint64 *subscriptions, GError **error) {
  ApiDeleteTxn t = {api, subscriptions};
  return hub_db_transaction(conn, api_delete_txn, &t, error);
}

/* ---- tiers ---- */

GPtrArray *store_tier_list(MYSQL *conn, GError **error) {
  g_autoptr(GPtrArray) rows = hub_db_query(
      conn,
      "SELECT name, level, request_count, unit_time_s, description, stop_on_quota, bytes_count,"
      " burst_count, burst_unit_s, sliding, fail_mode, requires_approval FROM AM_TIER"
      " ORDER BY level, request_count DESC, name",
      NULL, 0, MAX_APIS, error);
  if (rows == NULL) return NULL;
  GPtrArray *tiers = g_ptr_array_new_with_free_func(g_object_unref);
  for (guint i = 0; i < rows->len; i++) {
    char **r = g_ptr_array_index(rows, i);
    g_ptr_array_add(
        tiers,
        g_object_new(TG_TYPE_TIER, "name", r[0], "level", r[1], "requestCount", col_int(r[2]),
                     "unitTime", col_int(r[3]), "description", r[4] ? r[4] : "", "stopOnQuotaReach",
                     col_int(r[5]) != 0, "bytesCount", col_int(r[6]), "burstCount", col_int(r[7]),
                     "burstUnitTime", col_int(r[8]), "sliding", col_int(r[9]) != 0, "failMode",
                     r[10] ? r[10] : "static", "requiresApproval", col_int(r[11]) != 0, NULL));
  }
  return tiers;
}

gboolean store_tier_exists(MYSQL *conn, const char *name, const char *const *levels, gboolean lock,
                           gboolean *exists, GError **error) {
  DbParam p[] = {DBP_S(name)};
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn,
                   lock ? "SELECT level FROM AM_TIER WHERE name = ? LOCK IN SHARE MODE"
                        : "SELECT level FROM AM_TIER WHERE name = ?",
                   p, 1, 16, error);
  if (rows == NULL) return FALSE;
  *exists = FALSE;
  for (guint i = 0; i < rows->len && !*exists; i++)
    *exists = g_strv_contains(levels, ((char **)g_ptr_array_index(rows, i))[0]);
  return TRUE;
}
