/*
 * test_oauth_form: the OAuth2 endpoints' request parsing (keyvalidator/oauth/form.c):
 * form bodies under the hub's bounds (escapes, '+', duplicates, bounds, NUL) and HTTP Basic client
 * credentials (RFC 6749 2.3.1 form-encoding inside Basic); and the grant logic
 * of keyvalidator/oauth.c over an in-memory fake OAuthBackend.
 */
#include "config.h"

#include <string.h>

#include "form.h"
#include "oauth.h"
#include "tg_crypto.h"

static TgForm *parse(const char *body, GError **error) {
  return hub_form_parse(body, strlen(body), error);
}

static void test_form_basic(void) {
  g_autoptr(GError) error = NULL;
  g_autoptr(TgForm) p = parse("grant_type=password&username=a+b%26c&password=%27%3B--&x", &error);
  g_assert_no_error(error);
  g_assert_cmpstr(tg_form_get(p, "grant_type"), ==, "password");
  g_assert_cmpstr(tg_form_get(p, "username"), ==, "a b&c");
  g_assert_cmpstr(tg_form_get(p, "password"), ==, "';--");
  g_assert_cmpstr(tg_form_get(p, "x"), ==, "");
  g_assert_cmpuint(tg_form_count(p), ==, 4);
}

static void test_form_empty_pairs(void) {
  g_autoptr(GError) error = NULL;
  g_autoptr(TgForm) p = parse("&&a=1&&b=%C3%A9&", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(tg_form_count(p), ==, 2);
  g_assert_cmpstr(tg_form_get(p, "b"), ==, "\xc3\xa9");
  g_autoptr(TgForm) empty = hub_form_parse("", 0, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(tg_form_count(empty), ==, 0);
}

static void test_form_rejects(void) {
  const char *bad[] = {"a=%zz", "a=%00", "a=%C3", "a=1&a=2", "a=%", "=x"};
  const int codes[] = {TG_FORM_ERROR_MALFORMED, TG_FORM_ERROR_MALFORMED, TG_FORM_ERROR_MALFORMED,
                       TG_FORM_ERROR_DUPLICATE, TG_FORM_ERROR_MALFORMED, TG_FORM_ERROR_MALFORMED};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(TgForm) p = parse(bad[i], &error);
    g_assert_null(p);
    g_assert_error(error, TG_FORM_ERROR, codes[i]);
  }
  /* An embedded NUL in the raw body. */
  g_autoptr(GError) error = NULL;
  g_assert_null(hub_form_parse("a=1\0b=2", 7, &error));
  g_assert_error(error, TG_FORM_ERROR, TG_FORM_ERROR_MALFORMED);
}

static void test_form_bounds(void) {
  g_autoptr(GString) many = g_string_new(NULL);
  for (int i = 0; i <= HUB_FORM_MAX_PARAMS; i++) g_string_append_printf(many, "p%d=1&", i);
  g_autoptr(GError) error = NULL;
  g_assert_null(parse(many->str, &error));
  g_assert_error(error, TG_FORM_ERROR, TG_FORM_ERROR_TOO_LARGE);
  g_clear_error(&error);

  g_autoptr(GString) big = g_string_new("a=");
  for (int i = 0; i <= HUB_FORM_MAX_VALUE; i++) g_string_append_c(big, 'x');
  g_assert_null(parse(big->str, &error));
  g_assert_error(error, TG_FORM_ERROR, TG_FORM_ERROR_TOO_LARGE);
  g_clear_error(&error);

  g_autofree char *name = g_strnfill(HUB_FORM_MAX_NAME + 1, 'n');
  g_autofree char *longname = g_strdup_printf("%s=1", name);
  g_assert_null(parse(longname, &error));
  g_assert_error(error, TG_FORM_ERROR, TG_FORM_ERROR_TOO_LARGE);
  g_clear_error(&error);

  g_assert_null(hub_form_parse(big->str, HUB_FORM_MAX_BODY + 1, &error));
  g_assert_error(error, TG_FORM_ERROR, TG_FORM_ERROR_TOO_LARGE);
}

static char *basic_header(const char *raw) {
  g_autofree char *b64 = g_base64_encode((const guchar *)raw, strlen(raw));
  return g_strdup_printf("Basic %s", b64);
}

static void test_basic_ok(void) {
  g_autofree char *h = basic_header("my%20id:s%3Ae+cret:x");
  g_autofree char *id = NULL, *secret = NULL;
  g_assert_cmpint(hub_basic_parse(h, &id, &secret), ==, HUB_BASIC_OK);
  g_assert_cmpstr(id, ==, "my id");
  g_assert_cmpstr(secret, ==, "s:e cret:x");

  g_autofree char *h2 = basic_header("key:");
  g_autofree char *id2 = NULL, *secret2 = NULL;
  /* lower-case scheme is fine too */
  memcpy(h2, "basic", 5);
  g_assert_cmpint(hub_basic_parse(h2, &id2, &secret2), ==, HUB_BASIC_OK);
  g_assert_cmpstr(id2, ==, "key");
  g_assert_cmpstr(secret2, ==, "");
}

static void test_basic_bad(void) {
  char *id = NULL, *secret = NULL;
  g_assert_cmpint(hub_basic_parse(NULL, &id, &secret), ==, HUB_BASIC_ABSENT);
  g_assert_cmpint(hub_basic_parse("Bearer abc", &id, &secret), ==, HUB_BASIC_ABSENT);
  g_assert_cmpint(hub_basic_parse("Basic ", &id, &secret), ==, HUB_BASIC_MALFORMED);
  g_assert_cmpint(hub_basic_parse("Basic !!!!", &id, &secret), ==, HUB_BASIC_MALFORMED);
  g_autofree char *nocolon = basic_header("nocolon");
  g_assert_cmpint(hub_basic_parse(nocolon, &id, &secret), ==, HUB_BASIC_MALFORMED);
  g_autofree char *badesc = basic_header("id:%zz");
  g_assert_cmpint(hub_basic_parse(badesc, &id, &secret), ==, HUB_BASIC_MALFORMED);
  g_autofree char *noid = basic_header(":secret");
  g_assert_cmpint(hub_basic_parse(noid, &id, &secret), ==, HUB_BASIC_MALFORMED);
  g_assert_null(id);
  g_assert_null(secret);
}

/* ---- oauth.c over a fake backend: one client "ck"/"cs", one user "alice"/"pw" ---- */

typedef struct {
  GHashTable *tokens; /* hash -> "A|R:scope:user:revoked" kept simple: TokenRow */
  int issued;
  int revoked;
} Fake;

typedef struct {
  gboolean refresh;
  gboolean revoked;
  char *scope;
  char *user;
  char *pair; /* hash of the other half */
} TokenRow;

static void token_row_free(gpointer p) {
  TokenRow *r = p;
  g_free(r->scope);
  g_free(r->user);
  g_free(r->pair);
  g_free(r);
}

static OAuthBackendResult fake_client(gpointer ctx, const char *id, const char *secret,
                                      OAuthClient *c) {
  if (g_strcmp0(id, "ck") != 0 || !tg_secure_streq(secret, "cs")) return OAUTH_BACKEND_DENIED;
  c->consumer_key = g_strdup(id);
  c->application_id = g_strdup("1");
  c->key_type = g_strdup("PRODUCTION");
  return OAUTH_BACKEND_OK;
}

static OAuthBackendResult fake_user(gpointer ctx, const char *u, const char *p) {
  return g_strcmp0(u, "alice") == 0 && g_strcmp0(p, "pw") == 0 ? OAUTH_BACKEND_OK
                                                               : OAUTH_BACKEND_DENIED;
}

static void fake_store(Fake *f, const OAuthNewToken *t, const char *user) {
  TokenRow *a = g_new0(TokenRow, 1);
  a->scope = g_strdup(t->scope);
  a->user = g_strdup(user);
  a->pair = g_strdup(t->refresh_hash);
  g_hash_table_insert(f->tokens, g_strdup(t->access_hash), a);
  if (t->refresh_hash) {
    TokenRow *r = g_new0(TokenRow, 1);
    r->refresh = TRUE;
    r->scope = g_strdup(t->scope);
    r->user = g_strdup(user);
    r->pair = g_strdup(t->access_hash);
    g_hash_table_insert(f->tokens, g_strdup(t->refresh_hash), r);
  }
  f->issued++;
}

static OAuthBackendResult fake_issue(gpointer ctx, const OAuthClient *c, const OAuthNewToken *t) {
  fake_store(ctx, t, t->end_user);
  return OAUTH_BACKEND_OK;
}

static TokenRow *fake_live_refresh(Fake *f, const char *hash) {
  TokenRow *r = g_hash_table_lookup(f->tokens, hash);
  return r && r->refresh && !r->revoked ? r : NULL;
}

static OAuthBackendResult fake_refresh_scope(gpointer ctx, const OAuthClient *c, const char *h,
                                             char **scope) {
  TokenRow *r = fake_live_refresh(ctx, h);
  if (r == NULL) return OAUTH_BACKEND_DENIED;
  *scope = g_strdup(r->scope);
  return OAUTH_BACKEND_OK;
}

static void fake_revoke_row(Fake *f, TokenRow *r) {
  r->revoked = TRUE;
  TokenRow *other = r->pair ? g_hash_table_lookup(f->tokens, r->pair) : NULL;
  if (other) other->revoked = TRUE;
  f->revoked++;
}

static OAuthBackendResult fake_refresh(gpointer ctx, const OAuthClient *c, const char *h,
                                       const OAuthNewToken *t, char **old_scope) {
  TokenRow *r = fake_live_refresh(ctx, h);
  if (r == NULL) return OAUTH_BACKEND_DENIED;
  *old_scope = g_strdup(r->scope);
  g_autofree char *user = g_strdup(r->user);
  fake_revoke_row(ctx, r);
  fake_store(ctx, t, user);
  return OAUTH_BACKEND_OK;
}

static OAuthBackendResult fake_revoke(gpointer ctx, const OAuthClient *c, const char *h,
                                      const char *hint) {
  TokenRow *r = g_hash_table_lookup(((Fake *)ctx)->tokens, h);
  if (r == NULL) return OAUTH_BACKEND_DENIED;
  fake_revoke_row(ctx, r);
  return OAUTH_BACKEND_OK;
}

static const OAuthBackend fake_backend = {
    fake_client, fake_user, fake_issue, fake_refresh, fake_refresh_scope, fake_revoke,
};

typedef struct {
  Fake fake;
  OAuthEndpoint ep;
  TgMetrics *metrics;
} OAuthFixture;

static void fixture_setup(OAuthFixture *fx, gconstpointer data) {
  fx->fake.tokens = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, token_row_free);
  fx->metrics = tg_metrics_new();
  fx->ep = (OAuthEndpoint){&fake_backend, &fx->fake, fx->metrics, 3600, 86400};
}

