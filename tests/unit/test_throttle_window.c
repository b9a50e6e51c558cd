/* test_throttle_window: the throttle arithmetic the hub and the gateway share
   (common/tg_throttle.c): window starts, remainder slices, fail modes, rates. */
#include <glib.h>

#include "tg_cidr.h"
#include "tg_throttle.h"

static void test_window_start(void) {
  g_assert_cmpint(tg_window_start(0, 60000), ==, 0);
  g_assert_cmpint(tg_window_start(59999, 60000), ==, 0);
  g_assert_cmpint(tg_window_start(60000, 60000), ==, 60000);
  g_assert_cmpint(tg_window_start(1733350921123, 1000), ==, 1733350921000);
  g_assert_cmpint(tg_window_start(1733350921123, 10000), ==, 1733350920000);
  g_assert_cmpint(tg_window_start(-1, 1000), ==, -1000);
  g_assert_cmpint(tg_window_start(5, 0), ==, 5);
}

static void test_slice(void) {
  g_assert_cmpint(tg_credit_slice(10, 100), ==, 10);
  g_assert_cmpint(tg_credit_slice(100, 100), ==, 100);
  g_assert_cmpint(tg_credit_slice(101, 100), ==, 50);
  g_assert_cmpint(tg_credit_slice(50, 3), ==, 2);
  g_assert_cmpint(tg_credit_slice(50, 1), ==, 1);
  g_assert_cmpint(tg_credit_slice(50, 0), ==, 0);
  g_assert_cmpint(tg_credit_slice(0, 10), ==, 0);
  g_assert_cmpint(tg_credit_slice(5, -3), ==, 0);
  /* the slices of the end of a window never add up to more than was left */
  gint64 left = 37, total = 0;
  for (int i = 0; i < 100; i++) {
    gint64 s = tg_credit_slice(40, left);
    total += s;
    left -= s;
  }
  g_assert_cmpint(total, ==, 37);
}

static void test_static_share(void) {
  g_assert_cmpint(tg_static_share(600, 2), ==, 300);
  g_assert_cmpint(tg_static_share(600, 0), ==, 600);
  g_assert_cmpint(tg_static_share(10, 3), ==, 3);
  g_assert_cmpint(tg_static_share(1, 5), ==, 1);
  g_assert_cmpint(tg_static_share(0, 5), ==, 0);
}

static void test_names(void) {
  TgFailMode m = TG_FAIL_OPEN;
  g_assert_true(tg_fail_mode_parse("Closed", &m));
  g_assert_cmpint(m, ==, TG_FAIL_CLOSED);
  g_assert_true(tg_fail_mode_parse("static", &m));
  g_assert_cmpint(m, ==, TG_FAIL_STATIC);
  g_assert_false(tg_fail_mode_parse("closed ", &m));
  g_assert_false(tg_fail_mode_parse("", &m));
  g_assert_false(tg_fail_mode_parse(NULL, &m));
  g_assert_cmpstr(tg_fail_mode_name(TG_FAIL_OPEN), ==, "open");
  g_assert_cmpstr(tg_tier_level_canonical("api"), ==, "API");
  g_assert_cmpstr(tg_tier_level_canonical("Subscription"), ==, "SUBSCRIPTION");
  g_assert_null(tg_tier_level_canonical("HARD"));
  g_assert_null(tg_tier_level_canonical("API "));
  g_assert_cmpint(tg_time_unit_seconds("minute"), ==, 60);
  g_assert_cmpint(tg_time_unit_seconds("DAY"), ==, 86400);
  g_assert_cmpint(tg_time_unit_seconds("week"), ==, 0);
}

static void test_rate(void) {
  gint64 n = 0, u = 0;
  g_assert_true(tg_rate_parse("10/second", &n, &u));
  g_assert_cmpint(n, ==, 10);
  g_assert_cmpint(u, ==, 1);
  g_assert_true(tg_rate_parse("600/minute", &n, &u));
  g_assert_cmpint(u, ==, 60);
  g_assert_false(tg_rate_parse("0/second", &n, &u));
  g_assert_false(tg_rate_parse("-1/second", &n, &u));
  g_assert_false(tg_rate_parse("10/hour", &n, &u));
  g_assert_false(tg_rate_parse("10", &n, &u));
  g_assert_false(tg_rate_parse("/second", &n, &u));
  g_assert_false(tg_rate_parse("1x/second", &n, &u));
  g_assert_false(tg_rate_parse("99999999999999999/second", &n, &u));
}

