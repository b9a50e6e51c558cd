/*
 * form: what the portal reads from a browser besides JSON: URL-encoded forms and query
 * strings under the portal's limits (repeated names kept as several values; the parser and
 * the accessors are common/tg_form's, called by their own names) and the Cookie header.
 * Trade-off: one parser for the hub and the portal, each passing its own limits.
 */
#ifndef PORTAL_FORM_H
#define PORTAL_FORM_H

#include <glib.h>

#include "tg_form.h"

#define FORM_MAX_FIELDS 256
#define FORM_MAX_NAME   128

/* Parses len bytes of "a=1&b=x+y" under the portal's limits; NULL with a TG_FORM_ERROR. */
TgForm *form_parse(const char *data, gsize len, GError **error);

/* The value of cookie name in a Cookie header, or NULL (caller frees). */
char *cookie_get(const char *header, const char *name);

#endif
