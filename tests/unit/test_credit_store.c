/*
 * test_credit_store: the throttle plugin's pure parts: credit taken and
 * refunded, waiting for a refill, refusing a spent window, credit dying with
 * its window and reported, idle credit given back, the fail modes; the
 * blocking-condition list; the rate-limit header text.
 */
#include <string.h>

#include "block_list.h"
#include "credit_store.h"
#include "policy_set.h"
#include "ratelimit_headers.h"

#define T0 1733350920000 /* a minute boundary */

static void count_cb(gpointer data) { (*(int *)data)++; }

static CreditGrantInfo grant(gint64 granted, gint64 limit, gint64 remaining) {
  return (CreditGrantInfo){.ok = TRUE,
                           .granted = granted,
                           .window_start = T0,
                           .window_end = T0 + 60000,
                           .limit = limit,
                           .remaining = remaining,
                           .gateways = 2};
}

static void test_wait_then_spend(void) {
  CreditStore *s = credit_store_new();
  CreditTake t;
  int woken = 0;
  g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0 + 5, count_cb, &woken, &t),
                  ==, CREDIT_WAIT);
  g_assert_cmpint(t.refill, ==, 1);
  /* a second request while the refill is out waits too, without asking again */
  g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0 + 6, count_cb, &woken, &t),
                  ==, CREDIT_WAIT);
  g_assert_cmpint(t.refill, ==, 0);
  CreditGrantInfo g = grant(4, 10, 6);
  credit_store_granted(s, "k", &g, T0 + 7);
  g_assert_cmpint(woken, ==, 2);
  for (int i = 0; i < 4; i++) {
    g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0 + 8, NULL, NULL, &t), ==,
                    CREDIT_TAKEN);
    g_assert_true(t.counted);
    g_assert_cmpint(t.limit, ==, 10);
    g_assert_cmpint(t.reset_ms, ==, T0 + 60000);
  }
  g_assert_cmpint(t.remaining, ==, 6);
  /* below half of the last grant a refill was asked for once */
  g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0 + 9, NULL, NULL, &t), ==,
                  CREDIT_WAIT);
  credit_store_free(s);
}

static void test_refund_and_refuse(void) {
  CreditStore *s = credit_store_new();
  CreditTake t;
  credit_store_take(s, "k", "APPLICATION", "10PerMin", T0, NULL, NULL, &t);
  CreditGrantInfo g = grant(1, 10, 0);
  credit_store_granted(s, "k", &g, T0);
  g_assert_cmpint(credit_store_take(s, "k", "APPLICATION", "x", T0 + 1, NULL, NULL, &t), ==,
                  CREDIT_TAKEN);
  credit_store_refund(s, "k");
  g_assert_cmpint(credit_store_take(s, "k", "APPLICATION", "x", T0 + 2, NULL, NULL, &t), ==,
                  CREDIT_TAKEN);
  /* spent, and the ledger said nothing is left after an empty grant: refused */
  g_assert_cmpint(credit_store_take(s, "k", "APPLICATION", "x", T0 + 3, NULL, NULL, &t), ==,
                  CREDIT_WAIT);
  CreditGrantInfo none = grant(0, 10, 0);
  credit_store_granted(s, "k", &none, T0 + 4);
  g_assert_cmpint(credit_store_take(s, "k", "APPLICATION", "x", T0 + 5, NULL, NULL, &t), ==,
                  CREDIT_REFUSED);
  g_assert_cmpint(t.refill, ==, 0); /* asked 1 ms ago */
  g_assert_cmpint(credit_store_take(s, "k", "APPLICATION", "x", T0 + 400, NULL, NULL, &t), ==,
                  CREDIT_REFUSED);
  g_assert_cmpint(t.refill, >, 0); /* a spent window is asked again: others give back */
  credit_store_free(s);
}

static gint64 sum_used(GPtrArray *lines, gint64 *unused) {
  gint64 used = 0;
  *unused = 0;
  for (guint i = 0; i < lines->len; i++) {
    CreditReportLine *l = g_ptr_array_index(lines, i);
    used += l->used;
    *unused += l->unused;
  }
  return used;
}

