/*
 * cmd_keys: `tollgatectl keys generate`: the consumer key and secret of an
 * application (made on the first call for a key type) and a new access
 * token. The secret and the tokens are printed once, as the hub hands them
 * out once; the hub keeps only their hashes. Also the option parsing that
 * `token issue` shares (CtlKeyRequest).
 */
#include "ctl.h"
#include "output.h"

#define MAX_VALIDITY_SECONDS 315360000 /* ten years */

void ctl_key_request_clear(CtlKeyRequest *req) {
  g_clear_pointer(&req->scopes, g_ptr_array_unref);
}

static gboolean key_request_check(CtlKeyRequest *req, GError **error) {
  if (!req->app) {
    g_set_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID, "--app is needed");
    return FALSE;
  }
  req->key_type = ctl_check_key_type(req->type ? req->type : "PRODUCTION", error);
  if (!req->key_type) return FALSE;
  req->validity_seconds = 0; /* the hub's default */
  return !req->validity || ctl_parse_int64(req->validity, "--validity", 0, MAX_VALIDITY_SECONDS,
                                           &req->validity_seconds, error);
}

gboolean ctl_key_request_parse(Ctl *ctl, const CtlCommand *cmd, CtlKeyRequest *req,
                               gboolean with_end_user, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {{"app", CTL_OPT_STRING, &req->app},
                         {"owner", CTL_OPT_STRING, &req->owner},
                         {"type", CTL_OPT_STRING, &req->type},
                         {"validity", CTL_OPT_STRING, &req->validity},
                         {"scope", CTL_OPT_MULTI, &req->scopes},
                         {with_end_user ? "end-user" : NULL, CTL_OPT_STRING, &req->end_user},
                         {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 0, 0, &pos)) return FALSE;
  if (key_request_check(req, &error)) return TRUE;
  ctl->parse_status = ctl_usage_failed(ctl, cmd, error);
  return FALSE;
}

static int keys_generate(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_auto(CtlKeyRequest) req = {0};
  if (!ctl_key_request_parse(ctl, cmd, &req, FALSE, argc, argv)) return ctl->parse_status;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(GPtrArray) no_scopes = g_ptr_array_new();
  g_autoptr(TgKeySet) keys = g_object_new(TG_TYPE_KEY_SET, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_generate_keys(hub, &keys, ctl_session(ctl), ctl_owner(req.owner), req.app,
                                    req.key_type, req.validity_seconds,
                                    req.scopes ? req.scopes : no_scopes, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_key_set, keys);
}

const CtlCommand ctl_keys_commands[] = {
    {"keys", "generate", keys_generate,
     "--app NAME [--owner USER] [--type PRODUCTION|SANDBOX] [--validity SECONDS] [--scope S]...",
     NULL},
    {NULL},
};
