/*
 * tg_form: URL-encoded forms (tg_form.h). A splitter of our own because RFC 6749 3.2
 * forbids repeated parameters and g_uri_parse_params keeps the last one silently; the
 * %-decoding itself is GLib's g_uri_unescape_segment (which refuses an escaped NUL).
 */
#include "tg_form.h"

#include <string.h>

G_DEFINE_QUARK(tg - form - error - quark, tg_form_error)

struct TgForm {
  GPtrArray *names;
  GPtrArray *values;
};

TgForm *tg_form_new(void) {
  TgForm *f = g_new0(TgForm, 1);
  f->names = g_ptr_array_new_with_free_func(g_free);
  f->values = g_ptr_array_new_with_free_func(g_free);
  return f;
}

void tg_form_free(TgForm *f) {
  if (!f) return;
  g_ptr_array_unref(f->names);
  g_ptr_array_unref(f->values);
  g_free(f);
}

char *tg_form_decode(const char *s, gsize len, gboolean plus_space) {
  if (len > 0 && memchr(s, '\0', len) != NULL) return NULL;
  g_autofree char *copy = g_strndup(s ? s : "", len);
  if (plus_space) g_strdelimit(copy, "+", ' ');
  char *out = g_uri_unescape_segment(copy, NULL, NULL);
  if (out != NULL && !g_utf8_validate(out, -1, NULL)) g_clear_pointer(&out, g_free);
  return out;
}

static gboolean refuse(GError **error, TgFormError code, const char *what) {
  g_set_error(error, TG_FORM_ERROR, code, "%s", what);
  return FALSE;
}

/* A decoded component within max bytes into *out, or a refusal. */
static gboolean decode_within(const char *s, gsize len, gsize max, char **out, GError **error) {
  if (len > max * 3) return refuse(error, TG_FORM_ERROR_TOO_LARGE, "form field too long");
  *out = tg_form_decode(s, len, TRUE);
  if (*out == NULL) return refuse(error, TG_FORM_ERROR_MALFORMED, "malformed form encoding");
  if (strlen(*out) <= max) return TRUE;
  g_clear_pointer(out, g_free);
  return refuse(error, TG_FORM_ERROR_TOO_LARGE, "form field too long");
}

static gboolean add_pair(TgForm *f, const char *p, gsize len, const TgFormLimits *lim,
                         GError **error) {
  const char *eq = memchr(p, '=', len);
  gsize nlen = eq ? (gsize)(eq - p) : len;
  if (nlen == 0) return refuse(error, TG_FORM_ERROR_MALFORMED, "form field without a name");
  g_autofree char *name = NULL, *value = NULL;
  if (!decode_within(p, nlen, lim->max_name, &name, error)) return FALSE;
  if (eq && !decode_within(eq + 1, len - nlen - 1, lim->max_value, &value, error)) return FALSE;
  if (lim->unique && tg_form_get(f, name) != NULL) {
    g_set_error(error, TG_FORM_ERROR, TG_FORM_ERROR_DUPLICATE, "parameter %s repeated", name);
    return FALSE;
  }
  if (f->names->len >= lim->max_fields)
    return refuse(error, TG_FORM_ERROR_TOO_LARGE, "too many form fields");
  g_ptr_array_add(f->names, g_steal_pointer(&name));
  g_ptr_array_add(f->values, value ? g_steal_pointer(&value) : g_strdup(""));
  return TRUE;
}

TgForm *tg_form_parse(const char *data, gsize len, const TgFormLimits *limits, GError **error) {
  if (len > limits->max_body) {
    refuse(error, TG_FORM_ERROR_TOO_LARGE, "form too large");
    return NULL;
  }
  g_autoptr(TgForm) f = tg_form_new();
  gsize start = 0;
  while (data != NULL && start <= len) {
    const char *amp = memchr(data + start, '&', len - start);
    gsize end = amp ? (gsize)(amp - data) : len;
    if (end > start && !add_pair(f, data + start, end - start, limits, error)) return NULL;
    start = end + 1;
  }
  return g_steal_pointer(&f);
}

const char *tg_form_get(const TgForm *f, const char *name) {
  for (guint i = 0; f && i < f->names->len; i++)
    if (!strcmp(f->names->pdata[i], name)) return f->values->pdata[i];
  return NULL;
}

const char **tg_form_get_all(const TgForm *f, const char *name) {
  GPtrArray *all = g_ptr_array_new();
  for (guint i = 0; f && i < f->names->len; i++)
    if (!strcmp(f->names->pdata[i], name)) g_ptr_array_add(all, f->values->pdata[i]);
  g_ptr_array_add(all, NULL);
  return (const char **)g_ptr_array_free(all, FALSE);
}

guint tg_form_count(const TgForm *f) { return f ? f->names->len : 0; }
const char *tg_form_name(const TgForm *f, guint i) { return f->names->pdata[i]; }
const char *tg_form_value(const TgForm *f, guint i) { return f->values->pdata[i]; }

void tg_form_add(TgForm *f, const char *name, const char *value) {
  g_ptr_array_add(f->names, g_strdup(name));
  g_ptr_array_add(f->values, g_strdup(value));
}

void tg_form_append_encoded(GString *out, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
    if (g_ascii_isalnum(*p) || strchr("-._~", *p)) {
      g_string_append_c(out, (char)*p);
    } else {
      g_string_append_c(out, '%');
      g_string_append_c(out, hex[*p >> 4]);
      g_string_append_c(out, hex[*p & 15]);
    }
  }
}
