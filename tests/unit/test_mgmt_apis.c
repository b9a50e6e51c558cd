/*
 * test_mgmt_apis.c: the rules of the API and tier methods
 * (keyvalidator/methods/mgmt_apis.h) without a database; the user methods are test_mgmt_users.c.
 * Table-driven: a new case is a new row. With TG_TEST_DB_PORT set it also drives the methods
 * through the real handler. Details: docs/HACKING.md.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "hub_internal.h"
#include "hub_test_hub.h"
#include "mgmt_apis.h"
#include "scope_grant.h"
#include "session.h"
#include "tg_names.h"
#include "tg_tollgate.h"
#include "tier_refs.h"

/* ---- context, version, status ---- */

typedef struct {
  const char *s;
  gboolean ok;
} Case;

static void test_context_version(void) {
  static const Case contexts[] = {
      {"/pizza", TRUE},       {"/shop/v1", TRUE}, {"/o'reilly;--\"%_\\", TRUE},
      {"/caf\xc3\xa9", TRUE}, {"", FALSE},        {NULL, FALSE},
      {"pizza", FALSE},       {"/", FALSE},       {"/pizza/", FALSE},
      {"/a//b", FALSE},       {"/piz za", FALSE}, {"/a?b", FALSE},
      {"/a#b", FALSE},        {"/a\tb", FALSE},   {"/bad\xff", FALSE},
  };
  static const Case versions[] = {
      {"1.0.0", TRUE}, {"v2-beta'", TRUE}, {"", FALSE},    {NULL, FALSE},
      {"1 0", FALSE},  {"1/0", FALSE},     {"1:0", FALSE}, {"1\n", FALSE},
  };
  for (guint i = 0; i < G_N_ELEMENTS(contexts); i++) {
    g_autoptr(GError) e = NULL;
    g_assert_cmpint(mgmt_api_context_valid(contexts[i].s, &e), ==, contexts[i].ok);
    if (!contexts[i].ok) hub_test_assert_refused(e, 400);
  }
  for (guint i = 0; i < G_N_ELEMENTS(versions); i++) {
    g_autoptr(GError) e = NULL;
    g_assert_cmpint(mgmt_api_version_valid(versions[i].s, &e), ==, versions[i].ok);
    if (!versions[i].ok) hub_test_assert_refused(e, 400);
  }
  g_autofree char *long_ctx = g_strnfill(API_MAX_CONTEXT + 1, 'a');
  long_ctx[0] = '/';
  g_assert_false(mgmt_api_context_valid(long_ctx, NULL));
  long_ctx[API_MAX_CONTEXT] = '\0';
  g_assert_true(mgmt_api_context_valid(long_ctx, NULL));
}

static void test_status_parse(void) {
  g_assert_cmpstr(mgmt_api_status_parse("published", NULL), ==, "PUBLISHED");
  g_assert_cmpstr(mgmt_api_status_parse("Blocked", NULL), ==, "BLOCKED");
  g_autoptr(GError) e = NULL;
  g_assert_null(mgmt_api_status_parse("LIVE", &e));
  hub_test_assert_refused(e, 400);
  g_assert_null(mgmt_api_status_parse(NULL, NULL));
}

/* Every pair of states: which moves the lifecycle allows. */
static void test_lifecycle(void) {
  static const char *const st[] = {"CREATED", "PUBLISHED", "DEPRECATED", "RETIRED", "BLOCKED"};
  /* allowed[from][to], same order as st; the diagonal is a no-op */
  static const gboolean allowed[5][5] = {
      /* CREATED */ {1, 1, 0, 0, 0},
      /* PUBLISHED */ {0, 1, 1, 1, 1},
      /* DEPRECATED */ {0, 1, 1, 1, 1},
      /* RETIRED */ {0, 0, 0, 1, 0},
      /* BLOCKED */ {0, 1, 1, 0, 1},
  };
  for (guint f = 0; f < 5; f++)
    for (guint t = 0; t < 5; t++) {
      g_autoptr(GError) e = NULL;
      gboolean noop = FALSE;
      gboolean ok = mgmt_api_transition(st[f], st[t], &noop, &e);
      if (ok != allowed[f][t]) g_error("%s -> %s: expected %d", st[f], st[t], allowed[f][t]);
      g_assert_cmpint(noop, ==, f == t);
      if (!ok) {
        hub_test_assert_refused(e, 409);
        g_assert_nonnull(strstr(e->message, st[f]));
      }
    }
  g_autoptr(GError) e = NULL;
  gboolean noop;
  g_assert_false(mgmt_api_transition("WEIRD", "PUBLISHED", &noop, &e));
  hub_test_assert_refused(e, 409);
}

/* ---- what a valid API is ---- */

static TgResource *resource(const char *verb, const char *tpl) {
  return g_object_new(TG_TYPE_RESOURCE, "verb", verb, "uriTemplate", tpl, NULL);
}

static TgApi *valid_api(void) {
  TgApi *api = g_object_new(TG_TYPE_API, "name", "Pizza", "context", "/pizza", "version", "1.0.0",
                            "productionEndpoint", "http://backend:9800/p", NULL);
  g_ptr_array_add(api->resources, resource("get", "/menu"));
  g_ptr_array_add(api->resources, resource("POST", "/order/{id}"));
  return api;
}