static void test_cidr(void) {
  TgCidr r;
  g_assert_true(tg_cidr_parse("10.1.0.0/16", &r));
  g_assert_true(tg_cidr_contains(&r, "10.1.255.3"));
  g_assert_false(tg_cidr_contains(&r, "10.2.0.1"));
  g_assert_true(tg_cidr_contains(&r, "::ffff:10.1.2.3"));
  g_assert_false(tg_cidr_contains(&r, "not-an-ip"));
  g_assert_true(tg_cidr_parse("127.0.0.1", &r));
  g_assert_true(tg_cidr_contains(&r, "127.0.0.1"));
  g_assert_false(tg_cidr_contains(&r, "127.0.0.2"));
  g_assert_true(tg_cidr_parse("2001:db8::/33", &r));
  g_assert_true(tg_cidr_contains(&r, "2001:db8:7fff::1"));
  g_assert_false(tg_cidr_contains(&r, "2001:db8:8000::1"));
  g_assert_true(tg_cidr_parse("0.0.0.0/0", &r));
  g_assert_true(tg_cidr_contains(&r, "192.0.2.1"));
  g_assert_false(tg_cidr_contains(&r, "2001:db8::1"));
  g_assert_false(tg_cidr_parse("10.0.0.0/33", &r));
  g_assert_false(tg_cidr_parse("10.0.0.0/", &r));
  g_assert_false(tg_cidr_parse("10.0.0.0/+8", &r));
  g_assert_false(tg_cidr_parse("10.0.0/8", &r));
  g_assert_false(tg_cidr_parse("::1/129", &r));
  g_assert_false(tg_cidr_parse("", &r));
}

static void test_sliding(void) {
  g_assert_cmpint(tg_sliding_slot_ms(1000), ==, 100);
  g_assert_cmpint(tg_sliding_slot_ms(60000), ==, 6000);
  g_assert_cmpint(tg_sliding_slot_ms(5), ==, 1);
  /* the window of the slot at 10 s: the 10 slots 9.1 s .. 10.0 s for a 1 s unit */
  g_assert_cmpint(tg_sliding_first_slot(10000, 1000), ==, 9100);
  g_assert_cmpint(tg_sliding_first_slot(600000, 60000), ==, 546000);
  /* slots are fixed windows: every slot start is aligned to the slot length */
  g_assert_cmpint(tg_window_start(1733350921123, tg_sliding_slot_ms(1000)), ==, 1733350921100);
}

static void test_credit_level(void) {
  static const struct {
    const char *in, *base;
    TgCreditMeasure measure;
  } rows[] = {
      {"SUBSCRIPTION", "SUBSCRIPTION", TG_CREDIT_REQUESTS},
      {"SUBSCRIPTION_BURST", "SUBSCRIPTION", TG_CREDIT_BURST},
      {"SUBSCRIPTION_BYTES", "SUBSCRIPTION", TG_CREDIT_BYTES},
      {"APPLICATION_BURST", "APPLICATION", TG_CREDIT_BURST},
      {"API", "API", TG_CREDIT_REQUESTS},
      {"API_BYTES", "API", TG_CREDIT_BYTES},
      {"RESOURCE_BYTES", "RESOURCE", TG_CREDIT_BYTES},
      {"CUSTOM", "CUSTOM", TG_CREDIT_REQUESTS},
      {"CUSTOM_BYTES", "CUSTOM", TG_CREDIT_BYTES},
      {"HARD", "HARD", TG_CREDIT_REQUESTS},
      /* refused: case, spelling, suffixes that do not apply, trailing bytes */
      {"custom", NULL, 0},
      {"CUSTOM_BURST", NULL, 0},
      {"HARD_BYTES", NULL, 0},
      {"HARD_BURST", NULL, 0},
      {"API_", NULL, 0},
      {"APIX", NULL, 0},
      {"SUBSCRIPTION_BYTES ", NULL, 0},
      {"", NULL, 0},
      {"_BYTES", NULL, 0},
      {NULL, NULL, 0},
  };
  for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
    TgCreditMeasure m = 99;
    const char *base = tg_credit_level_parse(rows[i].in, &m);
    g_assert_cmpstr(base, ==, rows[i].base);
    if (base) g_assert_cmpint(m, ==, rows[i].measure);
  }
}

static void test_custom_key_by(void) {
  g_assert_cmpstr(tg_custom_key_by_canonical("user"), ==, "USER");
  g_assert_cmpstr(tg_custom_key_by_canonical("Header"), ==, "HEADER");
  g_assert_cmpstr(tg_custom_key_by_canonical("ip"), ==, "IP");
  g_assert_null(tg_custom_key_by_canonical("IPS"));
  g_assert_null(tg_custom_key_by_canonical(""));
  g_assert_null(tg_custom_key_by_canonical(NULL));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/throttle/window_start", test_window_start);
  g_test_add_func("/throttle/slice", test_slice);
  g_test_add_func("/throttle/static_share", test_static_share);
  g_test_add_func("/throttle/names", test_names);
  g_test_add_func("/throttle/rate", test_rate);
  g_test_add_func("/throttle/cidr", test_cidr);
  g_test_add_func("/throttle/sliding", test_sliding);
  g_test_add_func("/throttle/credit-level", test_credit_level);
  g_test_add_func("/throttle/custom-key-by", test_custom_key_by);
  return g_test_run();
}