static void test_window_end_and_reports(void) {
  CreditStore *s = credit_store_new();
  CreditTake t;
  credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0, NULL, NULL, &t);
  CreditGrantInfo g = grant(50, 100, 50);
  credit_store_granted(s, "k", &g, T0);
  for (int i = 0; i < 3; i++)
    credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0 + 10, NULL, NULL, &t);
  gint64 unused = 0;
  GPtrArray *lines = credit_store_drain_reports(s, T0 + 20, 1000);
  g_assert_cmpint(sum_used(lines, &unused), ==, 3);
  g_assert_cmpint(unused, ==, 0);
  g_ptr_array_unref(lines);
  /* idle for a second: the 47 left go back */
  lines = credit_store_drain_reports(s, T0 + 1100, 1000);
  g_assert_cmpint(sum_used(lines, &unused), ==, 0);
  g_assert_cmpint(unused, ==, 47);
  g_ptr_array_unref(lines);
  /* the window ended: a new take starts afresh and waits for the new window's credit */
  credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0 + 1200, NULL, NULL, &t);
  credit_store_granted(s, "k", &g, T0 + 1200);
  credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0 + 1300, NULL, NULL, &t);
  g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0 + 60001, NULL, NULL, &t), ==,
                  CREDIT_WAIT);
  lines = credit_store_drain_reports(s, T0 + 60002, 1000);
  g_assert_cmpint(sum_used(lines, &unused), ==, 1);
  g_assert_cmpint(unused, ==, 49);
  CreditReportLine *l = g_ptr_array_index(lines, 0);
  g_assert_cmpint(l->window_start, ==, T0);
  /* a failed report is kept for the next one */
  credit_store_requeue(s, lines);
  g_ptr_array_unref(lines);
  lines = credit_store_drain_reports(s, T0 + 60003, 1000);
  g_assert_cmpint(sum_used(lines, &unused), ==, 1);
  g_ptr_array_unref(lines);
  credit_store_free(s);
}

static void test_fail_modes(void) {
  CreditStore *s = credit_store_new();
  CreditTake t;
  CreditGrantInfo down = {.ok = FALSE};
  /* static: the share of a 10 limit among 2 gateways is 5 */
  credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0, NULL, NULL, &t);
  CreditGrantInfo g = grant(2, 10, 8);
  credit_store_granted(s, "k", &g, T0);
  credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0 + 1, NULL, NULL, &t);
  credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0 + 2, NULL, NULL, &t);
  g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0 + 3, NULL, NULL, &t), ==,
                  CREDIT_WAIT);
  credit_store_granted(s, "k", &down, T0 + 4);
  g_assert_cmpuint(credit_store_failing(s), ==, 1);
  int taken = 0;
  for (int i = 0; i < 20; i++)
    taken +=
        credit_store_take(s, "k", "SUBSCRIPTION", "Gold", T0 + 5, NULL, NULL, &t) == CREDIT_TAKEN;
  g_assert_cmpint(taken, ==, 5);
  /* closed and open */
  CreditGrantInfo closed = grant(0, 10, 0);
  closed.fail_mode = TG_FAIL_CLOSED;
  credit_store_take(s, "c", "SUBSCRIPTION", "Gold", T0, NULL, NULL, &t);
  credit_store_granted(s, "c", &closed, T0);
  credit_store_take(s, "c", "SUBSCRIPTION", "Gold", T0 + 300, NULL, NULL, &t);
  credit_store_granted(s, "c", &down, T0 + 300);
  g_assert_cmpint(credit_store_take(s, "c", "SUBSCRIPTION", "Gold", T0 + 301, NULL, NULL, &t), ==,
                  CREDIT_REFUSED);
  CreditGrantInfo open = grant(0, 10, 0);
  open.fail_mode = TG_FAIL_OPEN;
  credit_store_take(s, "o", "SUBSCRIPTION", "Gold", T0, NULL, NULL, &t);
  credit_store_granted(s, "o", &open, T0);
  credit_store_take(s, "o", "SUBSCRIPTION", "Gold", T0 + 300, NULL, NULL, &t);
  credit_store_granted(s, "o", &down, T0 + 300);
  for (int i = 0; i < 50; i++)
    g_assert_cmpint(credit_store_take(s, "o", "SUBSCRIPTION", "Gold", T0 + 301, NULL, NULL, &t), ==,
                    CREDIT_TAKEN);
  /* the hubs are back: counted against the ledger again */
  credit_store_granted(s, "k", &g, T0 + 2000);
  g_assert_cmpuint(credit_store_failing(s), ==, 2);
  credit_store_free(s);
}

