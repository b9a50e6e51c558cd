/*
 * cmd_misc: the commands that look at the hub the way a gateway does:
 * `validate` (the WSO2 validateKey call, role admin or gateway), and
 * `gateway-config` (the change feed), plus `login`, which prints a session id
 * for scripts that speak Thrift themselves.
 */
#include <string.h>

#include "ctl.h"
#include "output.h"

typedef struct {
  const char *api, *token, *resource, *verb, *auth_level, *domain;
  char *context, *version, *verb_upper;
} ValidateArgs;

static void validate_args_clear(ValidateArgs *a) {
  g_free(a->context);
  g_free(a->version);
  g_free(a->verb_upper);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ValidateArgs, validate_args_clear)

static gboolean validate_args_check(ValidateArgs *a, GError **error) {
  if (!a->api || !a->token || !a->resource || !a->verb) {
    g_set_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID,
                "--api, --token, --resource and --verb are needed");
    return FALSE;
  }
  a->verb_upper = g_ascii_strup(a->verb, -1);
  return ctl_split_api_ref(a->api, &a->context, &a->version, error);
}

static int validate_key(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_auto(ValidateArgs) a = {0};
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {{"api", CTL_OPT_STRING, &a.api},
                         {"token", CTL_OPT_STRING, &a.token},
                         {"resource", CTL_OPT_STRING, &a.resource},
                         {"verb", CTL_OPT_STRING, &a.verb},
                         {"auth-level", CTL_OPT_STRING, &a.auth_level},
                         {"domain", CTL_OPT_STRING, &a.domain},
                         {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  if (!validate_args_check(&a, &error)) return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgAPIKeyValidationInfoDTO) info = g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_INFO_D_T_O,
                                                           NULL);
  g_autoptr(TgAPIKeyMgtException) key_ex = NULL;
  g_autoptr(TgAPIManagementException) mgt_ex = NULL;
  if (!tg_a_p_i_key_validation_service_if_validate_key(
          TG_A_P_I_KEY_VALIDATION_SERVICE_IF(hub), &info, a.context, a.version, a.token,
          ctl_session(ctl), a.auth_level ? a.auth_level : "Any", a.domain ? a.domain : "",
          a.resource, a.verb_upper, &key_ex, &mgt_ex, &error))
    return ctl_wso2_call_failed(ctl, key_ex ? key_ex->message : mgt_ex ? mgt_ex->message : NULL,
                                error);
  return ctl_print_object(ctl, &ctl_shape_validation, info);
}

static int gateway_config(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  const char *since_text = NULL;
  gint64 since = 0;
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {{"since", CTL_OPT_STRING, &since_text}, {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  if (since_text && !ctl_parse_int64(since_text, "--since", 0, G_MAXINT64, &since, &error))
    return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgGatewayConfig) config = g_object_new(TG_TYPE_GATEWAY_CONFIG, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_get_gateway_config(hub, &config, ctl_session(ctl), since, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_gateway_config, config);
}

static int login(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  if (!ctl_hub(ctl)) return CTL_EXIT_HUB;
  return ctl_print_value(ctl, "session_id", ctl_session(ctl));
}

const CtlCommand ctl_misc_commands[] = {
    {"validate", NULL, validate_key,
     "--api CONTEXT:VERSION --token T --resource /x --verb GET [--auth-level Any] [--domain D]",
     NULL},
    {"gateway-config", NULL, gateway_config, "[--since REV]", NULL},
    {"login", NULL, login, "", NULL},
    {NULL},
};
