/*
 * openapi: an API's definition as an OpenAPI 3 JSON document, both ways:
 * import (what a publisher uploads) into a TgApi, export of a TgApi for the
 * store's download and the publisher's. Trade-off: JSON only (json-glib); a
 * YAML document must be converted first, since no Debian C library maps YAML
 * onto json-glib's tree cheaply.
 */
#ifndef OPENAPI_H
#define OPENAPI_H

#include <glib.h>

#include "tg_tollgate_types.h"

/* Largest document imported (bytes) and most operations taken from one. */
#define OPENAPI_MAX_BYTES     (4 * 1024 * 1024)
#define OPENAPI_MAX_RESOURCES 500
#define OPENAPI_MAX_DEPTH     64

/*
 * Reads an OpenAPI 3.x JSON document into a new TgApi:
 *  name, version, description: info.title, info.version, info.description;
 *  context: x-tollgate-context, else x-wso2-basePath, else the path of servers[0].url;
 *  endpoints: x-tollgate-production-endpoint / -sandbox-endpoint, else the first url of
 *    x-wso2-production-endpoints / x-wso2-sandbox-endpoints;
 *  apiTier: x-throttling-tier; subscriptionTiers: x-subscription-tiers; tags: tags[].name
 *    and every operation's tags, lower case, at most 16;
 *  resources: one per path and operation (get put post delete patch head options): the
 *    verb, the path as URI template, authType from x-auth-type, else None when the
 *    operation's (or the document's) security is an empty list, else Any; the tier from
 *    x-throttling-tier (default Unlimited); the scope: x-scope, else the first scope of
 *    the first security requirement;
 *  scopes: components.securitySchemes.*.flows.*.scopes, roles from x-scopes-bindings.
 * NULL with error (G_IO_ERROR_INVALID_DATA, a message saying what to fix) otherwise.
 */
TgApi *openapi_import(const char *json, gsize len, GError **error);

typedef struct OpenapiExportOptions {
  const char
      *gateway_url;      /* "https://host:8243": servers[0] is it + context + version; NULL none */
  const char *token_url; /* the OAuth2 token endpoint for the security scheme; NULL: "/token" */
  gboolean with_endpoints; /* include the backend endpoints (publisher's export only) */
} OpenapiExportOptions;

/* The API as an OpenAPI 3.0.3 JSON document (pretty-printed). Free with g_free. */
char *openapi_export(const TgApi *api, const OpenapiExportOptions *opts);

#endif
