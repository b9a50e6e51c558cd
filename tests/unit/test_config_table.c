/*
 * test_config_table: the generic key-table reader and printers (tg_config_table)
 * on a table of every kind: defaults, values, bounds, ports after the offset,
 * unknown keys refused, and --print-config text that reads back to the defaults.
 */
#include <string.h>

#include "tg_config_table.h"

typedef struct {
  char *name;
  int count;
  gint64 big;
  gboolean flag;
  int port;
  int port_offset;
  gboolean keep;
  char **items;
} Sample;

#define F(field) G_STRUCT_OFFSET(Sample, field)
static const TgConfigKey keys[] = {
    {"s", "name", TG_KEY_STRING, F(name), "anon", 0, 0, NULL, "a string"},
    {"s", "port", TG_KEY_PORT, F(port), "8000", 1, 65535, NULL, "a port"},
    {"s", "count", TG_KEY_INT, F(count), "5", 1, 10, NULL, "an int"},
    {"s", "big", TG_KEY_INT64, F(big), "4294967296", 0, G_MAXINT64, NULL, "a wide int"},
    {"s", "flag", TG_KEY_BOOL, F(flag), "true", 0, 0, NULL, "a bool"},
    {"s", "port_offset", TG_KEY_INT, F(port_offset), "0", 0, 60000, NULL, "the offset"},
    {"s", "mode", TG_KEY_CHOICE, F(keep), "drop", 0, 0, "keep", "a choice"},
    {"s", "items", TG_KEY_LIST, F(items), "a, b, c", 0, 0, NULL, "a list"},
    {"t", "other", TG_KEY_ELSEWHERE, 0, "", 0, 0, NULL, "read elsewhere"},
};

static TgConfig *load(const char *text) {
  g_autoptr(GError) error = NULL;
  TgConfig *cfg = tg_config_load_data(text, strlen(text), "t.conf", &error);
  g_assert_no_error(error);
  return cfg;
}

/* text's [s] into *out; FALSE with the error message in *message. */
static gboolean read_sample(const char *text, Sample *out, char **message) {
  g_autoptr(TgConfig) cfg = load(text);
  g_autoptr(GError) error = NULL;
  memset(out, 0, sizeof *out);
  gboolean ok =
      tg_config_table_check(cfg, keys, G_N_ELEMENTS(keys), "s", &error) &&
      tg_config_table_check(cfg, keys, G_N_ELEMENTS(keys), "t", &error) &&
      tg_config_table_read(cfg, keys, G_N_ELEMENTS(keys), "s", out, &out->port_offset, &error);
  if (message) *message = ok ? NULL : g_strdup(error->message);
  return ok;
}

static void test_defaults(void) {
  Sample s;
  g_assert_true(read_sample("", &s, NULL));
  g_assert_cmpstr(s.name, ==, "anon");
  g_assert_cmpint(s.count, ==, 5);
  g_assert_cmpint(s.big, ==, G_GINT64_CONSTANT(4294967296));
  g_assert_true(s.flag);
  g_assert_cmpint(s.port, ==, 8000);
  g_assert_false(s.keep);
  g_assert_cmpuint(g_strv_length(s.items), ==, 3);
  g_assert_cmpstr(s.items[2], ==, "c");
  tg_config_table_free(keys, G_N_ELEMENTS(keys), &s);
  g_assert_null(s.name);
  g_assert_null(s.items);
}

static void test_values(void) {
  Sample s;
  g_assert_true(
      read_sample("[s]\nname = x\ncount = 10\nbig = 9007199254740993\nflag = false\n"
                  "port = 100\nport_offset = 7\nmode = KEEP\nitems = p, , q\n",
                  &s, NULL));
  g_assert_cmpstr(s.name, ==, "x");
  g_assert_cmpint(s.count, ==, 10);
  g_assert_cmpint(s.big, ==, G_GINT64_CONSTANT(9007199254740993));
  g_assert_false(s.flag);
  g_assert_cmpint(s.port, ==, 107); /* the offset is read first, though listed after */
  g_assert_true(s.keep);
  g_assert_cmpuint(g_strv_length(s.items), ==, 2);
  g_assert_cmpstr(s.items[1], ==, "q");
  tg_config_table_free(keys, G_N_ELEMENTS(keys), &s);
}

static void assert_refused(const char *text, const char *message) {
  Sample s;
  g_autofree char *got = NULL;
  g_assert_false(read_sample(text, &s, &got));
  g_assert_cmpstr(got, ==, message);
  tg_config_table_free(keys, G_N_ELEMENTS(keys), &s);
}

