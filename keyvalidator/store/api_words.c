/*
 * api_words.c: an API's searchable words (api_words.h). A word is cut at API_WORD_MAX
 * bytes on a UTF-8 character boundary so the column never holds half a character.
 * Trade-off: no stemming or stop words; a search word matches any word it prefixes.
 */
#include "config.h"

#include <string.h>

#include "api_words.h"

static gboolean word_byte(guchar c) { return g_ascii_isalnum(c) || c >= 0x80; }

static gboolean has_word(const GPtrArray *out, const char *w) {
  for (guint i = 0; i < out->len; i++)
    if (strcmp(g_ptr_array_index(out, i), w) == 0) return TRUE;
  return FALSE;
}

/* The first len bytes of s, shortened to end on a UTF-8 character boundary. */
static gsize utf8_cut(const char *s, gsize len) {
  while (len > 0 && ((guchar)s[len] & 0xC0) == 0x80) len--;
  return len;
}

void api_words_split(const char *text, GPtrArray *out) {
  const char *p = text;
  while (p != NULL && *p && out->len < API_WORDS_MAX) {
    while (*p && !word_byte((guchar)*p)) p++;
    const char *start = p;
    while (*p && word_byte((guchar)*p)) p++;
    gsize len = (gsize)(p - start);
    if (len == 0) break;
    if (len > API_WORD_MAX) len = utf8_cut(start, API_WORD_MAX);
    if (len == 0 || !g_utf8_validate(start, (gssize)len, NULL)) continue;
    char *w = g_ascii_strdown(start, (gssize)len);
    if (has_word(out, w))
      g_free(w);
    else
      g_ptr_array_add(out, w);
  }
}
