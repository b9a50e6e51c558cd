/*
 * api_query.c: the searchApis query parser (api_query.h). Tokens are split on ASCII
 * white space outside double quotes; a token NAME:VALUE with a known NAME is a field,
 * any other token is words (api_words.h splits "pizza-shack" into two). Trade-off: a
 * bounded, strict syntax (unknown field, empty value, too many terms: 400) rather than
 * a forgiving one, so every accepted query maps onto an index.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "api_query.h"
#include "api_words.h"

#define FIELD_MAX 255

G_DEFINE_QUARK(hub - api - query - error - quark, api_query_error)

/* Sets error (API_QUERY_ERROR, 400); always FALSE. */
static gboolean refuse(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static gboolean refuse(GError **error, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error_literal(error, API_QUERY_ERROR, 400, msg);
  return FALSE;
}

void api_query_free(ApiQuery *q) {
  if (q == NULL) return;
  g_ptr_array_unref(q->words);
  g_ptr_array_unref(q->tags);
  g_free(q->name);
  g_free(q->context);
  g_free(q->provider);
  g_free(q->version);
  g_free(q->status);
  g_free(q);
}

char *api_tag_normalize(const char *tag, GError **error) {
  gsize len = tag ? strlen(tag) : 0;
  if (len == 0 || len > 64) {
    refuse(error, "a tag must be 1 to 64 characters");
    return NULL;
  }
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum(tag[i]) && !strchr("._-", tag[i])) {
      refuse(error, "a tag may hold only letters, digits, '.', '_' and '-'");
      return NULL;
    }
  return g_ascii_strdown(tag, (gssize)len);
}

/* Next token of *p (quotes removed), or NULL at the end; *quoted_ok FALSE on an open quote. */
static char *next_token(const char **p, gboolean *ok) {
  const char *s = *p;
  while (*s && g_ascii_isspace(*s)) s++;
  if (*s == '\0') return NULL;
  GString *t = g_string_new(NULL);
  gboolean in_quote = FALSE;
  for (; *s && (in_quote || !g_ascii_isspace(*s)); s++) {
    if (*s == '"')
      in_quote = !in_quote;
    else
      g_string_append_c(t, *s);
  }
  *ok = !in_quote;
  *p = s;
  return g_string_free(t, FALSE);
}

static const char *const statuses[] = {"CREATED", "PUBLISHED", "DEPRECATED",
                                       "RETIRED", "BLOCKED",   NULL};

/* Sets *slot to value once; a repeated field is a 400. */
static gboolean set_once(char **slot, const char *field, const char *value, GError **error) {
  if (*slot != NULL) return refuse(error, "%s: may appear once", field);
  if (strlen(value) > FIELD_MAX) return refuse(error, "%s: at most %d bytes", field, FIELD_MAX);
  *slot = g_strdup(value);
  return TRUE;
}

static gboolean add_status(ApiQuery *q, const char *value, GError **error) {
  for (guint i = 0; statuses[i]; i++)
    if (g_ascii_strcasecmp(statuses[i], value) == 0)
      return set_once(&q->status, "status", statuses[i], error);
  return refuse(error, "status: one of CREATED, PUBLISHED, DEPRECATED, RETIRED, BLOCKED");
}

static gboolean add_field(ApiQuery *q, const char *field, const char *value, GError **error) {
  if (*value == '\0') return refuse(error, "%s: needs a value (%s:VALUE)", field, field);
  if (strcmp(field, "tag") == 0) {
    char *tag = api_tag_normalize(value, error);
    if (tag == NULL) return FALSE;
    g_ptr_array_add(q->tags, tag);
    return TRUE;
  }
  if (strcmp(field, "name") == 0) return set_once(&q->name, field, value, error);
  if (strcmp(field, "context") == 0) return set_once(&q->context, field, value, error);
  if (strcmp(field, "provider") == 0) return set_once(&q->provider, field, value, error);
  if (strcmp(field, "version") == 0) return set_once(&q->version, field, value, error);
  if (strcmp(field, "status") == 0) return add_status(q, value, error);
  return refuse(error,
                "unknown search field %.32s: use name:, context:, tag:,"
                " provider:, version: or status:",
                field);
}

/* One token: a field when it starts with LETTERS ':', else words. */
static gboolean add_token(ApiQuery *q, const char *tok, GError **error) {
  const char *colon = strchr(tok, ':');
  gsize flen = colon ? (gsize)(colon - tok) : 0;
  gboolean letters = flen > 0 && flen <= 16;
  for (gsize i = 0; letters && i < flen; i++) letters = g_ascii_isalpha(tok[i]);
  if (letters) {
    g_autofree char *field = g_ascii_strdown(tok, (gssize)flen);
    return add_field(q, field, colon + 1, error);
  }
  api_words_split(tok, q->words);
  return TRUE;
}

ApiQuery *api_query_parse(const char *text, GError **error) {
  g_autoptr(ApiQuery) q = g_new0(ApiQuery, 1);
  q->words = g_ptr_array_new_with_free_func(g_free);
  q->tags = g_ptr_array_new_with_free_func(g_free);
  if (text == NULL) return g_steal_pointer(&q);
  if (strlen(text) > API_QUERY_MAX || !g_utf8_validate(text, -1, NULL)) {
    refuse(error, "a search is UTF-8 text of at most %d bytes", API_QUERY_MAX);
    return NULL;
  }
  const char *p = text;
  gboolean ok = TRUE;
  char *tok;
  while ((tok = next_token(&p, &ok)) != NULL) {
    gboolean added = ok && add_token(q, tok, error);
    g_free(tok);
    if (!ok) {
      refuse(error, "a double quote is not closed");
      return NULL;
    }
    if (!added) return NULL;
    if (q->words->len + q->tags->len > API_QUERY_MAX_TERMS) {
      refuse(error, "at most %d words and tags", API_QUERY_MAX_TERMS);
      return NULL;
    }
  }
  return g_steal_pointer(&q);
}
