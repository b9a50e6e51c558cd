/*
 * test_daemon_options: the command line the three daemons share
 * (tg_daemon_options): the shared entries, a daemon's extra entries, the
 * checks after parsing (--config required, --port-offset range, stray
 * arguments) and the overrides written into the daemon's group.
 */
#include <string.h>

#include "tg_daemon_options.h"

static gboolean ensure = FALSE;
static const GOptionEntry extra[] = {
    {"extra", 0, 0, G_OPTION_ARG_NONE, &ensure, "a daemon's own option", NULL}, {NULL}};

/* args (NULL-terminated, no program name) parsed with spec; the error's message or NULL. */
static char *parse(const char *const *args, gboolean optional, TgDaemonOptions *o) {
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(argv, g_strdup("daemon"));
  for (; *args; args++) g_ptr_array_add(argv, g_strdup(*args));
  g_autofree char **copy = g_memdup2(argv->pdata, argv->len * sizeof(char *));
  const TgDaemonOptionsSpec spec = {"- test", "print", extra, optional};
  g_autoptr(GError) error = NULL;
  memset(o, 0, sizeof *o);
  ensure = FALSE;
  if (tg_daemon_options_parse((int)argv->len, copy, &spec, o, &error)) return NULL;
  return g_strdup(error->message);
}

static void test_shared_entries(void) {
  TgDaemonOptions o;
  const char *args[] = {"--config",    "a.conf", "--port-offset", "60000",
                        "--log-level", "debug",  "--extra",       NULL};
  g_assert_null(parse(args, FALSE, &o));
  g_assert_cmpstr(o.config, ==, "a.conf");
  g_assert_cmpint(o.port_offset, ==, 60000);
  g_assert_cmpstr(o.log_level, ==, "debug");
  g_assert_false(o.print_config);
  g_assert_true(ensure);
  tg_daemon_options_clear(&o);
  g_assert_null(o.config);
}

static void test_config_required(void) {
  TgDaemonOptions o;
  const char *none[] = {NULL}, *print[] = {"--print-config", NULL};
  g_autofree char *m = parse(none, FALSE, &o);
  g_assert_cmpstr(m, ==, "--config FILE is required");
  g_assert_null(parse(print, FALSE, &o)); /* --print-config needs no file */
  g_assert_true(o.print_config);
  g_assert_cmpint(o.port_offset, ==, TG_PORT_OFFSET_UNSET);
  g_assert_null(parse(none, TRUE, &o)); /* the portal runs on defaults alone */
}

static void test_refused(void) {
  TgDaemonOptions o;
  const char *low[] = {"--config", "a", "--port-offset", "-1", NULL};
  const char *high[] = {"--config", "a", "--port-offset", "60001", NULL};
  const char *word[] = {"--config", "a", "--port-offset", "ten", NULL};
  const char *stray[] = {"--config", "a", "b.conf", NULL};
  const char *unknown[] = {"--config", "a", "--confg", "b", NULL};
  g_autofree char *m1 = parse(low, FALSE, &o);
  tg_daemon_options_clear(&o);
  g_autofree char *m2 = parse(high, FALSE, &o);
  tg_daemon_options_clear(&o);
  g_autofree char *m3 = parse(word, FALSE, &o);
  tg_daemon_options_clear(&o);
  g_autofree char *m4 = parse(stray, FALSE, &o);
  tg_daemon_options_clear(&o);
  g_autofree char *m5 = parse(unknown, FALSE, &o);
  tg_daemon_options_clear(&o);
  g_assert_cmpstr(m1, ==, "--port-offset -1: must be 0 to 60000");
  g_assert_cmpstr(m2, ==, "--port-offset 60001: must be 0 to 60000");
  g_assert_nonnull(m3);
  g_assert_cmpstr(m4, ==, "unexpected argument 'b.conf'");
  g_assert_nonnull(m5);
}

static void test_apply(void) {
  TgDaemonOptions o;
  const char *args[] = {"--config", "a", "--port-offset", "0", "--log-level", "error", NULL};
  g_assert_null(parse(args, FALSE, &o));
  static const char text[] = "[d]\nport_offset = 7\nlog_level = info\n";
  g_autoptr(TgConfig) cfg = tg_config_load_data(text, strlen(text), "t.conf", NULL);
  tg_daemon_options_apply(&o, cfg, "d");
  g_autofree char *offset = tg_config_string(cfg, "d", "port_offset", NULL);
  g_autofree char *level = tg_config_string(cfg, "d", "log_level", NULL);
  g_assert_cmpstr(offset, ==, "0"); /* an explicit 0 overrides the file */
  g_assert_cmpstr(level, ==, "error");
  tg_daemon_options_clear(&o);
  /* nothing given: the file's values stay */
  g_autoptr(TgConfig) other = tg_config_load_data(text, strlen(text), "t.conf", NULL);
  TgDaemonOptions none = {NULL, TG_PORT_OFFSET_UNSET, NULL, FALSE};
  tg_daemon_options_apply(&none, other, "d");
  g_autofree char *kept = tg_config_string(other, "d", "port_offset", NULL);
  g_assert_cmpstr(kept, ==, "7");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/daemon_options/shared_entries", test_shared_entries);
  g_test_add_func("/daemon_options/config_required", test_config_required);
  g_test_add_func("/daemon_options/refused", test_refused);
  g_test_add_func("/daemon_options/apply", test_apply);
  return g_test_run();
}
