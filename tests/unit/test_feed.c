/*
 * test_feed: the gateway change feed's pure rules (keyvalidator/feed.c): when a
 * gateway must full-sync, how API_CHANGED subjects are split and de-duplicated,
 * and the once-a-minute prune throttle. Also the other gateway-facing ingestion
 * rules that need no database: usage batch validation and its SQL (usage.c),
 * document validation (docs.c).
 */
#include "config.h"

#include <string.h>

#include "docs.h"
#include "feed.h"
#include "usage.h"
#include "tg_tollgate_types.h"

static void test_full_sync_rules(void) {
  /* since, oldest, newest, pending -> full? */
  struct {
    gint64 since, oldest, newest, pending;
    gboolean full;
  } cases[] = {
      {0, 0, 0, 0, TRUE}, /* first call */
      {0, 5, 9, 5, TRUE},
      {9, 5, 9, 0, FALSE}, /* up to date */
      {7, 5, 9, 2, FALSE},
      {4, 5, 9, 5, FALSE}, /* exactly oldest - 1: nothing missed */
      {3, 5, 9, 5, TRUE},  /* revision 4 was pruned */
      {12, 5, 9, 0, TRUE}, /* gateway ahead: database restored */
      {3, 0, 0, 0, TRUE},  /* empty table, gateway holds a revision */
      {1, 1, 20001, FEED_MAX_CHANGES + 1, TRUE},
      {1, 1, 10001, FEED_MAX_CHANGES, FALSE},
      {-5, 1, 3, 3, TRUE},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
    g_assert_cmpint(
        feed_needs_full_sync(cases[i].since, cases[i].oldest, cases[i].newest, cases[i].pending),
        ==, cases[i].full);
}

static void test_api_subject(void) {
  g_autofree char *ctx = NULL, *ver = NULL;
  g_assert_true(feed_parse_api_subject("/pizza:1.0.0", &ctx, &ver));
  g_assert_cmpstr(ctx, ==, "/pizza");
  g_assert_cmpstr(ver, ==, "1.0.0");
  char *a = NULL, *b = NULL;
  g_assert_false(feed_parse_api_subject("nocolon", &a, &b));
  g_assert_false(feed_parse_api_subject(":1.0", &a, &b));
  g_assert_false(feed_parse_api_subject("/x:", &a, &b));
  g_assert_false(feed_parse_api_subject(NULL, &a, &b));
  g_assert_null(a);
}

static TgGatewayChange *change(gint64 rev, const char *kind, const char *subject) {
  return g_object_new(TG_TYPE_GATEWAY_CHANGE, "revision", rev, "kind", kind, "subject", subject,
                      NULL);
}

static void test_changed_subjects(void) {
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func(g_object_unref);
  g_ptr_array_add(changes, change(1, "API_CHANGED", "/a:1"));
  g_ptr_array_add(changes, change(2, "TOKEN_REVOKED", "abcd"));
  g_ptr_array_add(changes, change(3, "API_CHANGED", "/b:2"));
  g_ptr_array_add(changes, change(4, "API_CHANGED", "/a:1"));
  g_ptr_array_add(changes, change(5, "SUBSCRIPTION_CHANGED", "/c:1"));
  g_autoptr(GPtrArray) subjects = feed_changed_api_subjects(changes);
  g_assert_cmpuint(subjects->len, ==, 2);
  g_assert_cmpstr(g_ptr_array_index(subjects, 0), ==, "/a:1");
  g_assert_cmpstr(g_ptr_array_index(subjects, 1), ==, "/b:2");
  g_autoptr(GPtrArray) none = feed_changed_api_subjects(NULL);
  g_assert_cmpuint(none->len, ==, 0);
}

static void test_prune_throttle(void) {
  gint64 t0 = 1000 * G_USEC_PER_SEC;
  g_assert_true(feed_prune_due(t0));
  g_assert_false(feed_prune_due(t0 + 1));
  g_assert_false(feed_prune_due(t0 + (FEED_PRUNE_INTERVAL_S - 1) * G_USEC_PER_SEC));
  g_assert_true(feed_prune_due(t0 + FEED_PRUNE_INTERVAL_S * G_USEC_PER_SEC));
}

/* Generated Thrift types have no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgUsageRecord, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgDocument, g_object_unref)

static TgUsageRecord *usage(void) {
  return g_object_new(TG_TYPE_USAGE_RECORD, "timestamp", (gint64)1700000000, "gatewayId", "gw1",
                      "apiContext", "/a", "apiVersion", "1", "resource", "/*", "verb", "GET",
                      "status", 200, "count", (gint64)2, "latencyMsTotal", (gint64)30,
                      "latencyMsMax", (gint64)20, "bytesIn", (gint64)0, "bytesOut", (gint64)9,
                      NULL);
}

static void test_usage_validation(void) {
  const gint64 now = 1700000000;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func(g_object_unref);
  g_ptr_array_add(batch, usage());
  g_autoptr(GError) error = NULL;
  g_assert_true(usage_batch_valid(batch, now, &error));
  g_assert_no_error(error);

  /* plain field writes on one record: generated structs are plain data */
  g_autoptr(TgUsageRecord) r = usage();
  gint64 *fields[] = {&r->count, &r->latencyMsMax, &r->bytesIn, &r->timestamp};
  const gint64 bad[] = {0, 31, -1, now + 86401};
  for (gsize i = 0; i < G_N_ELEMENTS(fields); i++) {
    gint64 saved = *fields[i];
    *fields[i] = bad[i];
    g_assert_false(usage_record_valid(r, now, &error));
    g_assert_error(error, USAGE_ERROR, 1);
    g_clear_error(&error);
    *fields[i] = saved;
    g_assert_true(usage_record_valid(r, now, NULL));
  }
  g_autoptr(TgUsageRecord) no_gw = usage();
  g_object_set(no_gw, "gatewayId", "", NULL);
  g_assert_false(usage_record_valid(no_gw, now, &error));
  g_assert_nonnull(strstr(error->message, "gatewayId"));
  g_clear_error(&error);
  g_autofree char *long_ctx = g_strnfill(USAGE_MAX_STRING + 1, 'c');
  g_autoptr(TgUsageRecord) big = usage();
  g_object_set(big, "apiContext", long_ctx, NULL);
  g_ptr_array_add(batch, g_object_ref(big));
  g_assert_false(usage_batch_valid(batch, now, &error));
  g_assert_nonnull(strstr(error->message, "record 1"));
  g_clear_error(&error);

  g_autoptr(GPtrArray) huge = g_ptr_array_new_with_free_func(g_object_unref);
  for (int i = 0; i <= USAGE_MAX_RECORDS; i++) g_ptr_array_add(huge, usage());
  g_assert_false(usage_batch_valid(huge, now, &error));
}

