/*
 * cmd_token: `tollgatectl token ...`: issue an access token for an existing
 * key, revoke a token by value, list an application's tokens (the hub lists
 * only hash prefixes, never the tokens). A token given as "-" is read from
 * standard input, keeping it off the command line.
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "output.h"

#define MAX_TOKEN_LEN 4096

static int token_issue(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_auto(CtlKeyRequest) req = {0};
  if (!ctl_key_request_parse(ctl, cmd, &req, TRUE, argc, argv)) return ctl->parse_status;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(GPtrArray) no_scopes = g_ptr_array_new();
  g_autoptr(TgKeySet) keys = g_object_new(TG_TYPE_KEY_SET, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_issue_token(hub, &keys, ctl_session(ctl), ctl_owner(req.owner), req.app,
                                  req.key_type, req.validity_seconds,
                                  req.scopes ? req.scopes : no_scopes,
                                  req.end_user ? req.end_user : "", &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_key_set, keys);
}

/* The token argument, or one line of stdin for "-" (kept in *buf). NULL with an error. */
static const char *token_arg(const char *value, char **buf, GError **error) {
  if (strcmp(value, "-") != 0) return value;
  *buf = g_malloc0(MAX_TOKEN_LEN + 2);
  if (!fgets(*buf, MAX_TOKEN_LEN + 2, stdin) || strlen(*buf) > MAX_TOKEN_LEN) {
    g_set_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID,
                "expected a token of at most %d bytes on standard input", MAX_TOKEN_LEN);
    return NULL;
  }
  return g_strstrip(*buf);
}

static int token_revoke(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  g_autofree char *buf = NULL;
  g_autoptr(GError) error = NULL;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 1, 1, &pos)) return ctl->parse_status;
  const char *token = token_arg(pos->pdata[0], &buf, &error);
  if (!token) return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_revoke_token(hub, ctl_session(ctl), token, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_done(ctl, "token revoked");
}

static int token_list(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  const char *app = NULL, *owner = NULL;
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {{"app", CTL_OPT_STRING, &app}, {"owner", CTL_OPT_STRING, &owner}, {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  if (!app) {
    g_set_error(&error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID, "--app is needed");
    return ctl_usage_failed(ctl, cmd, error);
  }
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(GPtrArray) tokens = ctl_object_list();
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_list_tokens(hub, &tokens, ctl_session(ctl), ctl_owner(owner), app, &tex,
                                  &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_list(ctl, &ctl_shape_token_info, tokens);
}

const CtlCommand ctl_token_commands[] = {
    {"token", "issue", token_issue,
     "--app NAME [--owner USER] [--type T] [--validity S] [--scope S]... [--end-user U]", NULL},
    {"token", "revoke", token_revoke, "TOKEN|-", NULL},
    {"token", "list", token_list, "--app NAME [--owner USER]", NULL},
    {NULL},
};
