/*
 * test_names: the identifier rule for tier and custom-policy names (common/tg_names.c) as
 * one table: the seeded and WSO2 names pass; markup, paths, quotes, separators, control
 * bytes, non-ASCII (also look-alikes and overlong encodings) and the length bounds do not.
 */
#include <string.h>

#include "tg_names.h"

static const struct {
  const char *name;
  gboolean ok;
} cases[] = {
    /* the seeded tiers (sql/apimgtdb.sql) and WSO2's usual names */
    {"Gold", TRUE},
    {"Silver", TRUE},
    {"Bronze", TRUE},
    {"Unlimited", TRUE},
    {"50PerMin", TRUE},
    {"20PerMin", TRUE},
    {"10PerMin", TRUE},
    {"10KPerMin", TRUE},
    {"Requestsx1000.per_min-2", TRUE},
    {"a", TRUE},
    {"7", TRUE},
    {"a.", TRUE},
    {"a-", TRUE},
    {"a_", TRUE},
    /* first character: a letter or a digit */
    {".hidden", FALSE},
    {"-flag", FALSE},
    {"_x", FALSE},
    {"..", FALSE},
    /* markup, paths, quotes, separators */
    {"<script>", FALSE},
    {"a<b", FALSE},
    {"a>b", FALSE},
    {"a/b", FALSE},
    {"a\\b", FALSE},
    {"a\"b", FALSE},
    {"a'b", FALSE},
    {"a`b", FALSE},
    {"a&b", FALSE},
    {"a;b", FALSE},
    {"a,b", FALSE},
    {"a:b", FALSE},
    {"a=b", FALSE},
    {"a|b", FALSE},
    {"a%2Fb", FALSE},
    {"a+b", FALSE},
    {"a?b", FALSE},
    {"a#b", FALSE},
    {"a*b", FALSE},
    {"a b", FALSE},
    {"a\tb", FALSE},
    {"Gold ", FALSE},
    {" Gold", FALSE},
    /* control bytes: header and log-line splitting */
    {"a\r\nX-Evil: 1", FALSE},
    {"a\rb", FALSE},
    {"a\nb", FALSE},
    {"a\x7f", FALSE},
    {"a\x01", FALSE},
    /* non-ASCII: accented letters, a Cyrillic look-alike, a fullwidth letter, an overlong
       '/', a lone continuation byte */
    {"G\xc3\xb6ld", FALSE},
    {"G\xd0\xbeld", FALSE},
    {"\xef\xbc\xa7old", FALSE},
    {"a\xc0\xaf\x62", FALSE}, /* "a", overlong '/', "b" */
    {"a\x80", FALSE},
    /* empty */
    {"", FALSE},
};

static void test_table(void) {
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    if (tg_name_valid(cases[i].name) != cases[i].ok)
      g_error("case %u (%s): expected %s", i, g_strescape(cases[i].name, NULL),
              cases[i].ok ? "valid" : "refused");
}

static void test_length(void) {
  char buf[TG_NAME_MAX + 2];
  memset(buf, 'n', sizeof buf);
  buf[TG_NAME_MAX] = '\0';
  g_assert_true(tg_name_valid(buf)); /* 64 */
  buf[TG_NAME_MAX] = 'n';
  buf[TG_NAME_MAX + 1] = '\0';
  g_assert_false(tg_name_valid(buf));   /* 65 */
  g_assert_cmpint(TG_NAME_MAX, ==, 64); /* AM_TIER.name and AM_CUSTOM_POLICY.name are VARCHAR(64) */
  g_assert_false(tg_name_valid(NULL));
  g_assert_nonnull(strstr(TG_NAME_RULE, "64"));
}

/* Look-alikes differ in ASCII case only: not the same name, not a different letter, not a
   non-ASCII letter that folds to an ASCII one elsewhere (Kelvin sign, dotless i). */
static void test_look_alike(void) {
  g_assert_true(tg_name_look_alike("gold", "Gold"));
  g_assert_true(tg_name_look_alike("GOLD", "Gold"));
  g_assert_true(tg_name_look_alike("unlimited", "Unlimited"));
  g_assert_true(tg_name_look_alike("50permin", "50PerMin"));
  g_assert_true(tg_name_look_alike("a.B_c-D", "A.b_C-d"));
  g_assert_false(tg_name_look_alike("Gold", "Gold")); /* the same name: a duplicate, not this */
  g_assert_false(tg_name_look_alike("Gold", "Gold2"));
  g_assert_false(tg_name_look_alike("Gold", "Gol"));
  g_assert_false(tg_name_look_alike("Gold-", "Gold_"));
  g_assert_false(tg_name_look_alike("50PerMin", "5OPerMin"));
  g_assert_false(
      tg_name_look_alike("\xe2\x84\xaa"
                         "ey",
                         "key"));                            /* KELVIN SIGN */
  g_assert_false(tg_name_look_alike("L\xc4\xb1ne", "LINE")); /* dotless i */
  g_assert_false(tg_name_look_alike(NULL, "Gold"));
  g_assert_false(tg_name_look_alike("Gold", NULL));
  g_assert_false(tg_name_look_alike("", ""));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/names/table", test_table);
  g_test_add_func("/names/length", test_length);
  g_test_add_func("/names/look_alike", test_look_alike);
  return g_test_run();
}
