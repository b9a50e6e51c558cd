/*
 * test_validate_key_db.c: validateKey through the real handler and core on MariaDB
 * (TG_TEST_DB_PORT, the sql/ schemas loaded, user tollgate / TG_TEST_DB_PASSWORD): a session's
 * validations and what revoking changes. Skipped without a database.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "handler.h"
#include "hub_internal.h"
#include "hub_test_hub.h"
#include "session.h"
#include "tg_a_p_i_key_validation_service.h"
#include "tg_crypto.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgAPIKeyValidationInfoDTO, g_object_unref)

static char *secret_path;

static Hub *test_hub(void) {
  const char *port = g_getenv("TG_TEST_DB_PORT");
  return hub_test_hub_new(secret_path, port ? atoi(port) : 1, 10);
}

static void sql(Hub *hub, const char *stmt, const DbParam *p, guint n) {
  g_autoptr(GError) error = NULL;
  MYSQL *conn = hub_db_acquire(hub, "apimgtdb", &error);
  g_assert_no_error(error);
  g_assert_true(hub_db_exec(conn, stmt, p, n, NULL, NULL, &error));
  g_assert_no_error(error);
  hub_db_release(hub, conn);
}

static TgAPIKeyValidationInfoDTO *validate(Hub *hub, const char *sid, const char *ctx,
                                           const char *token, const char *res, const char *verb) {
  TgAPIKeyValidationInfoDTO *dto = g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_INFO_D_T_O, NULL);
  TgAPIKeyMgtException *ke = NULL;
  TgAPIManagementException *me = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_true(tg_a_p_i_key_validation_service_if_validate_key(
      (TgAPIKeyValidationServiceIf *)hub_test_handler(hub), &dto, ctx, "1.0", token, sid, "Any",
      NULL, res, verb, &ke, &me, &error));
  g_assert_null(ke);
  return dto;
}

/* Rows written by SQL (management methods are not built yet), then validateKey end to end;
   prints calls/s (uncached: every call reads the database). */
static void test_db_validate_key(void) {
  if (!hub_test_need_db()) return;
  Hub *hub = test_hub();
  guint r = g_random_int();
  g_autofree char *ctx = g_strdup_printf("/t%u", r);
  g_autofree char *ckey = g_strdup_printf("ck%u", r);
  g_autofree char *app = g_strdup_printf("app'%u", r);
  g_autofree char *token = tg_random_hex(20);
  char hash[TG_SHA256_HEX_LEN + 1];
  tg_sha256_hex(token, strlen(token), hash);
  DbParam api[] = {DBP_S(ctx)};
  sql(hub,
      "INSERT INTO AM_API (context, version, name, provider, status, production_endpoint,"
      " created_at, updated_at) VALUES (?, '1.0', 'T', 'pub', 'PUBLISHED', 'http://b', 0, 0)",
      api, 1);
  sql(hub,
      "INSERT INTO AM_API_URL_MAPPING (api_id, http_method, url_pattern) SELECT api_id,"
      " 'GET', '/items/{id}' FROM AM_API WHERE context = ?",
      api, 1);
  DbParam ap[] = {DBP_S(app)};
  sql(hub,
      "INSERT INTO AM_APPLICATION (name, owner, created_at, updated_at)"
      " VALUES (?, 'sub', 0, 0)",
      ap, 1);
  DbParam k[] = {DBP_S(ckey), DBP_S(app)};
  sql(hub,
      "INSERT INTO AM_APPLICATION_KEY (consumer_key, consumer_secret_hash, application_id,"
      " key_type, created_at) SELECT ?, 'x', application_id, 'PRODUCTION', 0 FROM AM_APPLICATION"
      " WHERE name = ?",
      k, 2);
  g_autoptr(GError) error = NULL;
  MYSQL *conn = hub_db_acquire(hub, "apimgtdb", &error);
  g_assert_true(store_token_insert(conn, ckey, hash, NULL, NULL, "", 3600, 0, &error));
  hub_db_release(hub, conn);
  g_autofree char *gw = session_issue(hub->sessions, "gw", ROLE_GATEWAY);
  g_autoptr(TgAPIKeyValidationInfoDTO) no_sub = validate(hub, gw, ctx, token, "/items/1", "GET");
  g_assert_false(no_sub->authorized);
  g_assert_cmpint(no_sub->validationStatus, ==, 900901);
  DbParam sp[] = {DBP_S(app), DBP_S(ctx)};
  sql(hub,
      "INSERT INTO AM_SUBSCRIPTION (api_id, application_id, tier, created_at, updated_at)"
      " SELECT p.api_id, a.application_id, 'Gold', 0, 0 FROM AM_APPLICATION a, AM_API p"
      " WHERE a.name = ? AND p.context = ?",
      sp, 2);
  g_autoptr(TgAPIKeyValidationInfoDTO) ok = validate(hub, gw, ctx, token, "/items/1", "GET");
  g_assert_true(ok->authorized);
  g_assert_cmpstr(ok->tier, ==, "Gold");
  g_assert_cmpstr(ok->applicationName, ==, app);
  g_assert_cmpstr(ok->consumerKey, ==, ckey);
  g_assert_cmpint(ok->validityPeriod, ==, 3600000);
  g_autoptr(TgAPIKeyValidationInfoDTO) nores = validate(hub, gw, ctx, token, "/x", "GET");
  g_assert_cmpint(nores->validationStatus, ==, 900906);
  g_autoptr(TgAPIKeyValidationInfoDTO) unknown = validate(hub, gw, ctx, "nope", "/items/1", "GET");
  g_assert_cmpint(unknown->validationStatus, ==, 900901);
  /* a subscriber session may not validate */
  g_autofree char *sub = session_issue(hub->sessions, "sub", ROLE_SUBSCRIBER);
  TgAPIKeyValidationInfoDTO *dto = g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_INFO_D_T_O, NULL);
  TgAPIKeyMgtException *ke = NULL;
  TgAPIManagementException *me = NULL;
  g_assert_false(tg_a_p_i_key_validation_service_if_validate_key(
      (TgAPIKeyValidationServiceIf *)hub_test_handler(hub), &dto, ctx, "1.0", token, sub, "Any",
      NULL, "/items/1", "GET", &ke, &me, &error));
  g_assert_nonnull(ke);
  g_assert_nonnull(strstr(ke->message, "role"));
  g_object_unref(ke);
  g_object_unref(dto);
  gint64 t0 = g_get_monotonic_time();
  guint n = 0;
  while (g_get_monotonic_time() - t0 < G_USEC_PER_SEC) {
    g_autoptr(TgAPIKeyValidationInfoDTO) d = validate(hub, gw, ctx, token, "/items/1", "GET");
    g_assert_true(d->authorized);
    n++;
  }
  g_test_message("validateKey uncached, in process, one thread: %u calls/s", n);
  g_printerr("validateKey uncached, in process, one thread: %u calls/s\n", n);
  hub_core_free(hub);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_log_set_always_fatal(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
  secret_path = hub_test_secret_new();
  g_test_add_func("/session/db_validate_key", test_db_validate_key);
  int rc = g_test_run();
  hub_test_secret_free(secret_path);
  return rc;
}
