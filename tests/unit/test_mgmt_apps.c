/*
 * test_mgmt_apps.c: the rules of the application, subscription, key and token
 * methods (keyvalidator/mgmt_apps.h) without a database: input validation,
 * who may act for which owner, which APIs and tiers a subscription may name,
 * key type, validity and scope parsing, token status. Table-driven where the
 * cases are many: a new case is a new row.
 */
#include "config.h"

#include <string.h>

#include "mgmt_apps.h"

static void assert_refused(GError *error, int code) {
  g_assert_nonnull(error);
  g_assert_true(error->domain == MGMT_ERROR);
  g_assert_cmpint(error->code, ==, code);
  g_assert_cmpstr(error->message, !=, "");
}

/* ---- names and owners ---- */

static void test_names(void) {
  static const struct {
    const char *s;
    gboolean ok;
  } rows[] = {
      {"pizza-app", TRUE},
      {"O'Brien\"; DROP TABLE AM_APPLICATION; --", TRUE}, /* metacharacters are data */
      {"caf\xc3\xa9 %_\\", TRUE},
      {"", FALSE},
      {NULL, FALSE},
      {"tab\there", FALSE},
      {"line\nbreak", FALSE},
      {"bad\xff utf8", FALSE},
  };
  for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
    g_autoptr(GError) error = NULL;
    gboolean ok = mgmt_name_valid("application name", rows[i].s, MGMT_MAX_NAME, &error);
    g_assert_cmpint(ok, ==, rows[i].ok);
    if (!ok) assert_refused(error, 400);
  }
  g_autofree char *long_name = g_strnfill(MGMT_MAX_NAME + 1, 'a');
  g_autoptr(GError) error = NULL;
  g_assert_false(mgmt_name_valid("x", long_name, MGMT_MAX_NAME, &error));
  assert_refused(error, 400);
  long_name[MGMT_MAX_NAME] = '\0';
  g_assert_true(mgmt_name_valid("x", long_name, MGMT_MAX_NAME, NULL));
}

static void test_owner_rules(void) {
  static const struct {
    const char *caller;
    gboolean admin;
    const char *requested;
    const char *want;
    int code;
  } rows[] = {
      {"alice", FALSE, NULL, "alice", 0},     {"alice", FALSE, "", "alice", 0},
      {"alice", FALSE, "alice", "alice", 0},  {"alice", FALSE, "bob", NULL, 403},
      {"alice", FALSE, "Alice", NULL, 403}, /* names are case-sensitive */
      {"root", TRUE, "", "root", 0},          {"root", TRUE, "bob", "bob", 0},
      {"root", TRUE, "bad\nname", NULL, 400},
  };
  for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
    g_autoptr(GError) error = NULL;
    const char *got = mgmt_owner_resolve(rows[i].caller, rows[i].admin, rows[i].requested, &error);
    g_assert_cmpstr(got, ==, rows[i].want);
    if (rows[i].code)
      assert_refused(error, rows[i].code);
    else
      g_assert_no_error(error);
  }
}

/* ---- applications ---- */

static TgApplication *app_new(const char *name) {
  return g_object_new(TG_TYPE_APPLICATION, "name", name, "owner", "alice", NULL);
}

static void test_app_defaults(void) {
  g_autoptr(TgApplication) app = app_new("shop");
  g_autoptr(GError) error = NULL;
  g_assert_true(mgmt_app_check(app, &error));
  g_assert_no_error(error);
  g_assert_cmpstr(app->tier, ==, MGMT_DEFAULT_APP_TIER);
  g_assert_cmpuint(app->allowedDomains->len, ==, 1);
  g_assert_cmpstr(g_ptr_array_index(app->allowedDomains, 0), ==, APP_DOMAINS_ALL);
  g_assert_true(app->__isset_allowedDomains);
}

