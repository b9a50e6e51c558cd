/*
 * mgmt_apis.c: the rules of the API and tier methods (mgmt_apis.h): what a valid
 * API is, the lifecycle, who may see and change what, where a context may sit.
 * Pure, so tests/unit/test_mgmt_apis.c runs them without a database; the methods
 * themselves are in api_methods.c.
 */
#include "config.h"

#include <string.h>

#include "api_query.h" /* api_tag_normalize */
#include "mgmt_apis.h"
#include "store_search.h" /* API_MAX_TAGS */
#include "tg_http_syntax.h"
#include "tg_lifecycle.h"
#include "tg_uri_template.h"
#include "tg_throttle.h"
#include "tier_refs.h"

/* The canonical spelling of text among names (case-insensitive), or NULL. */
static const char *canonical(const char *const *names, const char *text) {
  for (guint i = 0; text != NULL && names[i]; i++)
    if (g_ascii_strcasecmp(names[i], text) == 0) return names[i];
  return NULL;
}

/* TRUE when s holds whitespace, a control character or a byte of extra (may be NULL). */
static gboolean has_blank_or(const char *s, const char *extra) {
  for (const guchar *p = (const guchar *)s; *p; p++)
    if (g_ascii_isspace(*p) || *p < 0x20 || *p == 0x7f || (extra && strchr(extra, *p))) return TRUE;
  return FALSE;
}

/* Optional UTF-8 text of at most max bytes (any characters: it is data). */
static gboolean text_ok(const char *what, const char *s, gsize max, GError **error) {
  if (s != NULL && (strlen(s) > max || !g_utf8_validate(s, -1, NULL)))
    return mgmt_refuse(error, 400, "%s must be UTF-8 text of at most %" G_GSIZE_FORMAT " bytes",
                       what, max);
  return TRUE;
}

gboolean mgmt_api_context_valid(const char *context, GError **error) {
  if (context == NULL || *context == '\0')
    return mgmt_refuse(error, 400, "context is required (e.g. /pizza)");
  if (context[0] != '/')
    return mgmt_refuse(error, 400, "context must start with '/' (e.g. /pizza)");
  if (!text_ok("context", context, API_MAX_CONTEXT, error)) return FALSE;
  if (has_blank_or(context, "?#"))
    return mgmt_refuse(error, 400,
                       "context must not contain spaces, control characters, '?' or '#'");
  if (strstr(context, "//") != NULL || g_str_has_suffix(context, "/"))
    return mgmt_refuse(error, 400, "context must not have an empty segment or end with '/'");
  return TRUE;
}

gboolean mgmt_api_version_valid(const char *version, GError **error) {
  if (version == NULL || *version == '\0')
    return mgmt_refuse(error, 400, "version is required (e.g. 1.0.0)");
  if (!text_ok("version", version, API_MAX_VERSION, error)) return FALSE;
  if (has_blank_or(version, "/:?#"))
    return mgmt_refuse(error, 400,
                       "version must not contain spaces, control characters, '/', ':',"
                       " '?' or '#'");
  return TRUE;
}

const char *mgmt_api_status_parse(const char *status, GError **error) {
  const char *s = tg_lifecycle_state(status);
  if (s == NULL)
    mgmt_refuse(error, 400, "status must be CREATED, PUBLISHED, DEPRECATED, RETIRED or BLOCKED");
  return s;
}

/* The moves themselves are common/tg_lifecycle.c's table; this adds the hub's refusals. */
gboolean mgmt_api_transition(const char *from, const char *to, gboolean *noop, GError **error) {
  *noop = g_strcmp0(from, to) == 0;
  if (from == NULL || !g_strv_contains(tg_lifecycle_states(), from))
    return mgmt_refuse(error, 409, "the API is in an unknown state %s", from ? from : "(none)");
  if (*noop || tg_lifecycle_allowed(from, to)) return TRUE;
  const char *const *next = tg_lifecycle_next(from);
  if (next[0] == NULL) return mgmt_refuse(error, 409, "a %s API cannot change state", from);
  g_autofree char *allowed = g_strjoinv(" or ", (char **)next);
  return mgmt_refuse(error, 409, "a %s API cannot become %s (only %s)", from, to, allowed);
}

