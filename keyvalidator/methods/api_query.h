/*
 * api_query.h: the store search syntax of searchApis: words and NAME:VALUE fields
 * (name:, context:, tag:, provider:, version:, status:), AND-ed; a value may be
 * "double quoted" to hold spaces. Pure (no database): tests/unit/test_api_query.c and
 * tests/fuzz/fuzz_api_query.c drive it. Refusals are API_QUERY_ERROR, code 400, with a
 * message saying what to fix.
 */
#ifndef TOLLGATE_HUB_API_QUERY_H
#define TOLLGATE_HUB_API_QUERY_H

#include <glib.h>

#define API_QUERY_MAX       512 /* bytes of query text */
#define API_QUERY_MAX_TERMS 8   /* words and tags together */

#define API_QUERY_ERROR (api_query_error_quark())
GQuark api_query_error_quark(void);

typedef struct {
  GPtrArray *words; /* lower case (api_words.h), each a prefix of an API's word */
  GPtrArray *tags;  /* lower case, exact */
  char *name;       /* name prefix (case-insensitive), NULL: any */
  char *context;    /* context prefix, NULL: any */
  char *provider;   /* exact */
  char *version;    /* exact */
  char *status;     /* CREATED ... BLOCKED (canonical upper case) */
} ApiQuery;

/* The parsed query ("" or NULL: everything), or NULL with a 400 in error. */
ApiQuery *api_query_parse(const char *text, GError **error);
void api_query_free(ApiQuery *q);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApiQuery, api_query_free)

/* A tag as stored: lower case, 1..64 bytes of [a-z0-9._-]; NULL with a 400 otherwise. */
char *api_tag_normalize(const char *tag, GError **error);

#endif