static void fixture_teardown(OAuthFixture *fx, gconstpointer data) {
  g_hash_table_destroy(fx->fake.tokens);
  tg_metrics_free(fx->metrics);
}

/* Runs the token endpoint; returns the status and leaves the JSON in *json (owned). */
static int token(OAuthFixture *fx, const char *auth, const char *body, char **json) {
  g_autoptr(GString) out = g_string_new(NULL);
  int status = oauth_token(&fx->ep, auth, body, strlen(body), out);
  *json = g_strdup(out->str);
  return status;
}

/* Extracts a string member's value from our own flat JSON (no escapes in tokens). */
static char *member(const char *json, const char *key) {
  g_autofree char *pat = g_strdup_printf("\"%s\":\"", key);
  const char *p = strstr(json, pat);
  if (p == NULL) return NULL;
  p += strlen(pat);
  return g_strndup(p, strcspn(p, "\""));
}

static void test_oauth_client_credentials(OAuthFixture *fx, gconstpointer data) {
  g_autofree char *json = NULL;
  g_autofree char *auth = basic_header("ck:cs");
  g_assert_cmpint(token(fx, auth, "grant_type=client_credentials&scope=read+write", &json), ==,
                  200);
  g_autofree char *at = member(json, "access_token");
  g_assert_nonnull(at);
  g_assert_cmpuint(strlen(at), ==, 2 * OAUTH_TOKEN_BYTES);
  g_assert_nonnull(strstr(json, "\"token_type\":\"Bearer\""));
  g_assert_nonnull(strstr(json, "\"expires_in\":3600"));
  g_assert_nonnull(strstr(json, "\"scope\":\"read write\""));
  g_assert_null(strstr(json, "refresh_token"));
  /* stored by hash only */
  g_autofree char *h = tg_sha256_hex_str(at);
  g_assert_true(g_hash_table_contains(fx->fake.tokens, h));
  g_assert_false(g_hash_table_contains(fx->fake.tokens, at));
  g_autofree char *metrics = tg_metrics_render(fx->metrics);
  g_assert_nonnull(strstr(metrics, "grant=\"client_credentials\",status=\"200\""));
}