/* ---- checking an API ---- */

static gboolean endpoint_ok(const char *url) {
  if (strlen(url) > API_MAX_URL || has_blank_or(url, NULL)) return FALSE;
  g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme(uri) : NULL;
  const char *host = uri ? g_uri_get_host(uri) : NULL;
  return host != NULL && *host != '\0' && scheme != NULL &&
         (g_ascii_strcasecmp(scheme, "http") == 0 || g_ascii_strcasecmp(scheme, "https") == 0);
}

/* Sets the string property to fallback when it is NULL or "". */
static void default_string(gpointer obj, const char *prop, const char *value,
                           const char *fallback) {
  if (value == NULL || *value == '\0') g_object_set(obj, prop, fallback, NULL);
}

static gboolean endpoints_check(TgApi *api, GError **error) {
  default_string(api, "productionEndpoint", api->productionEndpoint, "");
  default_string(api, "sandboxEndpoint", api->sandboxEndpoint, "");
  if (*api->productionEndpoint == '\0' && *api->sandboxEndpoint == '\0')
    return mgmt_refuse(error, 400, "a production or a sandbox endpoint is required");
  if (*api->productionEndpoint != '\0' && !endpoint_ok(api->productionEndpoint))
    return mgmt_refuse(error, 400,
                       "productionEndpoint must be an http(s) URL with a host, at most"
                       " %d bytes",
                       API_MAX_URL);
  if (*api->sandboxEndpoint != '\0' && !endpoint_ok(api->sandboxEndpoint))
    return mgmt_refuse(error, 400,
                       "sandboxEndpoint must be an http(s) URL with a host, at most"
                       " %d bytes",
                       API_MAX_URL);
  return TRUE;
}

static const char *const verbs[] = {"GET",   "POST", "PUT",     "DELETE",
                                    "PATCH", "HEAD", "OPTIONS", NULL};
static const char *const auth_types[] = {"Any", "Application", "Application_User", "None", NULL};

#define API_MAX_VERB 31 /* the gateway keeps methods of at most 31 bytes */

/* An extension method (PURGE, PROPFIND...): an RFC 9110 token, stored in upper case
   (the gateway matches verbs in any case). NULL when verb is none. */
static char *extension_verb(const char *verb) {
  gsize n = verb ? strlen(verb) : 0;
  if (n == 0 || n > API_MAX_VERB || !strcmp(verb, "*") || !g_ascii_strcasecmp(verb, "ANY"))
    return NULL; /* "ANY" and "*" mean every RFC 9110 method to the matcher: not stored */
  if (!tg_http_token(verb, n)) return NULL;
  return g_ascii_strup(verb, -1);
}

/* Checks resource i, puts it in stored form and parses its template into *t (over the
   resource's own string: valid while r is unchanged). */
static gboolean resource_check(TgResource *r, guint i, TgUriTemplate *t, GError **error) {
  g_autofree char *extension = NULL;
  const char *verb = canonical(verbs, r->verb);
  if (verb == NULL) verb = extension = extension_verb(r->verb);
  if (verb == NULL)
    return mgmt_refuse(error, 400,
                       "resource %u: verb must be GET, POST, PUT, DELETE, PATCH, HEAD,"
                       " OPTIONS or another RFC 9110 method token of at most %d bytes",
                       i + 1, API_MAX_VERB);
  const char *tpl = r->uriTemplate;
  if (tpl == NULL || tpl[0] != '/' || strlen(tpl) > API_MAX_TEMPLATE ||
      !g_utf8_validate(tpl, -1, NULL) || has_blank_or(tpl, "#"))
    return mgmt_refuse(error, 400,
                       "resource %u: uriTemplate must start with '/', at most %d bytes"
                       " without spaces (e.g. /items/{id})",
                       i + 1, API_MAX_TEMPLATE);
  g_autoptr(GError) why = NULL;
  if (!tg_uri_template_parse(t, tpl, &why))
    return mgmt_refuse(error, 400, "resource %u: %s", i + 1, why->message);
  const char *auth =
      r->authType && *r->authType ? canonical(auth_types, r->authType) : API_DEFAULT_AUTH_TYPE;
  if (auth == NULL)
    return mgmt_refuse(error, 400,
                       "resource %u: authType must be Any, Application, Application_User"
                       " or None",
                       i + 1);
  g_object_set(r, "verb", verb, "authType", auth, NULL);
  default_string(r, "throttlingTier", r->throttlingTier, API_DEFAULT_TIER);
  default_string(r, "scope", r->scope, "");
  g_autofree char *field = g_strdup_printf("resources[%u].throttlingTier", i);
  if (!tier_ref_name_ok(field, r->throttlingTier, error)) return FALSE;
  if (strlen(r->scope) > API_MAX_SCOPE || has_blank_or(r->scope, NULL))
    return mgmt_refuse(error, 400, "resource %u: scope is one word of at most %d bytes", i + 1,
                       API_MAX_SCOPE);
  return TRUE;
}

