/*
 * test_ctl_output: tollgatectl's JSON output (ctl/output.c and
 * the field tables of shapes.c) on generated Thrift objects: key names,
 * escaping, nested lists, sets printed sorted, secrets left out where they
 * must be. Scripts and the integration harness parse this output.
 */
#include <string.h>

#include "output.h"

static char *json_of(const CtlShape *shape, gconstpointer obj) {
  GString *out = g_string_new(NULL);
  ctl_json_object(out, shape, obj);
  return g_string_free(out, FALSE);
}

static void test_user(void) {
  TgUser *user = g_object_new(TG_TYPE_USER, "name", "bo\"b\n", NULL);
  g_ptr_array_add(user->roles, g_strdup("admin"));
  g_ptr_array_add(user->roles, g_strdup("gateway"));
  user->createdAt = 1700000000;
  g_autofree char *json = json_of(&ctl_shape_user, user);
  g_assert_cmpstr(json, ==,
                  "{\"name\":\"bo\\\"b\\n\",\"roles\":[\"admin\",\"gateway\"],"
                  "\"created_at\":1700000000}");
  g_object_unref(user);
}

static void test_key_set(void) {
  TgKeySet *keys = g_object_new(TG_TYPE_KEY_SET, "consumerKey", "ck", "accessToken", "at",
                                "keyType", "PRODUCTION", NULL);
  keys->expiresIn = 3600;
  g_autofree char *json = json_of(&ctl_shape_key_set, keys);
  g_assert_cmpstr(json, ==,
                  "{\"consumer_key\":\"ck\",\"consumer_secret\":null,\"access_token\":\"at\","
                  "\"refresh_token\":null,\"expires_in\":3600,\"key_type\":\"PRODUCTION\","
                  "\"scopes\":[]}");
  g_object_unref(keys);
}

static void test_api_with_resources(void) {
  TgApi *api = g_object_new(TG_TYPE_API, "context", "/pizza", "version", "1.0.0", NULL);
  g_ptr_array_add(api->resources, g_object_new(TG_TYPE_RESOURCE, "verb", "GET", "uriTemplate",
                                               "/menu", "authType", "Any", NULL));
  g_autofree char *json = json_of(&ctl_shape_api, api);
  g_assert_nonnull(strstr(json, "\"context\":\"/pizza\",\"version\":\"1.0.0\""));
  g_assert_nonnull(strstr(json,
                          "\"resources\":[{\"verb\":\"GET\",\"uri_template\":\"/menu\","
                          "\"auth_type\":\"Any\",\"throttling_tier\":null,\"scope\":null}]"));
  g_assert_nonnull(strstr(json, "\"is_default_version\":false"));
  g_object_unref(api);
}

static void test_validation_sorted_scopes_no_token(void) {
  TgAPIKeyValidationInfoDTO *info =
      g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_INFO_D_T_O, "endUserToken", "secret-jwt", NULL);
  info->authorized = TRUE;
  info->validationStatus = 900901;
  g_hash_table_add(info->scopes, g_strdup("write"));
  g_hash_table_add(info->scopes, g_strdup("read"));
  g_autofree char *json = json_of(&ctl_shape_validation, info);
  g_assert_true(g_str_has_prefix(json, "{\"authorized\":true,\"validation_status\":900901,"));
  g_assert_nonnull(strstr(json, "\"scopes\":[\"read\",\"write\"]"));
  g_assert_null(strstr(json, "secret-jwt"));
  g_object_unref(info);
}

static void test_every_shape_has_columns_it_defines(void) {
  const CtlShape *shapes[] = {&ctl_shape_user,           &ctl_shape_api,
                              &ctl_shape_resource,       &ctl_shape_application,
                              &ctl_shape_subscription,   &ctl_shape_key_set,
                              &ctl_shape_token_info,     &ctl_shape_tier,
                              &ctl_shape_document,       &ctl_shape_gateway_change,
                              &ctl_shape_gateway_config, &ctl_shape_validation};
  for (gsize i = 0; i < G_N_ELEMENTS(shapes); i++)
    for (const char *const *col = shapes[i]->columns; *col; col++) {
      gboolean found = FALSE;
      for (const CtlField *f = shapes[i]->fields; f->key; f++) found |= strcmp(f->key, *col) == 0;
      g_test_message("shape %zu column %s", i, *col);
      g_assert_true(found);
    }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/ctl/output/user", test_user);
  g_test_add_func("/ctl/output/key-set", test_key_set);
  g_test_add_func("/ctl/output/api-resources", test_api_with_resources);
  g_test_add_func("/ctl/output/validation", test_validation_sorted_scopes_no_token);
  g_test_add_func("/ctl/output/columns", test_every_shape_has_columns_it_defines);
  return g_test_run();
}
