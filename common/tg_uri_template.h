/*
 * tg_uri_template: the one URI-template matcher and resource order, shared by the hub
 * (validateKey's resource) and the gateway (routing), so both pick the same resource for a
 * path; the table every test runs is tests/data/uri_templates.tsv. Trade-off: whole segments
 * only, and a path not in normal form matches no template (fail closed). The syntax and the
 * order are in docs/HACKING.md ("URI templates" and "Design notes").
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
