/*
 * doc_methods.c: addDocument, listDocuments, deleteDocument. The rules are in
 * docs.c, the statements in store_docs.c; here the session, who may change an
 * API's documents, and the answer.
 */
#include "config.h"

#include <string.h>

#include "audit_log.h"
#include "db.h"
#include "docs.h"
#include "handler.h"
#include "hub_internal.h"
#include "methods.h"
#include "mgmt_apis.h"
#include "mgmt_call.h"
#include "session.h"
#include "tg_tollgate_types.h"

static const char *const docs_writers[] = {"publisher", "admin", NULL};

/* A regdb connection, or NULL with a 503 TollgateException set. */
static MYSQL *docs_conn(Hub *hub, TgTollgateException **err) {
  g_autoptr(GError) local = NULL;
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_reg, &local);
  if (conn == NULL) {
    g_warning("documents: %s", local->message);
    hub_set_error(err, 503, "database unavailable");
  }
  return conn;
}

/* What a caller may do with an API's documents. */
typedef enum { DOCS_READ, DOCS_WRITE } DocsAccess;

/* TRUE when the API exists and the caller (who) may read (mgmt_api_visible: subscribers only
   PUBLISHED and DEPRECATED APIs) or write (mgmt_api_may_change: its provider or an admin)
   its documents; else a 404 (an API the caller may not see is not there), 403 or 503. */
static gboolean docs_api_allows(Hub *hub, const SessionInfo *who, const char *context,
                                const char *version, DocsAccess access, TgTollgateException **err) {
  g_autoptr(GError) local = NULL;
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_apimgt, &local);
  g_autoptr(TgApi) api = conn ? store_api_get(conn, context, version, &local) : NULL;
  if (conn) hub_db_release(hub, conn);
  gboolean admin = (who->roles & ROLE_ADMIN) != 0;
  gboolean manager = (who->roles & (ROLE_ADMIN | ROLE_PUBLISHER)) != 0;
  if (api != NULL && mgmt_api_visible(api->status, manager)) {
    if (access == DOCS_READ || mgmt_api_may_change(who->user, admin, api->provider, &local))
      return TRUE;
    hub_set_error(err, 403, "%s", local->message);
    return FALSE;
  }
  if (local != NULL) {
    g_warning("documents: %s", local->message);
    hub_set_error(err, 503, "database unavailable");
  } else {
    hub_set_error(err, 404, "no API %s %s", context, version);
  }
  return FALSE;
}

gboolean hub_method_add_document(TgTollgateIf *iface, TgDocument **_return, const gchar *sessionId,
                                 const TgDocument *doc, TgTollgateException **err, GError **error) {
  Hub *hub = hub_handler_hub(iface);
  g_autoptr(GError) local = NULL;
  SessionInfo who = {0};
  if (!hub_require_session(hub, sessionId, docs_writers, &who, err) ||
      !hub_write_allowed(hub, &who, "documents", err))
    return FALSE;
  if (!docs_valid(doc, &local)) {
    hub_set_error(err, 400, "%s", local->message);
    return FALSE;
  }
  if (!docs_api_allows(hub, &who, doc->apiContext, doc->apiVersion, DOCS_WRITE, err)) return FALSE;
  MYSQL *conn = docs_conn(hub, err);
  if (conn == NULL) return FALSE;
  gint64 id = 0, updated = 0;
  gboolean ok = docs_insert(conn, doc, &id, &updated, &local);
  hub_db_release(hub, conn);
  if (!ok) {
    g_warning("addDocument: %s", local->message);
    hub_set_error(err, 503, "document not stored: database unavailable");
    return FALSE;
  }
  /* the generated processor hands us a fresh *_return */
  g_object_set(*_return, "id", id, "apiContext", doc->apiContext, "apiVersion", doc->apiVersion,
               "name", doc->name, "type", doc->type, "sourceType", doc->sourceType, "updatedAt",
               updated, NULL);
  if (doc->summary) g_object_set(*_return, "summary", doc->summary, NULL);
  if (g_strcmp0(doc->sourceType, "INLINE") == 0)
    g_object_set(*_return, "content", doc->content, NULL);
  else
    g_object_set(*_return, "sourceUrl", doc->sourceUrl, NULL);
  g_autofree char *subject =
      g_strdup_printf("%s:%s %s", doc->apiContext, doc->apiVersion, doc->name);
  hub_audit_record(hub, &who, "addDocument", subject);
  return TRUE;
}

gboolean hub_method_list_documents(TgTollgateIf *iface, GPtrArray **_return, const gchar *sessionId,
                                   const gchar *apiContext, const gchar *apiVersion,
                                   TgTollgateException **err, GError **error) {
  Hub *hub = hub_handler_hub(iface);
  SessionInfo who = {0};
  if (!hub_require_session(hub, sessionId, NULL, &who, err) ||
      !docs_api_allows(hub, &who, apiContext, apiVersion, DOCS_READ, err))
    return FALSE;
  MYSQL *conn = docs_conn(hub, err);
  if (conn == NULL) return FALSE;
  g_autoptr(GError) local = NULL;
  GPtrArray *docs = docs_list(conn, apiContext, apiVersion, &local);
  hub_db_release(hub, conn);
  if (docs == NULL) {
    g_warning("listDocuments: %s", local->message);
    hub_set_error(err, 503, "database unavailable");
    return FALSE;
  }
  for (guint i = 0; i < docs->len; i++)
    g_ptr_array_add(*_return, g_object_ref(g_ptr_array_index(docs, i)));
  g_ptr_array_unref(docs);
  return TRUE;
}

gboolean hub_method_delete_document(TgTollgateIf *iface, const gchar *sessionId,
                                    const gint64 documentId, TgTollgateException **err,
                                    GError **error) {
  Hub *hub = hub_handler_hub(iface);
  SessionInfo who = {0};
  if (!hub_require_session(hub, sessionId, docs_writers, &who, err) ||
      !hub_write_allowed(hub, &who, "documents", err))
    return FALSE;
  MYSQL *conn = docs_conn(hub, err);
  if (conn == NULL) return FALSE;
  g_autoptr(GError) local = NULL;
  g_autofree char *context = NULL, *version = NULL;
  gboolean found = FALSE;
  gboolean ok = docs_api_of(conn, documentId, &context, &version, &found, &local);
  if (ok && found && !docs_api_allows(hub, &who, context, version, DOCS_WRITE, err)) {
    hub_db_release(hub, conn);
    return FALSE;
  }
  ok = ok && (!found || docs_delete(conn, documentId, &found, &local));
  hub_db_release(hub, conn);
  if (!ok) {
    g_warning("deleteDocument: %s", local->message);
    hub_set_error(err, 503, "database unavailable");
  } else if (!found) {
    hub_set_error(err, 404, "no document %" G_GINT64_FORMAT, documentId);
  } else {
    g_autofree char *subject =
        g_strdup_printf("%s:%s document %" G_GINT64_FORMAT, context, version, documentId);
    hub_audit_record(hub, &who, "deleteDocument", subject);
  }
  return ok && found;
}