static void test_check_defaults(void) {
  g_autoptr(TgApi) api = valid_api();
  g_ptr_array_add(api->subscriptionTiers, g_strdup("Gold"));
  g_ptr_array_add(api->subscriptionTiers, g_strdup("Silver"));
  g_ptr_array_add(api->subscriptionTiers, g_strdup("Gold"));
  g_autoptr(GError) e = NULL;
  g_assert_true(mgmt_api_check(api, &e));
  g_assert_no_error(e);
  TgResource *r = g_ptr_array_index(api->resources, 0);
  g_assert_cmpstr(r->verb, ==, "GET");
  g_assert_cmpstr(r->authType, ==, "Any");
  g_assert_cmpstr(r->throttlingTier, ==, "Unlimited");
  g_assert_cmpstr(r->scope, ==, "");
  g_assert_cmpstr(api->apiTier, ==, "Unlimited");
  g_assert_cmpstr(api->sandboxEndpoint, ==, "");
  g_assert_cmpstr(api->description, ==, "");
  g_assert_cmpuint(api->subscriptionTiers->len, ==, 2);
  g_object_set(r, "authType", "application_user", NULL);
  g_assert_true(mgmt_api_check(api, NULL));
  g_assert_cmpstr(r->authType, ==, "Application_User");
  /* every tier the API names, with the field a refusal would name and the level it counts at */
  g_autoptr(GPtrArray) refs = tier_refs_of_api(api);
  static const char *const want[][3] = {{"apiTier", "Unlimited", "API"},
                                        {"resources[0].throttlingTier", "Unlimited", "RESOURCE"},
                                        {"resources[1].throttlingTier", "Unlimited", "RESOURCE"},
                                        {"subscriptionTiers[0]", "Gold", "SUBSCRIPTION"},
                                        {"subscriptionTiers[1]", "Silver", "SUBSCRIPTION"}};
  g_assert_cmpuint(refs->len, ==, G_N_ELEMENTS(want));
  for (guint i = 0; i < refs->len; i++) {
    TierRef *ref = g_ptr_array_index(refs, i);
    g_assert_cmpstr(ref->field, ==, want[i][0]);
    g_assert_cmpstr(ref->tier, ==, want[i][1]);
    g_assert_cmpstr(ref->level, ==, want[i][2]);
  }
}

/* The name rule on every tier an API names (common/tg_names.c), with a 400 that names the
   field and shows the name escaped: attacker-style names never reach a SQL statement or a log
   line raw. */
static void test_tier_name_rule(void) {
  static const char *const bad[] = {"Go ld",
                                    " Gold",
                                    "Gold ",
                                    "Gold\t",
                                    "Gold\n",
                                    "a/b",
                                    "x'; DROP TABLE AM_TIER; --",
                                    "a\"b",
                                    "a%2Fb",
                                    ".hidden",
                                    "-flag",
                                    "_x",
                                    "G\xc3\xb6ld",
                                    "G\xd0\xbeld",
                                    "<script>",
                                    "a|b",
                                    "a:b"};
  g_autofree char *long_name = g_strnfill(TG_NAME_MAX + 1, 't');
  for (guint i = 0; i <= G_N_ELEMENTS(bad); i++) {
    const char *name = i < G_N_ELEMENTS(bad) ? bad[i] : long_name;
    for (guint where = 0; where < 3; where++) {
      g_autoptr(TgApi) api = valid_api();
      g_autoptr(GError) e = NULL;
      if (where == 0) g_object_set(api, "apiTier", name, NULL);
      if (where == 1)
        g_object_set(g_ptr_array_index(api->resources, 1), "throttlingTier", name, NULL);
      if (where == 2) {
        g_ptr_array_add(api->subscriptionTiers, g_strdup("Gold"));
        g_ptr_array_add(api->subscriptionTiers, g_strdup(name));
      }
      if (mgmt_api_check(api, &e)) g_error("%s accepted at %u", name, where);
      hub_test_assert_refused(e, 400);
      static const char *const fields[] = {
          "apiTier: ", "resources[1].throttlingTier: ", "subscriptionTiers[1]: "};
      g_assert_true(g_str_has_prefix(e->message, fields[where]));
      g_assert_nonnull(strstr(e->message, "a tier name is " TG_NAME_RULE));
      g_assert_null(strchr(e->message, '\n'));
      g_assert_null(strchr(e->message, '\t'));
      g_assert_true(g_str_is_ascii(e->message));
      g_assert_cmpuint(strlen(e->message), <, 300);
    }
  }
  /* the seeded names and WSO2's pass; names are case-sensitive data, not folded */
  static const char *const good[] = {"Gold", "gold", "GOLD", "10KPerMin", "Tier-1.0_b"};
  for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
    g_autoptr(TgApi) api = valid_api();
    g_object_set(api, "apiTier", good[i], NULL);
    g_assert_true(mgmt_api_check(api, NULL));
    g_assert_cmpstr(api->apiTier, ==, good[i]);
  }
}

/* The levels a reference resolves against (shared with grantCredits), and deleteTier's
   decision over them. */
static void test_tier_levels_and_delete(void) {
  const char *const *api = tier_ref_levels("API");
  g_assert_cmpstr(api[0], ==, "API");
  g_assert_cmpstr(api[1], ==, "SUBSCRIPTION");
  g_assert_null(api[2]);
  g_assert_cmpstr(tier_ref_levels("RESOURCE")[0], ==, "RESOURCE");
  g_assert_null(tier_ref_levels("RESOURCE")[1]);
  g_assert_null(tier_ref_levels("HARD"));
  g_assert_null(tier_ref_levels("api")); /* canonical names only */

  const char *const sub_only[] = {"SUBSCRIPTION", NULL};
  const char *const sub_and_api[] = {"SUBSCRIPTION", "API", NULL};
  StoreTierUse none = {0}, api_tier = {.api_tier = 2}, subs = {.subscriptions = 1, .offered = 3};
  g_assert_true(tier_delete_allowed("Gold", "SUBSCRIPTION", sub_only, &none, NULL));
  g_autoptr(GError) e = NULL;
  g_assert_false(tier_delete_allowed("Gold", "SUBSCRIPTION", sub_only, &subs, &e));
  hub_test_assert_refused(e, 409);
  g_assert_nonnull(strstr(e->message, "3 API(s) offering it"));
  g_assert_nonnull(strstr(e->message, "1 subscription(s)"));
  g_clear_error(&e);
  /* an apiTier falls back to the SUBSCRIPTION tier only when there is no API tier */
  g_assert_false(tier_delete_allowed("Gold", "SUBSCRIPTION", sub_only, &api_tier, &e));
  hub_test_assert_refused(e, 409);
  g_clear_error(&e);
  g_assert_true(tier_delete_allowed("Gold", "SUBSCRIPTION", sub_and_api, &api_tier, NULL));
  g_assert_false(tier_delete_allowed("Gold", "API", sub_and_api, &api_tier, NULL));
  /* a use at another level does not hold this one */
  StoreTierUse apps = {.applications = 5, .resources = 1};
  g_assert_true(tier_delete_allowed("Gold", "SUBSCRIPTION", sub_only, &apps, NULL));
}

/* rows {name, level} as the store reads them */
static GPtrArray *tier_rows(const char *const *pairs) {
  GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  for (guint i = 0; pairs[i]; i += 2) {
    char **r = g_new0(char *, 3);
    r[0] = g_strdup(pairs[i]);
    r[1] = g_strdup(pairs[i + 1]);
    g_ptr_array_add(rows, r);
  }
  return rows;
}

