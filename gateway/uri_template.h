/*
 * uri_template: the resource templates of an API (/items/{id}, /items/ followed
 * by a star, a lone star after the slash) parsed once and matched against
 * request paths.
 *
 * A template is a list of segments: a literal, a {param} that matches exactly
 * one non-empty segment, or a trailing "*" that matches any rest (including
 * nothing). Empty segments are ignored on both sides, so "/items/" and
 * "/items" are the same path. A query part in the template ("?x={x}") is
 * ignored: resources are matched on the path alone. Pure code, no I/O.
 */
#ifndef TG_GATEWAY_URI_TEMPLATE_H
#define TG_GATEWAY_URI_TEMPLATE_H

#include <glib.h>

typedef struct UriTemplate UriTemplate;

/* Parses text; NULL with an error when it is malformed ("*" not last, an
   unclosed brace, an empty {}). Caller frees with uri_template_free. */
UriTemplate *uri_template_parse(const char *text, GError **error);
void uri_template_free(UriTemplate *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UriTemplate, uri_template_free)

const char *uri_template_text(const UriTemplate *t);

/* TRUE when path (no query) matches. */
gboolean uri_template_match(const UriTemplate *t, const char *path);

/* Orders templates most specific first (for g_ptr_array_sort on UriTemplate*
   elements): more literal segments, then no trailing "*", then more segments,
   then fewer parameters; ties by text so the order is stable. Negative when a
   is more specific than b. */
int uri_template_compare_specificity(const UriTemplate *a, const UriTemplate *b);

#endif
