/*
 * store_search.h: the store's index of APIs (AM_API_TAG, AM_API_WORD) and the searches
 * answered from it with keyset pages (searchApis). Every search starts from an index:
 * the first tag's rows in page order, or the first word's, else a prefix range of name or
 * context, else the name index walked from the cursor; EXPLAIN of each shape is checked by
 * tests/integration/test_hub_portal.py with the statements of tests/unit/test_store_search.c.
 */
#ifndef TOLLGATE_HUB_STORE_SEARCH_H
#define TOLLGATE_HUB_STORE_SEARCH_H

#include <glib.h>
#include <mysql.h>

#include "db.h"
#include "tg_tollgate_types.h"

#define API_MAX_TAGS 16
/* A first page counts its matches up to this many; beyond, total is -1 (not counted). */
#define STORE_SEARCH_COUNT_MAX 1000

typedef enum {
  STORE_SEE_PUBLIC,         /* PUBLISHED and DEPRECATED only */
  STORE_SEE_PUBLIC_AND_OWN, /* those and the viewer's own (a publisher) */
  STORE_SEE_ALL,            /* admin */
} StoreSee;

typedef struct {
  const GPtrArray *words; /* prefixes of AM_API_WORD words; may be NULL */
  const GPtrArray *tags;  /* exact tags; may be NULL */
  const char *name_prefix, *context_prefix, *provider, *version, *status; /* NULL: any */
  StoreSee see;
  const char *viewer;     /* STORE_SEE_PUBLIC_AND_OWN: the provider name */
  const char *after_name; /* the cursor: after (name, id); after_id 0: first page */
  gint64 after_id;
  guint limit;
  gboolean word_first; /* words and tags: lead with the first word (store_search_apis sets it
                          when that word has few index rows), else with the first tag */
} StoreApiSearch;

/* Inside an API write's transaction: its tags (when api->__isset_tags; else kept) and its
   words (name, context, tags) rewritten. */
gboolean store_search_index_api(MYSQL *conn, const TgApi *api, GError **error);
/* api->tags from AM_API_TAG. */
gboolean store_search_fill_tags(MYSQL *conn, TgApi *api, GError **error);

/* The page: at most s->limit APIs (TgApi *, listing fields and tags; no resources) into
   out, by name then id. total (may be NULL) gets the number of matches when words or tags
   bound them and there are at most STORE_SEARCH_COUNT_MAX, else -1 (not counted). */
gboolean store_search_apis(MYSQL *conn, const StoreApiSearch *search, GPtrArray *out, gint64 *total,
                           GError **error);
/* Search words for every API that has none (written before migration 009 created the
   index, or by an older hub), in batches of ids, each batch one transaction; idempotent.
   *indexed: how many such APIs were found. Run once at the hub's start. */
gboolean store_search_backfill(MYSQL *conn, guint *indexed, GError **error);
/* The statement store_search_apis runs for s (for EXPLAIN in tests): SQL into sql, its
   parameters (DbParam, strings pointing into s or into keep) into params. */
void store_search_sql(const StoreApiSearch *s, GString *sql, GArray *params, GPtrArray *keep);

#endif
