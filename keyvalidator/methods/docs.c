/*
 * docs.c: what a valid API document is (docs.h): bounded name, summary and URL,
 * a known type, INLINE content or a URL source.
 */
#include "config.h"

#include <string.h>

#include "docs.h"
#include "tg_tollgate_types.h"

static const char *const doc_types[] = {
    "HOWTO", "SAMPLES", "PUBLIC_FORUM", "SUPPORT_FORUM", "API_MESSAGE_FORMAT", "OTHER", NULL};

static gboolean docs_fail(GError **error, const char *what) {
  g_set_error(error, DOCS_ERROR, 1, "%s", what);
  return FALSE;
}

static gboolean text_ok(const char *s, gsize max) {
  return s != NULL && *s != '\0' && strlen(s) <= max && g_utf8_validate(s, -1, NULL);
}

static gboolean url_ok(const char *url) {
  if (!text_ok(url, DOCS_MAX_URL)) return FALSE;
  g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme(uri) : NULL;
  const char *host = uri ? g_uri_get_host(uri) : NULL;
  return scheme != NULL && host != NULL && *host != '\0' &&
         (g_ascii_strcasecmp(scheme, "http") == 0 || g_ascii_strcasecmp(scheme, "https") == 0);
}

gboolean docs_valid(gconstpointer p, GError **error) {
  const TgDocument *d = p;
  if (!text_ok(d->apiContext, DOCS_MAX_NAME) || !text_ok(d->apiVersion, DOCS_MAX_NAME))
    return docs_fail(error, "apiContext and apiVersion are required");
  if (!text_ok(d->name, DOCS_MAX_NAME))
    return docs_fail(error, "name is required (at most 256 bytes)");
  if (d->type == NULL || !g_strv_contains(doc_types, d->type))
    return docs_fail(error,
                     "type must be one of HOWTO, SAMPLES, PUBLIC_FORUM, SUPPORT_FORUM,"
                     " API_MESSAGE_FORMAT, OTHER");
  if (d->summary != NULL &&
      (strlen(d->summary) > DOCS_MAX_SUMMARY || !g_utf8_validate(d->summary, -1, NULL)))
    return docs_fail(error, "summary is longer than 1024 bytes or not UTF-8");
  if (g_strcmp0(d->sourceType, "INLINE") == 0) {
    if (d->content == NULL || strlen(d->content) > DOCS_MAX_CONTENT ||
        !g_utf8_validate(d->content, -1, NULL))
      return docs_fail(error, "INLINE documents need UTF-8 content of at most 1 MiB");
    return TRUE;
  }
  if (g_strcmp0(d->sourceType, "URL") == 0)
    return url_ok(d->sourceUrl) ? TRUE : docs_fail(error, "sourceUrl must be an http(s) URL");
  return docs_fail(error, "sourceType must be INLINE or URL");
}