/* A key on its fail mode that is no longer used leaves it: the failing-keys gauge stayed up
   after the hubs came back, counting keys nobody used any more. */
static void test_failing_idle(void) {
  CreditStore *s = credit_store_new();
  CreditTake t;
  CreditGrantInfo down = {.ok = FALSE};
  /* never granted: forgotten */
  g_assert_cmpint(credit_store_take(s, "n", "SUBSCRIPTION", "Gold", T0, NULL, NULL, &t), ==,
                  CREDIT_WAIT);
  credit_store_granted(s, "n", &down, T0);
  /* granted, then the hubs went away: kept (its window's counts), off its fail mode */
  credit_store_take(s, "w", "SUBSCRIPTION", "Gold", T0, NULL, NULL, &t);
  CreditGrantInfo g = grant(1, 10, 9);
  g.window_end = T0 + 3600 * 1000;
  credit_store_granted(s, "w", &g, T0);
  credit_store_take(s, "w", "SUBSCRIPTION", "Gold", T0 + 1, NULL, NULL, &t);
  g_assert_cmpint(credit_store_take(s, "w", "SUBSCRIPTION", "Gold", T0 + 2, NULL, NULL, &t), ==,
                  CREDIT_WAIT);
  credit_store_granted(s, "w", &down, T0 + 2);
  g_assert_cmpuint(credit_store_failing(s), ==, 2);
  g_ptr_array_unref(credit_store_drain_reports(s, T0 + 4000, 1000));
  g_assert_cmpuint(credit_store_failing(s), ==, 2); /* not idle long enough */
  g_ptr_array_unref(credit_store_drain_reports(s, T0 + 6000, 1000));
  g_assert_cmpuint(credit_store_failing(s), ==, 0);
  /* the next use asks the hubs first */
  g_assert_cmpint(credit_store_take(s, "w", "SUBSCRIPTION", "Gold", T0 + 6001, NULL, NULL, &t), ==,
                  CREDIT_WAIT);
  g_assert_cmpint(t.refill, >, 0);
  credit_store_free(s);
}

static void test_unlimited(void) {
  CreditStore *s = credit_store_new();
  CreditTake t;
  credit_store_take(s, "b", "SUBSCRIPTION_BURST", "Gold", T0, NULL, NULL, &t);
  CreditGrantInfo g = grant(1, 0, 0);
  credit_store_granted(s, "b", &g, T0);
  for (int i = 0; i < 100; i++) {
    g_assert_cmpint(credit_store_take(s, "b", "SUBSCRIPTION_BURST", "Gold", T0 + 1, NULL, NULL, &t),
                    ==, CREDIT_TAKEN);
    g_assert_false(t.counted);
    g_assert_cmpint(t.refill, ==, 0);
  }
  credit_store_free(s);
}