static gboolean resources_check(TgApi *api, GError **error) {
  GPtrArray *res = api->resources;
  if (res->len == 0)
    return mgmt_refuse(error, 400, "an API needs at least one resource (verb and URI template)");
  if (res->len > API_MAX_RESOURCES)
    return mgmt_refuse(error, 400, "an API has at most %d resources", API_MAX_RESOURCES);
  g_autofree TgUriTemplate *t = g_new(TgUriTemplate, res->len);
  for (guint i = 0; i < res->len; i++) {
    TgResource *r = g_ptr_array_index(res, i);
    if (!resource_check(r, i, &t[i], error)) return FALSE;
    /* Two templates of one verb that match the same paths: which one serves would be up to
       the order's last tie-break, not to the publisher. */
    for (guint j = 0; j < i; j++) {
      TgResource *o = g_ptr_array_index(res, j);
      if (strcmp(o->verb, r->verb) != 0 || !tg_uri_template_equivalent(&t[j], &t[i])) continue;
      if (strcmp(o->uriTemplate, r->uriTemplate) == 0)
        return mgmt_refuse(error, 400, "resource %s %s is listed twice", r->verb, r->uriTemplate);
      return mgmt_refuse(error, 400, "resources %s %s and %s %s match the same paths", o->verb,
                         o->uriTemplate, r->verb, r->uriTemplate);
    }
  }
  api->__isset_resources = TRUE;
  return TRUE;
}

/* Drops duplicate subscription tiers (first kept) and checks the names. */
static gboolean sub_tiers_check(TgApi *api, GError **error) {
  GPtrArray *tiers = api->subscriptionTiers;
  for (guint i = 0, sent = 0; i < tiers->len; i++, sent++) {
    const char *tier = g_ptr_array_index(tiers, i);
    g_autofree char *field = g_strdup_printf("subscriptionTiers[%u]", sent);
    if (!tier_ref_name_ok(field, tier, error)) return FALSE;
    for (guint j = 0; j < i; j++)
      if (strcmp(g_ptr_array_index(tiers, j), g_ptr_array_index(tiers, i)) == 0) {
        g_ptr_array_remove_index(tiers, i--);
        break;
      }
  }
  if (tiers->len > API_MAX_TIERS)
    return mgmt_refuse(error, 400, "an API offers at most %d subscription tiers", API_MAX_TIERS);
  api->__isset_subscriptionTiers = TRUE;
  return TRUE;
}

static const char *const scope_roles[] = {"admin", "publisher", "subscriber", "gateway", NULL};

