/*
 * tg_form: the one parser of application/x-www-form-urlencoded text (the hub's /token and
 * /revoke bodies, the portal's forms and query strings) and its %-encoder. Strict: a bad
 * escape, a NUL, invalid UTF-8, an empty name or a field over the caller's limits refuses
 * the whole form. Trade-off: each caller passes its limits and whether a repeated name is an
 * error (RFC 6749 3.2) or one more value (a page's checkboxes); the rules stay here.
 */
#ifndef TG_FORM_H
#define TG_FORM_H

#include <glib.h>

#define TG_FORM_ERROR (tg_form_error_quark())
GQuark tg_form_error_quark(void);

typedef enum {
  TG_FORM_ERROR_MALFORMED = 1, /* bad escape, NUL, invalid UTF-8, empty name */
  TG_FORM_ERROR_TOO_LARGE,     /* over a bound: body, fields, name or value */
  TG_FORM_ERROR_DUPLICATE,     /* a name repeated where limits->unique */
} TgFormError;

typedef struct {
  gsize max_body;   /* bytes of encoded text */
  guint max_fields; /* fields (empty pairs such as "&&" are not fields) */
  gsize max_name;   /* decoded bytes of a name */
  gsize max_value;  /* decoded bytes of a value */
  gboolean unique;  /* a repeated name refuses the form */
} TgFormLimits;

typedef struct TgForm TgForm;

/* Parses len bytes of "a=1&b=x+y" (not NUL-terminated); "a" alone means a = "". NULL with
   error when refused. */
TgForm *tg_form_parse(const char *data, gsize len, const TgFormLimits *limits, GError **error);
TgForm *tg_form_new(void);
void tg_form_free(TgForm *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgForm, tg_form_free)

/* The first value of name, or NULL. Owned by the form. */
const char *tg_form_get(const TgForm *f, const char *name);
/* Every value of name in order (NULL-terminated; g_free the array, not the strings). */
const char **tg_form_get_all(const TgForm *f, const char *name);
guint tg_form_count(const TgForm *f);
/* The i-th field (i < tg_form_count), in the order sent. */
const char *tg_form_name(const TgForm *f, guint i);
const char *tg_form_value(const TgForm *f, guint i);
/* Adds a field (the portal's JSON API feeds the same handlers this way). */
void tg_form_add(TgForm *f, const char *name, const char *value);

/* Decodes one %-encoded component ('+' is a space when plus_space): valid UTF-8 without
   NUL, or NULL. No length bound: the parser applies the limits. */
char *tg_form_decode(const char *s, gsize len, gboolean plus_space);

/* Appends s %-encoded for a path segment, a query or a form value (unreserved kept). */
void tg_form_append_encoded(GString *out, const char *s);

#endif
