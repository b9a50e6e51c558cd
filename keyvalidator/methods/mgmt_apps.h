/*
 * mgmt_apps.h: the rules of the application, subscription, key and token methods
 * (mgmt_apps.c, mgmt_keys.c), tested without a database in tests/unit/test_mgmt_apps.c,
 * and the two lookups app_methods.c and key_methods.c share. Refusals are GErrors in
 * MGMT_ERROR (mgmt_rules.h).
 */
#ifndef TOLLGATE_HUB_MGMT_APPS_H
#define TOLLGATE_HUB_MGMT_APPS_H

#include <glib.h>

#include "app_domains.h"
#include "mgmt_call.h"
#include "mgmt_rules.h"
#include "tg_tollgate_types.h"

/* ---- applications and subscriptions (mgmt_apps.c) ---- */

/* Checks an application about to be stored (name, tier, callback URL, domains, description)
   and fills the defaults: tier Unlimited, allowed domains ALL. The owner is the caller's job. */
gboolean mgmt_app_check(TgApplication *app, GError **error);

/* updateApplication: copies every field set in change onto stored (id, owner and created-at
   are never changed; a different owner is a 400). */
gboolean mgmt_app_merge(TgApplication *stored, const TgApplication *change, GError **error);

/* UNBLOCKED | BLOCKED | PROD_ONLY_BLOCKED | ON_HOLD (case-insensitive) as the canonical
   static string, or NULL with a 400. */
const char *mgmt_subscription_status_parse(const char *status, GError **error);

/* A new subscription to api with tier: 409 unless the API is PUBLISHED, 400 when the API does
   not offer the tier (an empty subscriptionTiers list offers every tier). */
gboolean mgmt_api_subscribable(const TgApi *api, const char *tier, GError **error);

/* Blocking and unblocking: the admin or the API's provider. */
gboolean mgmt_may_moderate(const char *caller, gboolean admin, const char *provider,
                           GError **error);

/* ---- keys and tokens (mgmt_keys.c) ---- */

/* PRODUCTION | SANDBOX (case-insensitive) as the canonical static string, or NULL with a 400. */
const char *mgmt_key_type_parse(const char *key_type, GError **error);

/* The validity to give a token: requested, or hub_default when requested <= 0; 400 above ten
   years. */
gboolean mgmt_validity_resolve(gint64 requested, gint64 hub_default, gint64 *validity_s,
                               GError **error);

/* The scopes as stored (space-separated, duplicates dropped, order kept); each must be one
   RFC 6749 scope token. Caller frees; NULL with a 400. */
char *mgmt_scopes_join(const GPtrArray *scopes, GError **error);

/* The end user an issued token names ("" = application token). A non-admin may name only
   themselves. */
gboolean mgmt_end_user_allowed(const char *caller, gboolean admin, const char *end_user,
                               GError **error);

/* ACTIVE | REVOKED | EXPIRED as a token listing shows it (an ACTIVE token past its validity
   is EXPIRED). */
const char *mgmt_token_status(const char *state, gint64 issued_ms, gint64 validity_s,
                              gint64 now_ms);

/* The first 12 hex characters of a token hash, as listings show them. Caller frees. */
char *mgmt_token_hash_prefix(const char *hash);

/* ---- shared by app_methods.c and key_methods.c ---- */

/* The application name of owner ("" = the caller) that the caller may manage, into app:
   400 bad name, 403 someone else's (non-admin), 404 none, 503. */
gboolean mgmt_app_find(MgmtCall *c, const char *owner, const char *name, TgApplication *app);

/* The API (context, version) if the caller may see it (mgmt_api_visible: subscribers see only
   PUBLISHED and DEPRECATED ones), or NULL with a 400/404/503 answer. Caller unrefs. */
TgApi *mgmt_api_find(MgmtCall *c, const char *context, const char *version);

#endif
