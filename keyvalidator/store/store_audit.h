/*
 * store_audit.h: the audit log in apimgtdb (AM_AUDIT): one row per publisher or admin
 * action, read newest first in keyset pages by audit_id (the primary key: no sort).
 */
#ifndef TOLLGATE_HUB_STORE_AUDIT_H
#define TOLLGATE_HUB_STORE_AUDIT_H

#include <glib.h>
#include <mysql.h>

#include "tg_tollgate_types.h"

gboolean store_audit_insert(MYSQL *conn, const char *actor, const char *action, const char *subject,
                            const char *client_address, const char *detail, GError **error);
/* At most limit entries (TgAuditEntry *) older than before_id (0: from the newest) into out. */
gboolean store_audit_page(MYSQL *conn, gint64 before_id, guint limit, GPtrArray *out,
                          GError **error);

#endif
