/*
 * cmd_misc: the commands that look at the hub the way a gateway does:
 * `validate` (the WSO2 validateKey call, role admin or gateway), and
 * `gateway-config` (the change feed), plus `login`, which prints a session id
 * for scripts that speak Thrift themselves.
 */
#include "handlers.h"
#include "output.h"

/* c->context, c->version: --api; c->text: the verb in upper case. */
gboolean ctl_validate_check(CtlCall *c) {
  if (!ctl_opt(c, "api") || !ctl_opt(c, "token") || !ctl_opt(c, "resource") || !ctl_opt(c, "verb"))
    return ctl_usage_error(&c->error, "--api, --token, --resource and --verb are needed");
  c->text = g_ascii_strup(ctl_opt(c, "verb"), -1);
  return ctl_split_api_ref(ctl_opt(c, "api"), &c->context, &c->version, &c->error);
}

gboolean ctl_validate(CtlCall *c) {
  const char *auth_level = ctl_opt(c, "auth-level"), *domain = ctl_opt(c, "domain");
  g_autoptr(TgAPIKeyValidationInfoDTO) info =
      g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_INFO_D_T_O, NULL);
  g_autoptr(TgAPIKeyMgtException) key_ex = NULL;
  g_autoptr(TgAPIManagementException) mgt_ex = NULL;
  if (tg_a_p_i_key_validation_service_if_validate_key(
          TG_A_P_I_KEY_VALIDATION_SERVICE_IF(c->hub), &info, c->context, c->version,
          ctl_opt(c, "token"), c->session, auth_level ? auth_level : "Any", domain ? domain : "",
          ctl_opt(c, "resource"), c->text, &key_ex, &mgt_ex, &c->error))
    return ctl_print_object(c->ctl, &ctl_shape_validation, info);
  const char *why = key_ex ? key_ex->message : mgt_ex ? mgt_ex->message : NULL;
  if (why) { /* the WSO2 service's own exceptions: printed here, the error is theirs */
    ctl_wso2_call_failed(c->ctl, why, c->error);
    g_clear_error(&c->error);
  }
  return FALSE;
}

gboolean ctl_gateway_config_check(CtlCall *c) {
  const char *since = ctl_opt(c, "since");
  return !since || ctl_parse_int64(since, "--since", 0, G_MAXINT64, &c->number, &c->error);
}

gboolean ctl_gateway_config(CtlCall *c) {
  g_autoptr(TgGatewayConfig) config = g_object_new(TG_TYPE_GATEWAY_CONFIG, NULL);
  return tg_tollgate_if_get_gateway_config(c->hub, &config, c->session, c->number, &c->tex,
                                           &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_gateway_config, config);
}

gboolean ctl_login(CtlCall *c) { return ctl_print_value(c->ctl, "session_id", c->session); }
