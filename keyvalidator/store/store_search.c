/*
 * store_search.c: the API search index and keyset searches (store_search.h). A search's cost
 * follows the page or the matches, never the catalogue; pages go by (name, api_id), so
 * inserted rows shift no page. Trade-off: AM_API_TAG keeps a copy of the API's name so a
 * tag's rows come in page order and the scan stops at the page's end; a word matches by
 * prefix ("piz" finds "pizza"), so a word-led search sorts its matches. Plans: docs/HACKING.md.
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
    DbParam p[] = {DBP_I(api->id), DBP_S(g_ptr_array_index(api->tags, i)), DBP_S(api->name)};
    if (!hub_db_exec(conn, "INSERT IGNORE INTO AM_API_TAG (api_id, tag, name) VALUES (?, ?, ?)", p,
                     3, NULL, NULL, error))
      return FALSE;
  }
  return TRUE;
}

/* The kept tags' copy of the API's name (a rename without new tags). */
static gboolean tags_rename(MYSQL *conn, const TgApi *api, GError **error) {
  DbParam p[] = {DBP_S(api->name), DBP_I(api->id), DBP_S(api->name)};
  return hub_db_exec(conn,
                     "UPDATE AM_API_TAG SET name = ? WHERE api_id = ?"
                     " AND CAST(name AS BINARY) <> CAST(? AS BINARY)",
                     p, 3, NULL, NULL, error);
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

/* The words of an API (name, context, then its stored tags in order) into AM_API_WORD, added
   to what is there (INSERT IGNORE). */
static gboolean words_insert(MYSQL *conn, gint64 api_id, const char *name, const char *context,
                             GError **error) {
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
  if (!tags_read(conn, api_id, tags, error)) return FALSE;
  api_words_split(name, words);
  api_words_split(context, words);
  for (guint i = 0; i < tags->len; i++) api_words_split(g_ptr_array_index(tags, i), words);
  for (guint i = 0; i < words->len; i++) {
    DbParam p[] = {DBP_S(g_ptr_array_index(words, i)), DBP_I(api_id)};
    if (!hub_db_exec(conn, "INSERT IGNORE INTO AM_API_WORD (word, api_id) VALUES (?, ?)", p, 2,
                     NULL, NULL, error))
      return FALSE;
  }
  return TRUE;
}

gboolean store_search_index_api(MYSQL *conn, const TgApi *api, GError **error) {
  gboolean new_tags = api->__isset_tags && api->tags != NULL;
  if (!(new_tags ? tags_replace(conn, api, error) : tags_rename(conn, api, error))) return FALSE;
  DbParam id[] = {DBP_I(api->id)};
  return hub_db_exec(conn, "DELETE FROM AM_API_WORD WHERE api_id = ?", id, 1, NULL, NULL, error) &&
         words_insert(conn, api->id, api->name, api->context, error);
}

/* ---- the back-fill: APIs written before the index existed ---- */

#define BACKFILL_BATCH 200

typedef struct {
  GPtrArray *rows; /* api_id, name, context */
  guint indexed;
} Backfill;

static gboolean backfill_batch(MYSQL *conn, gpointer data, GError **error) {
  Backfill *b = data;
  b->indexed = 0;
  for (guint i = 0; i < b->rows->len; i++) {
    char **r = g_ptr_array_index(b->rows, i);
    if (!words_insert(conn, g_ascii_strtoll(r[0], NULL, 10), r[1], r[2], error)) return FALSE;
    b->indexed++;
  }
  return TRUE;
}

gboolean store_search_backfill(MYSQL *conn, guint *indexed, GError **error) {
  gint64 after = 0;
  *indexed = 0;
  for (;;) {
    DbParam p[] = {DBP_I(after), DBP_I(BACKFILL_BATCH)};
    g_autoptr(GPtrArray) rows =
        hub_db_query(conn,
                     "SELECT a.api_id, a.name, a.context FROM AM_API a WHERE a.api_id > ?"
                     " AND NOT EXISTS (SELECT 1 FROM AM_API_WORD w WHERE w.api_id = a.api_id)"
                     " ORDER BY a.api_id LIMIT ?",
                     p, 2, BACKFILL_BATCH, error);
    if (rows == NULL) return FALSE;
    if (rows->len == 0) return TRUE;
    Backfill b = {.rows = rows};
    if (!hub_db_transaction(conn, backfill_batch, &b, error)) return FALSE;
    *indexed += b.indexed;
    after = g_ascii_strtoll(((char **)g_ptr_array_index(rows, rows->len - 1))[0], NULL, 10);
    if (rows->len < BACKFILL_BATCH) return TRUE;
  }
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

/* Which index leads: the first tag's rows in page order (tag, name, api_id) unless the first
   word has few matches (s->word_first); else the first word's; else AM_API's own. */
typedef enum { LEAD_API, LEAD_WORD, LEAD_TAG } Lead;

static Lead search_lead(const StoreApiSearch *s) {
  gboolean words = s->words != NULL && s->words->len > 0;
  gboolean tags = s->tags != NULL && s->tags->len > 0;
  if (tags && !(words && s->word_first)) return LEAD_TAG;
  return words ? LEAD_WORD : LEAD_API;
}

/* The FROM clause: the leading term's rows drive the join (STRAIGHT_JOIN). */
static void search_from(const StoreApiSearch *s, GString *sql, GArray *params, GPtrArray *keep,
                        guint *first_word, guint *first_tag) {
  *first_word = *first_tag = 0;
  switch (search_lead(s)) {
  case LEAD_WORD:
    g_string_append(sql,
                    " FROM (SELECT DISTINCT api_id FROM AM_API_WORD WHERE word LIKE ?) d"
                    " STRAIGHT_JOIN AM_API a ON a.api_id = d.api_id WHERE 1 = 1");
    param_s(params, like_prefix(g_ptr_array_index(s->words, 0), keep));
    *first_word = 1;
    break;
  case LEAD_TAG:
    g_string_append(sql,
                    " FROM AM_API_TAG d STRAIGHT_JOIN AM_API a ON a.api_id = d.api_id"
                    " WHERE d.tag = ?");
    param_s(params, g_ptr_array_index(s->tags, 0));
    *first_tag = 1;
    break;
  case LEAD_API:
    g_string_append(sql, " FROM AM_API a WHERE 1 = 1");
    break;
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
  /* led by a tag, the page's order is the tag index's own: the scan stops at the limit */
  const char *t = search_lead(s) == LEAD_TAG ? "d" : "a";
  g_string_append(sql, "SELECT " SEARCH_COLUMNS " FROM (SELECT a.api_id, a.name");
  search_where(s, sql, params, keep);
  if (s->after_id > 0) {
    g_string_append_printf(sql, " AND (%s.name > ? OR (%s.name = ? AND %s.api_id > ?))", t, t, t);
    param_s(params, s->after_name ? s->after_name : "");
    param_s(params, s->after_name ? s->after_name : "");
    param_i(params, s->after_id);
  }
  g_string_append_printf(sql,
                         " ORDER BY %s.name, %s.api_id LIMIT ?) k STRAIGHT_JOIN AM_API r"
                         " ON r.api_id = k.api_id ORDER BY k.name, k.api_id",
                         t, t);
  param_i(params, s->limit);
}

/* The number of matches, counted up to STORE_SEARCH_COUNT_MAX (more: -1, not counted). */
static gboolean search_count(MYSQL *conn, const StoreApiSearch *s, gint64 *total, GError **error) {
  g_autoptr(GString) sql = g_string_new("SELECT COUNT(*) FROM (SELECT 1");
  g_autoptr(GArray) params = g_array_new(FALSE, TRUE, sizeof(DbParam));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
  search_where(s, sql, params, keep);
  g_string_append(sql, " LIMIT ?) c");
  param_i(params, STORE_SEARCH_COUNT_MAX + 1);
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn, sql->str, (DbParam *)params->data, params->len, 1, error);
  if (rows == NULL) return FALSE;
  *total = rows->len ? g_ascii_strtoll(((char **)g_ptr_array_index(rows, 0))[0], NULL, 10) : 0;
  if (*total > STORE_SEARCH_COUNT_MAX) *total = -1;
  return TRUE;
}

/* With words and tags: whether the first word has fewer than WORD_FEW index rows, so that
   leading with it (and sorting its few matches) beats walking the tag's rows in page order
   until the page is full. One index-only range of at most WORD_FEW rows. */
#define WORD_FEW 128

static gboolean word_is_few(MYSQL *conn, const StoreApiSearch *s, gboolean *few, GError **error) {
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
  DbParam p[] = {DBP_S(like_prefix(g_ptr_array_index(s->words, 0), keep)), DBP_I(WORD_FEW)};
  g_autoptr(GPtrArray) rows = hub_db_query(
      conn, "SELECT COUNT(*) FROM (SELECT 1 FROM AM_API_WORD WHERE word LIKE ? LIMIT ?) f", p, 2, 1,
      error);
  if (rows == NULL) return FALSE;
  *few =
      rows->len && g_ascii_strtoll(((char **)g_ptr_array_index(rows, 0))[0], NULL, 10) < WORD_FEW;
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

gboolean store_search_apis(MYSQL *conn, const StoreApiSearch *search, GPtrArray *out, gint64 *total,
                           GError **error) {
  g_autoptr(GString) sql = g_string_new(NULL);
  g_autoptr(GArray) params = g_array_new(FALSE, TRUE, sizeof(DbParam));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
  StoreApiSearch lead = *search, *s = &lead;
  gboolean both = s->words && s->words->len && s->tags && s->tags->len;
  if (both && !word_is_few(conn, s, &lead.word_first, error)) return FALSE;
  store_search_sql(s, sql, params, keep);
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn, sql->str, (DbParam *)params->data, params->len, s->limit, error);
  if (rows == NULL) return FALSE;
  guint first = out->len;
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add(out, api_from_search_row(g_ptr_array_index(rows, i)));
  if (!page_tags(conn, out, first, error)) return FALSE;
  /* counted when terms bound the matches (the whole catalogue is not: -1); a first page that
     holds every match is its own count */
  gboolean bounded = (s->words && s->words->len) || (s->tags && s->tags->len);
  if (total == NULL) return TRUE;
  *total = -1;
  if (bounded && s->after_id == 0 && rows->len < s->limit) *total = rows->len;
  return !bounded || *total >= 0 || search_count(conn, s, total, error);
}