static void test_take_all_refunds(void) {
  CreditStore *s = credit_store_new();
  CreditTake outs[2], t;
  CreditKeyRef keys[] = {{"a", "API", "x"}, {"b", "SUBSCRIPTION", "y"}};
  guint at = 9;
  g_assert_cmpint(credit_store_take_all(s, keys, 2, T0, NULL, NULL, outs, &at), ==, CREDIT_WAIT);
  g_assert_cmpuint(at, ==, 0);
  CreditGrantInfo ga = grant(5, 100, 95), none = grant(0, 3, 0);
  credit_store_granted(s, "a", &ga, T0);
  g_assert_cmpint(credit_store_take_all(s, keys, 2, T0 + 1, NULL, NULL, outs, &at), ==,
                  CREDIT_WAIT);
  g_assert_cmpuint(at, ==, 1);
  g_assert_true(outs[0].counted);
  credit_store_granted(s, "b", &none, T0 + 2);
  g_assert_cmpint(credit_store_take_all(s, keys, 2, T0 + 3, NULL, NULL, outs, &at), ==,
                  CREDIT_REFUSED);
  g_assert_cmpuint(at, ==, 1);
  /* "a" gave back what the refused requests took: still 5 */
  for (int i = 0; i < 5; i++)
    g_assert_cmpint(credit_store_take(s, "a", "API", "x", T0 + 4, NULL, NULL, &t), ==,
                    CREDIT_TAKEN);
  GPtrArray *lines = credit_store_drain_reports(s, T0 + 5, 1000);
  gint64 unused = 0;
  g_assert_cmpint(sum_used(lines, &unused), ==, 5);
  g_ptr_array_unref(lines);
  credit_store_free(s);
}

static void test_let_through(void) {
  CreditStore *s = credit_store_new();
  CreditTake t;
  credit_store_take(s, "k", "SUBSCRIPTION", "Free", T0, NULL, NULL, &t);
  CreditGrantInfo g = grant(0, 10, 0);
  g.let_through = TRUE; /* stopOnQuotaReach false */
  credit_store_granted(s, "k", &g, T0);
  g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Free", T0 + 1, NULL, NULL, &t), ==,
                  CREDIT_TAKEN);
  g_assert_true(t.over_quota);
  g_assert_false(t.counted);
  credit_store_free(s);
}

/* The hubs answer that the tier does not exist (grantCredits 404): not a hub failure (no key
   failing), every request admitted and counted, the hub asked again only after 30 s or at
   the first take after a tier change; the tier created meanwhile limits from its grant. */
static void test_no_tier(void) {
  CreditStore *s = credit_store_new();
  CreditTake t;
  int woken = 0;
  g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Ghost", T0, count_cb, &woken, &t), ==,
                  CREDIT_WAIT);
  CreditGrantInfo none = {.no_tier = TRUE};
  credit_store_granted(s, "k", &none, T0 + 1);
  g_assert_cmpint(woken, ==, 1);
  g_assert_cmpuint(credit_store_failing(s), ==, 0);
  for (gint64 ms = 2; ms < 30000; ms += 500) {
    g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Ghost", T0 + ms, NULL, NULL, &t), ==,
                    CREDIT_TAKEN);
    g_assert_cmpint(t.refill, ==, 0); /* not asked again within the back-off */
    g_assert_cmpint(t.limit, ==, 0);
    g_assert_false(t.counted);
  }
  g_assert_cmpuint(credit_store_no_tier_admitted(s), ==, 60);
  g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Ghost", T0 + 30001, NULL, NULL, &t),
                  ==, CREDIT_TAKEN);
  g_assert_cmpint(t.refill, ==, 1); /* the back-off ran out: asked once, still admitted */
  credit_store_granted(s, "k", &none, T0 + 30002);
  g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Ghost", T0 + 30003, NULL, NULL, &t),
                  ==, CREDIT_TAKEN);
  g_assert_cmpint(t.refill, ==, 0);
  credit_store_tiers_changed(s); /* the feed: a tier was added */
  g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Ghost", T0 + 30004, NULL, NULL, &t),
                  ==, CREDIT_TAKEN);
  g_assert_cmpint(t.refill, ==, 1);
  CreditGrantInfo g = grant(1, 1, 0);
  g.window_start = T0 + 60000;
  g.window_end = T0 + 120000;
  credit_store_granted(s, "k", &g, T0 + 60005);
  g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Ghost", T0 + 60006, NULL, NULL, &t),
                  ==, CREDIT_TAKEN);
  g_assert_true(t.counted);
  g_assert_cmpint(t.limit, ==, 1);
  g_assert_cmpint(credit_store_take(s, "k", "SUBSCRIPTION", "Ghost", T0 + 60007, NULL, NULL, &t),
                  ==, CREDIT_WAIT);
  g_assert_cmpuint(credit_store_no_tier_admitted(s), ==, 63);
  credit_store_free(s);
}