/* addTier refuses a look-alike (a name differing only in case) where one reference could
   resolve to either: the same level, or API beside SUBSCRIPTION (an apiTier looks up both);
   not APPLICATION or RESOURCE beside another level, nor the same name at another level. */
static void test_tier_name_distinct(void) {
  static const struct {
    const char *name, *level, *other, *other_level;
    gboolean ok;
  } rows[] = {
      {"gold", "SUBSCRIPTION", "Gold", "SUBSCRIPTION", FALSE},
      {"GOLD", "SUBSCRIPTION", "Gold", "SUBSCRIPTION", FALSE},
      {"gold", "API", "Gold", "SUBSCRIPTION", FALSE},
      {"gold", "SUBSCRIPTION", "Gold", "API", FALSE},
      {"unlimited", "RESOURCE", "Unlimited", "RESOURCE", FALSE},
      {"50permin", "APPLICATION", "50PerMin", "APPLICATION", FALSE},
      {"gold", "APPLICATION", "Gold", "SUBSCRIPTION", TRUE},
      {"gold", "RESOURCE", "Gold", "SUBSCRIPTION", TRUE},
      {"gold", "RESOURCE", "Gold", "API", TRUE},
      {"Gold", "API", "Gold", "SUBSCRIPTION", TRUE}, /* the same name: allowed, it shadows */
      {"Gold", "SUBSCRIPTION", "Gold", "SUBSCRIPTION", TRUE}, /* a duplicate: the key's 409 */
      {"Gold2", "SUBSCRIPTION", "Gold", "SUBSCRIPTION", TRUE},
  };
  for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
    const char *const pairs[] = {rows[i].other, rows[i].other_level, NULL};
    g_autoptr(GPtrArray) others = tier_rows(pairs);
    g_autoptr(GError) e = NULL;
    gboolean ok = tier_name_distinct(rows[i].name, rows[i].level, others, &e);
    if (ok != rows[i].ok) g_error("row %u: expected %s", i, rows[i].ok ? "allowed" : "refused");
    if (ok) continue;
    hub_test_assert_refused(e, 409);
    g_assert_nonnull(strstr(e->message, "a tier name must differ from the others in more than"));
    g_assert_nonnull(strstr(e->message, rows[i].other));
    g_assert_cmpint(strstr(e->message, "apiTier") != NULL, ==,
                    strcmp(rows[i].level, rows[i].other_level) != 0);
  }
  const char *const none[] = {NULL};
  g_autoptr(GPtrArray) empty = tier_rows(none);
  g_assert_true(tier_name_distinct("gold", "SUBSCRIPTION", empty, NULL));
  g_autoptr(GError) e = NULL;
  const char *const odd[] = {"Gold", "APPLICATION", "GOLD", "API", NULL};
  g_autoptr(GPtrArray) two = tier_rows(odd);
  g_assert_false(tier_name_distinct("gold", "SUBSCRIPTION", two, &e));
  g_assert_nonnull(strstr(e->message, "API tier \"GOLD\""));
}

typedef void (*Spoil)(TgApi *api);
static void no_name(TgApi *a) { g_object_set(a, "name", "", NULL); }
static void ctrl_name(TgApi *a) { g_object_set(a, "name", "a\nb", NULL); }
static void bad_context(TgApi *a) { g_object_set(a, "context", "pizza", NULL); }
static void space_context(TgApi *a) { g_object_set(a, "context", "/piz za", NULL); }
static void no_version(TgApi *a) { g_object_set(a, "version", "", NULL); }
static void no_endpoint(TgApi *a) { g_object_set(a, "productionEndpoint", "", NULL); }
static void ftp_endpoint(TgApi *a) { g_object_set(a, "productionEndpoint", "ftp://h/x", NULL); }
static void hostless(TgApi *a) { g_object_set(a, "productionEndpoint", "http:///x", NULL); }
static void bad_sandbox(TgApi *a) { g_object_set(a, "sandboxEndpoint", "not a url", NULL); }
static void no_resources(TgApi *a) { g_ptr_array_set_size(a->resources, 0); }
static void bad_verb(TgApi *a) { g_ptr_array_add(a->resources, resource("FE TCH", "/x")); }
static void verb_not_token(TgApi *a) { g_ptr_array_add(a->resources, resource("PURGE(", "/x")); }
static void long_verb(TgApi *a) {
  g_autofree char *v = g_strnfill(32, 'P');
  g_ptr_array_add(a->resources, resource(v, "/x"));
}
static void bad_template(TgApi *a) { g_ptr_array_add(a->resources, resource("GET", "x")); }
static void space_template(TgApi *a) { g_ptr_array_add(a->resources, resource("GET", "/a b")); }
static void dup_resource(TgApi *a) { g_ptr_array_add(a->resources, resource("GET", "/menu")); }
static void bad_auth(TgApi *a) {
  g_object_set(g_ptr_array_index(a->resources, 0), "authType", "OAuth", NULL);
}
static void bad_res_tier(TgApi *a) {
  g_object_set(g_ptr_array_index(a->resources, 0), "throttlingTier", "Go ld", NULL);
}
static void bad_scope(TgApi *a) {
  g_object_set(g_ptr_array_index(a->resources, 0), "scope", "two words", NULL);
}
static void long_tier(TgApi *a) {
  g_autofree char *t = g_strnfill(API_MAX_TIER + 1, 't');
  g_object_set(a, "apiTier", t, NULL);
}
static void empty_sub_tier(TgApi *a) { g_ptr_array_add(a->subscriptionTiers, g_strdup("")); }
static void bad_description(TgApi *a) { g_object_set(a, "description", "bad \xff", NULL); }

