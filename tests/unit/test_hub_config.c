/*
 * test_hub_config: [hub] / [database] → HubConfig. Defaults, port_offset
 * (from the file and as a --port-offset override), the password file, and
 * the errors: each names the file, the group, the key and the reason.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "hub_config.h"

typedef struct {
  char *dir;
  char *password_file;
} Fixture;

static void fixture_set_up(Fixture *f, gconstpointer data) {
  f->dir = g_dir_make_tmp("test_hub_config-XXXXXX", NULL);
  g_assert_nonnull(f->dir);
  f->password_file = g_build_filename(f->dir, "db.password", NULL);
  g_assert_true(g_file_set_contents(f->password_file, "s3cret\n", -1, NULL));
}

static void fixture_tear_down(Fixture *f, gconstpointer data) {
  g_autofree char *conf = g_build_filename(f->dir, "hub.conf", NULL);
  g_unlink(conf);
  g_unlink(f->password_file);
  g_rmdir(f->dir);
  g_free(f->password_file);
  g_free(f->dir);
}

/* Writes text (with @PW@ standing for the password file) and loads it. */
static TgConfig *load_text(Fixture *f, const char *text) {
  g_autofree char *path = g_build_filename(f->dir, "hub.conf", NULL);
  g_auto(GStrv) parts = g_strsplit(text, "@PW@", -1); /* g_string_replace needs GLib 2.68 */
  g_autofree char *content = g_strjoinv(f->password_file, parts);
  g_assert_true(g_file_set_contents(path, content, -1, NULL));
  g_autoptr(GError) error = NULL;
  TgConfig *cfg = tg_config_load(path, &error);
  g_assert_no_error(error);
  return cfg;
}

static HubConfig *load_ok(Fixture *f, const char *text) {
  g_autoptr(TgConfig) cfg = load_text(f, text);
  g_autoptr(GError) error = NULL;
  HubConfig *hc = hub_config_load(cfg, &error);
  g_assert_no_error(error);
  return hc;
}

/* Loading text fails with a message containing every string in want. */
static void expect_error(Fixture *f, const char *text, const char *const *want) {
  g_autoptr(TgConfig) cfg = load_text(f, text);
  g_autoptr(GError) error = NULL;
  g_assert_null(hub_config_load(cfg, &error));
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, "hub.conf"));
  for (; *want; want++) {
    if (strstr(error->message, *want) == NULL)
      g_test_message("'%s' lacks '%s'", error->message, *want);
    g_assert_nonnull(strstr(error->message, *want));
  }
}

static void assert_defaults(const HubConfig *hc) {
  g_assert_cmpstr(hc->bind, ==, "127.0.0.1");
  g_assert_cmpint(hc->thrift_port, ==, 10397);
  g_assert_cmpint(hc->https_port, ==, 9444);
  g_assert_true(hc->tls);
  g_assert_cmpint(hc->max_connections, ==, 4096);
  g_assert_cmpint(hc->thrift_threads, ==, 0);
  g_assert_cmpint(hc->thrift_workers, ==, 128);
  g_assert_cmpint(hc->idle_timeout_s, ==, 300);
  g_assert_cmpint(hc->io_timeout_s, ==, 10);
  g_assert_cmpint(hc->max_message_size, ==, 1048576);
  g_assert_cmpint(hc->max_container_size, ==, 10000);
  g_assert_cmpint(hc->max_string_size, ==, 65536);
  g_assert_cmpint(hc->recursion_limit, ==, 64);
  g_assert_cmpint(hc->max_http_body, ==, 65536);
  g_assert_cmpint(hc->session_ttl_s, ==, 28800);
  g_assert_cmpint(hc->token_validity_s, ==, 3600);
  g_assert_cmpint(hc->refresh_token_validity_s, ==, 86400);
  g_assert_cmpint(hc->validation_cache_ttl_s, ==, 300);
  g_assert_cmpint(hc->validation_cache_size, ==, 100000);
  g_assert_cmpint(hc->mgmt_write_rate, ==, 10);
  g_assert_cmpint(hc->mgmt_write_burst, ==, 50);
  g_assert_cmpint(hc->expired_token_retention_s, ==, 86400);
  g_assert_cmpint(hc->token_prune_interval_s, ==, 3600);
  g_assert_cmpint(hc->login_failure_delay_ms, ==, 250);
  g_assert_cmpstr(hc->log_level, ==, "info");
  g_assert_cmpstr(hc->db_host, ==, "127.0.0.1");
  g_assert_cmpint(hc->db_port, ==, 3406);
  g_assert_cmpstr(hc->db_socket, ==, "");
  g_assert_cmpstr(hc->db_user, ==, "tollgate");
  g_assert_cmpstr(hc->db_password, ==, "s3cret");
  g_assert_cmpstr(hc->db_apimgt, ==, "apimgtdb");
  g_assert_cmpstr(hc->db_user_store, ==, "userdb");
  g_assert_cmpstr(hc->db_reg, ==, "regdb");
  g_assert_cmpstr(hc->db_stat, ==, "statdb");
  g_assert_cmpint(hc->db_pool_size, ==, 16);
  g_assert_cmpint(hc->db_connect_timeout_s, ==, 3);
  /* no hosts: the one node host:port */
  g_assert_cmpuint(g_strv_length(hc->db_hosts), ==, 1);
  g_assert_cmpstr(hc->db_hosts[0], ==, "127.0.0.1");
  g_assert_cmpint(hc->db_ports[0], ==, 3406);
  g_assert_cmpint(hc->db_read_timeout_s, ==, 30);
  g_assert_cmpint(hc->db_write_timeout_s, ==, 30);
  g_assert_cmpint(hc->db_check_interval_ms, ==, 1000);
  g_assert_cmpint(hc->db_sync_wait, ==, 1);
  g_assert_cmpint(hc->db_sync_wait_timeout_s, ==, 1);
}

