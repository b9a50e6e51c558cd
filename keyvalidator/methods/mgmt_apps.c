/*
 * mgmt_apps.c: the rules of the application and subscription methods
 * (mgmt_apps.h): what a valid application is, which APIs and tiers a subscription
 * may name. Pure, so tests/unit/test_mgmt_apps.c runs them without a database;
 * the methods themselves are in app_methods.c.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "mgmt_apps.h"
#include "tier_refs.h"

static gboolean domain_ok(const char *d) {
  if (d == NULL || *d == '\0' || strlen(d) > MGMT_MAX_DOMAIN || !g_utf8_validate(d, -1, NULL))
    return FALSE;
  for (const guchar *p = (const guchar *)d; *p; p++)
    if (*p <= 0x20 || *p == 0x7f || *p == ',') return FALSE;
  return TRUE;
}

static gboolean domains_check(GPtrArray *domains, GError **error) {
  for (guint i = 0; i < domains->len; i++)
    if (!domain_ok(g_ptr_array_index(domains, i)))
      return mgmt_refuse(error, 400,
                         "allowedDomains: each entry must be a domain name (or ALL) of"
                         " at most %d bytes without spaces or commas",
                         MGMT_MAX_DOMAIN);
  g_autofree char *joined = app_domains_join(domains);
  if (strlen(joined) > MGMT_MAX_URL)
    return mgmt_refuse(error, 400, "allowedDomains: at most %d bytes in all", MGMT_MAX_URL);
  if (domains->len == 0) g_ptr_array_add(domains, g_strdup(APP_DOMAINS_ALL));
  return TRUE;
}

static gboolean callback_ok(const char *url) {
  if (url == NULL || *url == '\0') return TRUE;
  return mgmt_text_ok(url, MGMT_MAX_URL, FALSE) && g_uri_is_valid(url, G_URI_FLAGS_NONE, NULL);
}

gboolean mgmt_app_check(TgApplication *app, GError **error) {
  if (!mgmt_name_valid("application name", app->name, MGMT_MAX_NAME, error)) return FALSE;
  if (app->tier == NULL || *app->tier == '\0')
    g_object_set(app, "tier", MGMT_DEFAULT_APP_TIER, NULL);
  else if (!tier_ref_name_ok("tier", app->tier, error))
    return FALSE;
  if (!callback_ok(app->callbackUrl))
    return mgmt_refuse(error, 400, "callbackUrl must be an absolute URL of at most %d bytes",
                       MGMT_MAX_URL);
  if (app->description != NULL && !mgmt_text_ok(app->description, MGMT_MAX_DESCRIPTION, TRUE))
    return mgmt_refuse(error, 400, "description must be UTF-8 text of at most %d bytes",
                       MGMT_MAX_DESCRIPTION);
  app->__isset_allowedDomains = TRUE;
  return domains_check(app->allowedDomains, error);
}

static void copy_strings(GPtrArray *dst, const GPtrArray *src) {
  g_ptr_array_set_size(dst, 0);
  for (guint i = 0; src != NULL && i < src->len; i++)
    g_ptr_array_add(dst, g_strdup(g_ptr_array_index(src, i)));
}

gboolean mgmt_app_merge(TgApplication *stored, const TgApplication *change, GError **error) {
  if (change->__isset_owner && change->owner != NULL && *change->owner != '\0' &&
      g_strcmp0(change->owner, stored->owner) != 0)
    return mgmt_refuse(error, 400, "the owner of an application cannot be changed");
  if (change->__isset_name && change->name != NULL && *change->name != '\0')
    g_object_set(stored, "name", change->name, NULL);
  if (change->__isset_tier) g_object_set(stored, "tier", change->tier, NULL);
  if (change->__isset_callbackUrl) g_object_set(stored, "callbackUrl", change->callbackUrl, NULL);
  if (change->__isset_description) g_object_set(stored, "description", change->description, NULL);
  if (change->__isset_allowedDomains) {
    copy_strings(stored->allowedDomains, change->allowedDomains);
    stored->__isset_allowedDomains = TRUE;
  }
  return TRUE;
}

/* The tiers of a, each quoted as in refusals (tier_ref_quoted), joined by ", ". */
static char *tiers_join(const GPtrArray *a) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; a != NULL && i < a->len; i++) {
    g_autofree char *q = tier_ref_quoted(g_ptr_array_index(a, i));
    g_string_append_printf(s, "%s%s", i ? ", " : "", q);
  }
  return g_string_free(s, FALSE);
}

/* The canonical spelling of text among names (case-insensitive), or NULL. */
static const char *canonical(const char *const *names, const char *text) {
  for (guint i = 0; text != NULL && names[i]; i++)
    if (g_ascii_strcasecmp(names[i], text) == 0) return names[i];
  return NULL;
}

const char *mgmt_subscription_status_parse(const char *status, GError **error) {
  static const char *const statuses[] = {"UNBLOCKED", "BLOCKED",  "PROD_ONLY_BLOCKED",
                                         "ON_HOLD",   "REJECTED", NULL};
  const char *s = canonical(statuses, status);
  if (s == NULL)
    mgmt_refuse(error, 400,
                "status must be UNBLOCKED, BLOCKED, PROD_ONLY_BLOCKED, ON_HOLD or"
                " REJECTED");
  return s;
}

gboolean mgmt_api_subscribable(const TgApi *api, const char *tier, GError **error) {
  if (g_strcmp0(api->status, "PUBLISHED") != 0)
    return mgmt_refuse(error, 409, "API %s:%s is %s: only PUBLISHED APIs take new subscriptions",
                       api->context, api->version, api->status ? api->status : "in no state");
  const GPtrArray *offered = api->subscriptionTiers;
  if (offered == NULL || offered->len == 0) return TRUE;
  for (guint i = 0; i < offered->len; i++)
    if (g_strcmp0(g_ptr_array_index(offered, i), tier) == 0) return TRUE;
  g_autofree char *list = tiers_join(offered);
  g_autofree char *q = tier_ref_quoted(tier);
  return mgmt_refuse(error, 400, "tier: API %s:%s does not offer %s (it offers %.*s)", api->context,
                     api->version, q, 512, list);
}

gboolean mgmt_may_moderate(const char *caller, gboolean admin, const char *provider,
                           GError **error) {
  if (admin || g_strcmp0(caller, provider) == 0) return TRUE;
  return mgmt_refuse(error, 403,
                     "only an admin or the API's provider may change a subscription's"
                     " status");
}
