/*
 * store_audit.c: AM_AUDIT rows (store_audit.h). Texts are cut to their columns' sizes
 * on a UTF-8 boundary rather than refused: an audit row must never make an action fail.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "store_audit.h"

/* s cut to at most max bytes on a character boundary (caller frees). */
static char *cut(const char *s, gsize max) {
  if (s == NULL) return g_strdup("");
  gsize len = strlen(s);
  if (len <= max) return g_strdup(s);
  while (max > 0 && ((guchar)s[max] & 0xC0) == 0x80) max--;
  return g_strndup(s, max);
}

gboolean store_audit_insert(MYSQL *conn, const char *actor, const char *action, const char *subject,
                            const char *client_address, const char *detail, GError **error) {
  g_autofree char *a = cut(actor, 255), *ac = cut(action, 64), *s = cut(subject, 512);
  g_autofree char *ca = cut(client_address, 64), *d = cut(detail, 1024);
  DbParam p[] = {DBP_I(g_get_real_time() / G_USEC_PER_SEC),
                 DBP_S(a),
                 DBP_S(ac),
                 DBP_S(s),
                 DBP_S(ca),
                 DBP_S(d)};
  return hub_db_exec(conn,
                     "INSERT INTO AM_AUDIT (at, actor, action, subject, client_address,"
                     " detail) VALUES (?, ?, ?, ?, ?, ?)",
                     p, G_N_ELEMENTS(p), NULL, NULL, error);
}

gboolean store_audit_page(MYSQL *conn, gint64 before_id, guint limit, GPtrArray *out,
                          GError **error) {
  DbParam p[] = {DBP_I(before_id > 0 ? before_id : G_MAXINT64), DBP_I(limit)};
  g_autoptr(GPtrArray) rows = hub_db_query(
      conn,
      "SELECT audit_id, at, actor, action, subject, client_address, detail FROM AM_AUDIT"
      " WHERE audit_id < ? ORDER BY audit_id DESC LIMIT ?",
      p, 2, limit, error);
  if (rows == NULL) return FALSE;
  for (guint i = 0; i < rows->len; i++) {
    char **r = g_ptr_array_index(rows, i);
    g_ptr_array_add(
        out, g_object_new(TG_TYPE_AUDIT_ENTRY, "id", g_ascii_strtoll(r[0], NULL, 10), "at",
                          g_ascii_strtoll(r[1], NULL, 10), "actor", r[2], "action", r[3], "subject",
                          r[4], "clientAddress", r[5], "detail", r[6], NULL));
  }
  return TRUE;
}
