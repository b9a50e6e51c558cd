/*
 * store_docs.h: API documents in regdb's REG_DOCUMENT. Every function takes a
 * regdb connection; whether the API exists is the caller's question to the API
 * store (apimgtdb), asked before docs_insert.
 */
#ifndef TOLLGATE_HUB_STORE_DOCS_H
#define TOLLGATE_HUB_STORE_DOCS_H

#include <glib.h>
#include <mysql.h>

#define DOCS_MAX_LIST 1000

#define DOCS_ERROR (g_quark_from_static_string("hub-docs-error"))

/* Inserts doc; *id and *updated_at get the new row's values. */
gboolean docs_insert(MYSQL *conn, gconstpointer doc, gint64 *id, gint64 *updated_at,
                     GError **error);
/* Documents (TgDocument *) of one API, by id. */
GPtrArray *docs_list(MYSQL *conn, const char *context, const char *version, GError **error);
/* Deletes by id; *found says whether it existed. */
gboolean docs_delete(MYSQL *conn, gint64 id, gboolean *found, GError **error);

/* The API (context, version) document id belongs to; FALSE with *found FALSE when none. */
gboolean docs_api_of(MYSQL *conn, gint64 id, char **context, char **version, gboolean *found,
                     GError **error);

#endif
