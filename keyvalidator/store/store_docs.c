/*
 * store_docs.c: API documents in regdb (REG_DOCUMENT). Every text value goes
 * through a prepared statement; listing reads a bounded number of rows.
 * Trade-off: content is stored inline in the row (MEDIUMTEXT) rather than as a
 * registry resource, which is all a portal needs to show a document.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "store_docs.h"
#include "tg_tollgate_types.h"

static gboolean stmt_fail(MYSQL_STMT *stmt, GError **error) {
  g_set_error(error, DOCS_ERROR, 2, "documents: %s", mysql_stmt_error(stmt));
  return FALSE;
}

static void bind_text(MYSQL_BIND *b, const char *s, unsigned long *len) {
  b->buffer_type = s ? MYSQL_TYPE_STRING : MYSQL_TYPE_NULL;
  b->buffer = (void *)s;
  *len = s ? strlen(s) : 0;
  b->buffer_length = *len;
  b->length = len;
}

/* Prepares and executes sql with params; returns the statement (caller closes) or NULL. */
static MYSQL_STMT *docs_exec(MYSQL *conn, const char *sql, MYSQL_BIND *params, GError **error) {
  MYSQL_STMT *stmt = mysql_stmt_init(conn);
  if (stmt == NULL) {
    g_set_error(error, DOCS_ERROR, 2, "documents: out of memory");
    return NULL;
  }
  if (mysql_stmt_prepare(stmt, sql, strlen(sql)) != 0 ||
      (params && mysql_stmt_bind_param(stmt, params) != 0) || mysql_stmt_execute(stmt) != 0) {
    stmt_fail(stmt, error);
    mysql_stmt_close(stmt);
    return NULL;
  }
  return stmt;
}

gboolean docs_insert(MYSQL *conn, gconstpointer p, gint64 *id, gint64 *updated_at, GError **error) {
  const TgDocument *d = p;
  gboolean inline_doc = g_strcmp0(d->sourceType, "INLINE") == 0;
  *updated_at = g_get_real_time() / G_USEC_PER_SEC;
  MYSQL_BIND b[9] = {0};
  unsigned long len[8];
  bind_text(&b[0], d->apiContext, &len[0]);
  bind_text(&b[1], d->apiVersion, &len[1]);
  bind_text(&b[2], d->name, &len[2]);
  bind_text(&b[3], d->type, &len[3]);
  bind_text(&b[4], d->summary, &len[4]);
  bind_text(&b[5], d->sourceType, &len[5]);
  bind_text(&b[6], inline_doc ? d->content : NULL, &len[6]);
  bind_text(&b[7], inline_doc ? NULL : d->sourceUrl, &len[7]);
  b[8].buffer_type = MYSQL_TYPE_LONGLONG;
  b[8].buffer = updated_at;
  MYSQL_STMT *stmt = docs_exec(
      conn,
      "INSERT INTO REG_DOCUMENT (api_context, api_version, name, type, summary, source_type,"
      " content, source_url, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
      b, error);
  if (stmt == NULL) return FALSE;
  *id = (gint64)mysql_stmt_insert_id(stmt);
  mysql_stmt_close(stmt);
  return TRUE;
}

enum {
  COL_ID,
  COL_NAME,
  COL_TYPE,
  COL_SUMMARY,
  COL_SOURCE_TYPE,
  COL_CONTENT,
  COL_URL,
  COL_UPDATED,
  N_COLS
};

/* Reads the current row's column col (strings of any length) into a new string or NULL. */
static char *fetch_text(MYSQL_STMT *stmt, MYSQL_BIND *res, unsigned int col) {
  if (*res[col].is_null) return NULL;
  unsigned long n = *res[col].length;
  char *s = g_malloc(n + 1);
  MYSQL_BIND one = {.buffer_type = MYSQL_TYPE_STRING, .buffer = s, .buffer_length = n + 1};
  if (n > 0 && mysql_stmt_fetch_column(stmt, &one, col, 0) != 0) n = 0;
  s[n] = '\0';
  return s;
}

