/*
 * test_portal_rules.c: the portal methods' pure rules (keyvalidator/methods/portal_rules.c):
 * settings and their defaults, sign-up names (no upper case twin of an existing name) and
 * password strength, keyset cursors (a forged or damaged cursor is a 400, never a crash or a
 * wild id), usage ranges and the percentiles of a latency histogram.
 */
#include "config.h"

#include <string.h>

#include "portal_rules.h"
#include "tg_crypto.h"
#include "tg_latency_histogram.h"

static void test_settings(void) {
  const PortalSetting *s = portal_setting_find("signup_enabled", NULL);
  g_assert_nonnull(s);
  g_assert_cmpstr(s->fallback, ==, "true");
  g_assert_true(s->public);
  g_assert_true(portal_setting_value_valid(s, "false", NULL));
  const char *bad[] = {"FALSE", "0", "", "true ", "yes", NULL};
  for (guint i = 0; bad[i]; i++) {
    g_autoptr(GError) error = NULL;
    g_assert_false(portal_setting_value_valid(s, bad[i], &error));
    g_assert_error(error, PORTAL_ERROR, 400);
  }
  g_autoptr(GError) error = NULL;
  g_assert_null(portal_setting_find("Signup_Enabled", &error));
  g_assert_error(error, PORTAL_ERROR, 400);
  g_assert_null(portal_setting_find(NULL, NULL));
}

static void test_signup_names(void) {
  const char *good[] = {"alice", "bob.smith", "x_1-2", "007", NULL};
  for (guint i = 0; good[i]; i++) g_assert_true(portal_signup_name_valid(good[i], NULL));
  const char *bad[] = {"Alice",
                       "ADMIN",
                       "al",
                       "-bob",
                       ".bob",
                       "bob smith",
                       " bob",
                       "bob\n",
                       "b\xc3\xb6"
                       "b",
                       "a;b",
                       "",
                       NULL};
  for (guint i = 0; bad[i]; i++) {
    g_autoptr(GError) error = NULL;
    if (portal_signup_name_valid(bad[i], &error)) g_error("accepted %s", bad[i]);
    g_assert_error(error, PORTAL_ERROR, 400);
  }
  g_autofree char *long_name = g_strnfill(PORTAL_SIGNUP_NAME_MAX + 1, 'a');
  g_assert_false(portal_signup_name_valid(long_name, NULL));
  g_assert_false(portal_signup_name_valid(NULL, NULL));
}

static void test_passwords(void) {
  g_assert_true(portal_password_strong("alice", "Correct-Horse9", NULL));
  g_assert_true(portal_password_strong("alice", "correct horse battery", NULL)); /* 16+ */
  const char *weak[] = {"short1A!",
                        "alllowercase",
                        "ALLUPPERCASE1",
                        "aaaaaaaaaaaaaaaaaaaa",
                        "Xalice-2024!",
                        "xALICE-2024!",
                        NULL};
  for (guint i = 0; weak[i]; i++) {
    g_autoptr(GError) error = NULL;
    if (portal_password_strong("alice", weak[i], &error)) g_error("accepted %s", weak[i]);
    g_assert_error(error, PORTAL_ERROR, 400);
  }
  g_autofree char *huge = g_strnfill(PORTAL_PASSWORD_MAX + 1, 'A');
  g_assert_false(portal_password_strong("bob", huge, NULL));
  g_assert_false(portal_password_strong("bob", NULL, NULL));
}

