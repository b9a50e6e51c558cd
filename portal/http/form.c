/*
 * form: the portal's form limits over common/tg_form.c, and the Cookie header (form.h).
 * Strict on purpose: a browser never sends a bad escape, so one is an attack or a bug,
 * and refusing it whole is cheaper than guessing.
 */
#include "form.h"

#include <string.h>

/* Names as short as a page's fields; values bounded by the largest body the portal takes
   ([portal] max_body's upper bound); repeated names are several values (checkboxes). */
static const TgFormLimits portal_limits = {
    .max_body = 67108864,
    .max_fields = FORM_MAX_FIELDS,
    .max_name = FORM_MAX_NAME,
    .max_value = 67108864,
    .unique = FALSE,
};

TgForm *form_parse(const char *data, gsize len, GError **error) {
  return tg_form_parse(data, len, &portal_limits, error);
}

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
