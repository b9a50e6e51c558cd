/*
 * test_validation.c: every outcome of the validateKey decision (validation.c)
 * and the resource matching rules, without a database. The matching resource
 * is also decided through validation_decide for every row of
 * tests/data/uri_templates.tsv, the table the gateway's router test runs too.
 */
#include "config.h"

#include "uri_table.h"
#include "validation.h"

#define NOW 1700000000000LL

static const ValidationResource resources[] = {
    {"GET", "/items", "Any", "Unlimited", ""},
    {"GET", "/items/{id}", "Application", "Unlimited", ""},
    {"POST", "/items/{id}/notes", "Application_User", "Unlimited", ""},
    {"DELETE", "/items/{id}", "Any", "Unlimited", "admin_scope"},
    {"GET", "/open/*", "None", "Unlimited", ""},
    {"PUT", "/{id}", "Any", "Unlimited", ""},
};

static ValidationFacts good(void) {
  return (ValidationFacts){
      .token_found = TRUE,
      .token_state = "ACTIVE",
      .issued_ms = NOW - 1000,
      .validity_s = 3600,
      .key_type = "PRODUCTION",
      .end_user = "",
      .scopes = "default read",
      .allowed_domains = "ALL",
      .api_found = TRUE,
      .api_status = "PUBLISHED",
      .production_endpoint = "http://backend",
      .sandbox_endpoint = "",
      .resources = resources,
      .n_resources = G_N_ELEMENTS(resources),
      .subscribed = TRUE,
      .subscription_status = "UNBLOCKED",
  };
}

static void check(const ValidationFacts *f, const char *res, const char *verb, const char *dom,
                  gboolean authorized, int status) {
  ValidationDecision d = validation_decide(f, res, verb, dom, NOW);
  g_assert_cmpint(d.status, ==, status);
  g_assert_cmpint(d.authorized, ==, authorized);
}

static void test_ok(void) {
  ValidationFacts f = good();
  check(&f, "/items", "GET", NULL, TRUE, VALIDATION_OK);
  check(&f, "/items/{id}", "GET", NULL, TRUE, VALIDATION_OK);
  check(&f, "/items/42", "GET", NULL, TRUE, VALIDATION_OK);
  f.validity_s = 0; /* never expires */
  f.issued_ms = 0;
  check(&f, "/items", "GET", NULL, TRUE, VALIDATION_OK);
  f = good();
  f.api_status = "DEPRECATED";
  check(&f, "/items", "GET", NULL, TRUE, VALIDATION_OK);
}

static void test_token(void) {
  ValidationFacts f = good();
  f.token_found = FALSE;
  check(&f, "/items", "GET", NULL, FALSE, VALIDATION_INVALID_CREDENTIALS);
  f = good();
  f.issued_ms = NOW - 3600 * 1000;
  check(&f, "/items", "GET", NULL, FALSE, VALIDATION_EXPIRED);
  f = good();
  f.token_state = "REVOKED";
  check(&f, "/items", "GET", NULL, FALSE, VALIDATION_REVOKED);
}

