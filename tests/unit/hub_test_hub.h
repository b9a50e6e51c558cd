/*
 * hub_test_hub.h: a Hub for unit tests that need the whole hub (sessions, the handler), on
 * the harness's MariaDB at db_port with tiny pools and short timeouts. One place for that
 * configuration, shared by test_session and the method tests (test_mgmt_apis,
 * test_mgmt_users), with the checks those share.
 */
#ifndef TG_HUB_TEST_HUB_H
#define TG_HUB_TEST_HUB_H

#include "hub_internal.h"
#include "tg_tollgate.h"

/* A new Hub (asserts it starts): session secret at secret_path, database at 127.0.0.1:db_port
   (TG_TEST_DB_PASSWORD or "pw"), failed logins delayed login_delay_ms. */
Hub *hub_test_hub_new(const char *secret_path, int db_port, int login_delay_ms);
/* The Thrift handler of the hub last built at this address by hub_test_hub_new (the
   daemon builds one in net/hub_rpc.c); owned here, valid while the hub lives. */
GObject *hub_test_handler(Hub *hub);

/* A session secret in a new temporary directory; hub_test_secret_free removes both. */
char *hub_test_secret_new(void);
void hub_test_secret_free(char *secret_path);

/* TRUE when TG_TEST_DB_PORT names the harness's MariaDB; otherwise marks the test skipped. */
gboolean hub_test_need_db(void);

#define HUB_TEST_IFACE(hub) ((TgTollgateIf *)hub_test_handler(hub))

/* A method call failed with a TollgateException of this code (cleared), or succeeded. */
void hub_test_expect_code(gboolean ok, TgTollgateException **tex, int code);
void hub_test_expect_ok(gboolean ok, TgTollgateException **tex);
/* A rule refused with a non-empty MGMT_ERROR message of this code. */
void hub_test_assert_refused(GError *error, int code);

#endif
