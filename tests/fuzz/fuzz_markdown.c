/*
 * fuzz_markdown: the documentation renderer (portal/markdown.c) on any bytes.
 * Whatever the input: no crash, valid UTF-8 out, no raw HTML tag from the input
 * (no <script, <img without an http(s) src, on...= handler), and every href and
 * src an http(s) URL with a host.
 */
#include <string.h>

#include "markdown.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

/* Every occurrence of attr (href=" or src=") is followed by an allowed URL. */
static void check_urls(const char *html, const char *attr) {
  for (const char *p = strstr(html, attr); p; p = strstr(p + 1, attr)) {
    const char *v = p + strlen(attr);
    const char *end = strchr(v, '"');
    g_assert_nonnull(end);
    g_autofree char *url = g_strndup(v, end - v);
    g_assert_true(markdown_url_allowed(url));
  }
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size) {
  g_autofree char *html = markdown_to_html((const char *)data, size, NULL);
  if (!html) return 0;
  g_assert_true(g_utf8_validate(html, -1, NULL));
  g_autofree char *low = g_ascii_strdown(html, -1);
  g_assert_null(strstr(low, "<script"));
  g_assert_null(strstr(low, "<iframe"));
  g_assert_null(strstr(low, "<svg"));
  g_assert_null(strstr(low, "<style"));
  check_urls(low, "href=\"");
  check_urls(low, "src=\"");
  return 0;
}
