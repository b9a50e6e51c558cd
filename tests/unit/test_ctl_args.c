/*
 * test_ctl_args: tollgatectl's argument parsing (ctl/args.c):
 * the option table parser, CONTEXT:VERSION references, --resource specs, key
 * and document types, comma lists and bounded integers. Table driven: a new
 * case is a new row.
 */
#include <string.h>

#include "args.h"

/* ---- CONTEXT:VERSION ---- */

typedef struct {
  const char *text, *context, *version; /* context NULL: must fail */
} ApiRefCase;

static const ApiRefCase api_ref_cases[] = {
    {"/pizza:1.0.0", "/pizza", "1.0.0"},
    {"pizza:1.0.0", "/pizza", "1.0.0"},
    {"/shop/orders:v2", "/shop/orders", "v2"},
    {"/a:b:1.0", NULL, NULL}, /* ':' in the context */
    {"pizza", NULL, NULL},
    {":1.0.0", NULL, NULL},
    {"/pizza:", NULL, NULL},
    {"/:1.0.0", NULL, NULL},
    {"/pi zza:1.0", NULL, NULL},
    {"/pizza:1.0/x", NULL, NULL},
    {"/pizza:1 0", NULL, NULL},
    {"/pizza?x=1:1.0", NULL, NULL},
};

static void test_api_ref(void) {
  for (gsize i = 0; i < G_N_ELEMENTS(api_ref_cases); i++) {
    const ApiRefCase *c = &api_ref_cases[i];
    g_autofree char *context = NULL, *version = NULL;
    g_autoptr(GError) error = NULL;
    gboolean ok = ctl_split_api_ref(c->text, &context, &version, &error);
    g_test_message("api ref '%s'", c->text);
    if (!c->context) {
      g_assert_false(ok);
      g_assert_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID);
      g_assert_null(context);
      continue;
    }
    g_assert_no_error(error);
    g_assert_true(ok);
    g_assert_cmpstr(context, ==, c->context);
    g_assert_cmpstr(version, ==, c->version);
  }
}

static void test_normalize_context(void) {
  g_autofree char *a = ctl_normalize_context("pizza", NULL);
  g_autofree char *b = ctl_normalize_context("/pizza", NULL);
  g_assert_cmpstr(a, ==, "/pizza");
  g_assert_cmpstr(b, ==, "/pizza");
  g_autoptr(GError) error = NULL;
  g_assert_null(ctl_normalize_context("/", &error));
  g_assert_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID);
}

/* ---- --resource ---- */

typedef struct {
  const char *spec;
  const char *verb, *uri_template, *auth_type, *tier, *scope; /* verb NULL: must fail */
} ResourceCase;

static const ResourceCase resource_cases[] = {
    {"GET /items/*", "GET", "/items/*", "Any", "Unlimited", ""},
    {"get /*", "GET", "/*", "Any", "Unlimited", ""},
    {"  POST   /orders/{id}  ", "POST", "/orders/{id}", "Any", "Unlimited", ""},
    {"delete /x application_user", "DELETE", "/x", "Application_User", "Unlimited", ""},
    {"PUT /x None Gold", "PUT", "/x", "None", "Gold", ""},
    {"PATCH /x Application Silver write", "PATCH", "/x", "Application", "Silver", "write"},
    {"options /x\tany", "OPTIONS", "/x", "Any", "Unlimited", ""},
    {"GET", NULL},
    {"", NULL},
    {"FETCH /x", NULL},
    {"GET items", NULL},
    {"GET /x Bogus", NULL},
    {"GET /x Any Gold read extra", NULL},
};

static void test_resource_spec(void) {
  for (gsize i = 0; i < G_N_ELEMENTS(resource_cases); i++) {
    const ResourceCase *c = &resource_cases[i];
    g_autoptr(GError) error = NULL;
    g_autoptr(CtlResourceSpec) r = ctl_parse_resource_spec(c->spec, &error);
    g_test_message("resource '%s'", c->spec);
    if (!c->verb) {
      g_assert_null(r);
      g_assert_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID);
      continue;
    }
    g_assert_no_error(error);
    g_assert_nonnull(r);
    g_assert_cmpstr(r->verb, ==, c->verb);
    g_assert_cmpstr(r->uri_template, ==, c->uri_template);
    g_assert_cmpstr(r->auth_type, ==, c->auth_type);
    g_assert_cmpstr(r->tier, ==, c->tier);
    g_assert_cmpstr(r->scope, ==, c->scope);
  }
}

/* ---- key and document types ---- */

