/*
 * tg_names.c: the identifier rule of tg_names.h, a byte loop over an ASCII class (no
 * locale: g_ascii_isalnum), so the hub, the portal and tollgatectl agree to the byte; and
 * which names are look-alikes (ASCII case only: names that follow the rule are ASCII).
 */
#include <string.h>

#include "tg_names.h"

static gboolean name_char(char c) { return g_ascii_isalnum(c) || c == '.' || c == '_' || c == '-'; }

gboolean tg_name_valid(const char *s) {
  if (s == NULL || !g_ascii_isalnum(s[0])) return FALSE;
  gsize n = 0;
  for (const char *p = s; *p; p++, n++)
    if (n >= TG_NAME_MAX || !name_char(*p)) return FALSE;
  return TRUE;
}

gboolean tg_name_look_alike(const char *a, const char *b) {
  return a != NULL && b != NULL && strcmp(a, b) != 0 && g_ascii_strcasecmp(a, b) == 0;
}
