/*
 * form.h: request parsing for the hub's OAuth2 endpoints: the
 * application/x-www-form-urlencoded body and HTTP Basic client credentials
 * (RFC 6749 2.3.1 and appendix B). Pure functions, no database, unit-tested
 * in tests/unit/test_oauth_form.c.
 */
#ifndef TOLLGATE_HUB_FORM_H
#define TOLLGATE_HUB_FORM_H

#include <glib.h>

#define HUB_FORM_ERROR (hub_form_error_quark())
GQuark hub_form_error_quark(void);

typedef enum {
  HUB_FORM_ERROR_MALFORMED, /* bad escape, bad UTF-8, NUL, bad base64 */
  HUB_FORM_ERROR_TOO_LARGE, /* over a size bound */
  HUB_FORM_ERROR_DUPLICATE, /* a parameter repeated (RFC 6749 3.2) */
} HubFormError;

/* Bounds (the body itself is bounded by [hub] max_http_body on the network side). */
#define HUB_FORM_MAX_BODY   65536
#define HUB_FORM_MAX_PARAMS 32
#define HUB_FORM_MAX_VALUE  8192

/* Parses body[0..len) into a new name -> value table (both owned, UTF-8, no NUL).
   Empty pairs ("a=1&&b=2") are skipped; "a" alone means a = "". */
GHashTable *hub_form_parse(const char *body, gsize len, GError **error);

/* Decodes one form component ("+" is a space, %XX escapes); NULL with error if bad. */
char *hub_form_decode(const char *s, gsize len, GError **error);

typedef enum {
  HUB_BASIC_ABSENT, /* no Authorization header, or another scheme */
  HUB_BASIC_OK,
  HUB_BASIC_MALFORMED, /* "Basic" but undecodable: the client fails authentication */
} HubBasicResult;

/* Splits "Basic base64(urlenc(id):urlenc(secret))" into id and secret (owned on OK). */
HubBasicResult hub_basic_parse(const char *authorization, char **client_id, char **client_secret);

#endif
