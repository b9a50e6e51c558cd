/*
 * test_portal_render: the HTML writer escapes whatever a user typed, in text,
 * in attributes and in URLs, and the page frame carries no inline script or
 * style (the CSP would block them) and links only same-origin assets.
 */
#include <string.h>

#include "render.h"

static void test_text(void) {
  GString *s = g_string_new(NULL);
  html_text(s, "<script>alert(1)</script> & \"q\" 'a'");
  g_assert_cmpstr(s->str, ==,
                  "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;");
  g_string_truncate(s, 0);
  html_text(s, NULL);
  g_assert_cmpstr(s->str, ==, "");
  g_string_free(s, TRUE);
}

static void test_fmt(void) {
  GString *s = g_string_new(NULL);
  html_fmt(s, "<a href=\"/x/%u\" title=\"%s\">%s</a> %d %L %R 100%%", "a b/\"<>",
           "\" onmouseover=\"x", "<img src=x onerror=alert(1)>", -5, (gint64)1 << 40, "<b>raw</b>");
  g_assert_cmpstr(s->str, ==,
                  "<a href=\"/x/a%20b%2F%22%3C%3E\" title=\"&quot; onmouseover=&quot;x\">"
                  "&lt;img src=x onerror=alert(1)&gt;</a> -5 1099511627776 <b>raw</b> 100%");
  g_string_free(s, TRUE);
}

static void test_frame(void) {
  PortalReq r = {0};
  r.path = "/";
  GString *s = g_string_new(NULL);
  page_begin(&r, s, "<Title>");
  html_fmt(s, "<p>%s</p>", "body");
  page_end(&r, s);
  g_assert_nonnull(strstr(s->str, "<title>&lt;Title&gt; · Tollgate</title>"));
  g_assert_nonnull(strstr(s->str, "href=\"/static/portal.css\""));
  g_assert_nonnull(strstr(s->str, "src=\"/static/portal.js\""));
  g_assert_null(strstr(s->str, "style="));
  g_assert_null(strstr(s->str, "<style"));
  g_assert_null(strstr(s->str, "onclick"));
  g_assert_null(strstr(s->str, "http://"));
  /* one <script>, with a src: nothing inline */
  const char *sc = strstr(s->str, "<script");
  g_assert_nonnull(sc);
  g_assert_true(g_str_has_prefix(sc, "<script src="));
  g_assert_null(strstr(sc + 1, "<script"));
  g_string_free(s, TRUE);
}

static void test_assets(void) {
  gsize css_len, js_len;
  const char *css = asset_css(&css_len), *js = asset_js(&js_len);
  g_assert_cmpuint(css_len + js_len, <, 20000); /* well under the 50 KB page budget */
  g_assert_nonnull(strstr(css, "prefers-color-scheme:dark"));
  g_assert_nonnull(strstr(css, ":focus-visible"));
  g_assert_null(strstr(css, "url(http"));
  g_assert_null(strstr(js, "http"));
  g_assert_null(strstr(js, "eval("));
  g_assert_null(strstr(js, "innerHTML"));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/portal/render/text", test_text);
  g_test_add_func("/portal/render/fmt", test_fmt);
  g_test_add_func("/portal/render/frame", test_frame);
  g_test_add_func("/portal/render/assets", test_assets);
  return g_test_run();
}