static void test_key_type(void) {
  g_assert_cmpstr(ctl_check_key_type("PRODUCTION", NULL), ==, "PRODUCTION");
  g_assert_cmpstr(ctl_check_key_type("production", NULL), ==, "PRODUCTION");
  g_assert_cmpstr(ctl_check_key_type("Sandbox", NULL), ==, "SANDBOX");
  const char *bad[] = {"prod", "", "SANDBOXX", "PRODUCTION "};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    g_assert_null(ctl_check_key_type(bad[i], &error));
    g_assert_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID);
    g_assert_nonnull(strstr(error->message, "PRODUCTION, SANDBOX"));
  }
}

static void test_doc_type(void) {
  g_assert_cmpstr(ctl_check_doc_type("howto", NULL), ==, "HOWTO");
  g_assert_cmpstr(ctl_check_doc_type("api_message_format", NULL), ==, "API_MESSAGE_FORMAT");
  g_autoptr(GError) error = NULL;
  g_assert_null(ctl_check_doc_type("README", &error));
  g_assert_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID);
}

/* ---- lists and integers ---- */

static void test_split_list(void) {
  g_autoptr(GPtrArray) a = ctl_split_list(" Gold, Silver,,Bronze ,", NULL);
  g_assert_cmpuint(a->len, ==, 3);
  g_assert_cmpstr(a->pdata[0], ==, "Gold");
  g_assert_cmpstr(a->pdata[1], ==, "Silver");
  g_assert_cmpstr(a->pdata[2], ==, "Bronze");
  g_autoptr(GPtrArray) empty = ctl_split_list("", NULL);
  g_assert_cmpuint(empty->len, ==, 0);

  g_autoptr(GString) many = g_string_new(NULL);
  for (int i = 0; i <= CTL_MAX_REPEAT; i++) g_string_append(many, "r,");
  g_autoptr(GError) error = NULL;
  g_assert_null(ctl_split_list(many->str, &error));
  g_assert_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID);
}

typedef struct {
  const char *text;
  gboolean ok;
  gint64 value;
} IntCase;

static const IntCase int_cases[] = {
    {"0", TRUE, 0},
    {"3600", TRUE, 3600},
    {"100", TRUE, 100},
    {"101", FALSE, 0},
    {"-1", FALSE, 0},
    {"", FALSE, 0},
    {"1x", FALSE, 0},
    {" 5", FALSE, 0},
    {"+5", FALSE, 0},
    {"0x10", FALSE, 0},
    {"99999999999999999999", FALSE, 0},
};

static void test_parse_int64(void) {
  for (gsize i = 0; i < G_N_ELEMENTS(int_cases); i++) {
    const IntCase *c = &int_cases[i];
    gint64 v = -42;
    g_autoptr(GError) error = NULL;
    g_test_message("int '%s'", c->text);
    g_assert_cmpint(ctl_parse_int64(c->text, "--n", 0, c->ok ? 3600 : 100, &v, &error), ==, c->ok);
    if (c->ok)
      g_assert_cmpint(v, ==, c->value);
    else
      g_assert_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID);
  }
}

/* ---- option tables ---- */

typedef struct {
  gboolean json, flag;
  const char *name, *hub;
  GPtrArray *scopes;
} Parsed;

static gboolean parse(Parsed *p, GPtrArray *pos, GError **error, const char *first, ...) {
  const CtlOpt opts[] = {{"name", CTL_OPT_STRING, &p->name},
                         {"flag", CTL_OPT_FLAG, &p->flag},
                         {"scope", CTL_OPT_MULTI, &p->scopes},
                         {NULL}};
  const CtlOpt globals[] = {
      {"json", CTL_OPT_FLAG, &p->json}, {"hub", CTL_OPT_STRING, &p->hub}, {NULL}};
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  va_list ap;
  va_start(ap, first);
  for (const char *a = first; a; a = va_arg(ap, const char *)) g_ptr_array_add(argv, (gpointer)a);
  va_end(ap);
  return ctl_parse_options(opts, globals, argv->len, (char **)argv->pdata, pos, error);
}

static void parsed_clear(Parsed *p) { g_clear_pointer(&p->scopes, g_ptr_array_unref); }