/* Checks declared scope i and puts it in stored form (roles canonical, no duplicates). */
static gboolean scope_check(TgApiScope *scope, guint i, GError **error) {
  const char *name = scope->name;
  if (name == NULL || *name == '\0' || strlen(name) > API_MAX_SCOPE ||
      strspn(name, API_SCOPE_CHARS) != strlen(name))
    return mgmt_refuse(error, 400,
                       "scope %u: the name is one OAuth2 scope token of at most %d"
                       " bytes (printable ASCII but space, '\"' and '\\')",
                       i + 1, API_MAX_SCOPE);
  default_string(scope, "description", scope->description, "");
  if (!text_ok("scope description", scope->description, API_MAX_SCOPE_DESCRIPTION, error))
    return FALSE;
  GPtrArray *roles = scope->roles;
  for (guint j = 0; j < roles->len; j++) {
    const char *role = canonical(scope_roles, g_ptr_array_index(roles, j));
    if (role == NULL)
      return mgmt_refuse(error, 400,
                         "scope %s: roles are admin, publisher, subscriber or"
                         " gateway",
                         name);
    g_free(g_ptr_array_index(roles, j));
    roles->pdata[j] = g_strdup(role);
    for (guint k = 0; k < j; k++)
      if (strcmp(g_ptr_array_index(roles, k), role) == 0) {
        g_ptr_array_remove_index(roles, j--);
        break;
      }
  }
  scope->__isset_roles = TRUE;
  return TRUE;
}

static gboolean scopes_check(TgApi *api, GError **error) {
  GPtrArray *scopes = api->scopes;
  if (scopes->len > API_MAX_SCOPES)
    return mgmt_refuse(error, 400, "an API declares at most %d scopes", API_MAX_SCOPES);
  for (guint i = 0; i < scopes->len; i++) {
    TgApiScope *scope = g_ptr_array_index(scopes, i);
    if (!scope_check(scope, i, error)) return FALSE;
    for (guint j = 0; j < i; j++)
      if (strcmp(((TgApiScope *)g_ptr_array_index(scopes, j))->name, scope->name) == 0)
        return mgmt_refuse(error, 400, "scope %s is declared twice", scope->name);
  }
  api->__isset_scopes = TRUE;
  return TRUE;
}

/* Api.tags: at most API_MAX_TAGS, each api_tag_normalize'd (lower case), duplicates dropped. */
static gboolean tags_check(TgApi *api, GError **error) {
  if (!api->__isset_tags || api->tags == NULL) return TRUE;
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < api->tags->len; i++) {
    g_autoptr(GError) local = NULL;
    char *tag = api_tag_normalize(g_ptr_array_index(api->tags, i), &local);
    if (tag == NULL) return mgmt_refuse(error, 400, "tags: %s", local->message);
    if (g_ptr_array_find_with_equal_func(tags, tag, g_str_equal, NULL))
      g_free(tag);
    else
      g_ptr_array_add(tags, tag);
  }
  if (tags->len > API_MAX_TAGS) return mgmt_refuse(error, 400, "tags: at most %d", API_MAX_TAGS);
  g_ptr_array_set_size(api->tags, 0);
  for (guint i = 0; i < tags->len; i++)
    g_ptr_array_add(api->tags, g_strdup(g_ptr_array_index(tags, i)));
  return TRUE;
}

gboolean mgmt_api_check(TgApi *api, GError **error) {
  if (!mgmt_name_valid("name", api->name, API_MAX_NAME, error) ||
      !mgmt_api_context_valid(api->context, error) ||
      !mgmt_api_version_valid(api->version, error) ||
      !text_ok("description", api->description, API_MAX_DESCRIPTION, error) ||
      !endpoints_check(api, error) || !resources_check(api, error))
    return FALSE;
  default_string(api, "apiTier", api->apiTier, API_DEFAULT_TIER);
  default_string(api, "description", api->description, "");
  default_string(api, "hardLimit", api->hardLimit, "");
  if (!tier_ref_name_ok("apiTier", api->apiTier, error) || !scopes_check(api, error)) return FALSE;
  gint64 count = 0, unit = 0;
  if (*api->hardLimit && !tg_rate_parse(api->hardLimit, &count, &unit))
    return mgmt_refuse(error, 400, "hardLimit is N/second or N/minute");
  return sub_tiers_check(api, error) && tags_check(api, error);
}

/* ---- copies, merges, visibility ---- */

static void tags_replace(TgApi *dst, const GPtrArray *src) {
  if (src == dst->tags) return;
  g_ptr_array_set_size(dst->tags, 0);
  for (guint i = 0; src != NULL && i < src->len; i++)
    g_ptr_array_add(dst->tags, g_strdup(g_ptr_array_index(src, i)));
  dst->__isset_tags = TRUE;
}