/* A key whose tier did not exist held credit of a window before: reported and dropped;
   the hubs going away afterwards is still "hubs unreachable" (the key fails). */
static void test_no_tier_then_hubs_down(void) {
  CreditStore *s = credit_store_new();
  CreditTake t;
  credit_store_take(s, "k", "APPLICATION", "x", T0, NULL, NULL, &t);
  CreditGrantInfo g = grant(3, 10, 7);
  credit_store_granted(s, "k", &g, T0 + 1);
  g_assert_cmpint(credit_store_take(s, "k", "APPLICATION", "x", T0 + 2, NULL, NULL, &t), ==,
                  CREDIT_TAKEN);
  CreditGrantInfo none = {.no_tier = TRUE};
  credit_store_granted(s, "k", &none, T0 + 3);
  g_autoptr(GPtrArray) lines = credit_store_drain_reports(s, T0 + 4, 1000);
  g_assert_cmpuint(lines->len, ==, 1);
  CreditReportLine *l = g_ptr_array_index(lines, 0);
  g_assert_cmpint(l->used, ==, 1);
  g_assert_cmpint(l->unused, ==, 2);
  credit_store_tiers_changed(s);
  credit_store_take(s, "k", "APPLICATION", "x", T0 + 5, NULL, NULL, &t);
  g_assert_cmpint(t.refill, ==, 1);
  CreditGrantInfo down = {.ok = FALSE};
  credit_store_granted(s, "k", &down, T0 + 6);
  g_assert_cmpuint(credit_store_failing(s), ==, 1);
  /* a failing key is not dropped by the no-tier back-off (nor off its fail mode while
     in use, test_failing_idle); an idle key of a tier that does not exist is */
  g_autoptr(GPtrArray) later = credit_store_drain_reports(s, T0 + 4000, 1000);
  g_assert_cmpuint(credit_store_size(s), ==, 1);
  g_assert_cmpuint(credit_store_failing(s), ==, 1);
  credit_store_granted(s, "k", &none, T0 + 4001);
  g_assert_cmpuint(credit_store_failing(s), ==, 0);
  g_autoptr(GPtrArray) idle = credit_store_drain_reports(s, T0 + 40002, 1000);
  g_assert_cmpuint(credit_store_size(s), ==, 0);
  credit_store_free(s);
}

static void test_block_list(void) {
  BlockList *b = block_list_new();
  BlockSubject sub = {
      .api = "/pizza:1.0.0", .application = "alice:app", .user = "alice", .client_ip = "10.1.2.3"};
  g_assert_false(block_list_match(b, &sub));
  const char *kinds[] = {"IP", "API", "IP"};
  const char *values[] = {"10.9.0.0/16", "/other:1.0.0", "not-an-ip"};
  GLogLevelFlags fatal = g_log_set_always_fatal(G_LOG_FATAL_MASK); /* the skip is logged */
  block_list_set(b, kinds, values, 3);
  g_log_set_always_fatal(fatal);
  g_assert_cmpuint(block_list_size(b), ==, 2);
  g_assert_false(block_list_match(b, &sub));
  sub.client_ip = "10.9.200.1";
  g_assert_true(block_list_match(b, &sub));
  sub.client_ip = "10.1.2.3";
  const char *k2[] = {"USER", "APPLICATION"};
  const char *v2[] = {"Alice", "alice:app"};
  block_list_set(b, k2, v2, 2);
  g_assert_true(block_list_match(b, &sub)); /* the application, not "Alice" */
  sub.application = "alice:app2";
  g_assert_false(block_list_match(b, &sub));
  block_list_set(b, NULL, NULL, 0);
  g_assert_false(block_list_match(b, &sub));
  block_list_free(b);
}

