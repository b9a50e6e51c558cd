/*
 * form: URL-encoded form / query parsing, the Cookie header, URL encoding
 * (form.h). Strict on purpose: a browser never sends a bad escape, so one is
 * an attack or a bug, and refusing it whole is cheaper than guessing.
 */
#include "form.h"

#include <string.h>

G_DEFINE_QUARK(portal - form - error - quark, form_error)

struct Form {
  GPtrArray *names;
  GPtrArray *values;
};

Form *form_new_empty(void) {
  Form *f = g_new0(Form, 1);
  f->names = g_ptr_array_new_with_free_func(g_free);
  f->values = g_ptr_array_new_with_free_func(g_free);
  return f;
}

void form_free(Form *f) {
  if (!f) return;
  g_ptr_array_unref(f->names);
  g_ptr_array_unref(f->values);
  g_free(f);
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = (char)g_ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

char *form_decode(const char *s, gsize len, gboolean plus_space) {
  GString *out = g_string_sized_new(len);
  for (gsize i = 0; i < len; i++) {
    char c = s[i];
    if (c == '%') {
      int hi = i + 2 < len ? hexval(s[i + 1]) : -1;
      int lo = i + 2 < len ? hexval(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) goto bad;
      c = (char)(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_space) {
      c = ' ';
    }
    if (c == '\0') goto bad;
    g_string_append_c(out, c);
  }
  if (!g_utf8_validate(out->str, (gssize)out->len, NULL)) goto bad;
  return g_string_free(out, FALSE);
bad:
  g_string_free(out, TRUE);
  return NULL;
}

void form_add(Form *f, const char *name, const char *value) {
  g_ptr_array_add(f->names, g_strdup(name));
  g_ptr_array_add(f->values, g_strdup(value));
}

static gboolean add_pair(Form *f, const char *p, gsize len, GError **error) {
  const char *eq = memchr(p, '=', len);
  gsize nlen = eq ? (gsize)(eq - p) : len;
  if (nlen == 0 || nlen > FORM_MAX_NAME * 3) goto bad;
  char *name = form_decode(p, nlen, TRUE);
  char *value = eq ? form_decode(eq + 1, len - nlen - 1, TRUE) : g_strdup("");
  if (!name || !value || strlen(name) > FORM_MAX_NAME) {
    g_free(name);
    g_free(value);
    goto bad;
  }
  g_ptr_array_add(f->names, name);
  g_ptr_array_add(f->values, value);
  return TRUE;
bad:
  g_set_error(error, FORM_ERROR, FORM_ERROR_SYNTAX, "malformed form field");
  return FALSE;
}

Form *form_parse(const char *data, gsize len, GError **error) {
  g_autoptr(Form) f = form_new_empty();
  gsize start = 0;
  for (gsize i = 0; i <= len; i++) {
    if (i < len && data[i] != '&') continue;
    if (i > start) {
      if (f->names->len >= FORM_MAX_FIELDS) {
        g_set_error(error, FORM_ERROR, FORM_ERROR_TOO_MANY, "more than %d form fields",
                    FORM_MAX_FIELDS);
        return NULL;
      }
      if (!add_pair(f, data + start, i - start, error)) return NULL;
    }
    start = i + 1;
  }
  return g_steal_pointer(&f);
}

const char *form_get(const Form *f, const char *name) {
  for (guint i = 0; f && i < f->names->len; i++)
    if (!strcmp(f->names->pdata[i], name)) return f->values->pdata[i];
  return NULL;
}

const char **form_get_all(const Form *f, const char *name) {
  GPtrArray *all = g_ptr_array_new();
  for (guint i = 0; f && i < f->names->len; i++)
    if (!strcmp(f->names->pdata[i], name)) g_ptr_array_add(all, f->values->pdata[i]);
  g_ptr_array_add(all, NULL);
  return (const char **)g_ptr_array_free(all, FALSE);
}

guint form_count(const Form *f) { return f ? f->names->len : 0; }
const char *form_name(const Form *f, guint i) { return f->names->pdata[i]; }
const char *form_value(const Form *f, guint i) { return f->values->pdata[i]; }

char *cookie_get(const char *header, const char *name) {
  if (!header) return NULL;
  gsize nlen = strlen(name);
  const char *p = header;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == ';') p++;
    const char *end = strchr(p, ';');
    if (!end) end = p + strlen(p);
    if ((gsize)(end - p) > nlen && !strncmp(p, name, nlen) && p[nlen] == '=') {
      const char *v = p + nlen + 1, *ve = end;
      while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t')) ve--;
      if (ve - v >= 2 && *v == '"' && ve[-1] == '"') v++, ve--;
      return g_strndup(v, ve - v);
    }
    p = end;
  }
  return NULL;
}

void url_append_encoded(GString *out, const char *s) {
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
