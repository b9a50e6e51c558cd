/*
 * openapi: an API's definition as an OpenAPI 3 document, both ways: import
 * (what a publisher pastes or uploads, JSON or YAML) into a TgApi, export of a
 * TgApi as JSON (or YAML) for the store's download and the publisher's. Trade-off: one
 * importer over json-glib's tree; YAML is converted to that tree first
 * (openapi_yaml.c), so YAML can say no more than JSON can.
 */
#ifndef OPENAPI_H
#define OPENAPI_H

#include <glib.h>

#include "tg_tollgate_types.h"

/* Largest document imported (bytes) and most operations taken from one. */
#define OPENAPI_MAX_BYTES     (4 * 1024 * 1024)
#define OPENAPI_MAX_RESOURCES 500
#define OPENAPI_MAX_DEPTH     64
/* Nodes a YAML document's aliases may add (each counted as if copied). */
#define OPENAPI_MAX_ALIAS_NODES 10000

typedef enum {
  OPENAPI_FORMAT_AUTO, /* by content: JSON when it starts with '{' (after blanks), else YAML */
  OPENAPI_FORMAT_JSON,
  OPENAPI_FORMAT_YAML,
} OpenapiFormat;

/* The format a media type (parameters ignored) or a file name declares; AUTO when
   neither says (NULL, application/octet-stream, text/plain, no known extension). */
OpenapiFormat openapi_format_of(const char *content_type, const char *filename);

/*
 * Reads an OpenAPI 3.x document (JSON or YAML, by content) into a new TgApi:
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
TgApi *openapi_import(const char *doc, gsize len, GError **error);
/* The same, the format given (AUTO: by content). */
TgApi *openapi_import_as(const char *doc, gsize len, OpenapiFormat format, GError **error);

typedef struct OpenapiExportOptions {
  const char
      *gateway_url;      /* "https://host:8243": servers[0] is it + context + version; NULL none */
  const char *token_url; /* the OAuth2 token endpoint for the security scheme; NULL: "/token" */
  gboolean with_endpoints; /* include the backend endpoints (publisher's export only) */
} OpenapiExportOptions;

/* The API as an OpenAPI 3.0.3 JSON document (pretty-printed). Free with g_free. */
char *openapi_export(const TgApi *api, const OpenapiExportOptions *opts);
/* The same document as YAML (what openapi_import reads back to the same API). */
char *openapi_export_yaml(const TgApi *api, const OpenapiExportOptions *opts);

#endif
