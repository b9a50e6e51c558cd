/*
 * cmd_token: `tollgatectl token ...`: issue an access token for an existing
 * key, revoke a token by value or by the id `token list` shows, list an
 * application's tokens (the hub lists only hash prefixes, never the tokens).
 * A token given as "-" is read from standard input, keeping it off the
 * command line.
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "output.h"

#define MAX_TOKEN_LEN 4096

/* Checked by ctl_key_request_check (cmd_keys.c). */
gboolean ctl_token_issue(CtlCall *c) {
  GPtrArray *scopes = ctl_multi(c, "scope");
  const char *end_user = ctl_opt(c, "end-user");
  g_autoptr(GPtrArray) no_scopes = g_ptr_array_new();
  g_autoptr(TgKeySet) keys = g_object_new(TG_TYPE_KEY_SET, NULL);
  return tg_tollgate_if_issue_token(c->hub, &keys, c->session, ctl_owner(ctl_opt(c, "owner")),
                                    ctl_opt(c, "app"), c->text, c->number,
                                    scopes ? scopes : no_scopes, end_user ? end_user : "", &c->tex,
                                    &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_key_set, keys);
}

/* --id N --app [OWNER:]NAME: c->number the id, c->list {owner ("" the caller), name}. The
   owner ends at the first ':', so ":a:b" is the caller's application "a:b". */
static gboolean token_revoke_by_id_check(CtlCall *c) {
  const char *app = ctl_opt(c, "app");
  if (c->pos->len > 0)
    return ctl_usage_error(&c->error, "give a token or --id N --app [OWNER:]NAME, not both");
  if (app == NULL || *app == '\0')
    return ctl_usage_error(&c->error, "--id needs --app [OWNER:]NAME");
  if (!ctl_parse_int64(ctl_opt(c, "id"), "token id", 1, G_MAXINT64, &c->number, &c->error))
    return FALSE;
  const char *colon = strchr(app, ':');
  c->list = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(c->list, colon ? g_strndup(app, colon - app) : g_strdup(""));
  g_ptr_array_add(c->list, g_strdup(colon ? colon + 1 : app));
  if (*(char *)c->list->pdata[1] == '\0')
    return ctl_usage_error(&c->error, "--app [OWNER:]NAME needs the application's name");
  return TRUE;
}

/* c->text: the token argument, or one line of stdin for "-"; or the --id form above. */
gboolean ctl_token_revoke_check(CtlCall *c) {
  if (ctl_opt(c, "id") != NULL) return token_revoke_by_id_check(c);
  if (ctl_opt(c, "app") != NULL)
    return ctl_usage_error(&c->error, "--app goes with --id N (a token by value needs no --app)");
  if (c->pos->len != 1)
    return ctl_usage_error(&c->error,
                           "give the token (- reads it from standard input) or"
                           " --id N --app [OWNER:]NAME");
  const char *value = c->pos->pdata[0];
  if (strcmp(value, "-") != 0) {
    c->text = g_strdup(value);
    return TRUE;
  }
  c->text = g_malloc0(MAX_TOKEN_LEN + 2);
  if (!fgets(c->text, MAX_TOKEN_LEN + 2, stdin) || strlen(c->text) > MAX_TOKEN_LEN)
    return ctl_usage_error(&c->error, "expected a token of at most %d bytes on standard input",
                           MAX_TOKEN_LEN);
  g_strstrip(c->text);
  return TRUE;
}

gboolean ctl_token_revoke(CtlCall *c) {
  if (c->list != NULL)
    return tg_tollgate_if_revoke_token_by_id(c->hub, c->session, c->list->pdata[0],
                                             c->list->pdata[1], c->number, &c->tex, &c->error) &&
           ctl_print_done(c->ctl, "token %" G_GINT64_FORMAT " revoked", c->number);
  return tg_tollgate_if_revoke_token(c->hub, c->session, c->text, &c->tex, &c->error) &&
         ctl_print_done(c->ctl, "token revoked");
}

gboolean ctl_token_list_check(CtlCall *c) {
  return ctl_opt(c, "app") || ctl_usage_error(&c->error, "--app is needed");
}

gboolean ctl_token_list(CtlCall *c) {
  g_autoptr(GPtrArray) tokens = ctl_object_list();
  return tg_tollgate_if_list_tokens(c->hub, &tokens, c->session, ctl_owner(ctl_opt(c, "owner")),
                                    ctl_opt(c, "app"), &c->tex, &c->error) &&
         ctl_print_list(c->ctl, &ctl_shape_token_info, tokens);
}