static void test_oauth_form_client_auth(OAuthFixture *fx, gconstpointer data) {
  g_autofree char *json = NULL;
  g_assert_cmpint(
      token(fx, NULL, "grant_type=client_credentials&client_id=ck&client_secret=cs", &json), ==,
      200);
  g_free(json);
  g_assert_cmpint(
      token(fx, NULL, "grant_type=client_credentials&client_id=ck&client_secret=no", &json), ==,
      401);
  g_assert_cmpstr(
      json, ==,
      "{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}");
  g_free(json);
  g_assert_cmpint(token(fx, NULL, "grant_type=client_credentials", &json), ==, 401);
  g_free(json);
  g_autofree char *auth = basic_header("ck:cs");
  g_assert_cmpint(token(fx, auth, "grant_type=client_credentials&client_secret=cs", &json), ==,
                  400);
  g_assert_nonnull(strstr(json, "invalid_request"));
  g_free(json);
  g_assert_cmpint(token(fx, "Basic %%%", "grant_type=client_credentials", &json), ==, 401);
}

static void test_oauth_password_and_refresh(OAuthFixture *fx, gconstpointer data) {
  g_autofree char *auth = basic_header("ck:cs");
  g_autofree char *json = NULL;
  g_assert_cmpint(
      token(fx, auth, "grant_type=password&username=alice&password=pw&scope=a+b", &json), ==, 200);
  g_autofree char *rt = member(json, "refresh_token");
  g_autofree char *at = member(json, "access_token");
  g_assert_nonnull(rt);
  g_autofree char *at_hash = tg_sha256_hex_str(at);
  TokenRow *row = g_hash_table_lookup(fx->fake.tokens, at_hash);
  g_assert_cmpstr(row->user, ==, "alice");

  /* widening the scope on refresh is refused; narrowing is fine */
  g_autofree char *body_wide =
      g_strdup_printf("grant_type=refresh_token&refresh_token=%s&scope=c", rt);
  g_free(json);
  g_assert_cmpint(token(fx, auth, body_wide, &json), ==, 400);
  g_assert_nonnull(strstr(json, "invalid_scope"));

  g_autofree char *body = g_strdup_printf("grant_type=refresh_token&refresh_token=%s&scope=a", rt);
  g_free(json);
  g_assert_cmpint(token(fx, auth, body, &json), ==, 200);
  g_assert_nonnull(strstr(json, "\"scope\":\"a\""));
  g_autofree char *rt2 = member(json, "refresh_token");
  g_assert_cmpstr(rt2, !=, rt);
  g_assert_true(row->revoked); /* rotation revoked the old access token */
  g_autofree char *at2 = member(json, "access_token");
  g_autofree char *at2_hash = tg_sha256_hex_str(at2);
  g_assert_cmpstr(((TokenRow *)g_hash_table_lookup(fx->fake.tokens, at2_hash))->user, ==, "alice");

  /* the old refresh token is spent */
  g_free(json);
  g_assert_cmpint(token(fx, auth, body, &json), ==, 400);
  g_assert_nonnull(strstr(json, "invalid_grant"));
}