static void test_defaults(Fixture *f, gconstpointer data) {
  g_autoptr(HubConfig) hc = load_ok(f, "[database]\npassword_file = @PW@\n");
  assert_defaults(hc);
}

/* --print-config's text loads (every key known) into exactly the defaults, and
   each key has its one comment line right above it. */
static void test_print_config(Fixture *f, gconstpointer data) {
  g_autofree char *text = hub_config_defaults();
  const char *pw = "password_file = var/db.password\n";
  g_assert_nonnull(strstr(text, pw));
  g_auto(GStrv) halves = g_strsplit(text, pw, 2);
  g_autofree char *ours = g_strconcat(halves[0], "password_file = @PW@\n", halves[1], NULL);
  g_autoptr(HubConfig) hc = load_ok(f, ours);
  assert_defaults(hc);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  guint n_keys = 0;
  for (guint i = 1; lines[i] != NULL; i++) {
    if (lines[i][0] == '\0' || lines[i][0] == '#' || lines[i][0] == '[') continue;
    g_assert_nonnull(strstr(lines[i], " ="));
    g_assert_true(g_str_has_prefix(lines[i - 1], "# "));
    n_keys++;
  }
  g_assert_cmpuint(n_keys, ==, 55);
}

/* A key --print-config does not print is refused: the table is the whole list. */
static void test_print_config_unknown_key(Fixture *f, gconstpointer data) {
  g_autofree char *text = hub_config_defaults();
  g_assert_null(strstr(text, "\nthrift_port_tls = "));
  const char *const want[] = {"[hub]", "thrift_port_tls", "unknown key", NULL};
  expect_error(f, "[hub]\nthrift_port_tls = 1\n", want);
}

/* hosts: a list; the port defaults to [database] port; IPv6 in brackets; spaces trimmed. */
static void test_hosts(Fixture *f, gconstpointer data) {
  g_autoptr(HubConfig) hc = load_ok(f,
                                    "[database]\npassword_file = @PW@\nport = 3307\n"
                                    "hosts = db1:3306,  db2 , [::1]:3308, [fe80::1]\n"
                                    "read_timeout = 5\nwrite_timeout = 6\n"
                                    "check_interval_ms = 250\nsync_wait = 0\n"
                                    "sync_wait_timeout = 2\n");
  g_assert_cmpuint(g_strv_length(hc->db_hosts), ==, 4);
  g_assert_cmpstr(hc->db_hosts[0], ==, "db1");
  g_assert_cmpint(hc->db_ports[0], ==, 3306);
  g_assert_cmpstr(hc->db_hosts[1], ==, "db2");
  g_assert_cmpint(hc->db_ports[1], ==, 3307);
  g_assert_cmpstr(hc->db_hosts[2], ==, "::1");
  g_assert_cmpint(hc->db_ports[2], ==, 3308);
  g_assert_cmpstr(hc->db_hosts[3], ==, "fe80::1");
  g_assert_cmpint(hc->db_ports[3], ==, 3307);
  g_assert_cmpint(hc->db_read_timeout_s, ==, 5);
  g_assert_cmpint(hc->db_write_timeout_s, ==, 6);
  g_assert_cmpint(hc->db_check_interval_ms, ==, 250);
  g_assert_cmpint(hc->db_sync_wait, ==, 0);
  g_assert_cmpint(hc->db_sync_wait_timeout_s, ==, 2);
}