static TgResource *resource_copy(const TgResource *r) {
  return g_object_new(TG_TYPE_RESOURCE, "verb", r->verb, "uriTemplate", r->uriTemplate, "authType",
                      r->authType, "throttlingTier", r->throttlingTier, "scope", r->scope, NULL);
}

static void resources_replace(TgApi *dst, const GPtrArray *src) {
  g_ptr_array_set_size(dst->resources, 0);
  for (guint i = 0; src != NULL && i < src->len; i++)
    g_ptr_array_add(dst->resources, resource_copy(g_ptr_array_index(src, i)));
  dst->__isset_resources = TRUE;
}

static TgApiScope *scope_copy(const TgApiScope *s) {
  TgApiScope *c =
      g_object_new(TG_TYPE_API_SCOPE, "name", s->name, "description", s->description, NULL);
  for (guint i = 0; s->roles != NULL && i < s->roles->len; i++)
    g_ptr_array_add(c->roles, g_strdup(g_ptr_array_index(s->roles, i)));
  c->__isset_roles = TRUE;
  return c;
}

static void scopes_replace(TgApi *dst, const GPtrArray *src) {
  g_ptr_array_set_size(dst->scopes, 0);
  for (guint i = 0; src != NULL && i < src->len; i++)
    g_ptr_array_add(dst->scopes, scope_copy(g_ptr_array_index(src, i)));
  dst->__isset_scopes = TRUE;
}

static void tiers_replace(TgApi *dst, const GPtrArray *src) {
  g_ptr_array_set_size(dst->subscriptionTiers, 0);
  for (guint i = 0; src != NULL && i < src->len; i++)
    g_ptr_array_add(dst->subscriptionTiers, g_strdup(g_ptr_array_index(src, i)));
  dst->__isset_subscriptionTiers = TRUE;
}

TgApi *mgmt_api_copy(const TgApi *src) {
  TgApi *api = g_object_new(
      TG_TYPE_API, "id", src->id, "name", src->name, "context", src->context, "version",
      src->version, "provider", src->provider, "status", src->status, "productionEndpoint",
      src->productionEndpoint, "sandboxEndpoint", src->sandboxEndpoint, "apiTier", src->apiTier,
      "isDefaultVersion", src->isDefaultVersion, "description", src->description, "updatedAt",
      src->updatedAt, "upstreamTlsVerify", src->upstreamTlsVerify, NULL);
  if (src->hardLimit != NULL) g_object_set(api, "hardLimit", src->hardLimit, NULL);
  resources_replace(api, src->resources);
  tiers_replace(api, src->subscriptionTiers);
  scopes_replace(api, src->scopes);
  if (src->__isset_tags) tags_replace(api, src->tags);
  return api;
}

TgApi *mgmt_api_for_create(const TgApi *request) {
  TgApi *api = mgmt_api_copy(request);
  g_object_set(api, "id", (gint64)0, "status", API_STATUS_CREATED, NULL);
  if (!request->__isset_sandboxEndpoint)
    g_object_set(api, "sandboxEndpoint", request->productionEndpoint, NULL);
  return api;
}

/* 400 when change sets field to something other than stored's value. */
static gboolean unchanged(const char *field, gboolean isset, const char *stored, const char *change,
                          GError **error) {
  if (!isset || change == NULL || *change == '\0' || g_strcmp0(stored, change) == 0) return TRUE;
  return mgmt_refuse(error, 400, "%s cannot be changed by updateApi%s", field,
                     g_str_equal(field, "status") ? ": use setApiLifecycle" : "");
}