static void test_oauth_errors(OAuthFixture *fx, gconstpointer data) {
  g_autofree char *auth = basic_header("ck:cs");
  struct {
    const char *body;
    int status;
    const char *code;
  } cases[] = {
      {"", 400, "invalid_request"},
      {"grant_type=password&username=alice", 400, "invalid_request"},
      {"grant_type=password&username=alice&password=bad", 400, "invalid_grant"},
      {"grant_type=password&username=%27%3B+DROP+TABLE+x%3B--&password=x", 400, "invalid_grant"},
      {"grant_type=refresh_token", 400, "invalid_request"},
      {"grant_type=refresh_token&refresh_token=nope", 400, "invalid_grant"},
      {"grant_type=authorization_code&code=x", 400, "unsupported_grant_type"},
      {"grant_type=client_credentials&scope=bad%22scope", 400, "invalid_scope"},
      {"grant_type=client_credentials&scope=a++b", 400, "invalid_scope"},
      {"grant_type=client_credentials&grant_type=password", 400, "invalid_request"},
      {"grant_type=%zz", 400, "invalid_request"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *json = NULL;
    g_assert_cmpint(token(fx, auth, cases[i].body, &json), ==, cases[i].status);
    g_autofree char *code = member(json, "error");
    g_assert_cmpstr(code, ==, cases[i].code);
  }
  g_assert_cmpint(fx->fake.issued, ==, 0);
}

static int do_revoke(OAuthFixture *fx, const char *auth, const char *body) {
  g_autoptr(GString) out = g_string_new(NULL);
  return oauth_revoke(&fx->ep, auth, body, strlen(body), out);
}

static void test_oauth_revoke(OAuthFixture *fx, gconstpointer data) {
  g_autofree char *auth = basic_header("ck:cs");
  g_autofree char *json = NULL;
  g_assert_cmpint(token(fx, auth, "grant_type=password&username=alice&password=pw", &json), ==,
                  200);
  g_autofree char *rt = member(json, "refresh_token");
  g_autofree char *at = member(json, "access_token");
  g_autofree char *body = g_strdup_printf("token=%s&token_type_hint=refresh_token", rt);
  g_assert_cmpint(do_revoke(fx, NULL, body), ==, 401);
  g_assert_cmpint(fx->fake.revoked, ==, 0);
  g_assert_cmpint(do_revoke(fx, auth, body), ==, 200);
  g_autofree char *at_hash = tg_sha256_hex_str(at);
  g_assert_true(((TokenRow *)g_hash_table_lookup(fx->fake.tokens, at_hash))->revoked);
  g_assert_cmpint(do_revoke(fx, auth, "token=unknown"), ==, 200);
  g_assert_cmpint(do_revoke(fx, auth, ""), ==, 400);
  g_assert_cmpint(do_revoke(fx, auth, "token=x&token_type_hint=cookie"), ==, 400);
}

static void test_scope_rules(void) {
  g_assert_true(oauth_scope_valid(NULL));
  g_assert_true(oauth_scope_valid(""));
  g_assert_true(oauth_scope_valid("a b:c/d"));
  g_assert_false(oauth_scope_valid(" a"));
  g_assert_false(oauth_scope_valid("a "));
  g_assert_false(oauth_scope_valid("a\\b"));
  g_assert_true(oauth_scope_subset("a", "b a"));
  g_assert_true(oauth_scope_subset("", "b a"));
  g_assert_false(oauth_scope_subset("a c", "b a"));
}

#define OAUTH_TEST(path, fn) \
  g_test_add(path, OAuthFixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/oauth_form/form/basic", test_form_basic);
  g_test_add_func("/oauth_form/form/empty_pairs", test_form_empty_pairs);
  g_test_add_func("/oauth_form/form/rejects", test_form_rejects);
  g_test_add_func("/oauth_form/form/bounds", test_form_bounds);
  g_test_add_func("/oauth_form/basic/ok", test_basic_ok);
  g_test_add_func("/oauth_form/basic/bad", test_basic_bad);
  g_test_add_func("/oauth_form/oauth/scope_rules", test_scope_rules);
  OAUTH_TEST("/oauth_form/oauth/client_credentials", test_oauth_client_credentials);
  OAUTH_TEST("/oauth_form/oauth/form_client_auth", test_oauth_form_client_auth);
  OAUTH_TEST("/oauth_form/oauth/password_and_refresh", test_oauth_password_and_refresh);
  OAUTH_TEST("/oauth_form/oauth/errors", test_oauth_errors);
  OAUTH_TEST("/oauth_form/oauth/revoke", test_oauth_revoke);
  return g_test_run();
}