static void test_headers(void) {
  RateLimitHeaders h;
  ratelimit_headers_format(&h, "subscription", 600, 12, 60000, T0 + 60000, T0 + 30500);
  g_assert_cmpstr(h.policy, ==, "\"subscription\";q=600;w=60");
  g_assert_cmpstr(h.ratelimit, ==, "\"subscription\";r=12;t=30");
  g_assert_cmpstr(h.limit, ==, "600");
  g_assert_cmpstr(h.remaining, ==, "12");
  g_assert_cmpstr(h.reset, ==, "30");
  ratelimit_headers_format(&h, "api", 10, 99, 1000, T0, T0 + 5);
  g_assert_cmpstr(h.remaining, ==, "10");
  g_assert_cmpstr(h.reset, ==, "1");
  ratelimit_headers_format(&h, "api", 10, -4, 1000, T0, T0);
  g_assert_cmpstr(h.remaining, ==, "0");
  g_assert_cmpint(ratelimit_seconds_until(T0, T0 + 1), ==, 1);
  g_assert_cmpint(ratelimit_seconds_until(T0, T0 + 1001), ==, 2);
  char next[48];
  ratelimit_next_access_time(T0, next);
  g_assert_cmpstr(next, ==, "2024-Dec-04 22:22:00+0000 UTC");
  for (guint k = 0; k < RATELIMIT_HEADERS; k++) { /* the lengths the gateway writes with */
    g_assert_cmpuint(ratelimit_header_lens[k], ==, strlen(ratelimit_header_names[k]));
    g_assert_cmpuint(h.len[k], ==, strlen(h.value[k]));
  }
}

/* A thread's answers copy the digits of the last remaining and reset they wrote: every
   sequence (down by one, across a hundred, a digit fewer, up after a refill, another key's
   numbers in between) still reads as the numbers asked for. */
static void test_headers_numbers(void) {
  static const gint64 seq[] = {12345,      12344, 12300, 12299, 12200,      12199,      1000,
                               999,        100,   99,    10,    9,          0,          1,
                               100,        199,   200,   12345, 2000000000, 1999999999, 1999999900,
                               1999999899, 12,    112,   212,   5};
  RateLimitHeaders h;
  for (guint i = 0; i < G_N_ELEMENTS(seq); i++) {
    for (guint reset = 1; reset <= 3; reset += 2) {
      ratelimit_headers_format(&h, "subscription", 2000000000, seq[i], 60000,
                               T0 + reset * 1000 + (gint64)i % 2 * 1000, T0);
      g_autofree char *want = g_strdup_printf("%" G_GINT64_FORMAT, seq[i]);
      g_autofree char *reset_want = g_strdup_printf("%u", reset + i % 2);
      g_autofree char *rl = g_strdup_printf("\"subscription\";r=%s;t=%s", want, reset_want);
      g_assert_cmpstr(h.remaining, ==, want);
      g_assert_cmpstr(h.reset, ==, reset_want);
      g_assert_cmpstr(h.ratelimit, ==, rl);
      for (guint k = 0; k < RATELIMIT_HEADERS; k++)
        g_assert_cmpuint(h.len[k], ==, strlen(h.value[k]));
    }
  }
}

/* A bytes key: a request reserves its key's last response size (1 before the first), the
   log phase corrects it with the bytes sent, a debt is paid by the next grant before another
   request goes through, a window whose bytes are spent refuses, and the report counts every
   byte sent. */