static guint count_char(const char *s, char c) {
  guint n = 0;
  for (; *s; s++) n += *s == c;
  return n;
}

static void test_usage_sql(void) {
  g_autofree char *one = usage_insert_sql(1);
  g_assert_cmpuint(count_char(one, '?'), ==, USAGE_COLUMNS);
  g_assert_nonnull(strstr(one, "ON DUPLICATE KEY UPDATE count = count + VALUES(count)"));
  g_assert_nonnull(strstr(one, "GREATEST(latency_ms_max"));
  g_autofree char *many = usage_insert_sql(USAGE_ROWS_PER_STATEMENT);
  g_assert_cmpuint(count_char(many, '?'), ==, USAGE_COLUMNS * USAGE_ROWS_PER_STATEMENT);
  g_assert_cmpuint(USAGE_COLUMNS * USAGE_ROWS_PER_STATEMENT, <, 65535);
}

static TgDocument *doc(const char *source_type) {
  return g_object_new(TG_TYPE_DOCUMENT, "apiContext", "/a", "apiVersion", "1", "name", "n", "type",
                      "HOWTO", "sourceType", source_type, NULL);
}

static void test_docs_validation(void) {
  g_autoptr(GError) error = NULL;
  g_autoptr(TgDocument) inl = doc("INLINE");
  g_object_set(inl, "content", "hello", NULL);
  g_assert_true(docs_valid(inl, &error));
  g_autoptr(TgDocument) url = doc("URL");
  g_object_set(url, "sourceUrl", "https://example.com/x", NULL);
  g_assert_true(docs_valid(url, &error));
  g_assert_no_error(error);

  const char *bad_urls[] = {"ftp://example.com/x", "javascript:alert(1)", "http://", "nope"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad_urls); i++) {
    g_object_set(url, "sourceUrl", bad_urls[i], NULL);
    g_assert_false(docs_valid(url, &error));
    g_clear_error(&error);
  }
  g_object_set(inl, "type", "BLOG", NULL);
  g_assert_false(docs_valid(inl, &error));
  g_assert_nonnull(strstr(error->message, "type"));
  g_clear_error(&error);
  g_autoptr(TgDocument) no_content = doc("INLINE");
  g_assert_false(docs_valid(no_content, &error));
  g_clear_error(&error);
  g_autoptr(TgDocument) other = doc("FILE");
  g_assert_false(docs_valid(other, &error));
  g_clear_error(&error);
  g_autoptr(TgDocument) noname = doc("INLINE");
  g_object_set(noname, "content", "x", "name", "", NULL);
  g_assert_false(docs_valid(noname, &error));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/feed/full_sync_rules", test_full_sync_rules);
  g_test_add_func("/feed/api_subject", test_api_subject);
  g_test_add_func("/feed/changed_subjects", test_changed_subjects);
  g_test_add_func("/feed/prune_throttle", test_prune_throttle);
  g_test_add_func("/feed/usage/validation", test_usage_validation);
  g_test_add_func("/feed/usage/sql", test_usage_sql);
  g_test_add_func("/feed/docs/validation", test_docs_validation);
  return g_test_run();
}
