/*
 * docs.h: the rules of API documents (addDocument, listDocuments, deleteDocument):
 * what a valid document is. Pure, so tests/unit/test_feed.c checks it without a
 * database; the rows are in store_docs.h.
 */
#ifndef TOLLGATE_HUB_DOCS_H
#define TOLLGATE_HUB_DOCS_H

#include <glib.h>
#include <mysql.h>

#include "store_docs.h"

#define DOCS_MAX_NAME    256
#define DOCS_MAX_SUMMARY 1024
#define DOCS_MAX_URL     2048
#define DOCS_MAX_CONTENT (1024 * 1024) /* below [hub] max_message_size anyway */

/* Checks a TgDocument (gconstpointer: Thrift types stay out of this header). */
gboolean docs_valid(gconstpointer doc, GError **error);

#endif