static void test_app_invalid(void) {
  static const struct {
    const char *field, *value;
  } rows[] = {
      {"name", ""},
      {"tier", "Gold\n"},
      {"callbackUrl", "not a url"},
      {"callbackUrl", "/relative/path"},
      {"description", "nul\x01"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
    g_autoptr(TgApplication) app = app_new("shop");
    g_object_set(app, rows[i].field, rows[i].value, NULL);
    g_autoptr(GError) error = NULL;
    g_assert_false(mgmt_app_check(app, &error));
    assert_refused(error, 400);
  }
  static const char *const bad_domains[] = {"", "a.com,b.com", "with space.com", "tab\t.com"};
  for (guint i = 0; i < G_N_ELEMENTS(bad_domains); i++) {
    g_autoptr(TgApplication) app = app_new("shop");
    g_ptr_array_add(app->allowedDomains, g_strdup(bad_domains[i]));
    g_autoptr(GError) error = NULL;
    g_assert_false(mgmt_app_check(app, &error));
    assert_refused(error, 400);
  }
}

/* An application's tier follows the tier name rule (tg_names.h), as the tiers an API names:
   before, any UTF-8 text of 64 bytes without control characters passed the rule and only the
   existence check (no APPLICATION tier " Gold") stood in the way. The refusal names the field
   and shows the name escaped. */
static void test_app_tier_name_rule(void) {
  g_autofree char *long_name = g_strnfill(65, 'n');
  const char *const bad[] = {" 50PerMin",
                             "50PerMin ",
                             "50Per Min",
                             "50PerMin' OR '1'='1",
                             "x'); DELETE FROM AM_TIER; --",
                             "G\xc3\xb6ld",
                             "<b>Gold</b>",
                             ".Gold",
                             "-Gold",
                             "Gold/../x",
                             long_name};
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(TgApplication) app = app_new("shop");
    g_object_set(app, "tier", bad[i], NULL);
    g_autoptr(GError) error = NULL;
    g_assert_false(mgmt_app_check(app, &error));
    assert_refused(error, 400);
    g_assert_true(g_str_has_prefix(error->message, "tier: \""));
    g_assert_nonnull(strstr(error->message, "is not a tier name: a tier name is 1 to 64"));
    for (const char *p = error->message; *p; p++) g_assert_true(*p >= 0x20 && *p < 0x7f);
  }
  const char *const good[] = {"50PerMin", "Unlimited", "App-1.x_y", "gold"};
  for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
    g_autoptr(TgApplication) app = app_new("shop");
    g_object_set(app, "tier", good[i], NULL);
    g_assert_true(mgmt_app_check(app, NULL)); /* existence is the store's, in the write */
  }
}

