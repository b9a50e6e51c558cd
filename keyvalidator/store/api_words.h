/*
 * api_words.h: the words of an API that the store search index holds (AM_API_WORD) and
 * that a search word is matched against: lower-case runs of letters and digits (any
 * non-ASCII byte counts as a letter, so UTF-8 names split on ASCII punctuation only).
 * Pure, shared by the index writer (store_search.c) and the query parser (api_query.c).
 */
#ifndef TOLLGATE_HUB_API_WORDS_H
#define TOLLGATE_HUB_API_WORDS_H

#include <glib.h>

#define API_WORD_MAX  64 /* bytes; longer runs are cut (the column's size) */
#define API_WORDS_MAX 64 /* words kept per API */

/* Appends text's words (g_strdup'd, lower case, no duplicates) to out, at most
   API_WORDS_MAX in all. text may be NULL. */
void api_words_split(const char *text, GPtrArray *out);

#endif
