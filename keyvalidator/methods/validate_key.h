/*
 * validate_key.h: the WSO2 key validation methods (validateKey,
 * validateKeyforHandshake, getAllURITemplates) that handler.c's vfuncs call, and
 * the two caches they fill: validation facts and API definitions.
 */
#ifndef TOLLGATE_HUB_VALIDATE_KEY_H
#define TOLLGATE_HUB_VALIDATE_KEY_H

#include "hub_internal.h"
#include "tg_wso2_types.h"

gboolean hub_validate(Hub *hub, TgAPIKeyValidationInfoDTO *dto, const char *context,
                      const char *version, const char *token, const char *session,
                      const char *client_domain, const char *resource, const char *verb,
                      TgAPIKeyMgtException **err);
/* The cache of validation facts (hub->vcache). */
TtlCache *hub_facts_cache_new(guint max_entries, gint64 ttl_us);
/* The cache of API definitions with their resources, for validation (hub->api_cache). */
TtlCache *hub_api_cache_new(guint max_entries, gint64 ttl_us);
/* Narrow evictions from the facts cache (keys: token hash, context, version); each returns how
   many entries went. By token (SHA-256 hex); by application (id as text; context NULL: every
   API, else only that API's entries); by API (facts of every token for it). */
guint hub_facts_cache_evict_token(TtlCache *facts, const char *token_hash);
guint hub_facts_cache_evict_application(TtlCache *facts, const char *app_id, const char *context,
                                        const char *version);
guint hub_facts_cache_evict_api(TtlCache *facts, const char *context, const char *version);
/* The API cache's entry for (context, version). */
void hub_api_cache_evict(TtlCache *apis, const char *context, const char *version);
gboolean hub_uri_templates(Hub *hub, GPtrArray *out, const char *context, const char *version,
                           const char *session, TgAPIKeyMgtException **err);

#endif
