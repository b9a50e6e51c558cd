/*
 * fuzz_api_query: the searchApis query parser (keyvalidator/methods/api_query.c) on any
 * bytes. Whatever it accepts is within its bounds: at most API_QUERY_MAX_TERMS words and
 * tags, each word non-empty, lower case and at most API_WORD_MAX bytes of UTF-8, each tag
 * normalized; a refusal is always a 400 with a message.
 */
#include "config.h"

#include <string.h>

#include "api_query.h"
#include "api_words.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static void check_word(const char *w) {
  gsize len = strlen(w);
  g_assert_cmpuint(len, >, 0);
  g_assert_cmpuint(len, <=, API_WORD_MAX);
  g_assert_true(g_utf8_validate(w, -1, NULL));
  for (gsize i = 0; i < len; i++) g_assert_false(g_ascii_isupper(w[i]) || g_ascii_isspace(w[i]));
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size) {
  g_autofree char *text = g_strndup((const char *)data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(ApiQuery) q = api_query_parse(text, &error);
  if (q == NULL) {
    g_assert_error(error, API_QUERY_ERROR, 400);
    g_assert_cmpstr(error->message, !=, "");
    return 0;
  }
  g_assert_no_error(error);
  g_assert_cmpuint(q->words->len + q->tags->len, <=, API_QUERY_MAX_TERMS);
  for (guint i = 0; i < q->words->len; i++) check_word(g_ptr_array_index(q->words, i));
  for (guint i = 0; i < q->tags->len; i++) {
    const char *t = g_ptr_array_index(q->tags, i);
    g_autofree char *again = api_tag_normalize(t, NULL);
    g_assert_cmpstr(again, ==, t);
  }
  const char *fields[] = {q->name, q->context, q->provider, q->version, q->status};
  for (guint i = 0; i < G_N_ELEMENTS(fields); i++)
    g_assert_true(fields[i] == NULL || (*fields[i] != '\0' && strlen(fields[i]) <= 255 &&
                                        g_utf8_validate(fields[i], -1, NULL)));
  return 0;
}