static void test_values(Fixture *f, gconstpointer data) {
  g_autoptr(HubConfig) hc = load_ok(f,
                                    "[hub]\n"
                                    "bind = 0.0.0.0\n"
                                    "tls = false\n"
                                    "max_connections = 2000\n"
                                    "thrift_threads = 3\n"
                                    "thrift_workers = 16\n"
                                    "idle_timeout = 60\n"
                                    "recursion_limit = 32\n"
                                    "mgmt_write_rate = 0\n"
                                    "mgmt_write_burst = 7\n"
                                    "log_level = debug\n"
                                    "[database]\n"
                                    "socket = /tmp/my.sock\n"
                                    "userdb = users\n"
                                    "password_file = @PW@\n");
  g_assert_cmpstr(hc->bind, ==, "0.0.0.0");
  g_assert_false(hc->tls);
  g_assert_cmpint(hc->max_connections, ==, 2000);
  g_assert_cmpint(hc->thrift_threads, ==, 3);
  g_assert_cmpint(hc->thrift_workers, ==, 16);
  g_assert_cmpint(hc->idle_timeout_s, ==, 60);
  g_assert_cmpint(hc->mgmt_write_rate, ==, 0); /* 0: no limit */
  g_assert_cmpint(hc->mgmt_write_burst, ==, 7);
  g_assert_cmpint(hc->recursion_limit, ==, 32);
  g_assert_cmpstr(hc->log_level, ==, "debug");
  g_assert_cmpstr(hc->db_socket, ==, "/tmp/my.sock");
  g_assert_cmpstr(hc->db_user_store, ==, "users");
}

static void test_port_offset(Fixture *f, gconstpointer data) {
  g_autoptr(HubConfig) hc = load_ok(f,
                                    "[hub]\nthrift_port = 10497\nport_offset = 1\n"
                                    "[database]\npassword_file = @PW@\n");
  g_assert_cmpint(hc->port_offset, ==, 1);
  g_assert_cmpint(hc->thrift_port, ==, 10498);
  g_assert_cmpint(hc->https_port, ==, 9445);
}

/* main.c applies --port-offset with tg_config_set before loading. */
static void test_port_offset_override(Fixture *f, gconstpointer data) {
  g_autoptr(TgConfig) cfg = load_text(f,
                                      "[hub]\nport_offset = 1\n"
                                      "[database]\npassword_file = @PW@\n");
  tg_config_set(cfg, "hub", "port_offset", "5");
  g_autoptr(GError) error = NULL;
  g_autoptr(HubConfig) hc = hub_config_load(cfg, &error);
  g_assert_no_error(error);
  g_assert_cmpint(hc->thrift_port, ==, 10402);
  g_assert_cmpint(hc->https_port, ==, 9449);
}

static void test_no_password_file(Fixture *f, gconstpointer data) {
  g_autoptr(HubConfig) hc = load_ok(f, "[database]\npassword_file =\n");
  g_assert_cmpstr(hc->db_password, ==, "");
}

typedef struct {
  const char *name;
  const char *text;
  const char *want[4];
} BadCase;