static void test_check_refusals(void) {
  static const struct {
    const char *what;
    Spoil spoil;
  } rows[] = {
      {"no name", no_name},
      {"control char in name", ctrl_name},
      {"context without /", bad_context},
      {"space in context", space_context},
      {"no version", no_version},
      {"no endpoint", no_endpoint},
      {"ftp endpoint", ftp_endpoint},
      {"endpoint without host", hostless},
      {"bad sandbox", bad_sandbox},
      {"no resources", no_resources},
      {"bad verb", bad_verb},
      {"verb not a token", verb_not_token},
      {"verb over 31 bytes", long_verb},
      {"template without /", bad_template},
      {"space in template", space_template},
      {"duplicate resource", dup_resource},
      {"bad auth type", bad_auth},
      {"bad resource tier", bad_res_tier},
      {"bad scope", bad_scope},
      {"long api tier", long_tier},
      {"empty subscription tier", empty_sub_tier},
      {"bad description", bad_description},
  };
  for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
    g_autoptr(TgApi) api = valid_api();
    g_autoptr(GError) e = NULL;
    rows[i].spoil(api);
    if (mgmt_api_check(api, &e)) g_error("%s: accepted", rows[i].what);
    hub_test_assert_refused(e, 400);
  }
  /* extension methods are verbs like any other, stored in upper case */
  {
    g_autoptr(TgApi) ext = valid_api();
    g_ptr_array_add(ext->resources, resource("purge", "/cache/*"));
    g_ptr_array_add(ext->resources, resource("PROPFIND", "/dav/*"));
    g_assert_true(mgmt_api_check(ext, NULL));
    guint n = ext->resources->len;
    g_assert_cmpstr(((TgResource *)g_ptr_array_index(ext->resources, n - 2))->verb, ==, "PURGE");
    g_assert_cmpstr(((TgResource *)g_ptr_array_index(ext->resources, n - 1))->verb, ==, "PROPFIND");
  }
  /* only a sandbox endpoint is enough; metacharacters are data */
  g_autoptr(TgApi) api = valid_api();
  g_object_set(api, "productionEndpoint", "", "sandboxEndpoint", "https://sb/x?a='1'", "name",
               "x'; DROP TABLE AM_API; --", "description", "multi\nline \"%_\\", NULL);
  g_assert_true(mgmt_api_check(api, NULL));
}

static void test_for_create(void) {
  g_autoptr(TgApi) req = valid_api();
  g_object_set(req, "status", "PUBLISHED", "id", (gint64)5, NULL);
  g_autoptr(TgApi) a = mgmt_api_for_create(req);
  g_assert_cmpstr(a->status, ==, "CREATED");
  g_assert_cmpint(a->id, ==, 0);
  g_assert_cmpstr(a->sandboxEndpoint, ==, req->productionEndpoint); /* left out: same */
  g_object_set(req, "sandboxEndpoint", "", NULL);
  g_autoptr(TgApi) b = mgmt_api_for_create(req);
  g_assert_cmpstr(b->sandboxEndpoint, ==, ""); /* "": no sandbox */
  g_assert_true(mgmt_api_check(b, NULL));
}