static void test_cursor(void) {
  const char *names[] = {"Pizza Shack", "", "a\nb", "caf\xc3\xa9", NULL};
  for (guint i = 0; names[i]; i++) {
    g_autofree char *c = portal_cursor_encode(names[i], 42 + i);
    g_autofree char *name = NULL;
    gint64 id = 0;
    g_assert_true(portal_cursor_decode(c, &name, &id, NULL));
    g_assert_cmpint(id, ==, 42 + i);
    g_assert_cmpstr(name, ==, names[i]);
  }
  g_autofree char *first = NULL;
  gint64 id = 7;
  g_assert_true(portal_cursor_decode("", &first, &id, NULL));
  g_assert_null(first);
  g_assert_cmpint(id, ==, 0);
  g_autofree char *neg = tg_b64url_encode("x\n-5", 4);
  g_autofree char *zero = tg_b64url_encode("x\n0", 3);
  g_autofree char *huge = tg_b64url_encode("x\n99999999999999999999", 22);
  g_autofree char *noid = tg_b64url_encode("x\n", 2);
  g_autofree char *nonl = tg_b64url_encode("x", 1);
  g_autofree char *letters = tg_b64url_encode("x\n12a", 5);
  g_autofree char *badutf = tg_b64url_encode("\xff\n12", 4);
  g_autofree char *longc = g_strnfill(5000, 'A');
  const char *bad[] = {"!!!", neg, zero, huge, noid, nonl, letters, badutf, longc, "Zm9v", NULL};
  for (guint i = 0; bad[i]; i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *name = NULL;
    if (portal_cursor_decode(bad[i], &name, &id, &error)) g_error("accepted cursor %u", i);
    g_assert_error(error, PORTAL_ERROR, 400);
  }
}

static void test_limits_ranges(void) {
  g_assert_true(portal_limit_valid(1, NULL) && portal_limit_valid(100, NULL));
  g_assert_false(portal_limit_valid(0, NULL) || portal_limit_valid(101, NULL) ||
                 portal_limit_valid(-1, NULL));
  const char *canonical = NULL;
  gint64 step = 0;
  guint n = 0;
  g_assert_true(portal_usage_range("hour", &canonical, &step, &n, NULL));
  g_assert_cmpstr(canonical, ==, "HOUR");
  g_assert_cmpint(step * n, ==, 3600);
  g_assert_true(portal_usage_range("DAY", &canonical, &step, &n, NULL));
  g_assert_cmpint(step, ==, 3600);
  g_assert_cmpint(step * n, ==, 86400);
  g_assert_true(portal_usage_range("WEEK", &canonical, &step, &n, NULL));
  g_assert_cmpint(step, ==, 21600);
  g_assert_cmpint(step * n, ==, 7 * 86400);
  g_assert_false(portal_usage_range("MONTH", &canonical, &step, &n, NULL));
  g_assert_false(portal_usage_range(NULL, &canonical, &step, &n, NULL));
  /* the series ends with the step holding now, and starts on a step boundary */
  gint64 from = portal_usage_from(1700000123, 60, 60);
  g_assert_cmpint(from % 60, ==, 0);
  g_assert_cmpint(from + 59 * 60, <=, 1700000123);
  g_assert_cmpint(from + 60 * 60, >, 1700000123);
}

static void test_percentiles(void) {
  gint64 h[TG_LATENCY_BUCKETS] = {0};
  g_assert_cmpint(portal_histogram_percentile(h, 0.5), ==, -1);
  h[3] = 98; /* <= 10 ms */
  h[7] = 1;  /* <= 200 ms */
  h[12] = 1; /* over 5000 */
  g_assert_cmpint(portal_histogram_percentile(h, 0.50), ==, 10);
  g_assert_cmpint(portal_histogram_percentile(h, 0.99), ==, 200);
  g_assert_cmpint(portal_histogram_percentile(h, 1.0), ==, 5001);
  gint64 one[TG_LATENCY_BUCKETS] = {[0] = 1};
  g_assert_cmpint(portal_histogram_percentile(one, 0.99), ==, 1);
  /* the gateway's bucket choice: bounds inclusive */
  g_assert_cmpuint(tg_latency_bucket(0.2), ==, 0);
  g_assert_cmpuint(tg_latency_bucket(1.0), ==, 0);
  g_assert_cmpuint(tg_latency_bucket(1.01), ==, 1);
  g_assert_cmpuint(tg_latency_bucket(5000), ==, 11);
  g_assert_cmpuint(tg_latency_bucket(5000.5), ==, 12);
  g_assert_cmpuint(tg_latency_bucket(-3), ==, 0);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/portal_rules/settings", test_settings);
  g_test_add_func("/portal_rules/signup_names", test_signup_names);
  g_test_add_func("/portal_rules/passwords", test_passwords);
  g_test_add_func("/portal_rules/cursor", test_cursor);
  g_test_add_func("/portal_rules/limits_ranges", test_limits_ranges);
  g_test_add_func("/portal_rules/percentiles", test_percentiles);
  return g_test_run();
}
