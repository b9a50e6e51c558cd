/*
 * form: the portal's parsers for what a browser sends: URL-encoded forms and query strings,
 * the Cookie header, and the percent-encoding of URL components the pages write into links.
 * Trade-off: a bad form (too many fields, a bad %-escape, a NUL, invalid UTF-8) is refused
 * whole (400), so handlers only ever see clean text.
 */
#ifndef PORTAL_FORM_H
#define PORTAL_FORM_H

#include <glib.h>

#define FORM_MAX_FIELDS 256
#define FORM_MAX_NAME   128

#define FORM_ERROR (form_error_quark())
GQuark form_error_quark(void);
enum { FORM_ERROR_SYNTAX = 1, FORM_ERROR_TOO_MANY };

typedef struct Form Form;

/* Parses len bytes of "a=1&b=x+y"; NULL with error when malformed. */
Form *form_parse(const char *data, gsize len, GError **error);
Form *form_new_empty(void);
void form_free(Form *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Form, form_free)

/* The first value of name, or NULL. Owned by the form. */
const char *form_get(const Form *f, const char *name);
/* Every value of name in order (NULL-terminated, owned by the caller: g_free, not strfreev). */
const char **form_get_all(const Form *f, const char *name);
guint form_count(const Form *f);
/* The i-th field (i < form_count), in the order sent. */
const char *form_name(const Form *f, guint i);
const char *form_value(const Form *f, guint i);
/* Adds a field (used by the JSON API to feed the same handlers). */
void form_add(Form *f, const char *name, const char *value);

/* Decodes one %-encoded component ('+' is a space when plus_space); NULL when malformed. */
char *form_decode(const char *s, gsize len, gboolean plus_space);

/* The value of cookie name in a Cookie header, or NULL (caller frees). */
char *cookie_get(const char *header, const char *name);

/* Appends s %-encoded for a path segment or a query value (unreserved chars kept). */
void url_append_encoded(GString *out, const char *s);

#endif
