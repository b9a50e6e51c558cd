/*
 * cmd_keys: `tollgatectl keys generate`: the consumer key and secret of an
 * application (made on the first call for a key type) and a new access
 * token. The secret and the tokens are printed once, as the hub hands them
 * out once; the hub keeps only their hashes. Also the option check that
 * `token issue` shares (--app, --type, --validity).
 */
#include "handlers.h"
#include "output.h"

#define MAX_VALIDITY_SECONDS 315360000 /* ten years */

/* c->text: the canonical key type; c->number: the validity (0: the hub's default). */
gboolean ctl_key_request_check(CtlCall *c) {
  const char *type = ctl_opt(c, "type"), *validity = ctl_opt(c, "validity");
  if (!ctl_opt(c, "app")) return ctl_usage_error(&c->error, "--app is needed");
  const char *key_type = ctl_check_key_type(type ? type : "PRODUCTION", &c->error);
  if (!key_type) return FALSE;
  c->text = g_strdup(key_type);
  return !validity ||
         ctl_parse_int64(validity, "--validity", 0, MAX_VALIDITY_SECONDS, &c->number, &c->error);
}

gboolean ctl_keys_generate(CtlCall *c) {
  GPtrArray *scopes = ctl_multi(c, "scope");
  g_autoptr(GPtrArray) no_scopes = g_ptr_array_new();
  g_autoptr(TgKeySet) keys = g_object_new(TG_TYPE_KEY_SET, NULL);
  return tg_tollgate_if_generate_keys(c->hub, &keys, c->session, ctl_owner(ctl_opt(c, "owner")),
                                      ctl_opt(c, "app"), c->text, c->number,
                                      scopes ? scopes : no_scopes, &c->tex, &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_key_set, keys);
}