static TgDocument *doc_from_row(MYSQL_STMT *stmt, MYSQL_BIND *res, const char *context,
                                const char *version, gint64 id, gint64 updated) {
  g_autofree char *name = fetch_text(stmt, res, COL_NAME);
  g_autofree char *type = fetch_text(stmt, res, COL_TYPE);
  g_autofree char *summary = fetch_text(stmt, res, COL_SUMMARY);
  g_autofree char *source_type = fetch_text(stmt, res, COL_SOURCE_TYPE);
  g_autofree char *content = fetch_text(stmt, res, COL_CONTENT);
  g_autofree char *url = fetch_text(stmt, res, COL_URL);
  TgDocument *d =
      g_object_new(TG_TYPE_DOCUMENT, "id", id, "apiContext", context, "apiVersion", version, "name",
                   name, "type", type, "sourceType", source_type, "updatedAt", updated, NULL);
  if (summary) g_object_set(d, "summary", summary, NULL);
  if (content) g_object_set(d, "content", content, NULL);
  if (url) g_object_set(d, "sourceUrl", url, NULL);
  return d;
}

static GPtrArray *docs_read_rows(MYSQL_STMT *stmt, const char *context, const char *version,
                                 GError **error) {
  gint64 id = 0, updated = 0;
  my_bool nulls[N_COLS] = {0};
  unsigned long lens[N_COLS] = {0};
  MYSQL_BIND res[N_COLS] = {0};
  for (int i = 0; i < N_COLS; i++) {
    res[i].buffer_type = MYSQL_TYPE_STRING; /* length only; fetched per column */
    res[i].is_null = &nulls[i];
    res[i].length = &lens[i];
  }
  res[COL_ID] =
      (MYSQL_BIND){.buffer_type = MYSQL_TYPE_LONGLONG, .buffer = &id, .is_null = &nulls[COL_ID]};
  res[COL_UPDATED] = (MYSQL_BIND){
      .buffer_type = MYSQL_TYPE_LONGLONG, .buffer = &updated, .is_null = &nulls[COL_UPDATED]};
  if (mysql_stmt_bind_result(stmt, res) != 0) {
    stmt_fail(stmt, error);
    return NULL;
  }
  GPtrArray *docs = g_ptr_array_new_with_free_func(g_object_unref);
  int rc;
  while ((rc = mysql_stmt_fetch(stmt)) == 0 || rc == MYSQL_DATA_TRUNCATED)
    g_ptr_array_add(docs, doc_from_row(stmt, res, context, version, id, updated));
  if (rc != MYSQL_NO_DATA) {
    g_ptr_array_unref(docs);
    stmt_fail(stmt, error);
    return NULL;
  }
  return docs;
}

GPtrArray *docs_list(MYSQL *conn, const char *context, const char *version, GError **error) {
  MYSQL_BIND b[2] = {0};
  unsigned long len[2];
  bind_text(&b[0], context, &len[0]);
  bind_text(&b[1], version, &len[1]);
  MYSQL_STMT *stmt = docs_exec(
      conn,
      "SELECT id, name, type, summary, source_type, content, source_url, updated_at"
      " FROM REG_DOCUMENT WHERE api_context = ? AND api_version = ? ORDER BY id LIMIT 1000",
      b, error);
  if (stmt == NULL) return NULL;
  GPtrArray *docs = docs_read_rows(stmt, context, version, error);
  mysql_stmt_close(stmt);
  return docs;
}

gboolean docs_delete(MYSQL *conn, gint64 id, gboolean *found, GError **error) {
  MYSQL_BIND b[1] = {{.buffer_type = MYSQL_TYPE_LONGLONG, .buffer = &id}};
  MYSQL_STMT *stmt = docs_exec(conn, "DELETE FROM REG_DOCUMENT WHERE id = ?", b, error);
  if (stmt == NULL) return FALSE;
  *found = mysql_stmt_affected_rows(stmt) > 0;
  mysql_stmt_close(stmt);
  return TRUE;
}

/* The API (context, version) document id belongs to; FALSE with *found FALSE when none. */
gboolean docs_api_of(MYSQL *conn, gint64 id, char **context, char **version, gboolean *found,
                     GError **error) {
  DbParam p[] = {DBP_I(id)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT api_context, api_version"
                                           " FROM REG_DOCUMENT WHERE id = ?",
                                           p, 1, 1, error);
  *found = rows != NULL && rows->len > 0;
  if (*found) {
    char **r = g_ptr_array_index(rows, 0);
    *context = g_strdup(r[0]);
    *version = g_strdup(r[1]);
  }
  return rows != NULL;
}