static void test_bytes(void) {
  CreditStore *s = credit_store_new();
  CreditTake t;
  guint at = 0;
  int woken = 0;
  CreditKeyRef key = {"b", "SUBSCRIPTION_BYTES", "Bw", TRUE};
  g_assert_cmpint(credit_store_take_all(s, &key, 1, T0, count_cb, &woken, &t, &at), ==,
                  CREDIT_WAIT);
  g_assert_cmpint(t.refill, ==, 1); /* the limit is not known yet: as for requests */
  CreditGrantInfo g = grant(10, 1000, 990);
  credit_store_granted(s, "b", &g, T0 + 1);
  g_assert_cmpint(woken, ==, 1);
  /* two requests admitted on 1 byte each: nothing is known of the responses yet */
  for (int i = 0; i < 2; i++) {
    g_assert_cmpint(credit_store_take_all(s, &key, 1, T0 + 2, NULL, NULL, &t, &at), ==,
                    CREDIT_TAKEN);
    g_assert_true(t.counted);
    g_assert_cmpint(t.reserved, ==, 1);
  }
  /* both responses were 300 bytes: a debt of 8 - 598 = -590; the refill asked covers the
     debt and the next reservation (300) */
  g_assert_cmpint(credit_store_spend(s, "b", 1, 300, T0 + 3), ==, 591);
  g_assert_cmpint(credit_store_spend(s, "b", 1, 300, T0 + 3), ==, 0); /* one is out */
  g_assert_cmpint(credit_store_take_all(s, &key, 1, T0 + 4, count_cb, &woken, &t, &at), ==,
                  CREDIT_WAIT);
  g = grant(890, 1000, 100);
  credit_store_granted(s, "b", &g, T0 + 5);
  g_assert_cmpint(woken, ==, 2);
  /* 300 left: one more 300-byte response fits, reserved whole */
  g_assert_cmpint(credit_store_take_all(s, &key, 1, T0 + 6, NULL, NULL, &t, &at), ==, CREDIT_TAKEN);
  g_assert_cmpint(t.reserved, ==, 300);
  g_assert_cmpint(credit_store_spend(s, "b", 300, 300, T0 + 7), >, 0);
  g = grant(0, 1000, 0);
  credit_store_granted(s, "b", &g, T0 + 8);
  g_assert_cmpint(credit_store_take_all(s, &key, 1, T0 + 9, NULL, NULL, &t, &at), ==,
                  CREDIT_REFUSED);
  /* a later key's refusal gives a bytes reservation back whole */
  CreditKeyRef two[] = {{"b2", "SUBSCRIPTION_BYTES", "Bw", TRUE},
                        {"r", "SUBSCRIPTION", "G", FALSE}};
  credit_store_take_all(s, two, 1, T0 + 10, NULL, NULL, &t, &at);
  g = grant(1000, 1000, 0);
  credit_store_granted(s, "b2", &g, T0 + 10);
  CreditTake ts[2];
  g_assert_cmpint(credit_store_take_all(s, two, 2, T0 + 11, NULL, NULL, ts, &at), ==, CREDIT_WAIT);
  g_assert_cmpint(at, ==, 1);
  /* reported: every byte sent, and nothing of b2's refunded reservation counted as used */
  g_autoptr(GPtrArray) lines = credit_store_drain_reports(s, T0 + 12, 1000);
  gint64 used = 0, used2 = 0;
  for (guint i = 0; i < lines->len; i++) {
    CreditReportLine *l = lines->pdata[i];
    if (strcmp(l->key, "b") == 0) used += l->used;
    if (strcmp(l->key, "b2") == 0) used2 += l->used;
  }
  g_assert_cmpint(used, ==, 900);
  g_assert_cmpint(used2, ==, 0);
  credit_store_free(s);
}

