/*
 * hub_test_hub.h: a Hub for unit tests that need the whole hub (sessions, the handler), on
 * the harness's MariaDB at db_port with tiny pools and short timeouts. One place for that
 * configuration, shared by test_session and test_mgmt_apis.
 */
#ifndef TG_HUB_TEST_HUB_H
#define TG_HUB_TEST_HUB_H

#include "hub_internal.h"

/* A new Hub (asserts it starts): session secret at secret_path, database at 127.0.0.1:db_port
   (TG_TEST_DB_PASSWORD or "pw"), failed logins delayed login_delay_ms. */
Hub *hub_test_hub_new(const char *secret_path, int db_port, int login_delay_ms);
/* The Thrift handler of the hub last built at this address by hub_test_hub_new (the
   daemon builds one in net/hub_rpc.c); owned here, valid while the hub lives. */
GObject *hub_test_handler(Hub *hub);

#endif
