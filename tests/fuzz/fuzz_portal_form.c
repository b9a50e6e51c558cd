/*
 * fuzz_portal_form: the portal's request parsers (common/tg_form.c under
 * portal/http/form.c's limits, and its Cookie reader) on one
 * input read three ways: as a urlencoded form or query, as one %-encoded
 * component, and as a Cookie header. Whatever a parser accepts is clean text
 * (valid UTF-8, no NUL, within the field limits), and a form encoded again
 * parses to the same fields.
 */
#include "config.h"

#include <string.h>

#include "form.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static void check_form(const char *s, gsize len) {
  g_autoptr(GError) error = NULL;
  g_autoptr(TgForm) f = form_parse(s, len, &error);
  if (!f) {
    g_assert_nonnull(error);
    return;
  }
  g_assert_cmpuint(tg_form_count(f), <=, FORM_MAX_FIELDS);
  /* round trip: encode every field, parse again, same fields */
  GString *again = g_string_new(NULL);
  for (guint i = 0; i < tg_form_count(f); i++) {
    g_assert_true(g_utf8_validate(tg_form_value(f, i), -1, NULL));
    g_assert_cmpuint(strlen(tg_form_name(f, i)), <=, FORM_MAX_NAME);
    if (i) g_string_append_c(again, '&');
    tg_form_append_encoded(again, tg_form_name(f, i));
    g_string_append_c(again, '=');
    tg_form_append_encoded(again, tg_form_value(f, i));
  }
  g_autoptr(TgForm) copy = form_parse(again->str, again->len, NULL);
  g_assert_nonnull(copy);
  g_assert_cmpuint(tg_form_count(copy), ==, tg_form_count(f));
  for (guint i = 0; i < tg_form_count(f); i++) {
    g_assert_cmpstr(tg_form_name(copy, i), ==, tg_form_name(f, i));
    g_assert_cmpstr(tg_form_value(copy, i), ==, tg_form_value(f, i));
  }
  g_string_free(again, TRUE);
}

static void check_component(const char *s, gsize len) {
  g_autofree char *d = tg_form_decode(s, len, TRUE);
  if (!d) return;
  g_assert_true(g_utf8_validate(d, -1, NULL));
  g_assert_cmpuint(strlen(d), <=, len);
  GString *enc = g_string_new(NULL);
  tg_form_append_encoded(enc, d);
  g_autofree char *back = tg_form_decode(enc->str, enc->len, FALSE);
  g_assert_cmpstr(back, ==, d);
  g_string_free(enc, TRUE);
}

static void check_cookie(const char *s) {
  g_autofree char *v = cookie_get(s, "__Host-tg_session");
  if (v) g_assert_null(strchr(v, ';'));
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size) {
  g_autofree char *s = g_strndup((const char *)data, size);
  check_form((const char *)data, size);
  check_component((const char *)data, size);
  check_cookie(s);
  return 0;
}
