/*
 * form.h: request parsing for the hub's OAuth2 endpoints: the
 * application/x-www-form-urlencoded body (common/tg_form.c under the bounds below, a
 * repeated parameter refused, RFC 6749 3.2) and HTTP Basic client credentials
 * (RFC 6749 2.3.1 and appendix B). Pure, unit-tested in tests/unit/test_oauth_form.c.
 */
#ifndef TOLLGATE_HUB_FORM_H
#define TOLLGATE_HUB_FORM_H

#include <glib.h>

#include "tg_form.h"

/* Bounds (the body itself is bounded by [hub] max_http_body on the network side). */
#define HUB_FORM_MAX_BODY   65536
#define HUB_FORM_MAX_PARAMS 32
#define HUB_FORM_MAX_NAME   128
#define HUB_FORM_MAX_VALUE  8192

/* Parses body[0..len) into a new form of unique names (UTF-8, no NUL), or NULL with a
   TG_FORM_ERROR. Empty pairs ("a=1&&b=2") are skipped; "a" alone means a = "". */
TgForm *hub_form_parse(const char *body, gsize len, GError **error);

typedef enum {
  HUB_BASIC_ABSENT, /* no Authorization header, or another scheme */
  HUB_BASIC_OK,
  HUB_BASIC_MALFORMED, /* "Basic" but undecodable: the client fails authentication */
} HubBasicResult;

/* Splits "Basic base64(urlenc(id):urlenc(secret))" into id and secret (owned on OK). */
HubBasicResult hub_basic_parse(const char *authorization, char **client_id, char **client_secret);

#endif
