/*
 * test_store_search.c: the hub handler has no NULL method (a NULL vfunc crashes the hub when
 * a client calls it), and the search statements of keyvalidator/store/store_search.c have
 * the shapes that keep them on indexes: a word or tag search starts from the index table
 * (STRAIGHT_JOIN), a tag-led one in the tag index's (name, api_id) order, the cursor is a
 * (name, api_id) range, every value a parameter.
 * `test_store_search --print-sql` prints each shape with its values inlined, one a line,
 * for tests/integration/test_hub_portal.py to EXPLAIN against the loaded stack.
 */
#include "config.h"

#include <string.h>

#include "handler.h"
#include "store_search.h"
#include "tg_tollgate.h"

static void test_no_null_method(void) {
  gpointer klass = g_type_class_ref(HUB_TYPE_HANDLER);
  const guint8 *base = klass;
  guint checked = 0;
  /* every function pointer after GObjectClass: the WSO2 service's, then Tollgate's */
  for (gsize off = sizeof(GObjectClass); off + sizeof(gpointer) <= sizeof(TgTollgateHandlerClass);
       off += sizeof(gpointer)) {
    gpointer fn = NULL;
    memcpy(&fn, base + off, sizeof fn);
    if (fn == NULL)
      g_error("handler slot at offset %" G_GSIZE_FORMAT " is NULL: set it in class_init", off);
    checked++;
  }
  g_assert_cmpuint(checked, >=, 59); /* 3 WSO2 methods and Tollgate's */
  g_type_class_unref(klass);
}

typedef struct {
  const char *name;
  const char *words[3];
  const char *tags[3];
  const char *name_prefix, *context_prefix, *provider;
  StoreSee see;
  gboolean cursor;
  gboolean word_first;
} Shape;

static const Shape shapes[] = {
    {"all-public", {NULL}, {NULL}, NULL, NULL, NULL, STORE_SEE_PUBLIC, FALSE},
    {"all-public-next", {NULL}, {NULL}, NULL, NULL, NULL, STORE_SEE_PUBLIC, TRUE},
    {"all-admin-next", {NULL}, {NULL}, NULL, NULL, NULL, STORE_SEE_ALL, TRUE},
    {"word", {"pizza", NULL}, {NULL}, NULL, NULL, NULL, STORE_SEE_PUBLIC, FALSE},
    {"words-next", {"pizza", "shack", NULL}, {NULL}, NULL, NULL, NULL, STORE_SEE_PUBLIC, TRUE},
    {"tag", {NULL}, {"food", NULL}, NULL, NULL, NULL, STORE_SEE_PUBLIC, FALSE},
    {"word-tag-own",
     {"pizza", NULL},
     {"food", "fast", NULL},
     NULL,
     NULL,
     NULL,
     STORE_SEE_PUBLIC_AND_OWN,
     TRUE},
    {"name", {NULL}, {NULL}, "Pizza", NULL, NULL, STORE_SEE_PUBLIC, FALSE},
    {"context-next", {NULL}, {NULL}, NULL, "/pizza", NULL, STORE_SEE_ALL, TRUE},
    {"provider", {NULL}, {NULL}, NULL, NULL, "pat", STORE_SEE_PUBLIC_AND_OWN, FALSE},
    {"tag-word-next",
     {"service", NULL},
     {"weather", NULL},
     NULL,
     NULL,
     NULL,
     STORE_SEE_PUBLIC,
     TRUE},
    {"few-word-tag-next",
     {"pizza", NULL},
     {"food", NULL},
     NULL,
     NULL,
     NULL,
     STORE_SEE_PUBLIC,
     TRUE,
     TRUE},
};

static GPtrArray *strv_array(const char *const *v) {
  GPtrArray *a = g_ptr_array_new();
  for (guint i = 0; v[i]; i++) g_ptr_array_add(a, (gpointer)v[i]);
  return a;
}

/* The statement of shape sh into sql/params. */
static void shape_sql(const Shape *sh, GString *sql, GArray *params, GPtrArray *keep) {
  g_autoptr(GPtrArray) words = strv_array(sh->words), tags = strv_array(sh->tags);
  StoreApiSearch s = {.words = words,
                      .tags = tags,
                      .name_prefix = sh->name_prefix,
                      .context_prefix = sh->context_prefix,
                      .provider = sh->provider,
                      .see = sh->see,
                      .viewer = "pat",
                      .after_name = sh->cursor ? "M" : NULL,
                      .after_id = sh->cursor ? 5 : 0,
                      .limit = 21,
                      .word_first = sh->word_first};
  store_search_sql(&s, sql, params, keep);
}

static void test_shapes(void) {
  for (guint i = 0; i < G_N_ELEMENTS(shapes); i++) {
    g_autoptr(GString) sql = g_string_new(NULL);
    g_autoptr(GArray) params = g_array_new(FALSE, TRUE, sizeof(DbParam));
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
    shape_sql(&shapes[i], sql, params, keep);
    guint marks = 0;
    for (const char *p = sql->str; *p; p++) marks += *p == '?';
    g_assert_cmpuint(marks, ==, params->len); /* every value a parameter */
    g_assert_null(strstr(sql->str, "pizza"));
    /* led by a tag (unless its first word has few rows): the tag index's order, no sort */
    gboolean tag_led = shapes[i].tags[0] != NULL && !(shapes[i].words[0] && shapes[i].word_first);
    const char *t = tag_led ? "d" : "a";
    g_autofree char *order = g_strdup_printf(
        "ORDER BY %s.name, %s.api_id LIMIT ?) k STRAIGHT_JOIN AM_API r ON r.api_id = k.api_id", t,
        t);
    g_assert_nonnull(strstr(sql->str, order));
    if (tag_led)
      g_assert_nonnull(strstr(sql->str, "FROM AM_API_TAG d STRAIGHT_JOIN AM_API a"));
    else if (shapes[i].words[0] != NULL)
      g_assert_nonnull(strstr(sql->str,
                              "FROM (SELECT DISTINCT api_id FROM AM_API_WORD"
                              " WHERE word LIKE ?) d STRAIGHT_JOIN AM_API a"));
    g_autofree char *cursor = g_strdup_printf("%s.api_id > ?", t);
    g_assert_true((strstr(sql->str, cursor) != NULL) == shapes[i].cursor);
    if (shapes[i].see == STORE_SEE_ALL) g_assert_null(strstr(sql->str, "a.status IN"));
  }
}

/* --print-sql: "name<TAB>statement" per shape, values inlined as SQL literals (test values
   only: letters, digits, '/', '%'). */
static int print_sql(void) {
  for (guint i = 0; i < G_N_ELEMENTS(shapes); i++) {
    g_autoptr(GString) sql = g_string_new(NULL);
    g_autoptr(GArray) params = g_array_new(FALSE, TRUE, sizeof(DbParam));
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
    shape_sql(&shapes[i], sql, params, keep);
    GString *out = g_string_new(NULL);
    guint k = 0;
    for (const char *p = sql->str; *p; p++) {
      if (*p != '?') {
        g_string_append_c(out, *p);
        continue;
      }
      const DbParam *v = &g_array_index(params, DbParam, k++);
      if (v->type == DB_P_INT64)
        g_string_append_printf(out, "%" G_GINT64_FORMAT, v->i);
      else
        g_string_append_printf(out, "'%s'", v->s);
    }
    g_print("%s\t%s\n", shapes[i].name, out->str);
    g_string_free(out, TRUE);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--print-sql") == 0) return print_sql();
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/store_search/no_null_method", test_no_null_method);
  g_test_add_func("/store_search/shapes", test_shapes);
  return g_test_run();
}
