/*
 * test_form: the one URL-encoded form parser (common/tg_form.c) as a table of inputs and
 * the answer under small limits, once with unique names (the hub's OAuth rule) and once
 * with repeated names kept (the portal's): every refusal either caller relied on.
 */
#include <string.h>

#include "tg_form.h"

static const TgFormLimits unique = {64, 3, 4, 6, TRUE};
static const TgFormLimits multi = {64, 3, 4, 6, FALSE};

/* input, fields under unique (-1: refused with code), code under unique, the same for multi */
static const struct {
  const char *in;
  int unique_fields, unique_code, multi_fields, multi_code;
} cases[] = {
    {"", 0, 0, 0, 0},
    {"&&a=1&&", 1, 0, 1, 0},
    {"a=1&b=x+y&c", 3, 0, 3, 0},
    {"a=%41%42", 1, 0, 1, 0},
    {"a=1&a=2", -1, TG_FORM_ERROR_DUPLICATE, 2, 0},
    {"a=1&a", -1, TG_FORM_ERROR_DUPLICATE, 2, 0},
    {"a+b=1&a%20b=2", -1, TG_FORM_ERROR_DUPLICATE, 2, 0}, /* the same name spelt twice */
    {"a=%zz", -1, TG_FORM_ERROR_MALFORMED, -1, TG_FORM_ERROR_MALFORMED},
    {"a=%4", -1, TG_FORM_ERROR_MALFORMED, -1, TG_FORM_ERROR_MALFORMED},
    {"a=%", -1, TG_FORM_ERROR_MALFORMED, -1, TG_FORM_ERROR_MALFORMED},
    {"%=1", -1, TG_FORM_ERROR_MALFORMED, -1, TG_FORM_ERROR_MALFORMED},
    {"a=%00", -1, TG_FORM_ERROR_MALFORMED, -1, TG_FORM_ERROR_MALFORMED},
    {"a=%ff", -1, TG_FORM_ERROR_MALFORMED, -1, TG_FORM_ERROR_MALFORMED},
    {"a=%c3%28", -1, TG_FORM_ERROR_MALFORMED, -1, TG_FORM_ERROR_MALFORMED},
    {"a=%E2%82", -1, TG_FORM_ERROR_MALFORMED, -1, TG_FORM_ERROR_MALFORMED},
    {"=x", -1, TG_FORM_ERROR_MALFORMED, -1, TG_FORM_ERROR_MALFORMED},
    {"=", -1, TG_FORM_ERROR_MALFORMED, -1, TG_FORM_ERROR_MALFORMED},
    {"abcd=1", 1, 0, 1, 0},
    {"abcde=1", -1, TG_FORM_ERROR_TOO_LARGE, -1, TG_FORM_ERROR_TOO_LARGE},
    {"%61%62%63%64=1", 1, 0, 1, 0}, /* the bound is on decoded bytes */
    {"a=123456", 1, 0, 1, 0},
    {"a=1234567", -1, TG_FORM_ERROR_TOO_LARGE, -1, TG_FORM_ERROR_TOO_LARGE},
    {"a=1&b=2&c=3&d=4", -1, TG_FORM_ERROR_TOO_LARGE, -1, TG_FORM_ERROR_TOO_LARGE},
};

static void check(const char *in, gsize len, const TgFormLimits *lim, int fields, int code) {
  g_autoptr(GError) error = NULL;
  g_autoptr(TgForm) f = tg_form_parse(in, len, lim, &error);
  if (fields < 0) {
    if (f) g_error("accepted %s", in);
    g_assert_error(error, TG_FORM_ERROR, code);
    return;
  }
  g_assert_no_error(error);
  g_assert_cmpuint(tg_form_count(f), ==, (guint)fields);
}

static void test_table(void) {
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    gsize len = strlen(cases[i].in);
    check(cases[i].in, len, &unique, cases[i].unique_fields, cases[i].unique_code);
    check(cases[i].in, len, &multi, cases[i].multi_fields, cases[i].multi_code);
  }
  /* a raw NUL inside length-delimited input */
  check("a=b\0c", 5, &unique, -1, TG_FORM_ERROR_MALFORMED);
  check("a\0=b", 4, &multi, -1, TG_FORM_ERROR_MALFORMED);
  /* the body bound comes first */
  g_autofree char *big = g_strnfill(65, '&');
  check(big, 65, &multi, -1, TG_FORM_ERROR_TOO_LARGE);
  check(big, 64, &multi, 0, 0);
}

static void test_values(void) {
  g_autoptr(TgForm) f = tg_form_parse("a=1&b=x+y&c=%41%2B&flag&a=2", 27, &multi, NULL);
  g_assert_null(f); /* five fields: over the limit of three */
  static const TgFormLimits roomy = {256, 8, 8, 8, FALSE};
  f = tg_form_parse("a=1&b=x+y&c=%41%2B&flag&a=2", 27, &roomy, NULL);
  g_assert_cmpstr(tg_form_get(f, "a"), ==, "1");
  g_assert_cmpstr(tg_form_get(f, "b"), ==, "x y");
  g_assert_cmpstr(tg_form_get(f, "c"), ==, "A+");
  g_assert_cmpstr(tg_form_get(f, "flag"), ==, "");
  g_assert_null(tg_form_get(f, "missing"));
  g_autofree const char **all = tg_form_get_all(f, "a");
  g_assert_cmpstr(all[0], ==, "1");
  g_assert_cmpstr(all[1], ==, "2");
  g_assert_null(all[2]);
  g_assert_cmpstr(tg_form_name(f, 3), ==, "flag");
}

static void test_decode_encode(void) {
  g_autofree char *a = tg_form_decode("a+b%2B", 6, TRUE);
  g_autofree char *b = tg_form_decode("a+b%2B", 6, FALSE);
  g_assert_cmpstr(a, ==, "a b+");
  g_assert_cmpstr(b, ==, "a+b+");
  g_assert_null(tg_form_decode("%2", 2, FALSE));
  g_assert_null(tg_form_decode("a\0b", 3, FALSE));
  const char *text = "é &=+/?#%~._-x";
  g_autoptr(GString) enc = g_string_new(NULL);
  tg_form_append_encoded(enc, text);
  g_assert_cmpstr(enc->str, ==, "%C3%A9%20%26%3D%2B%2F%3F%23%25~._-x");
  g_autofree char *back = tg_form_decode(enc->str, enc->len, TRUE);
  g_assert_cmpstr(back, ==, text);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/form/table", test_table);
  g_test_add_func("/form/values", test_values);
  g_test_add_func("/form/decode_encode", test_decode_encode);
  return g_test_run();
}
