/*
 * markdown: API documentation written in Markdown, rendered to HTML on the
 * server by cmark (CommonMark) with raw HTML off, then links and images
 * filtered to http(s) only. Trade-off: a filter on cmark's tree rather than on
 * its HTML output: the tree knows which string is a URL; the HTML would have
 * to be parsed again.
 */
#ifndef MARKDOWN_H
#define MARKDOWN_H

#include <glib.h>

#define MARKDOWN_ERROR           (markdown_error_quark())
#define MARKDOWN_ERROR_TOO_LARGE 1
GQuark markdown_error_quark(void);

/* Largest document rendered (bytes); longer ones are refused. */
#define MARKDOWN_MAX_BYTES (256 * 1024)

/* The HTML of text (len bytes, need not end in NUL): raw HTML is replaced by a
   comment, a link to anything but http(s) keeps its text and loses the link, an
   image to anything but http(s) becomes its alt text. NULL (error set) when text
   is longer than MARKDOWN_MAX_BYTES (MARKDOWN_ERROR_TOO_LARGE). Free with g_free. */
char *markdown_to_html(const char *text, gsize len, GError **error);

/* TRUE when url is an absolute http:// or https:// URL with a host (case-insensitive scheme). */
gboolean markdown_url_allowed(const char *url);

#endif
