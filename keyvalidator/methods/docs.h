/*
 * docs.h: API documents (addDocument, listDocuments, deleteDocument) kept in
 * regdb's REG_DOCUMENT. Validation is separate from storage so it is tested
 * without a database; whether the API exists is the caller's question to
 * core's store (apimgtdb), asked before docs_insert.
 */
#ifndef TOLLGATE_HUB_DOCS_H
#define TOLLGATE_HUB_DOCS_H

#include <glib.h>
#include <mysql.h>

#define DOCS_MAX_NAME 256
#define DOCS_MAX_SUMMARY 1024
#define DOCS_MAX_URL 2048
#define DOCS_MAX_CONTENT (1024 * 1024)  /* below [hub] max_message_size anyway */
#define DOCS_MAX_LIST 1000

#define DOCS_ERROR (g_quark_from_static_string("hub-docs-error"))

/* Checks a TgDocument (gconstpointer: Thrift types stay out of this header). */
gboolean docs_valid(gconstpointer doc, GError **error);

/* Inserts doc; *id and *updated_at get the new row's values. */
gboolean docs_insert(MYSQL *conn, gconstpointer doc, gint64 *id, gint64 *updated_at,
                     GError **error);
/* Documents (TgDocument *) of one API, by id. */
GPtrArray *docs_list(MYSQL *conn, const char *context, const char *version, GError **error);
/* Deletes by id; *found says whether it existed. */
gboolean docs_delete(MYSQL *conn, gint64 id, gboolean *found, GError **error);

#endif
