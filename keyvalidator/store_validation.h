/*
 * store_validation.h: the bodies of the WSO2 key validation methods (see
 * store_validation.c); handler.c's vfuncs call them.
 */
#ifndef TOLLGATE_HUB_STORE_VALIDATION_H
#define TOLLGATE_HUB_STORE_VALIDATION_H

#include "hub_internal.h"
#include "tg_wso2_types.h"

gboolean hub_validate(Hub *hub, TgAPIKeyValidationInfoDTO *dto, const char *context,
                      const char *version, const char *token, const char *session,
                      const char *client_domain, const char *resource, const char *verb,
                      TgAPIKeyMgtException **err);
/* The cache of validation facts (hub->vcache). */
ValidationCache *hub_facts_cache_new(guint max_entries, gint64 ttl_us);
/* The cache of API definitions with their resources, for validation (hub->api_cache). */
ValidationCache *hub_api_cache_new(guint max_entries, gint64 ttl_us);
gboolean hub_uri_templates(Hub *hub, GPtrArray *out, const char *context, const char *version,
                           const char *session, TgAPIKeyMgtException **err);

#endif
