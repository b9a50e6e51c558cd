/*
 * test_api_query.c: the searchApis query syntax (keyvalidator/methods/api_query.c) and the
 * words of the search index (keyvalidator/store/api_words.c): words split and lower-cased,
 * fields case-insensitive, quoted values, and every refusal a 400 naming what to fix,
 * including the attempts to slip past a check (unknown fields, repeats, open quotes,
 * bad UTF-8, too many terms, oversized input).
 */
#include "config.h"

#include <string.h>

#include "api_query.h"
#include "api_words.h"

static ApiQuery *parse_ok(const char *text) {
  g_autoptr(GError) error = NULL;
  ApiQuery *q = api_query_parse(text, &error);
  g_assert_no_error(error);
  g_assert_nonnull(q);
  return q;
}

static void parse_refused(const char *text) {
  g_autoptr(GError) error = NULL;
  ApiQuery *q = api_query_parse(text, &error);
  if (q != NULL) g_error("accepted: %s", text);
  g_assert_error(error, API_QUERY_ERROR, 400);
  g_assert_cmpstr(error->message, !=, "");
}

static void assert_words(const GPtrArray *words, const char *const *want) {
  g_assert_cmpuint(words->len, ==, g_strv_length((char **)want));
  for (guint i = 0; want[i]; i++) g_assert_cmpstr(g_ptr_array_index(words, i), ==, want[i]);
}

static void test_empty(void) {
  const char *empties[] = {"", "   ", "\t\n", NULL};
  for (guint i = 0; empties[i]; i++) {
    g_autoptr(ApiQuery) q = parse_ok(empties[i]);
    g_assert_cmpuint(q->words->len + q->tags->len, ==, 0);
    g_assert_null(q->name);
  }
  g_autoptr(ApiQuery) q = api_query_parse(NULL, NULL);
  g_assert_nonnull(q);
}

static void test_words(void) {
  g_autoptr(ApiQuery) q = parse_ok("Pizza-Shack  ORDERS pizza");
  const char *want[] = {"pizza", "shack", "orders", NULL};
  assert_words(q->words, want);
  g_autoptr(ApiQuery) u = parse_ok("caf\xc3\xa9 menu");
  const char *want_u[] = {"caf\xc3\xa9", "menu", NULL};
  assert_words(u->words, want_u);
}

static void test_fields(void) {
  g_autoptr(ApiQuery) q = parse_ok(
      "NAME:Pizza tag:Food Tag:fast-food context:/shop "
      "provider:pat version:1.0.0 status:published menu");
  g_assert_cmpstr(q->name, ==, "Pizza");
  g_assert_cmpstr(q->context, ==, "/shop");
  g_assert_cmpstr(q->provider, ==, "pat");
  g_assert_cmpstr(q->version, ==, "1.0.0");
  g_assert_cmpstr(q->status, ==, "PUBLISHED");
  const char *tags[] = {"food", "fast-food", NULL};
  assert_words(q->tags, tags);
  const char *words[] = {"menu", NULL};
  assert_words(q->words, words);
}

static void test_quotes(void) {
  g_autoptr(ApiQuery) q = parse_ok("name:\"Pizza Shack\" \"two words\"");
  g_assert_cmpstr(q->name, ==, "Pizza Shack");
  const char *words[] = {"two", "words", NULL};
  assert_words(q->words, words);
  /* a colon inside a value, and one that is not a field (digits before it) */
  g_autoptr(ApiQuery) c = parse_ok("context:/a:b 12:30");
  g_assert_cmpstr(c->context, ==, "/a:b");
  const char *w2[] = {"12", "30", NULL};
  assert_words(c->words, w2);
}

static void test_refusals(void) {
  const char *bad[] = {"owner:pat",     /* unknown field */
                       "name:",         /* empty value */
                       "name:a name:b", /* repeated */
                       "NAME:a name:b", /* repeated, case folded */
                       "status:LIVE",   /* not a status */
                       "tag:<script>",  /* tag characters */
                       "tag:\"a b\"",   /* a space in a tag */
                       "name:\"open",   /* open quote */
                       "\"",
                       "a b c d e f g h i", /* nine words */
                       "a-b-c-d-e-f-g-h-i", /* nine words in one token */
                       "tag:a tag:b tag:c tag:d tag:e tag:f tag:g tag:h tag:i",
                       "\xff\xfe",  /* not UTF-8 */
                       "name:\xc3", /* cut UTF-8 */
                       NULL};
  for (guint i = 0; bad[i]; i++) parse_refused(bad[i]);
  g_autofree char *huge = g_strnfill(API_QUERY_MAX + 1, 'a');
  parse_refused(huge);
  g_autofree char *xs = g_strnfill(300, 'x');
  g_autofree char *long_name = g_strconcat("name:", xs, NULL);
  parse_refused(long_name);
}

static void test_tag_normalize(void) {
  g_autofree char *t = api_tag_normalize("Fast-Food.v2_x", NULL);
  g_assert_cmpstr(t, ==, "fast-food.v2_x");
  const char *bad[] = {"", "a b", "caf\xc3\xa9", "a/b", "a%", NULL};
  for (guint i = 0; bad[i]; i++) {
    g_autoptr(GError) error = NULL;
    g_assert_null(api_tag_normalize(bad[i], &error));
    g_assert_error(error, API_QUERY_ERROR, 400);
  }
  g_autofree char *long_tag = g_strnfill(65, 'a');
  g_assert_null(api_tag_normalize(long_tag, NULL));
}

static void test_index_words(void) {
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
  api_words_split("Pizza Shack API", words);
  api_words_split("/pizza/v1", words);
  const char *want[] = {"pizza", "shack", "api", "v1", NULL};
  assert_words(words, want);
  /* a run longer than a word is cut on a character boundary: never half of a character */
  g_autoptr(GPtrArray) cut = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *as = g_strnfill(63, 'a');
  g_autofree char *run = g_strconcat(as, "\xc3\xa9", "tail", NULL);
  api_words_split(run, cut);
  g_assert_cmpuint(cut->len, ==, 1);
  g_assert_cmpuint(strlen(g_ptr_array_index(cut, 0)), ==, 63);
  g_assert_true(g_utf8_validate(g_ptr_array_index(cut, 0), -1, NULL));
  /* bounded */
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func(g_free);
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < 200; i++) g_string_append_printf(text, "w%u ", i);
  api_words_split(text->str, many);
  g_string_free(text, TRUE);
  g_assert_cmpuint(many->len, ==, API_WORDS_MAX);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/api_query/empty", test_empty);
  g_test_add_func("/api_query/words", test_words);
  g_test_add_func("/api_query/fields", test_fields);
  g_test_add_func("/api_query/quotes", test_quotes);
  g_test_add_func("/api_query/refusals", test_refusals);
  g_test_add_func("/api_query/tag_normalize", test_tag_normalize);
  g_test_add_func("/api_query/index_words", test_index_words);
  return g_test_run();
}
