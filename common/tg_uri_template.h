/*
 * tg_uri_template: the one URI-template matcher and resource order, shared by
 * the hub (validateKey's resource) and the gateway (routing). Both daemons
 * must pick the same resource for a path, so the rules live here only; the
 * table every test runs is tests/data/uri_templates.tsv.
 *
 * Templates (WSO2 / RFC 6570 level 1, whole segments only; "/ *" below is a
 * slash and a star, spaced only because a C comment cannot hold the pair):
 *   a literal segment, compared byte for byte (case matters);
 *   {name}  one non-empty segment (name: letters, digits, '_', '.', '-');
 *   "*"     as the whole last segment: any rest, also none ("/items/ *" matches
 *           "/items", "/items/" and "/items/a/b"); "/ *" alone matches every path.
 * A query part ("/menu?x={x}") is ignored: a template matches on its path part
 * and the request's query never takes part. Refused by tg_uri_template_parse
 * (the hub answers 400 at API creation, the gateway skips the resource): no
 * leading '/', an empty segment inside ("/a//b"), a dot segment (below), '*'
 * anywhere but a whole last segment, a brace that is not a whole {name}
 * segment, '#', whitespace or control bytes, a '%' not followed by two hex
 * digits, an escaped unreserved byte ("%65": the gateway decodes it before
 * routing, so write "e"). Escapes are otherwise compared as bytes ("%C3%A9" is
 * not "%c3%a9").
 *
 * Paths: the part before the first '?' or '#'; "" is "/". A trailing '/' is
 * ignored on both sides ("/menu/" matches "/menu"). A path that is not in
 * normal form (an empty segment inside, "/a//b"; a dot segment: "." or "..",
 * also spelt with "%2e" or followed by ";params", "/%2e%2e/", "/..;x/"; not
 * starting with '/') matches NO template, "/ *" included: the gateway
 * normalises before routing, so such a path can only come from a caller that
 * did not, and we fail closed instead of guessing what its backend will make of
 * it. Any other byte is part of a segment.
 *
 * Order, most specific first (tg_uri_template_compare), stated once:
 *   1. more literal segments;  2. no "*" before "*";  3. more segments ({name}
 *   and literal) before fewer;  4. longer path part;  5. byte order of the text.
 * A template whose paths are a proper subset of another's always sorts first,
 * so no resource is shadowed by a broader one (ranking fewer {name}s above "no
 * star" would put "/items/ *" before "/items/{id}" and hide it). Two templates that
 * match exactly the same paths (tg_uri_template_equivalent: "/menu", "/menu/",
 * "/menu?x={x}"; "/i/{id}", "/i/{n}") are refused for one verb by the hub.
 * Resources (tg_uri_resource_compare): template order, then a resource naming
 * the verb before an "ANY"/"*" one; equal resources keep their declared order.
 *
 * Parsing only reads the text; matching neither allocates nor copies.
 */
#ifndef TG_URI_TEMPLATE_H
#define TG_URI_TEMPLATE_H

#include <glib.h>

#define TG_URI_TEMPLATE_ERROR (tg_uri_template_error_quark())
GQuark tg_uri_template_error_quark(void);
enum { TG_URI_TEMPLATE_ERROR_INVALID = 1 };

/* A parsed template. text is borrowed: it must outlive the struct and not change. */
typedef struct {
  const char *text;  /* the template as declared */
  guint path_len;    /* bytes of text matched: before '?', without a trailing '/' */
  guint literals;    /* literal segments */
  guint segments;    /* literal and {name} segments (the "*" not counted) */
  gboolean wildcard; /* ends with "*" */
} TgUriTemplate;

/* Fills *out from text (NUL-terminated). FALSE with TG_URI_TEMPLATE_ERROR_INVALID
   when text breaks a rule above; *out is then unusable. */
gboolean tg_uri_template_parse(TgUriTemplate *out, const char *text, GError **error);

/* TRUE when path (NUL-terminated; NULL is "/") matches t. No allocation. */
gboolean tg_uri_template_match(const TgUriTemplate *t, const char *path);

/* Negative when a is more specific than b (sorts first), 0 only for equal texts. */
int tg_uri_template_compare(const TgUriTemplate *a, const TgUriTemplate *b);

/* TRUE when a and b match exactly the same paths. */
gboolean tg_uri_template_equivalent(const TgUriTemplate *a, const TgUriTemplate *b);

/* TRUE when a resource declared for verb serves method: same letters in any case, or
   verb "ANY" or "*" and method one of RFC 9110's (and PATCH): an extension method such as
   PURGE is served only by a resource that names it. NULL or "" never matches. */
gboolean tg_uri_verb_matches(const char *verb, const char *method);

/* TRUE for GET HEAD POST PUT DELETE CONNECT OPTIONS TRACE PATCH, in any case. */
gboolean tg_uri_standard_method(const char *method);

/* The resource order: template order, then a named verb before "ANY"/"*"; 0 when the two
   are equal in both (a stable sort then keeps the declared order). */
int tg_uri_resource_compare(const TgUriTemplate *a, const char *verb_a, const TgUriTemplate *b,
                            const char *verb_b);

#endif