static void test_api_and_subscription(void) {
  ValidationFacts f = good();
  f.api_found = FALSE;
  check(&f, "/items", "GET", NULL, FALSE, VALIDATION_INVALID_CREDENTIALS);
  f = good();
  f.subscribed = FALSE;
  check(&f, "/items", "GET", NULL, FALSE, VALIDATION_INVALID_CREDENTIALS);
  f = good();
  f.api_status = "BLOCKED";
  check(&f, "/items", "GET", NULL, FALSE, VALIDATION_API_BLOCKED);
  const char *not_live[] = {"CREATED", "RETIRED"};
  for (guint i = 0; i < G_N_ELEMENTS(not_live); i++) {
    f = good();
    f.api_status = not_live[i];
    check(&f, "/items", "GET", NULL, FALSE, VALIDATION_INVALID_CREDENTIALS);
  }
  f = good();
  f.subscription_status = "BLOCKED";
  check(&f, "/items", "GET", NULL, FALSE, VALIDATION_SUBSCRIPTION_BLOCKED);
  f.subscription_status = "ON_HOLD";
  check(&f, "/items", "GET", NULL, FALSE, VALIDATION_SUBSCRIPTION_BLOCKED);
  /* a rejected subscription, and any status this hub does not know, fail closed */
  const char *refused[] = {"REJECTED", "rejected", "unblocked", "", "UNBLOCKED ", "ACTIVE"};
  for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
    f.subscription_status = refused[i];
    check(&f, "/items", "GET", NULL, FALSE, VALIDATION_SUBSCRIPTION_BLOCKED);
  }
  f.subscription_status = "PROD_ONLY_BLOCKED";
  check(&f, "/items", "GET", NULL, FALSE, VALIDATION_SUBSCRIPTION_BLOCKED);
  f.key_type = "SANDBOX";
  f.sandbox_endpoint = "http://sandbox";
  check(&f, "/items", "GET", NULL, TRUE, VALIDATION_OK);
}

static void test_key_type(void) {
  ValidationFacts f = good();
  f.key_type = "SANDBOX"; /* no sandbox endpoint */
  check(&f, "/items", "GET", NULL, FALSE, VALIDATION_INVALID_KEY_TYPE);
}

static void test_resource(void) {
  ValidationFacts f = good();
  check(&f, "/nothing", "GET", NULL, FALSE, VALIDATION_NO_MATCHING_RESOURCE);
  check(&f, "/items", "POST", NULL, FALSE, VALIDATION_NO_MATCHING_RESOURCE);
  check(&f, "/items/1/2", "GET", NULL, FALSE, VALIDATION_NO_MATCHING_RESOURCE);
  /* auth None: no token checks at all */
  ValidationFacts none = good();
  none.token_found = FALSE;
  check(&none, "/open/a/b/c", "GET", NULL, TRUE, VALIDATION_OK);
  check(&none, "/open", "GET", NULL, TRUE, VALIDATION_OK);
}

static void test_auth_scheme_scope_domain(void) {
  ValidationFacts f = good();
  f.end_user = "alice";
  check(&f, "/items/7", "GET", NULL, FALSE, VALIDATION_INVALID_AUTH_SCHEME);
  check(&f, "/items/7/notes", "POST", NULL, TRUE, VALIDATION_OK);
  f.end_user = "";
  check(&f, "/items/7/notes", "POST", NULL, FALSE, VALIDATION_INVALID_AUTH_SCHEME);
  check(&f, "/items/7", "DELETE", NULL, FALSE, VALIDATION_SCOPE_NOT_GRANTED);
  f.scopes = "read admin_scope";
  check(&f, "/items/7", "DELETE", NULL, TRUE, VALIDATION_OK);
  f.allowed_domains = "a.example, b.example";
  check(&f, "/items", "GET", "b.example", TRUE, VALIDATION_OK);
  check(&f, "/items", "GET", "evil.example", FALSE, VALIDATION_INVALID_AUTH_SCHEME);
  check(&f, "/items", "GET", NULL, FALSE, VALIDATION_INVALID_AUTH_SCHEME);
  f.allowed_domains = "";
  check(&f, "/items", "GET", "evil.example", TRUE, VALIDATION_OK);
}

static void test_handshake(void) {
  ValidationFacts f = good();
  check(&f, NULL, NULL, NULL, TRUE, VALIDATION_OK);
  f.subscription_status = "BLOCKED";
  check(&f, NULL, NULL, NULL, FALSE, VALIDATION_SUBSCRIPTION_BLOCKED);
}

