/*
 * store_search.c: the API search index and keyset searches (store_search.h). A search's cost
 * follows the matches, not the catalogue; pages go by (name, api_id), so inserted rows shift
 * no page. Trade-off: a word matches by prefix, so "piz" finds "pizza", at the price of
 * DISTINCT. Query plans: docs/HACKING.md.
 */
#include "config.h"

#include <string.h>

#include "api_words.h"
#include "store_search.h"

/* The page's rows are read after the sort, by primary key: the sort handles (name, id) of
   every match, never their descriptions (a TEXT column would make it sort row ids and read
   each row twice). */
#define SEARCH_COLUMNS                                            \
  "r.api_id, r.name, r.context, r.version, r.provider, r.status," \
  " r.description, r.updated_at, r.is_default_version"

/* ---- the index ---- */

static gboolean tags_replace(MYSQL *conn, const TgApi *api, GError **error) {
  DbParam id[] = {DBP_I(api->id)};
  if (!hub_db_exec(conn, "DELETE FROM AM_API_TAG WHERE api_id = ?", id, 1, NULL, NULL, error))
    return FALSE;
  for (guint i = 0; i < api->tags->len; i++) {
    DbParam p[] = {DBP_I(api->id), DBP_S(g_ptr_array_index(api->tags, i))};
    if (!hub_db_exec(conn, "INSERT IGNORE INTO AM_API_TAG (api_id, tag) VALUES (?, ?)", p, 2, NULL,
                     NULL, error))
      return FALSE;
  }
  return TRUE;
}

/* The stored tags of api_id into out (strings). */
static gboolean tags_read(MYSQL *conn, gint64 api_id, GPtrArray *out, GError **error) {
  DbParam p[] = {DBP_I(api_id)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT tag FROM AM_API_TAG WHERE api_id = ?"
                                           " ORDER BY tag",
                                           p, 1, API_MAX_TAGS * 4, error);
  if (rows == NULL) return FALSE;
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add(out, g_strdup(((char **)g_ptr_array_index(rows, i))[0]));
  return TRUE;
}

gboolean store_search_index_api(MYSQL *conn, const TgApi *api, GError **error) {
  if (api->__isset_tags && api->tags != NULL && !tags_replace(conn, api, error)) return FALSE;
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
  if (!tags_read(conn, api->id, tags, error)) return FALSE;
  api_words_split(api->name, words);
  api_words_split(api->context, words);
  for (guint i = 0; i < tags->len; i++) api_words_split(g_ptr_array_index(tags, i), words);
  DbParam id[] = {DBP_I(api->id)};
  if (!hub_db_exec(conn, "DELETE FROM AM_API_WORD WHERE api_id = ?", id, 1, NULL, NULL, error))
    return FALSE;
  for (guint i = 0; i < words->len; i++) {
    DbParam p[] = {DBP_S(g_ptr_array_index(words, i)), DBP_I(api->id)};
    if (!hub_db_exec(conn, "INSERT IGNORE INTO AM_API_WORD (word, api_id) VALUES (?, ?)", p, 2,
                     NULL, NULL, error))
      return FALSE;
  }
  return TRUE;
}

gboolean store_search_fill_tags(MYSQL *conn, TgApi *api, GError **error) {
  g_ptr_array_set_size(api->tags, 0);
  api->__isset_tags = TRUE;
  return tags_read(conn, api->id, api->tags, error);
}

/* ---- the search ---- */

/* value as a LIKE prefix pattern: %, _ and \ escaped, % appended (kept in keep). */
static const char *like_prefix(const char *value, GPtrArray *keep) {
  GString *s = g_string_new(NULL);
  for (const char *p = value; *p; p++) {
    if (*p == '%' || *p == '_' || *p == '\\') g_string_append_c(s, '\\');
    g_string_append_c(s, *p);
  }
  g_string_append_c(s, '%');
  char *out = g_string_free(s, FALSE);
  g_ptr_array_add(keep, out);
  return out;
}