static const BadCase bad_cases[] = {
    {"not-a-number",
     "[hub]\nmax_connections = many\n",
     {"[hub]", "max_connections", "whole number"}},
    {"out-of-range", "[hub]\nidle_timeout = 0\n", {"[hub]", "idle_timeout", "out of range"}},
    {"bad-bool", "[hub]\ntls = maybe\n", {"[hub]", "tls", "true or false"}},
    {"inline-comment", "[hub]\ntls = true ; comment\n", {"[hub]", "tls", "true or false"}},
    {"unknown-key", "[hub]\nmax_conections = 5\n", {"[hub]", "max_conections", "unknown key"}},
    {"bad-port", "[hub]\nthrift_port = 70000\n", {"[hub]", "thrift_port", "out of range"}},
    {"port-plus-offset",
     "[hub]\nthrift_port = 65535\nport_offset = 1\n",
     {"[hub]", "thrift_port", "port_offset"}},
    {"no-workers", "[hub]\nthrift_workers = 0\n", {"[hub]", "thrift_workers", "out of range"}},
    {"bad-log-level", "[hub]\nlog_level = loud\n", {"[hub]", "log_level", "one of"}},
    {"deep-recursion", "[hub]\nrecursion_limit = 100000\n", {"recursion_limit", "out of range"}},
    {"db-port", "[database]\nport = -1\n", {"[database]", "port", "out of range"}},
    {"db-unknown", "[database]\npasword_file = x\n", {"[database]", "pasword_file", "unknown key"}},
    {"hosts-empty-entry", "[database]\nhosts = db1,,db2\n", {"[database]", "hosts", "host:port"}},
    {"hosts-trailing-comma", "[database]\nhosts = db1,\n", {"[database]", "hosts", "host:port"}},
    {"hosts-bad-port", "[database]\nhosts = db1:0\n", {"[database]", "hosts", "1-65535"}},
    {"hosts-port-words", "[database]\nhosts = db1:mysql\n", {"[database]", "hosts", "host:port"}},
    {"hosts-port-sign", "[database]\nhosts = db1:+3306\n", {"[database]", "hosts", "host:port"}},
    {"hosts-port-huge", "[database]\nhosts = db1:99999999999\n", {"[database]", "hosts"}},
    {"hosts-bare-ipv6", "[database]\nhosts = ::1:3306\n", {"[database]", "hosts", "brackets"}},
    {"hosts-open-bracket", "[database]\nhosts = [::1:3306\n", {"[database]", "hosts"}},
    {"hosts-after-bracket", "[database]\nhosts = [::1]x\n", {"[database]", "hosts"}},
    {"hosts-space-inside", "[database]\nhosts = db 1:3306\n", {"[database]", "hosts"}},
    {"hosts-slash", "[database]\nhosts = db1/x:3306\n", {"[database]", "hosts"}},
    {"hosts-twice",
     "[database]\nport = 3306\nhosts = db1:3306, db1\n",
     {"[database]", "hosts", "twice"}},
    {"sync-wait-range",
     "[database]\nsync_wait = 16\n",
     {"[database]", "sync_wait", "out of range"}},
    {"check-interval-zero",
     "[database]\ncheck_interval_ms = 0\n",
     {"[database]", "check_interval_ms", "out of range"}},
    {"missing-password-file",
     "[database]\npassword_file = /nonexistent/db.password\n",
     {"[database]", "password_file", "/nonexistent/db.password"}},
};

static void test_bad(Fixture *f, gconstpointer data) {
  const BadCase *c = data;
  expect_error(f, c->text, c->want);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add("/hub_config/defaults", Fixture, NULL, fixture_set_up, test_defaults,
             fixture_tear_down);
  g_test_add("/hub_config/print_config", Fixture, NULL, fixture_set_up, test_print_config,
             fixture_tear_down);
  g_test_add("/hub_config/print_config_unknown_key", Fixture, NULL, fixture_set_up,
             test_print_config_unknown_key, fixture_tear_down);
  g_test_add("/hub_config/values", Fixture, NULL, fixture_set_up, test_values, fixture_tear_down);
  g_test_add("/hub_config/hosts", Fixture, NULL, fixture_set_up, test_hosts, fixture_tear_down);
  g_test_add("/hub_config/port_offset", Fixture, NULL, fixture_set_up, test_port_offset,
             fixture_tear_down);
  g_test_add("/hub_config/port_offset_override", Fixture, NULL, fixture_set_up,
             test_port_offset_override, fixture_tear_down);
  g_test_add("/hub_config/no_password_file", Fixture, NULL, fixture_set_up, test_no_password_file,
             fixture_tear_down);
  for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
    g_autofree char *path = g_strdup_printf("/hub_config/bad/%s", bad_cases[i].name);
    g_test_add(path, Fixture, &bad_cases[i], fixture_set_up, test_bad, fixture_tear_down);
  }
  return g_test_run();
}