static void test_policy_set(void) {
  PolicySet *set = policy_set_new();
  g_assert_null(policy_set_acquire(set)); /* nothing loaded yet: no lock, no snapshot */
  CustomRuleDef defs[] = {
      {1, "ip", "", "/pizza", 10, 0}, {2, "HEADER", "X-Client", "", 0, 500},
      {3, "header", "", "", 5, 0}, /* no header name: skipped */
      {4, "nobody", "", "", 5, 0}, /* unknown keyBy: skipped */
      {5, "USER", "", "", 0, 0},   /* counts nothing: skipped */
  };
  const TierDef tiers[] = {{"SUBSCRIPTION", "Bw", TRUE, FALSE},
                           {"APPLICATION", "Bw", FALSE, TRUE},
                           {"API", "Plain", FALSE, FALSE},
                           {"NOLEVEL", "x", TRUE, TRUE}};
  GLogLevelFlags fatal = g_log_set_always_fatal(G_LOG_FATAL_MASK); /* the skips are logged */
  policy_set_replace(set, defs, G_N_ELEMENTS(defs), tiers, G_N_ELEMENTS(tiers));
  g_log_set_always_fatal(fatal);
  PolicySnapshot *snap = policy_set_acquire(set);
  g_assert_nonnull(snap);
  const CustomRule *rules = NULL;
  g_assert_cmpuint(policy_snapshot_rules(snap, &rules), ==, 2);
  g_assert_cmpuint(policy_snapshot_tier(snap, TIER_LEVEL_SUBSCRIPTION, "Bw"), ==, TIER_BYTES);
  g_assert_cmpuint(policy_snapshot_tier(snap, TIER_LEVEL_APPLICATION, "Bw"), ==, TIER_BURST);
  /* names are exact; an unknown tier or no list yet: a burst is checked, bytes are not */
  g_assert_cmpuint(policy_snapshot_tier(snap, TIER_LEVEL_SUBSCRIPTION, "bw"), ==, TIER_UNKNOWN);
  /* a level none of whose listed tiers has a burst or bytes still tells a listed tier
     from one not listed yet: a new tier's burst counts before the next reload */
  g_assert_cmpuint(policy_snapshot_tier(snap, TIER_LEVEL_API, "Bw"), ==, TIER_UNKNOWN);
  g_assert_cmpuint(policy_snapshot_tier(snap, TIER_LEVEL_API, "Plain"), ==, 0);
  g_assert_cmpuint(policy_snapshot_tier(NULL, TIER_LEVEL_API, "Bw"), ==, TIER_UNKNOWN);
  char who[POLICY_WHO_MAX];
  PolicySubject subj = {"/pizza", "/pizza:1.0.0", NULL, NULL, "127.0.0.1"};
  g_assert_true(policy_rule_who(&rules[0], &subj, NULL, who));
  g_assert_cmpstr(who, ==, "127.0.0.1");
  g_assert_true(rules[0].requests && !rules[0].bytes);
  subj.context = "/pizzas"; /* another API: the first policy does not apply */
  g_assert_false(policy_rule_who(&rules[0], &subj, NULL, who));
  g_assert_cmpstr(rules[1].header, ==, "x-client");
  g_assert_true(policy_rule_who(&rules[1], &subj, "abc", who));
  g_assert_cmpstr(who, ==, "abc");
  g_assert_true(policy_rule_who(&rules[1], &subj, NULL, who)); /* absent: one key for all */
  g_assert_cmpstr(who, ==, "");
  /* a long or non-ASCII value still counts, under its hash */
  g_autofree char *lng = g_strnfill(4000, 'a');
  g_assert_true(policy_rule_who(&rules[1], &subj, lng, who));
  g_assert_cmpint(who[0], ==, '#');
  g_assert_cmpuint(strlen(who), ==, 65);
  g_assert_true(policy_rule_who(&rules[1], &subj, "caf\xc3\xa9", who));
  g_assert_cmpint(who[0], ==, '#');
  /* a reload keeps a reader's snapshot alive */
  policy_set_replace(set, NULL, 0, NULL, 0);
  PolicySnapshot *empty = policy_set_acquire(set);
  g_assert_cmpuint(policy_snapshot_rules(empty, &rules), ==, 0);
  policy_snapshot_release(empty);
  policy_snapshot_rules(snap, &rules);
  g_assert_cmpstr(rules[1].header, ==, "x-client");
  policy_snapshot_release(snap);
  policy_set_free(set);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/credit_store/wait_then_spend", test_wait_then_spend);
  g_test_add_func("/credit_store/refund_and_refuse", test_refund_and_refuse);
  g_test_add_func("/credit_store/window_end_and_reports", test_window_end_and_reports);
  g_test_add_func("/credit_store/fail_modes", test_fail_modes);
  g_test_add_func("/credit_store/failing_idle", test_failing_idle);
  g_test_add_func("/credit_store/unlimited", test_unlimited);
  g_test_add_func("/credit_store/take_all_refunds", test_take_all_refunds);
  g_test_add_func("/credit_store/let_through", test_let_through);
  g_test_add_func("/credit_store/bytes", test_bytes);
  g_test_add_func("/credit_store/no_tier", test_no_tier);
  g_test_add_func("/credit_store/no_tier_then_hubs_down", test_no_tier_then_hubs_down);
  g_test_add_func("/policy_set/rules", test_policy_set);
  g_test_add_func("/block_list/match", test_block_list);
  g_test_add_func("/ratelimit_headers/format", test_headers);
  g_test_add_func("/ratelimit_headers/numbers", test_headers_numbers);
  return g_test_run();
}