static void param_s(GArray *params, const char *s) {
  DbParam p = DBP_S(s);
  g_array_append_val(params, p);
}

static void param_i(GArray *params, gint64 i) {
  DbParam p = DBP_I(i);
  g_array_append_val(params, p);
}

/* The FROM clause: the first word's or tag's ids drive the join when there is one. */
static void search_from(const StoreApiSearch *s, GString *sql, GArray *params, GPtrArray *keep,
                        guint *first_word, guint *first_tag) {
  *first_word = *first_tag = 0;
  if (s->words != NULL && s->words->len > 0) {
    g_string_append(sql,
                    " FROM (SELECT DISTINCT api_id FROM AM_API_WORD WHERE word LIKE ?) d"
                    " STRAIGHT_JOIN AM_API a ON a.api_id = d.api_id WHERE 1 = 1");
    param_s(params, like_prefix(g_ptr_array_index(s->words, 0), keep));
    *first_word = 1;
  } else if (s->tags != NULL && s->tags->len > 0) {
    g_string_append(sql,
                    " FROM AM_API_TAG d STRAIGHT_JOIN AM_API a ON a.api_id = d.api_id"
                    " WHERE d.tag = ?");
    param_s(params, g_ptr_array_index(s->tags, 0));
    *first_tag = 1;
  } else {
    g_string_append(sql, " FROM AM_API a WHERE 1 = 1");
  }
}

/* Every condition but the cursor's. */
static void search_where(const StoreApiSearch *s, GString *sql, GArray *params, GPtrArray *keep) {
  guint first_word, first_tag;
  search_from(s, sql, params, keep, &first_word, &first_tag);
  for (guint i = first_word; s->words != NULL && i < s->words->len; i++) {
    g_string_append(sql,
                    " AND EXISTS (SELECT 1 FROM AM_API_WORD w WHERE w.api_id = a.api_id"
                    " AND w.word LIKE ?)");
    param_s(params, like_prefix(g_ptr_array_index(s->words, i), keep));
  }
  for (guint i = first_tag; s->tags != NULL && i < s->tags->len; i++) {
    g_string_append(sql,
                    " AND EXISTS (SELECT 1 FROM AM_API_TAG t WHERE t.api_id = a.api_id"
                    " AND t.tag = ?)");
    param_s(params, g_ptr_array_index(s->tags, i));
  }
  if (s->name_prefix != NULL) {
    g_string_append(sql, " AND a.name LIKE ?");
    param_s(params, like_prefix(s->name_prefix, keep));
  }
  if (s->context_prefix != NULL) {
    g_string_append(sql, " AND a.context LIKE ?");
    param_s(params, like_prefix(s->context_prefix, keep));
  }
  const struct {
    const char *sql, *value;
  } exact[] = {
      {" AND a.provider = ?", s->provider},
      {" AND a.version = ?", s->version},
      {" AND a.status = ?", s->status},
  };
  for (guint i = 0; i < G_N_ELEMENTS(exact); i++)
    if (exact[i].value != NULL) {
      g_string_append(sql, exact[i].sql);
      param_s(params, exact[i].value);
    }
  if (s->see == STORE_SEE_PUBLIC)
    g_string_append(sql, " AND a.status IN ('PUBLISHED', 'DEPRECATED')");
  else if (s->see == STORE_SEE_PUBLIC_AND_OWN) {
    g_string_append(sql, " AND (a.status IN ('PUBLISHED', 'DEPRECATED') OR a.provider = ?)");
    param_s(params, s->viewer ? s->viewer : "");
  }
}

void store_search_sql(const StoreApiSearch *s, GString *sql, GArray *params, GPtrArray *keep) {
  g_string_append(sql, "SELECT " SEARCH_COLUMNS " FROM (SELECT a.api_id, a.name");
  search_where(s, sql, params, keep);
  if (s->after_id > 0) {
    g_string_append(sql, " AND (a.name > ? OR (a.name = ? AND a.api_id > ?))");
    param_s(params, s->after_name ? s->after_name : "");
    param_s(params, s->after_name ? s->after_name : "");
    param_i(params, s->after_id);
  }
  g_string_append(sql,
                  " ORDER BY a.name, a.api_id LIMIT ?) k STRAIGHT_JOIN AM_API r"
                  " ON r.api_id = k.api_id ORDER BY k.name, k.api_id");
  param_i(params, s->limit);
}

