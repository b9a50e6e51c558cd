/*
 * form: what the portal reads from a browser besides JSON: URL-encoded forms and query
 * strings (common/tg_form.c under the portal's limits, repeated names kept as several
 * values) and the Cookie header. Trade-off: the portal's names stay short aliases of
 * tg_form's, so a page handler reads form_get(r->form, ...) as before.
 */
#ifndef PORTAL_FORM_H
#define PORTAL_FORM_H

#include <glib.h>

#include "tg_form.h"

#define FORM_MAX_FIELDS 256
#define FORM_MAX_NAME   128

typedef TgForm Form;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Form, tg_form_free)

/* Parses len bytes of "a=1&b=x+y" under the portal's limits; NULL with a TG_FORM_ERROR. */
Form *form_parse(const char *data, gsize len, GError **error);

static inline Form *form_new_empty(void) { return tg_form_new(); }
static inline void form_free(Form *f) { tg_form_free(f); }
static inline const char *form_get(const Form *f, const char *n) { return tg_form_get(f, n); }
static inline const char **form_get_all(const Form *f, const char *n) {
  return tg_form_get_all(f, n);
}
static inline guint form_count(const Form *f) { return tg_form_count(f); }
static inline const char *form_name(const Form *f, guint i) { return tg_form_name(f, i); }
static inline const char *form_value(const Form *f, guint i) { return tg_form_value(f, i); }
static inline void form_add(Form *f, const char *n, const char *v) { tg_form_add(f, n, v); }
static inline char *form_decode(const char *s, gsize len, gboolean plus_space) {
  return tg_form_decode(s, len, plus_space);
}
static inline void url_append_encoded(GString *out, const char *s) {
  tg_form_append_encoded(out, s);
}

/* The value of cookie name in a Cookie header, or NULL (caller frees). */
char *cookie_get(const char *header, const char *name);

#endif