static void test_merge(void) {
  g_autoptr(TgApi) stored = valid_api();
  g_object_set(stored, "provider", "pub", "status", "PUBLISHED", "id", (gint64)7, NULL);
  g_assert_true(mgmt_api_check(stored, NULL));
  g_autoptr(TgApi) change = g_object_new(TG_TYPE_API, "context", "/pizza", "version", "1.0.0",
                                         "description", "new", "isDefaultVersion", TRUE, NULL);
  g_autoptr(GError) e = NULL;
  g_assert_true(mgmt_api_merge(stored, change, &e));
  g_assert_cmpstr(stored->description, ==, "new");
  g_assert_true(stored->isDefaultVersion);
  g_assert_cmpstr(stored->name, ==, "Pizza"); /* unset: kept */
  g_assert_cmpuint(stored->resources->len, ==, 2);
  g_ptr_array_add(change->resources, resource("DELETE", "/x"));
  change->__isset_resources = TRUE;
  g_assert_true(mgmt_api_merge(stored, change, NULL));
  g_assert_cmpuint(stored->resources->len, ==, 1);
  static const char *const fixed[][2] = {
      {"context", "/other"},
      {"version", "2"},
      {"provider", "eve"},
      {"status", "RETIRED"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(fixed); i++) {
    g_autoptr(TgApi) bad = g_object_new(TG_TYPE_API, fixed[i][0], fixed[i][1], NULL);
    g_autoptr(GError) be = NULL;
    g_assert_false(mgmt_api_merge(stored, bad, &be));
    hub_test_assert_refused(be, 400);
  }
  g_autoptr(TgApi) same = g_object_new(TG_TYPE_API, "status", "PUBLISHED", "provider", "pub", NULL);
  g_assert_true(mgmt_api_merge(stored, same, NULL));
}

static void test_new_version(void) {
  g_autoptr(TgApi) src = valid_api();
  g_object_set(src, "status", "PUBLISHED", "isDefaultVersion", TRUE, "id", (gint64)3, "provider",
               "pub", NULL);
  g_ptr_array_add(src->subscriptionTiers, g_strdup("Gold"));
  g_assert_true(mgmt_api_check(src, NULL));
  g_autoptr(TgApi) v2 = mgmt_api_new_version(src, "2.0.0");
  g_assert_cmpstr(v2->version, ==, "2.0.0");
  g_assert_cmpstr(v2->status, ==, "CREATED");
  g_assert_false(v2->isDefaultVersion);
  g_assert_cmpint(v2->id, ==, 0);
  g_assert_cmpstr(v2->provider, ==, "pub");
  g_assert_cmpuint(v2->resources->len, ==, 2);
  g_assert_true(g_ptr_array_index(v2->resources, 0) != g_ptr_array_index(src->resources, 0));
  g_assert_cmpstr(g_ptr_array_index(v2->subscriptionTiers, 0), ==, "Gold");
  g_assert_cmpstr(src->version, ==, "1.0.0"); /* source untouched */
}

static void test_who(void) {
  g_assert_true(mgmt_api_visible("CREATED", TRUE));
  g_assert_false(mgmt_api_visible("CREATED", FALSE));
  g_assert_false(mgmt_api_visible("BLOCKED", FALSE));
  g_assert_false(mgmt_api_visible("RETIRED", FALSE));
  g_assert_true(mgmt_api_visible("PUBLISHED", FALSE));
  g_assert_true(mgmt_api_visible("DEPRECATED", FALSE));
  g_assert_true(mgmt_api_may_change("pub", FALSE, "pub", NULL));
  g_assert_true(mgmt_api_may_change("root", TRUE, "pub", NULL));
  g_autoptr(GError) e = NULL;
  g_assert_false(mgmt_api_may_change("eve", FALSE, "pub", &e));
  hub_test_assert_refused(e, 403);
}

/* ---- context ownership and overlapping paths ---- */

static TgApi *neighbour(gint64 id, const char *context, const char *version, const char *provider) {
  return g_object_new(TG_TYPE_API, "id", id, "context", context, "version", version, "provider",
                      provider, NULL);
}

static void test_shadows(void) {
  static const struct {
    const char *ctx, *ver, *other;
    gboolean shadows;
  } cases[] = {
      {"/pizza", "1.0.0", "/pizza/1.0.0", TRUE},
      {"/pizza", "1.0.0", "/pizza/1.0.0/x", TRUE},
      {"/pizza", "1.0.0", "/PIZZA/1.0.0", FALSE}, /* another URL: paths are case-exact */
      {"/pizza", "v1", "/pizza/v1/menu", TRUE},
      {"/pizza", "v1", "/pizza/V1/menu", FALSE},
      {"/pizza", "1.0.0", "/pizza/1.0.00", FALSE}, /* not at a segment boundary */
      {"/pizza", "1.0.0", "/pizza/1.0", FALSE},
      {"/pizza", "1.0.0", "/pizza", FALSE},
      {"/pizza", "1.0.0", "/pizzas/1.0.0", FALSE},
      {"/pizza", "1.0.0", "/pizza/2.0.0", FALSE},
      {"/a/b", "1", "/a/b/1", TRUE},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    g_assert_cmpint(mgmt_api_shadows(cases[i].ctx, cases[i].ver, cases[i].other), ==,
                    cases[i].shadows);
}

static void test_placement(void) {
  g_autoptr(GPtrArray) n = g_ptr_array_new_with_free_func(g_object_unref);
  g_ptr_array_add(n, neighbour(1, "/pizza", "1.0.0", "alice"));
  g_ptr_array_add(n, neighbour(2, "/pizza", "2.0.0", "mallory")); /* legacy: first one owns */
  static const struct {
    const char *ctx, *ver, *caller;
    gboolean admin;
    int code;
  } cases[] = {
      {"/pizza", "3.0.0", "alice", FALSE, 0},
      {"/pizza", "3.0.0", "mallory", FALSE, 403}, /* versions 2.0.0 does not make it his */
      {"/pizza", "3.0.0", "bob", FALSE, 403},
      {"/PIZZA", "3.0.0", "bob", FALSE, 0},       /* another context (case-exact) */
      {"/pizza", "3.0.0", "bob", TRUE, 0},        /* admins may */
      {"/pizza/1.0.0", "1", "bob", FALSE, 409},   /* shadows /pizza:1.0.0 */
      {"/pizza/1.0.0", "1", "alice", FALSE, 409}, /* even for the owner */
      {"/pizza/1.0.0/x", "1", "bob", TRUE, 409},  /* even for an admin */
      {"/pizza/9.9.9", "1", "bob", FALSE, 0},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(TgApi) api = neighbour(0, cases[i].ctx, cases[i].ver, cases[i].caller);
    g_autoptr(GError) error = NULL;
    gboolean ok = mgmt_api_placement_check(api, n, cases[i].caller, cases[i].admin, &error);
    if (cases[i].code == 0) {
      g_assert_no_error(error);
      g_assert_true(ok);
    } else {
      g_assert_false(ok);
      hub_test_assert_refused(error, cases[i].code);
    }
  }
  /* the reverse: /shop:1.0.0 while a context /shop/1.0.0 exists */
  g_autoptr(GPtrArray) m = g_ptr_array_new_with_free_func(g_object_unref);
  g_ptr_array_add(m, neighbour(7, "/shop/1.0.0", "v", "carol"));
  g_autoptr(TgApi) shop = neighbour(0, "/shop", "1.0.0", "dave");
  g_autoptr(GError) error = NULL;
  g_assert_false(mgmt_api_placement_check(shop, m, "dave", TRUE, &error));
  hub_test_assert_refused(error, 409);
  g_assert_cmpstr(mgmt_api_context_owner("/pizza", n), ==, "alice");
  g_assert_null(mgmt_api_context_owner("/Pizza", n));
  g_assert_null(mgmt_api_context_owner("/pasta", n));
}

/* ---- declared scopes and what a token is granted ---- */

static TgApiScope *api_scope(const char *name, const char *description, const char *roles) {
  TgApiScope *s = g_object_new(TG_TYPE_API_SCOPE, "name", name, NULL);
  if (description) g_object_set(s, "description", description, NULL);
  g_auto(GStrv) r = g_strsplit(roles, " ", -1);
  for (guint i = 0; r[i]; i++)
    if (*r[i]) g_ptr_array_add(s->roles, g_strdup(r[i]));
  return s;
}

static void test_scopes_check(void) {
  static const struct {
    const char *name, *roles;
    int code;
  } cases[] = {
      {"menu:write", "publisher Admin publisher", 0},
      {"x'; DROP TABLE AM_API_SCOPE; --", "", 400}, /* a space: not one scope token */
      {"a\"b", "", 400},
      {"a\\b", "", 400},
      {"", "", 400},
      {"caf\xc3\xa9", "", 400}, /* ASCII only */
      {"ok", "root", 400},
      {"ok", "", 0},
      {"%_'`;--", "subscriber", 0}, /* metacharacters are data */
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(TgApi) api = valid_api();
    g_autoptr(GError) error = NULL;
    g_ptr_array_add(api->scopes, api_scope(cases[i].name, NULL, cases[i].roles));
    gboolean ok = mgmt_api_check(api, &error);
    if (cases[i].code == 0) {
      g_assert_no_error(error);
      g_assert_true(ok);
    } else {
      g_assert_false(ok);
      hub_test_assert_refused(error, cases[i].code);
    }
  }
  g_autoptr(TgApi) api = valid_api();
  g_ptr_array_add(api->scopes, api_scope("w", "x", "Publisher admin publisher"));
  g_assert_true(mgmt_api_check(api, NULL));
  TgApiScope *w = g_ptr_array_index(api->scopes, 0);
  g_assert_cmpuint(w->roles->len, ==, 2);
  g_assert_cmpstr(g_ptr_array_index(w->roles, 0), ==, "publisher");
  g_autoptr(TgApi) copy = mgmt_api_copy(api);
  g_assert_cmpuint(copy->scopes->len, ==, 1);
  g_ptr_array_add(api->scopes, api_scope("w", NULL, ""));
  g_autoptr(GError) error = NULL;
  g_assert_false(mgmt_api_check(api, &error));
  hub_test_assert_refused(error, 400);
}

static void test_scope_grant(void) {
  g_autoptr(GHashTable) d =
      g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
  GPtrArray *write = g_ptr_array_new(), *read = g_ptr_array_new(), *two = g_ptr_array_new();
  g_ptr_array_add(write, "publisher admin");
  g_ptr_array_add(read, "");                    /* anyone */
  g_ptr_array_add(two, "subscriber publisher"); /* two APIs declare it: */
  g_ptr_array_add(two, "publisher");            /* both must allow */
  g_hash_table_insert(d, "write", write);
  g_hash_table_insert(d, "read", read);
  g_hash_table_insert(d, "shared", two);
  static const struct {
    const char *requested;
    guint roles;
    const char *granted;
  } cases[] = {
      {"read write", ROLE_SUBSCRIBER, "read"},
      {"read write", ROLE_PUBLISHER, "read write"},
      {"write read write", ROLE_ADMIN, "write read"}, /* duplicates dropped */
      {"legacy write", ROLE_SUBSCRIBER, "legacy"},    /* undeclared: as before */
      {"WRITE", ROLE_SUBSCRIBER, "WRITE"},            /* another (undeclared) name */
      {"shared", ROLE_SUBSCRIBER, ""},
      {"shared", ROLE_PUBLISHER, "shared"},
      {"write", 0, ""}, /* unknown user: no role */
      {"", ROLE_ADMIN, ""},
      {NULL, ROLE_ADMIN, ""},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *granted = scope_grant(cases[i].requested, cases[i].roles, d);
    g_assert_cmpstr(granted, ==, cases[i].granted);
  }
}

/* ---- through the real handler and MariaDB (TG_TEST_DB_PORT) ---- */

static char *secret_path;

/* A hub on MariaDB at port (NULL: TG_TEST_DB_PORT). */
static Hub *hub_on(const char *port) { return hub_test_hub_new(secret_path, atoi(port), 1); }

static Hub *db_hub(void) { return hub_on(g_getenv("TG_TEST_DB_PORT")); }

static gint64 changes_for(Hub *hub, const char *subject) {
  g_autoptr(GError) error = NULL;
  MYSQL *conn = hub_db_acquire(hub, "apimgtdb", &error);
  g_assert_no_error(error);
  DbParam p[] = {DBP_S(subject)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT COUNT(*) FROM AM_GATEWAY_CHANGE WHERE"
                                           " kind = 'API_CHANGED' AND subject = ?",
                                           p, 1, 1, &error);
  hub_db_release(hub, conn);
  g_assert_no_error(error);
  return g_ascii_strtoll(((char **)g_ptr_array_index(rows, 0))[0], NULL, 10);
}

/* getApi as sid; NULL with *tex set when it fails. */
static TgApi *get_api(Hub *hub, const char *sid, const char *ctx, const char *ver,
                      TgTollgateException **tex) {
  TgApi *api = g_object_new(TG_TYPE_API, NULL);
  if (tg_tollgate_if_get_api(HUB_TEST_IFACE(hub), &api, sid, ctx, ver, tex, NULL)) return api;
  g_object_unref(api);
  return NULL;
}

static TgApi *lifecycle(Hub *hub, const char *sid, const char *ctx, const char *ver,
                        const char *status, int want) {
  TgApi *api = g_object_new(TG_TYPE_API, NULL);
  TgTollgateException *tex = NULL;
  gboolean ok = tg_tollgate_if_set_api_lifecycle(HUB_TEST_IFACE(hub), &api, sid, ctx, ver, status,
                                                 &tex, NULL);
  if (want == 0) {
    hub_test_expect_ok(ok, &tex);
    return api;
  }
  hub_test_expect_code(ok, &tex, want);
  g_object_unref(api);
  return NULL;
}

static gboolean listed(Hub *hub, const char *sid, const char *ctx) {
  g_autoptr(GPtrArray) apis = g_ptr_array_new_with_free_func(g_object_unref);
  TgTollgateException *tex = NULL;
  hub_test_expect_ok(tg_tollgate_if_list_apis(HUB_TEST_IFACE(hub), &apis, sid, &tex, NULL), &tex);
  for (guint i = 0; i < apis->len; i++)
    if (g_strcmp0(((TgApi *)g_ptr_array_index(apis, i))->context, ctx) == 0) return TRUE;
  return FALSE;
}

/* No database at all (port 1): every method answers 503, none hangs or crashes. */
static void test_no_db(void) {
  Hub *hub = hub_on("1");
  g_autofree char *admin = session_issue(hub->sessions, "root", ROLE_ADMIN);
  TgTollgateException *tex = NULL;
  g_autoptr(TgApi) req = valid_api();
  TgApi *api = g_object_new(TG_TYPE_API, NULL);
  hub_test_expect_code(tg_tollgate_if_create_api(HUB_TEST_IFACE(hub), &api, admin, req, &tex, NULL),
                       &tex, 503);
  hub_test_expect_code(tg_tollgate_if_set_api_lifecycle(HUB_TEST_IFACE(hub), &api, admin, "/pizza",
                                                        "1.0.0", "PUBLISHED", &tex, NULL),
                       &tex, 503);
  g_object_unref(api);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(g_object_unref);
  hub_test_expect_code(tg_tollgate_if_list_apis(HUB_TEST_IFACE(hub), &list, admin, &tex, NULL),
                       &tex, 503);
  hub_test_expect_code(tg_tollgate_if_list_tiers(HUB_TEST_IFACE(hub), &list, admin, &tex, NULL),
                       &tex, 503);
  hub_test_expect_code(tg_tollgate_if_list_users(HUB_TEST_IFACE(hub), &list, admin, &tex, NULL),
                       &tex, 503);
  hub_test_expect_code(tg_tollgate_if_delete_user(HUB_TEST_IFACE(hub), admin, "bob", &tex, NULL),
                       &tex, 503);
  /* bad input is refused before the database is needed */
  g_object_set(req, "context", "no-slash", NULL);
  api = g_object_new(TG_TYPE_API, NULL);
  hub_test_expect_code(tg_tollgate_if_create_api(HUB_TEST_IFACE(hub), &api, admin, req, &tex, NULL),
                       &tex, 400);
  g_object_unref(api);
  hub_core_free(hub);
}

static void test_db_apis(void) {
  if (!hub_test_need_db()) return;
  Hub *hub = db_hub();
  guint n = g_random_int();
  g_autofree char *pub = g_strdup_printf("pub'\"%u", n);
  g_autofree char *ctx = g_strdup_printf("/t%u';DROP--\"%%_\\", n);
  g_autofree char *sid = session_issue(hub->sessions, pub, ROLE_PUBLISHER);
  g_autofree char *other = session_issue(hub->sessions, "other-pub", ROLE_PUBLISHER);
  g_autofree char *sub = session_issue(hub->sessions, "a-subscriber", ROLE_SUBSCRIBER);
  g_autoptr(TgApi) req = valid_api();
  g_object_set(req, "context", ctx, "name", "n'; DELETE FROM AM_API; --", "description",
               "d \"quoted\" \\ %_ ;", "sandboxEndpoint", "https://sb.example/x?q='1'&r=%20",
               "isDefaultVersion", TRUE, NULL);
  g_object_set(g_ptr_array_index(req->resources, 1), "scope", "write'scope", "authType",
               "Application", "throttlingTier", "Unlimited", NULL);
  g_object_set(req, "apiTier", "Gold", NULL); /* an API tier may be a SUBSCRIPTION one */
  g_ptr_array_add(req->subscriptionTiers, g_strdup("Gold"));
  req->__isset_subscriptionTiers = TRUE;
  TgTollgateException *tex = NULL;

  /* create: the answer is the stored API, every metacharacter intact */
  TgApi *created = g_object_new(TG_TYPE_API, NULL);
  hub_test_expect_ok(tg_tollgate_if_create_api(HUB_TEST_IFACE(hub), &created, sid, req, &tex, NULL),
                     &tex);
  g_assert_cmpint(created->id, >, 0);
  g_assert_cmpstr(created->context, ==, ctx);
  g_assert_cmpstr(created->name, ==, req->name);
  g_assert_cmpstr(created->description, ==, req->description);
  g_assert_cmpstr(created->sandboxEndpoint, ==, req->sandboxEndpoint);
  g_assert_cmpstr(created->provider, ==, pub);
  g_assert_cmpstr(created->status, ==, "CREATED");
  g_assert_true(created->isDefaultVersion);
  g_assert_cmpuint(created->resources->len, ==, 2);
  TgResource *r1 = g_ptr_array_index(created->resources, 1);
  g_assert_cmpstr(r1->scope, ==, "write'scope");
  g_assert_cmpstr(r1->throttlingTier, ==, "Unlimited");
  g_assert_cmpstr(created->apiTier, ==, "Gold");
  g_assert_cmpstr(((TgResource *)g_ptr_array_index(created->resources, 0))->verb, ==, "GET");
  g_assert_cmpstr(g_ptr_array_index(created->subscriptionTiers, 0), ==, "Gold");
  g_object_unref(created);
  g_autofree char *subject = g_strdup_printf("%s:1.0.0", ctx);
  g_assert_cmpint(changes_for(hub, subject), ==, 1);

  /* duplicates, bad tiers, wrong roles */
  created = g_object_new(TG_TYPE_API, NULL);
  hub_test_expect_code(
      tg_tollgate_if_create_api(HUB_TEST_IFACE(hub), &created, sid, req, &tex, NULL), &tex, 409);
  hub_test_expect_code(
      tg_tollgate_if_create_api(HUB_TEST_IFACE(hub), &created, sub, req, &tex, NULL), &tex, 403);
  g_autoptr(TgApi) bad = mgmt_api_copy(req);
  g_object_set(bad, "version", "9", "apiTier", "Platinum", NULL);
  hub_test_expect_code(
      tg_tollgate_if_create_api(HUB_TEST_IFACE(hub), &created, sid, bad, &tex, NULL), &tex, 400);
  /* a resource tier is looked up at RESOURCE level only: the SUBSCRIPTION Gold is not one */
  g_object_set(bad, "apiTier", "Unlimited", NULL);
  g_object_set(g_ptr_array_index(bad->resources, 1), "throttlingTier", "Gold", NULL);
  hub_test_expect_code(
      tg_tollgate_if_create_api(HUB_TEST_IFACE(hub), &created, sid, bad, &tex, NULL), &tex, 400);
  g_object_set(g_ptr_array_index(bad->resources, 1), "throttlingTier", "Unlimited", NULL);
  g_object_set(bad, "apiTier", "Gold", "provider", "someone-else", NULL);
  hub_test_expect_code(
      tg_tollgate_if_create_api(HUB_TEST_IFACE(hub), &created, sid, bad, &tex, NULL), &tex, 403);
  g_object_unref(created);

  /* visibility: a subscriber sees it only once published */
  g_autoptr(TgApi) got = get_api(hub, other, ctx, "1.0.0", &tex);
  g_assert_nonnull(got);
  g_assert_null(get_api(hub, sub, ctx, "1.0.0", &tex));
  hub_test_expect_code(FALSE, &tex, 404);
  g_assert_false(listed(hub, sub, ctx));
  g_assert_true(listed(hub, other, ctx));

  /* lifecycle */
  lifecycle(hub, other, ctx, "1.0.0", "PUBLISHED", 403);
  lifecycle(hub, sid, ctx, "1.0.0", "DEPRECATED", 409);
  lifecycle(hub, sid, ctx, "1.0.0", "LIVE", 400);
  lifecycle(hub, sid, ctx, "9.9", "PUBLISHED", 404);
  g_autoptr(TgApi) published = lifecycle(hub, sid, ctx, "1.0.0", "published", 0);
  g_assert_cmpstr(published->status, ==, "PUBLISHED");
  g_autoptr(TgApi) again = lifecycle(hub, sid, ctx, "1.0.0", "PUBLISHED", 0); /* no-op */
  g_assert_cmpint(changes_for(hub, subject), ==, 2);
  g_assert_true(listed(hub, sub, ctx));
  g_autoptr(TgApi) seen = get_api(hub, sub, ctx, "1.0.0", &tex);
  g_assert_nonnull(seen);

  /* update: a partial change keeps the rest; identity cannot change */
  g_autoptr(TgApi) change = g_object_new(TG_TYPE_API, "context", ctx, "version", "1.0.0",
                                         "description", "v2 'desc'", NULL);
  TgApi *updated = g_object_new(TG_TYPE_API, NULL);
  hub_test_expect_code(
      tg_tollgate_if_update_api(HUB_TEST_IFACE(hub), &updated, other, change, &tex, NULL), &tex,
      403);
  hub_test_expect_ok(
      tg_tollgate_if_update_api(HUB_TEST_IFACE(hub), &updated, sid, change, &tex, NULL), &tex);
  g_assert_cmpstr(updated->description, ==, "v2 'desc'");
  g_assert_cmpstr(updated->name, ==, req->name);
  g_assert_cmpstr(updated->status, ==, "PUBLISHED");
  g_assert_cmpuint(updated->resources->len, ==, 2);
  g_object_set(change, "status", "RETIRED", NULL);
  hub_test_expect_code(
      tg_tollgate_if_update_api(HUB_TEST_IFACE(hub), &updated, sid, change, &tex, NULL), &tex, 400);
  g_object_unref(updated);

  /* new version: a CREATED copy; making it default takes the flag from 1.0.0 */
  TgApi *v2 = g_object_new(TG_TYPE_API, NULL);
  hub_test_expect_ok(tg_tollgate_if_create_new_version(HUB_TEST_IFACE(hub), &v2, sid, ctx, "1.0.0",
                                                       "2.0.0", &tex, NULL),
                     &tex);
  g_assert_cmpstr(v2->status, ==, "CREATED");
  g_assert_cmpstr(v2->description, ==, "v2 'desc'");
  g_assert_cmpuint(v2->resources->len, ==, 2);
  g_assert_false(v2->isDefaultVersion);
  hub_test_expect_code(tg_tollgate_if_create_new_version(HUB_TEST_IFACE(hub), &v2, sid, ctx,
                                                         "1.0.0", "2.0.0", &tex, NULL),
                       &tex, 409);
  g_autoptr(TgApi) make_default =
      g_object_new(TG_TYPE_API, "context", ctx, "version", "2.0.0", "isDefaultVersion", TRUE, NULL);
  hub_test_expect_ok(
      tg_tollgate_if_update_api(HUB_TEST_IFACE(hub), &v2, sid, make_default, &tex, NULL), &tex);
  g_assert_true(v2->isDefaultVersion);
  g_object_unref(v2);
  g_autoptr(TgApi) v1 = get_api(hub, sid, ctx, "1.0.0", &tex);
  g_assert_false(v1->isDefaultVersion);
  g_assert_cmpint(changes_for(hub, subject), ==, 4); /* create, publish, update, default */

  /* delete: refused while subscribed, then gone */
  g_autoptr(GError) error = NULL;
  MYSQL *conn = hub_db_acquire(hub, "apimgtdb", &error);
  g_autofree char *app = g_strdup_printf("app%u", n);
  DbParam ap[] = {DBP_S(app)};
  g_assert_true(hub_db_exec(conn,
                            "INSERT INTO AM_APPLICATION (name, owner, created_at,"
                            " updated_at) VALUES (?, 'sub', 0, 0)",
                            ap, 1, NULL, NULL, &error));
  DbParam sp[] = {DBP_S(app), DBP_S(ctx)};
  g_assert_true(hub_db_exec(conn,
                            "INSERT INTO AM_SUBSCRIPTION (api_id, application_id, tier,"
                            " created_at, updated_at) SELECT p.api_id, a.application_id, 'Gold',"
                            " 0, 0 FROM AM_APPLICATION a, AM_API p WHERE a.name = ? AND"
                            " p.context = ? AND p.version = '1.0.0'",
                            sp, 2, NULL, NULL, &error));
  hub_test_expect_code(
      tg_tollgate_if_delete_api(HUB_TEST_IFACE(hub), sid, ctx, "1.0.0", &tex, NULL), &tex, 409);
  g_assert_true(
      hub_db_exec(conn, "DELETE FROM AM_APPLICATION WHERE name = ?", ap, 1, NULL, NULL, &error));
  hub_db_release(hub, conn);
  hub_test_expect_code(
      tg_tollgate_if_delete_api(HUB_TEST_IFACE(hub), other, ctx, "1.0.0", &tex, NULL), &tex, 403);
  hub_test_expect_ok(tg_tollgate_if_delete_api(HUB_TEST_IFACE(hub), sid, ctx, "1.0.0", &tex, NULL),
                     &tex);
  hub_test_expect_code(
      tg_tollgate_if_delete_api(HUB_TEST_IFACE(hub), sid, ctx, "1.0.0", &tex, NULL), &tex, 404);
  g_assert_cmpint(changes_for(hub, subject), ==, 5);

  /* retire is final */
  g_autofree char *admin = session_issue(hub->sessions, "root", ROLE_ADMIN);
  g_autoptr(TgApi) p2 = lifecycle(hub, admin, ctx, "2.0.0", "PUBLISHED", 0);
  g_autoptr(TgApi) r2 = lifecycle(hub, admin, ctx, "2.0.0", "RETIRED", 0);
  lifecycle(hub, admin, ctx, "2.0.0", "PUBLISHED", 409);
  hub_test_expect_ok(
      tg_tollgate_if_delete_api(HUB_TEST_IFACE(hub), admin, ctx, "2.0.0", &tex, NULL), &tex);
  hub_core_free(hub);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_log_set_always_fatal(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
  secret_path = hub_test_secret_new();
  g_test_add_func("/mgmt/api/context_version", test_context_version);
  g_test_add_func("/mgmt/api/status_parse", test_status_parse);
  g_test_add_func("/mgmt/api/lifecycle", test_lifecycle);
  g_test_add_func("/mgmt/api/check_defaults", test_check_defaults);
  g_test_add_func("/mgmt/api/check_refusals", test_check_refusals);
  g_test_add_func("/mgmt/api/tier_name_rule", test_tier_name_rule);
  g_test_add_func("/mgmt/api/tier_levels_and_delete", test_tier_levels_and_delete);
  g_test_add_func("/mgmt/api/tier_name_distinct", test_tier_name_distinct);
  g_test_add_func("/mgmt/api/for_create", test_for_create);
  g_test_add_func("/mgmt/api/merge", test_merge);
  g_test_add_func("/mgmt/api/new_version", test_new_version);
  g_test_add_func("/mgmt/api/who", test_who);
  g_test_add_func("/mgmt/api/shadows", test_shadows);
  g_test_add_func("/mgmt/api/placement", test_placement);
  g_test_add_func("/mgmt/api/scopes_check", test_scopes_check);
  g_test_add_func("/mgmt/api/scope_grant", test_scope_grant);
  g_test_add_func("/mgmt/nodb/unavailable", test_no_db);
  g_test_add_func("/mgmt/db/apis", test_db_apis);
  int rc = g_test_run();
  hub_test_secret_free(secret_path);
  return rc;
}
