/*
 * mgmt_rules.c: what every management rule file shares (mgmt_rules.h): the
 * refusal error domain and the text checks. Pure: no database, no Hub.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "mgmt_rules.h"

G_DEFINE_QUARK(hub - mgmt - error - quark, mgmt_error)

gboolean mgmt_refuse(GError **error, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error_literal(error, MGMT_ERROR, code, msg);
  return FALSE;
}

/* UTF-8 of at most max bytes; control characters only where multiline allows \t \n \r. */
gboolean mgmt_text_ok(const char *s, gsize max, gboolean multiline) {
  if (strlen(s) > max || !g_utf8_validate(s, -1, NULL)) return FALSE;
  for (const guchar *p = (const guchar *)s; *p; p++) {
    gboolean space = *p == '\t' || *p == '\n' || *p == '\r';
    if ((*p < 0x20 || *p == 0x7f) && !(multiline && space)) return FALSE;
  }
  return TRUE;
}

gboolean mgmt_name_valid(const char *what, const char *s, gsize max, GError **error) {
  if (s == NULL || *s == '\0') return mgmt_refuse(error, 400, "%s is required", what);
  if (!mgmt_text_ok(s, max, FALSE))
    return mgmt_refuse(error, 400,
                       "%s must be UTF-8 text of at most %" G_GSIZE_FORMAT
                       " bytes without control characters",
                       what, max);
  return TRUE;
}

const char *mgmt_owner_resolve(const char *caller, gboolean admin, const char *requested,
                               GError **error) {
  if (requested == NULL || *requested == '\0' || g_strcmp0(requested, caller) == 0) return caller;
  if (!admin) {
    mgmt_refuse(error, 403, "%s may not act for owner %s: only an admin may", caller, requested);
    return NULL;
  }
  return mgmt_name_valid("owner", requested, MGMT_MAX_NAME, error) ? requested : NULL;
}
