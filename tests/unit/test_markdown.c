/*
 * test_markdown: documentation Markdown rendered safely: raw HTML dropped,
 * links and images only to http(s) however the scheme is spelt (case,
 * entities, percent-encoding, control characters, reference definitions,
 * autolinks), what is kept is kept intact, and the size limit.
 */
#include <string.h>

#include "markdown.h"

static char *render(const char *md) {
  g_autoptr(GError) error = NULL;
  char *html = markdown_to_html(md, strlen(md), &error);
  g_assert_no_error(error);
  g_assert_nonnull(html);
  return html;
}

static void test_basic(void) {
  g_autofree char *h = render("# Pizza\n\nOrder *hot* pizza with `GET /menu`.\n");
  g_assert_cmpstr(h, ==,
                  "<h1>Pizza</h1>\n<p>Order <em>hot</em> pizza with <code>GET /menu</code>.</p>\n");
}

static void test_raw_html_dropped(void) {
  static const char *const cases[] = {
      "<script>alert(1)</script>\n",     "text <img src=x onerror=alert(1)> text\n",
      "<div onclick=\"x()\">hi</div>\n", "<iframe src=\"https://evil.example\"></iframe>\n",
      "a <svg/onload=alert(1)> b\n",     "<SCRIPT>alert(1)</SCRIPT>\n",
      "<!-- x --><script>1</script>\n",
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *h = render(cases[i]);
    g_autofree char *low = g_ascii_strdown(h, -1);
    g_assert_null(strstr(low, "<script"));
    g_assert_null(strstr(low, "<img"));
    g_assert_null(strstr(low, "<div"));
    g_assert_null(strstr(low, "<iframe"));
    g_assert_null(strstr(low, "<svg"));
    g_assert_null(strstr(low, "onerror="));
  }
}

static void test_bad_links_unwrapped(void) {
  static const char *const cases[] = {
      "[a](javascript:alert(1))",
      "[a](JaVaScRiPt:alert(1))",
      "[a](javascript&#58;alert(1))",
      "[a](java%0ascript:alert(1))",
      "[a](<javascript:alert(1)>)",
      "[a](data:text/html;base64,PHNjcmlwdD4=)",
      "[a](vbscript:msgbox)",
      "[a](/relative/path)",
      "[a](//evil.example/x)",
      "[a](https:/evil.example)",
      "[a](https:evil.example)",
      "[a](mailto:someone@example.com)",
      "[a](#anchor)",
      "<javascript:alert(1)>",
      "[a][r]\n\n[r]: javascript:alert(1)",
      "[a](file:///etc/passwd)",
      "[a](ht%74p://x.example)",
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *h = render(cases[i]);
    g_assert_null(strstr(h, "href="));
    g_assert_null(strstr(h, "<a"));
  }
  g_autofree char *kept = render("see [the menu](javascript:alert(1)) now");
  g_assert_cmpstr(kept, ==, "<p>see the menu now</p>\n");
}

static void test_good_links_kept(void) {
  g_autofree char *h =
      render("[menu](https://pizza.example/menu?a=1&b=2) and <http://pizza.example/x>");
  g_assert_nonnull(strstr(h, "<a href=\"https://pizza.example/menu?a=1&amp;b=2\">menu</a>"));
  g_assert_nonnull(strstr(h, "<a href=\"http://pizza.example/x\">http://pizza.example/x</a>"));
  g_autofree char *q = render("[x](https://pizza.example/\"onmouseover=alert(1))");
  g_assert_null(strstr(q, "\"onmouseover"));
}

static void test_images(void) {
  g_autofree char *bad = render("![a *cat*](javascript:alert(1)) ![b](data:image/png;base64,AAAA)");
  g_assert_null(strstr(bad, "<img"));
  g_assert_cmpstr(bad, ==, "<p>a cat b</p>\n");
  g_autofree char *good = render("![diagram](https://pizza.example/d.png \"t\")");
  g_assert_nonnull(
      strstr(good, "<img src=\"https://pizza.example/d.png\" alt=\"diagram\" title=\"t\" />"));
  /* a bad link inside a bad image's alt, and a bad image inside a good link */
  g_autofree char *nested =
      render("![[x](javascript:1)](javascript:2) [![y](data:x)](https://ok.example)");
  g_assert_null(strstr(nested, "javascript"));
  g_assert_null(strstr(nested, "<img"));
  g_assert_nonnull(strstr(nested, "<a href=\"https://ok.example\">y</a>"));
}

static void test_url_allowed(void) {
  g_assert_true(markdown_url_allowed("https://a.example"));
  g_assert_true(markdown_url_allowed("HTTP://a.example/x"));
  g_assert_false(markdown_url_allowed(NULL));
  g_assert_false(markdown_url_allowed(""));
  g_assert_false(markdown_url_allowed("https://"));
  g_assert_false(markdown_url_allowed("https:///x"));
  g_assert_false(markdown_url_allowed("http:/x"));
  g_assert_false(markdown_url_allowed(" https://a.example"));
  g_assert_false(markdown_url_allowed("ftp://a.example"));
}

static void test_size_limit(void) {
  gsize n = MARKDOWN_MAX_BYTES + 1;
  g_autofree char *big = g_malloc(n);
  memset(big, 'a', n);
  g_autoptr(GError) error = NULL;
  g_assert_null(markdown_to_html(big, n, &error));
  g_assert_error(error, MARKDOWN_ERROR, MARKDOWN_ERROR_TOO_LARGE);
  g_autofree char *ok = markdown_to_html(big, n - 1, NULL);
  g_assert_nonnull(ok);
  g_autofree char *empty = markdown_to_html(NULL, 0, NULL);
  g_assert_cmpstr(empty, ==, "");
}

static void test_invalid_utf8(void) {
  g_autofree char *h = render("caf\xc3 \xff\xfe end");
  g_assert_true(g_utf8_validate(h, -1, NULL));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/markdown/basic", test_basic);
  g_test_add_func("/markdown/raw_html_dropped", test_raw_html_dropped);
  g_test_add_func("/markdown/bad_links_unwrapped", test_bad_links_unwrapped);
  g_test_add_func("/markdown/good_links_kept", test_good_links_kept);
  g_test_add_func("/markdown/images", test_images);
  g_test_add_func("/markdown/url_allowed", test_url_allowed);
  g_test_add_func("/markdown/size_limit", test_size_limit);
  g_test_add_func("/markdown/invalid_utf8", test_invalid_utf8);
  return g_test_run();
}