static void test_app_valid_fields(void) {
  g_autoptr(TgApplication) app = app_new("shop");
  g_object_set(app, "tier", "50PerMin", "callbackUrl", "https://shop.example/cb?x=1&y='2'",
               "description", "multi\nline\ttext; DROP TABLE x;", NULL);
  g_ptr_array_add(app->allowedDomains, g_strdup("shop.example"));
  g_ptr_array_add(app->allowedDomains, g_strdup("m.shop.example"));
  g_autoptr(GError) error = NULL;
  g_assert_true(mgmt_app_check(app, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(app->allowedDomains->len, ==, 2);
  g_autofree char *joined = app_domains_join(app->allowedDomains);
  g_assert_cmpstr(joined, ==, "shop.example,m.shop.example");
}

static void test_domains_round_trip(void) {
  g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *all = app_domains_join(none);
  g_assert_cmpstr(all, ==, "ALL");
  g_autoptr(GPtrArray) back = g_ptr_array_new_with_free_func(g_free);
  app_domains_split("a.com, b.com,,c.com", back);
  g_assert_cmpuint(back->len, ==, 3);
  g_assert_cmpstr(g_ptr_array_index(back, 1), ==, "b.com");
  g_autofree char *again = app_domains_join(back);
  g_assert_cmpstr(again, ==, "a.com,b.com,c.com");
  g_autoptr(GPtrArray) empty = g_ptr_array_new_with_free_func(g_free);
  app_domains_split(NULL, empty);
  g_assert_cmpuint(empty->len, ==, 0);
}

static void test_app_merge(void) {
  g_autoptr(TgApplication) stored = app_new("shop");
  g_object_set(stored, "id", (gint64)7, "tier", "Unlimited", "callbackUrl", "https://a/cb",
               "createdAt", (gint64)1000, NULL);
  g_autoptr(TgApplication) change = g_object_new(TG_TYPE_APPLICATION, "tier", "10PerMin", NULL);
  g_ptr_array_add(change->allowedDomains, g_strdup("x.example"));
  change->__isset_allowedDomains = TRUE;
  g_autoptr(GError) error = NULL;
  g_assert_true(mgmt_app_merge(stored, change, &error));
  g_assert_cmpstr(stored->tier, ==, "10PerMin");
  g_assert_cmpstr(stored->callbackUrl, ==, "https://a/cb"); /* not set: kept */
  g_assert_cmpstr(stored->name, ==, "shop");
  g_assert_cmpint(stored->id, ==, 7);
  g_assert_cmpint(stored->createdAt, ==, 1000);
  g_assert_cmpstr(g_ptr_array_index(stored->allowedDomains, 0), ==, "x.example");

  g_autoptr(TgApplication) rename =
      g_object_new(TG_TYPE_APPLICATION, "name", "store", "owner", "alice", NULL);
  g_assert_true(mgmt_app_merge(stored, rename, NULL));
  g_assert_cmpstr(stored->name, ==, "store");

  g_autoptr(TgApplication) steal = g_object_new(TG_TYPE_APPLICATION, "owner", "mallory", NULL);
  g_assert_false(mgmt_app_merge(stored, steal, &error));
  assert_refused(error, 400);
  g_assert_cmpstr(stored->owner, ==, "alice");
}

/* ---- subscriptions ---- */

static TgApi *api_new(const char *status, const char *const *tiers) {
  TgApi *api = g_object_new(TG_TYPE_API, "context", "/pizza", "version", "1.0.0", "provider", "pat",
                            "status", status, NULL);
  for (guint i = 0; tiers && tiers[i]; i++)
    g_ptr_array_add(api->subscriptionTiers, g_strdup(tiers[i]));
  return api;
}

static void test_subscribable(void) {
  static const char *const gold_silver[] = {"Gold", "Silver", NULL};
  static const struct {
    const char *status;
    const char *const *tiers;
    const char *tier;
    int code;
  } rows[] = {
      {"PUBLISHED", NULL, "Bronze", 0}, /* no list: every tier */
      {"PUBLISHED", gold_silver, "Gold", 0},   {"PUBLISHED", gold_silver, "Bronze", 400},
      {"PUBLISHED", gold_silver, "gold", 400}, /* tier names are case-sensitive */
      {"CREATED", NULL, "Gold", 409},          {"DEPRECATED", NULL, "Gold", 409},
      {"RETIRED", NULL, "Gold", 409},          {"BLOCKED", NULL, "Gold", 409},
  };
  for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
    g_autoptr(TgApi) api = api_new(rows[i].status, rows[i].tiers);
    g_autoptr(GError) error = NULL;
    gboolean ok = mgmt_api_subscribable(api, rows[i].tier, &error);
    g_assert_cmpint(ok, ==, rows[i].code == 0);
    if (rows[i].code) assert_refused(error, rows[i].code);
  }
  /* the refusal names the field and shows the names quoted and escaped */
  static const char *const odd[] = {"Gold", "legacy\ttier", NULL};
  g_autoptr(TgApi) api = api_new("PUBLISHED", odd);
  g_autoptr(GError) error = NULL;
  g_assert_false(mgmt_api_subscribable(api, "gold", &error));
  assert_refused(error, 400);
  g_assert_cmpstr(error->message, ==,
                  "tier: API /pizza:1.0.0 does not offer \"gold\" (it offers \"Gold\","
                  " \"legacy\\ttier\")");
}

static void test_subscription_status(void) {
  g_assert_cmpstr(mgmt_subscription_status_parse("BLOCKED", NULL), ==, "BLOCKED");
  g_assert_cmpstr(mgmt_subscription_status_parse("on_hold", NULL), ==, "ON_HOLD");
  g_assert_cmpstr(mgmt_subscription_status_parse("Prod_Only_Blocked", NULL), ==,
                  "PROD_ONLY_BLOCKED");
  g_assert_cmpstr(mgmt_subscription_status_parse("UNBLOCKED", NULL), ==, "UNBLOCKED");
  static const char *const bad[] = {"", "ACTIVE", "BLOCKED ", NULL};
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    g_assert_null(mgmt_subscription_status_parse(bad[i], &error));
    assert_refused(error, 400);
  }
}

static void test_moderation(void) {
  g_assert_true(mgmt_may_moderate("root", TRUE, "pat", NULL));
  g_assert_true(mgmt_may_moderate("pat", FALSE, "pat", NULL));
  g_autoptr(GError) error = NULL;
  g_assert_false(mgmt_may_moderate("other", FALSE, "pat", &error));
  assert_refused(error, 403);
}

/* ---- keys and tokens ---- */

static void test_key_type(void) {
  g_assert_cmpstr(mgmt_key_type_parse("PRODUCTION", NULL), ==, "PRODUCTION");
  g_assert_cmpstr(mgmt_key_type_parse("sandbox", NULL), ==, "SANDBOX");
  g_assert_cmpstr(mgmt_key_type_parse("", NULL), ==, "PRODUCTION");
  g_assert_cmpstr(mgmt_key_type_parse(NULL, NULL), ==, "PRODUCTION");
  g_autoptr(GError) error = NULL;
  g_assert_null(mgmt_key_type_parse("STAGING", &error));
  assert_refused(error, 400);
}