static void test_options_ok(void) {
  Parsed p = {0};
  g_autoptr(GPtrArray) pos = g_ptr_array_new();
  g_autoptr(GError) error = NULL;
  g_assert_true(parse(&p, pos, &error, "NAME1", "--name", "pizza", "--scope=read", "--json",
                      "--scope", "write", "--flag", "--hub=h:1", "-", "--", "--not-an-option",
                      NULL));
  g_assert_no_error(error);
  g_assert_true(p.json);
  g_assert_true(p.flag);
  g_assert_cmpstr(p.name, ==, "pizza");
  g_assert_cmpstr(p.hub, ==, "h:1");
  g_assert_cmpuint(p.scopes->len, ==, 2);
  g_assert_cmpstr(p.scopes->pdata[0], ==, "read");
  g_assert_cmpstr(p.scopes->pdata[1], ==, "write");
  g_assert_cmpuint(pos->len, ==, 3);
  g_assert_cmpstr(pos->pdata[0], ==, "NAME1");
  g_assert_cmpstr(pos->pdata[1], ==, "-");
  g_assert_cmpstr(pos->pdata[2], ==, "--not-an-option");
  parsed_clear(&p);
}

static void test_options_last_wins_and_empty_value(void) {
  Parsed p = {0};
  g_autoptr(GPtrArray) pos = g_ptr_array_new();
  g_assert_true(parse(&p, pos, NULL, "--name", "a", "--name=", NULL));
  g_assert_cmpstr(p.name, ==, "");
  parsed_clear(&p);
}

typedef struct {
  const char *args[4];
  const char *message_part;
} BadOptionCase;

static const BadOptionCase bad_option_cases[] = {
    {{"--nope", NULL}, "unknown option --nope"},
    {{"--name", NULL}, "--name needs a value"},
    {{"--flag=yes", NULL}, "--flag takes no value"},
    {{"-n", "x", NULL}, "unknown option -n"},
    {{"--=x", NULL}, "unknown option"},
};

static void test_options_bad(void) {
  for (gsize i = 0; i < G_N_ELEMENTS(bad_option_cases); i++) {
    const BadOptionCase *c = &bad_option_cases[i];
    Parsed p = {0};
    g_autoptr(GPtrArray) pos = g_ptr_array_new();
    g_autoptr(GError) error = NULL;
    g_assert_false(parse(&p, pos, &error, c->args[0], c->args[1], c->args[2], NULL));
    g_assert_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID);
    g_assert_nonnull(strstr(error->message, c->message_part));
    parsed_clear(&p);
  }
}

static void test_options_bounded(void) {
  Parsed p = {0};
  g_autoptr(GPtrArray) pos = g_ptr_array_new();
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = g_strnfill(CTL_MAX_VALUE_LEN + 1, 'x');
  g_assert_false(parse(&p, pos, &error, "--name", huge, NULL));
  g_assert_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID);
  g_clear_error(&error);
  g_assert_false(parse(&p, pos, &error, huge, NULL));
  g_assert_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID);
  parsed_clear(&p);
}

static void test_leading_options(void) {
  gboolean json = FALSE;
  const char *hub = NULL;
  const CtlOpt globals[] = {{"json", CTL_OPT_FLAG, &json}, {"hub", CTL_OPT_STRING, &hub}, {NULL}};
  char *argv[] = {"--json", "--hub", "h:2", "api", "list", "--json"};
  g_assert_cmpint(ctl_parse_leading_options(globals, 6, argv, NULL), ==, 3);
  g_assert_true(json);
  g_assert_cmpstr(hub, ==, "h:2");
  char *only[] = {"--json"};
  g_assert_cmpint(ctl_parse_leading_options(globals, 1, only, NULL), ==, 1);
  char *dashdash[] = {"--", "--json"};
  g_assert_cmpint(ctl_parse_leading_options(globals, 2, dashdash, NULL), ==, 1);
  char *bad[] = {"--bogus", "api"};
  g_autoptr(GError) error = NULL;
  g_assert_cmpint(ctl_parse_leading_options(globals, 2, bad, &error), ==, -1);
  g_assert_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/ctl/api-ref", test_api_ref);
  g_test_add_func("/ctl/normalize-context", test_normalize_context);
  g_test_add_func("/ctl/resource-spec", test_resource_spec);
  g_test_add_func("/ctl/key-type", test_key_type);
  g_test_add_func("/ctl/doc-type", test_doc_type);
  g_test_add_func("/ctl/split-list", test_split_list);
  g_test_add_func("/ctl/parse-int64", test_parse_int64);
  g_test_add_func("/ctl/options/ok", test_options_ok);
  g_test_add_func("/ctl/options/last-wins", test_options_last_wins_and_empty_value);
  g_test_add_func("/ctl/options/bad", test_options_bad);
  g_test_add_func("/ctl/options/bounded", test_options_bounded);
  g_test_add_func("/ctl/options/leading", test_leading_options);
  return g_test_run();
}
