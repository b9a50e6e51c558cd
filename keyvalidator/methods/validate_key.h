/*
 * validate_key.h: the WSO2 key validation methods (validateKey,
 * validateKeyforHandshake, getAllURITemplates) that handler.c's vfuncs call, and
 * the two caches they fill (validation_caches.h): validation facts and API definitions.
 */
#ifndef TOLLGATE_HUB_VALIDATE_KEY_H
#define TOLLGATE_HUB_VALIDATE_KEY_H

#include "hub_internal.h"
#include "tg_wso2_types.h"
#include "validation_caches.h"

gboolean hub_validate(Hub *hub, TgAPIKeyValidationInfoDTO *dto, const char *context,
                      const char *version, const char *token, const char *session,
                      const char *client_domain, const char *resource, const char *verb,
                      TgAPIKeyMgtException **err);
gboolean hub_uri_templates(Hub *hub, GPtrArray *out, const char *context, const char *version,
                           const char *session, TgAPIKeyMgtException **err);

#endif