static void test_bounds(void) {
  Sample s;
  g_assert_true(read_sample("[s]\ncount = 1\n", &s, NULL));
  tg_config_table_free(keys, G_N_ELEMENTS(keys), &s);
  assert_refused("[s]\ncount = 0\n", "t.conf: [s] count: 0 is out of range (1 to 10)");
  assert_refused("[s]\ncount = 11\n", "t.conf: [s] count: 11 is out of range (1 to 10)");
  assert_refused("[s]\nbig = -1\n",
                 "t.conf: [s] big: -1 is out of range (0 to 9223372036854775807)");
  assert_refused("[s]\nmode = Keeps\n", "t.conf: [s] mode: expected drop or keep");
  assert_refused("[s]\nport = 65536\n", "t.conf: [s] port: 65536 is out of range (1 to 65535)");
  /* a port inside 1..65535 that the offset pushes out */
  g_autofree char *m = NULL;
  Sample s2;
  g_assert_false(read_sample("[s]\nport = 65530\nport_offset = 10\n", &s2, &m));
  g_assert_nonnull(strstr(m, "[s] port: "));
  tg_config_table_free(keys, G_N_ELEMENTS(keys), &s2);
}

static void test_malformed(void) {
  Sample s;
  g_autofree char *a = NULL, *b = NULL;
  g_assert_false(read_sample("[s]\ncount = 5x\n", &s, &a));
  tg_config_table_free(keys, G_N_ELEMENTS(keys), &s);
  g_assert_true(g_str_has_prefix(a, "t.conf: [s] count: "));
  g_assert_false(read_sample("[s]\nflag = maybe\n", &s, &b));
  tg_config_table_free(keys, G_N_ELEMENTS(keys), &s);
  g_assert_true(g_str_has_prefix(b, "t.conf: [s] flag: "));
}

static void test_unknown_refused(void) {
  Sample s;
  g_autofree char *a = NULL, *b = NULL;
  g_assert_false(read_sample("[s]\nNAME = x\n", &s, &a)); /* keys are case-sensitive */
  g_assert_nonnull(strstr(a, "NAME"));
  g_assert_false(read_sample("[t]\nother = 1\nothers = 2\n", &s, &b));
  g_assert_nonnull(strstr(b, "others"));
  /* a key of another group's table is not known in this one */
  g_assert_false(read_sample("[t]\nname = x\n", &s, NULL));
  /* a group the table does not cover is left to its owner */
  g_assert_true(read_sample("[u]\nanything = 1\n", &s, NULL));
  tg_config_table_free(keys, G_N_ELEMENTS(keys), &s);
}

static void test_default_lookup(void) {
  g_assert_cmpstr(tg_config_table_default(keys, G_N_ELEMENTS(keys), "s", "count"), ==, "5");
  g_assert_cmpstr(tg_config_table_default(keys, G_N_ELEMENTS(keys), "t", "other"), ==, "");
  g_assert_null(tg_config_table_default(keys, G_N_ELEMENTS(keys), "t", "count"));
}

static void test_print_defaults(void) {
  g_autofree char *text = tg_config_table_defaults("# head\n", keys, G_N_ELEMENTS(keys));
  g_assert_true(g_str_has_prefix(text, "# head\n\n[s]\n# a string\nname = anon\n# a port\n"));
  g_assert_nonnull(strstr(text, "\n\n[t]\n# read elsewhere\nother =\n"));
  /* read back, the printed file gives every default and passes the unknown-key check */
  Sample s;
  g_assert_true(read_sample(text, &s, NULL));
  g_assert_cmpint(s.count, ==, 5);
  g_assert_cmpint(s.port, ==, 8000);
  g_assert_cmpstr(s.items[0], ==, "a");
  tg_config_table_free(keys, G_N_ELEMENTS(keys), &s);
}

static void test_print_effective(void) {
  g_autoptr(TgConfig) cfg = load("[s]\ncount = 7\n");
  g_autofree char *text = tg_config_table_effective(cfg, "# in effect\n", keys, G_N_ELEMENTS(keys));
  g_assert_true(
      g_str_has_prefix(text, "# in effect\n[s]\n# a string (default: anon)\nname = anon\n"));
  g_assert_nonnull(strstr(text, "# an int (default: 5)\ncount = 7\n"));
  g_assert_nonnull(strstr(text, "\n\n[t]\n# read elsewhere (default: \"\")\nother = \n"));
  Sample s;
  g_assert_true(read_sample(text, &s, NULL));
  g_assert_cmpint(s.count, ==, 7);
  tg_config_table_free(keys, G_N_ELEMENTS(keys), &s);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/config_table/defaults", test_defaults);
  g_test_add_func("/config_table/values", test_values);
  g_test_add_func("/config_table/bounds", test_bounds);
  g_test_add_func("/config_table/malformed", test_malformed);
  g_test_add_func("/config_table/unknown_refused", test_unknown_refused);
  g_test_add_func("/config_table/default_lookup", test_default_lookup);
  g_test_add_func("/config_table/print_defaults", test_print_defaults);
  g_test_add_func("/config_table/print_effective", test_print_effective);
  return g_test_run();
}