gboolean mgmt_api_merge(TgApi *stored, const TgApi *change, GError **error) {
  if (!unchanged("context", change->__isset_context, stored->context, change->context, error) ||
      !unchanged("version", change->__isset_version, stored->version, change->version, error) ||
      !unchanged("provider", change->__isset_provider, stored->provider, change->provider, error) ||
      !unchanged("status", change->__isset_status, stored->status, change->status, error))
    return FALSE;
  static const char *const strings[] = {
      "name", "productionEndpoint", "sandboxEndpoint", "apiTier", "description", "hardLimit", NULL};
  const gboolean isset[] = {
      change->__isset_name,    change->__isset_productionEndpoint, change->__isset_sandboxEndpoint,
      change->__isset_apiTier, change->__isset_description,        change->__isset_hardLimit};
  for (guint i = 0; strings[i]; i++) {
    g_autofree char *value = NULL;
    if (!isset[i]) continue;
    g_object_get((gpointer)change, strings[i], &value, NULL);
    g_object_set(stored, strings[i], value, NULL);
  }
  if (change->__isset_isDefaultVersion)
    g_object_set(stored, "isDefaultVersion", change->isDefaultVersion, NULL);
  if (change->__isset_upstreamTlsVerify)
    g_object_set(stored, "upstreamTlsVerify", change->upstreamTlsVerify, NULL);
  if (change->__isset_resources) resources_replace(stored, change->resources);
  if (change->__isset_subscriptionTiers) tiers_replace(stored, change->subscriptionTiers);
  if (change->__isset_scopes) scopes_replace(stored, change->scopes);
  if (change->__isset_tags) tags_replace(stored, change->tags);
  return TRUE;
}

TgApi *mgmt_api_new_version(const TgApi *src, const char *new_version) {
  TgApi *api = mgmt_api_copy(src);
  g_object_set(api, "id", (gint64)0, "version", new_version, "status", API_STATUS_CREATED,
               "isDefaultVersion", FALSE, NULL);
  return api;
}

gboolean mgmt_api_visible(const char *status, gboolean manager) {
  return manager || g_strcmp0(status, "PUBLISHED") == 0 || g_strcmp0(status, "DEPRECATED") == 0;
}

gboolean mgmt_api_may_change(const char *caller, gboolean admin, const char *provider,
                             GError **error) {
  if (admin || g_strcmp0(caller, provider) == 0) return TRUE;
  return mgmt_refuse(error, 403, "only an admin or the API's provider (%s) may change it",
                     provider ? provider : "none");
}

/* ---- who owns a context, which paths overlap ---- */

gboolean mgmt_api_shadows(const char *context, const char *version, const char *other_context) {
  gsize cl = strlen(context), vl = strlen(version), ol = strlen(other_context);
  if (ol < cl + 1 + vl || strncmp(other_context, context, cl) != 0 || other_context[cl] != '/' ||
      strncmp(other_context + cl + 1, version, vl) != 0)
    return FALSE;
  return other_context[cl + 1 + vl] == '\0' || other_context[cl + 1 + vl] == '/';
}

const char *mgmt_api_context_owner(const char *context, const GPtrArray *neighbours) {
  for (guint i = 0; neighbours != NULL && i < neighbours->len; i++) {
    const TgApi *n = g_ptr_array_index(neighbours, i);
    if (strcmp(n->context, context) == 0) return n->provider;
  }
  return NULL;
}

gboolean mgmt_api_placement_check(const TgApi *api, const GPtrArray *neighbours, const char *caller,
                                  gboolean admin, GError **error) {
  const char *owner = mgmt_api_context_owner(api->context, neighbours);
  if (owner != NULL && !admin && g_strcmp0(owner, caller) != 0)
    return mgmt_refuse(error, 403,
                       "context %s belongs to %s: only they or an admin may add"
                       " versions to it",
                       api->context, owner);
  for (guint i = 0; neighbours != NULL && i < neighbours->len; i++) {
    const TgApi *n = g_ptr_array_index(neighbours, i);
    if (mgmt_api_shadows(n->context, n->version, api->context))
      return mgmt_refuse(error, 409, "context %s overlaps API %s:%s (its URLs start %s/%s)",
                         api->context, n->context, n->version, n->context, n->version);
    if (mgmt_api_shadows(api->context, api->version, n->context))
      return mgmt_refuse(error, 409, "API %s:%s would overlap the context %s of API %s:%s",
                         api->context, api->version, n->context, n->context, n->version);
  }
  return TRUE;
}
