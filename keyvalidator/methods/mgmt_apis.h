/*
 * mgmt_apis.h: the rules of the API and tier methods (mgmt_apis.c), split from their Thrift
 * glue so tests/unit/test_mgmt_apis.c checks them without a database: what a valid API is, the
 * lifecycle, who may change and who may see an API. Refusals are GErrors in MGMT_ERROR
 * (mgmt_rules.h) whose code is the TollgateException code to answer. Lifecycle table:
 * common/tg_lifecycle.c.
 */
#ifndef TOLLGATE_HUB_MGMT_APIS_H
#define TOLLGATE_HUB_MGMT_APIS_H

#include <glib.h>

#include "mgmt_rules.h"
#include "tg_tollgate_types.h"

/* Byte limits: the AM_API* columns they are stored in. */
#define API_MAX_NAME              255
#define API_MAX_CONTEXT           255
#define API_MAX_VERSION           64
#define API_MAX_URL               2048
#define API_MAX_TEMPLATE          512
#define API_MAX_TIER              64
#define API_MAX_SCOPE             255
#define API_MAX_DESCRIPTION       65535
#define API_MAX_SCOPES            100
#define API_MAX_SCOPE_DESCRIPTION 1024
/* RFC 6749 3.3 scope-token characters: %x21 / %x23-5B / %x5D-7E */
#define API_SCOPE_CHARS                                            \
  "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`" \
  "abcdefghijklmnopqrstuvwxyz{|}~"
#define API_MAX_RESOURCES     1000 /* what store_api_get reads back */
#define API_MAX_TIERS         100
#define API_DEFAULT_TIER      "Unlimited"
#define API_DEFAULT_AUTH_TYPE "Any"
#define API_STATUS_CREATED    "CREATED"

/* "/pizza", "/shop/v1": starts with '/', no whitespace, control characters, '?' or '#', no
   empty segment and no trailing '/'. 400 with the reason. */
gboolean mgmt_api_context_valid(const char *context, GError **error);
/* Non-empty, at most 64 bytes, none of whitespace, control characters, '/', ':', '?', '#'. */
gboolean mgmt_api_version_valid(const char *version, GError **error);

/* CREATED | PUBLISHED | DEPRECATED | RETIRED | BLOCKED (case-insensitive) as the canonical
   static string, or NULL with a 400. */
const char *mgmt_api_status_parse(const char *status, GError **error);
/* TRUE when an API in state from may go to state to (both canonical); *noop when from == to.
   Otherwise 409 naming the states it may go to. */
gboolean mgmt_api_transition(const char *from, const char *to, gboolean *noop, GError **error);

/* Checks an API about to be stored and puts it in stored form: verbs upper case, auth types
   in their canonical spelling (default Any), resource tiers and apiTier default Unlimited,
   scope default "", subscription tiers without duplicates, missing strings "". 400 on the
   first problem: name, context, version, endpoints (at least one, http(s) URLs), resources (at
   least one, no verb + template twice), tiers, description, declared scopes (names are scope
   tokens, declared once, at most API_MAX_SCOPES; roles known role names, canonical, without
   duplicates; no roles: anyone). Tier names follow the name rule (tier_ref_name_ok); whether
   they exist is tier_refs_check's, inside the write's transaction. */
gboolean mgmt_api_check(TgApi *api, GError **error);

/* A deep copy (resources and subscription tiers included). */
TgApi *mgmt_api_copy(const TgApi *src);
/* createApi: a copy of the request in state CREATED, id 0. A sandboxEndpoint left out of the
   request is the production endpoint (sent as "": the API has no sandbox). */
TgApi *mgmt_api_for_create(const TgApi *request);
/* updateApi: copies every field set in change onto stored (scopes: the whole list). The
   identity (context, version),
   provider and status cannot be changed this way: a different value is a 400. */
gboolean mgmt_api_merge(TgApi *stored, const TgApi *change, GError **error);
/* createNewVersion: a copy of src named new_version, CREATED, not the default version. */
TgApi *mgmt_api_new_version(const TgApi *src, const char *new_version);

/* Whether a caller sees an API in this state: managers (admin, publisher) every one,
   everybody else PUBLISHED and DEPRECATED ones. */
gboolean mgmt_api_visible(const char *status, gboolean manager);
/* Whether the caller may change (update, version, lifecycle, delete) an API: an admin, or
   the publisher who provides it; else 403. */
gboolean mgmt_api_may_change(const char *caller, gboolean admin, const char *provider,
                             GError **error);
/* (The provider of a new API is resolved like an application owner: mgmt_owner_resolve.) */

/* Whether the API (context, version) serves URLs under another API's context: other_context
   is "context/version" or below it ("/pizza/1.0.0" and "/pizza/1.0.0/x" against /pizza:1.0.0).
   Compared byte for byte, as AM_API's key (utf8mb4_bin) and the gateway's router do: /Pizza
   is another context than /pizza, and neither serves the other's URLs. */
gboolean mgmt_api_shadows(const char *context, const char *version, const char *other_context);
/* Where a new API (or version) may go. neighbours: the stored APIs of its context and the
   ones whose paths overlap it (TgApi *, oldest first; store_api_neighbours). The context
   belongs to the provider of its oldest version (and to admins): anyone else gets a 403.
   An API whose context/version path is another's context, or whose context is another's
   context/version path, is a 409. */
gboolean mgmt_api_placement_check(const TgApi *api, const GPtrArray *neighbours, const char *caller,
                                  gboolean admin, GError **error);
/* The owner of context among neighbours (the provider of its oldest version), or NULL. */
const char *mgmt_api_context_owner(const char *context, const GPtrArray *neighbours);

#endif