static gboolean search_count(MYSQL *conn, const StoreApiSearch *s, gint64 *total, GError **error) {
  g_autoptr(GString) sql = g_string_new("SELECT COUNT(*)");
  g_autoptr(GArray) params = g_array_new(FALSE, TRUE, sizeof(DbParam));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
  search_where(s, sql, params, keep);
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn, sql->str, (DbParam *)params->data, params->len, 1, error);
  if (rows == NULL) return FALSE;
  *total = rows->len ? g_ascii_strtoll(((char **)g_ptr_array_index(rows, 0))[0], NULL, 10) : 0;
  return TRUE;
}

/* The tags of apis[first..] in one statement (a page: at most 101 ids). */
static gboolean page_tags(MYSQL *conn, GPtrArray *apis, guint first, GError **error) {
  if (first >= apis->len) return TRUE;
  g_autoptr(GString) sql = g_string_new("SELECT api_id, tag FROM AM_API_TAG WHERE api_id IN (");
  g_autoptr(GArray) params = g_array_new(FALSE, TRUE, sizeof(DbParam));
  for (guint i = first; i < apis->len; i++) {
    TgApi *api = g_ptr_array_index(apis, i);
    g_string_append(sql, i > first ? ", ?" : "?");
    param_i(params, api->id);
    api->__isset_tags = TRUE;
  }
  g_string_append(sql, ") ORDER BY api_id, tag");
  g_autoptr(GPtrArray) rows = hub_db_query(conn, sql->str, (DbParam *)params->data, params->len,
                                           (apis->len - first) * API_MAX_TAGS * 4, error);
  if (rows == NULL) return FALSE;
  for (guint i = 0; i < rows->len; i++) {
    char **r = g_ptr_array_index(rows, i);
    gint64 id = g_ascii_strtoll(r[0], NULL, 10);
    for (guint k = first; k < apis->len; k++) {
      TgApi *api = g_ptr_array_index(apis, k);
      if (api->id == id) g_ptr_array_add(api->tags, g_strdup(r[1]));
    }
  }
  return TRUE;
}

static TgApi *api_from_search_row(char **r) {
  TgApi *api =
      g_object_new(TG_TYPE_API, "id", g_ascii_strtoll(r[0], NULL, 10), "name", r[1] ? r[1] : "",
                   "context", r[2], "version", r[3], "provider", r[4], "status", r[5],
                   "description", r[6] ? r[6] : "", "updatedAt", g_ascii_strtoll(r[7], NULL, 10),
                   "isDefaultVersion", g_ascii_strtoll(r[8], NULL, 10) != 0, NULL);
  api->__isset_resources = api->__isset_subscriptionTiers = FALSE;
  return api;
}

gboolean store_search_apis(MYSQL *conn, const StoreApiSearch *s, GPtrArray *out, gint64 *total,
                           GError **error) {
  g_autoptr(GString) sql = g_string_new(NULL);
  g_autoptr(GArray) params = g_array_new(FALSE, TRUE, sizeof(DbParam));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
  store_search_sql(s, sql, params, keep);
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn, sql->str, (DbParam *)params->data, params->len, s->limit, error);
  if (rows == NULL) return FALSE;
  guint first = out->len;
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add(out, api_from_search_row(g_ptr_array_index(rows, i)));
  if (!page_tags(conn, out, first, error)) return FALSE;
  /* counted when terms bound the matches; the whole catalogue is not counted (-1) */
  gboolean bounded = (s->words && s->words->len) || (s->tags && s->tags->len);
  if (total != NULL) *total = -1;
  return total == NULL || !bounded || search_count(conn, s, total, error);
}
