/*
 * publisher_form: what a publisher types into the API form, read into a TgApi: the resources
 * textarea (one "VERB /template [auth] [tier] [scope]" a line), comma lists, and the API's
 * identity from a page path. Pure functions shared by the pages and the JSON API. Trade-off: a
 * line format keeps the page working without JavaScript at any number of resources.
 */
#ifndef PUBLISHER_FORM_H
#define PUBLISHER_FORM_H

#include <glib.h>

#include "tg_tollgate_types.h"

#define PUBLISHER_FORM_ERROR (publisher_form_error_quark())
GQuark publisher_form_error_quark(void);

/* At most this many resources from one form. */
#define PUBLISHER_MAX_RESOURCES 500

/* Appends one TgResource per non-empty line of text to out (a GPtrArray of
   TgResource). Missing auth: Any; tier: Unlimited; scope: "". FALSE with an
   error naming the line when a verb, template or auth type is wrong. */
gboolean publisher_parse_resources(const char *text, GPtrArray *out, GError **error);

/* The resources as the textarea shows them (the inverse of the above). */
char *publisher_format_resources(const GPtrArray *resources);

/* Appends the trimmed, non-empty items of a comma (or newline) separated list;
   lower case when lower. At most max items (further ones ignored). */
void publisher_parse_list(const char *text, GPtrArray *out, gboolean lower, guint max);
char *publisher_join_list(const GPtrArray *items);

/* "pizza/1.0.0" or "a/b/2" -> context "/pizza", version "1.0.0". FALSE when there
   is no '/' with text on both sides. */
gboolean publisher_split_api_path(const char *rest, char **context, char **version);

/* The page path of an API ("pizza/1.0.0" for "/pizza" and "1.0.0"). */
char *publisher_api_path(const char *context, const char *version);

#endif