static void test_match(void) {
  const ValidationResource *r = resources;
  guint n = G_N_ELEMENTS(resources);
  g_assert_cmpint(validation_match_resource(r, n, "get", "/items"), ==, 0);
  g_assert_cmpint(validation_match_resource(r, n, "GET", "/items/x"), ==, 1);
  g_assert_cmpint(validation_match_resource(r, n, "GET", "/items/x?q=1"), ==, 1);
  g_assert_cmpint(validation_match_resource(r, n, "GET", "/items/"), ==, 0);
  g_assert_cmpint(validation_match_resource(r, n, "PUT", "/abc"), ==, 5);
  g_assert_cmpint(validation_match_resource(r, n, "PUT", "/abc/def"), ==, -1);
  g_assert_cmpint(validation_match_resource(r, n, "GET", "/open/"), ==, 4);
  g_assert_cmpint(validation_match_resource(r, n, "GET", "/opener"), ==, -1);
  g_assert_cmpint(validation_match_resource(r, n, "GET", NULL), ==, -1);
  g_assert_cmpint(validation_match_resource(r, n, NULL, "/items"), ==, -1);
}

/* matchingResource is the template a WSO2 gateway matched: its exact text wins over the
   order (as a path, "/w/ *" would match "/w/{id}", the more specific). A template that does
   not parse is not matched even by its text. */
static void test_match_exact_template(void) {
  const ValidationResource r[] = {
      {"GET", "/w/*", "Any", "Unlimited", ""},
      {"GET", "/w/{id}", "Any", "Unlimited", ""},
      {"GET", "/bad/*/x", "Any", "Unlimited", ""},
      {"POST", "/p/*", "Any", "Unlimited", ""},
  };
  guint n = G_N_ELEMENTS(r);
  g_assert_cmpint(validation_match_resource(r, n, "GET", "/w/*"), ==, 0);
  g_assert_cmpint(validation_match_resource(r, n, "GET", "/w/x"), ==, 1);
  g_assert_cmpint(validation_match_resource(r, n, "GET", "/w/{id}"), ==, 1);
  g_assert_cmpint(validation_match_resource(r, n, "GET", "/bad/*/x"), ==, -1);
  g_assert_cmpint(validation_match_resource(r, n, "GET", "/p/*"), ==, -1);
}

/* Every row of the shared table, decided by validation_decide for a good token (all
   resources auth Any): the resource it reports is the one the table expects, and a path
   without one is 900906. */
static void test_uri_table(void) {
  g_autoptr(GPtrArray) rows = uri_table_load();
  for (guint k = 0; k < rows->len; k++) {
    const UriTableRow *row = g_ptr_array_index(rows, k);
    g_autofree char *what = uri_table_describe(row);
    g_autofree ValidationResource *res = g_new0(ValidationResource, row->n);
    for (guint i = 0; i < row->n; i++)
      res[i] = (ValidationResource){row->verbs[i], row->templates[i], "Any", "Unlimited", ""};
    ValidationFacts f = good();
    f.resources = res;
    f.n_resources = row->n;
    ValidationDecision d = validation_decide(&f, row->path, row->verb, NULL, NOW);
    if (d.resource != row->expected)
      g_error("%s: validateKey picked %s, want %s", what,
              d.resource < 0 ? "none" : row->templates[d.resource],
              row->expected < 0 ? "none" : row->templates[row->expected]);
    g_assert_cmpint(d.status, ==,
                    row->expected < 0 ? VALIDATION_NO_MATCHING_RESOURCE : VALIDATION_OK);
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/validation/ok", test_ok);
  g_test_add_func("/validation/token", test_token);
  g_test_add_func("/validation/api_and_subscription", test_api_and_subscription);
  g_test_add_func("/validation/key_type", test_key_type);
  g_test_add_func("/validation/resource", test_resource);
  g_test_add_func("/validation/auth_scheme_scope_domain", test_auth_scheme_scope_domain);
  g_test_add_func("/validation/handshake", test_handshake);
  g_test_add_func("/validation/match", test_match);
  g_test_add_func("/validation/match_exact_template", test_match_exact_template);
  g_test_add_func("/validation/uri_table", test_uri_table);
  return g_test_run();
}