static void test_validity(void) {
  gint64 v = -1;
  g_assert_true(mgmt_validity_resolve(0, 3600, &v, NULL));
  g_assert_cmpint(v, ==, 3600);
  g_assert_true(mgmt_validity_resolve(-5, 3600, &v, NULL));
  g_assert_cmpint(v, ==, 3600);
  g_assert_true(mgmt_validity_resolve(60, 3600, &v, NULL));
  g_assert_cmpint(v, ==, 60);
  g_assert_true(mgmt_validity_resolve(MGMT_MAX_VALIDITY_S, 3600, &v, NULL));
  g_autoptr(GError) error = NULL;
  g_assert_false(mgmt_validity_resolve((gint64)MGMT_MAX_VALIDITY_S + 1, 3600, &v, &error));
  assert_refused(error, 400);
}

static GPtrArray *strings(const char *const *s) {
  GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; s[i]; i++) g_ptr_array_add(a, g_strdup(s[i]));
  return a;
}

static void test_scopes(void) {
  static const char *const good[] = {"read", "menu:admin", "read", "write", NULL};
  g_autoptr(GPtrArray) a = strings(good);
  g_autofree char *joined = mgmt_scopes_join(a, NULL);
  g_assert_cmpstr(joined, ==, "read menu:admin write");
  g_autofree char *none = mgmt_scopes_join(NULL, NULL);
  g_assert_cmpstr(none, ==, "");
  static const char *const bad[] = {"", "two words", "quote\"", "back\\slash", "caf\xc3\xa9"};
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    const char *one[] = {bad[i], NULL};
    g_autoptr(GPtrArray) b = strings(one);
    g_autoptr(GError) error = NULL;
    g_assert_null(mgmt_scopes_join(b, &error));
    assert_refused(error, 400);
  }
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < 200; i++) g_ptr_array_add(many, g_strdup_printf("scope%u", i));
  g_autoptr(GError) error = NULL;
  g_assert_null(mgmt_scopes_join(many, &error));
  assert_refused(error, 400);
}

static void test_end_user(void) {
  g_assert_true(mgmt_end_user_allowed("alice", FALSE, "", NULL));
  g_assert_true(mgmt_end_user_allowed("alice", FALSE, NULL, NULL));
  g_assert_true(mgmt_end_user_allowed("alice", FALSE, "alice", NULL));
  g_assert_true(mgmt_end_user_allowed("root", TRUE, "bob", NULL));
  g_autoptr(GError) error = NULL;
  g_assert_false(mgmt_end_user_allowed("alice", FALSE, "bob", &error));
  assert_refused(error, 403);
  g_clear_error(&error);
  g_assert_false(mgmt_end_user_allowed("root", TRUE, "bad\x01", &error));
  assert_refused(error, 400);
}

static void test_token_status(void) {
  const gint64 now = 1700000000000LL;
  g_assert_cmpstr(mgmt_token_status("ACTIVE", now - 1000, 3600, now), ==, "ACTIVE");
  g_assert_cmpstr(mgmt_token_status("ACTIVE", now - 3600 * 1000, 3600, now), ==, "EXPIRED");
  g_assert_cmpstr(mgmt_token_status("ACTIVE", 0, 0, now), ==, "ACTIVE"); /* never expires */
  g_assert_cmpstr(mgmt_token_status("REVOKED", now, 3600, now), ==, "REVOKED");
  g_assert_cmpstr(mgmt_token_status("EXPIRED", now, 3600, now), ==, "EXPIRED");
  g_autofree char *prefix =
      mgmt_token_hash_prefix("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  g_assert_cmpstr(prefix, ==, "0123456789ab");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/mgmt/names", test_names);
  g_test_add_func("/mgmt/owner-rules", test_owner_rules);
  g_test_add_func("/mgmt/app/defaults", test_app_defaults);
  g_test_add_func("/mgmt/app/invalid", test_app_invalid);
  g_test_add_func("/mgmt/app/tier-name-rule", test_app_tier_name_rule);
  g_test_add_func("/mgmt/app/valid-fields", test_app_valid_fields);
  g_test_add_func("/mgmt/app/domains", test_domains_round_trip);
  g_test_add_func("/mgmt/app/merge", test_app_merge);
  g_test_add_func("/mgmt/subscription/subscribable", test_subscribable);
  g_test_add_func("/mgmt/subscription/status", test_subscription_status);
  g_test_add_func("/mgmt/subscription/moderation", test_moderation);
  g_test_add_func("/mgmt/keys/key-type", test_key_type);
  g_test_add_func("/mgmt/keys/validity", test_validity);
  g_test_add_func("/mgmt/keys/scopes", test_scopes);
  g_test_add_func("/mgmt/keys/end-user", test_end_user);
  g_test_add_func("/mgmt/tokens/status", test_token_status);
  return g_test_run();
}
