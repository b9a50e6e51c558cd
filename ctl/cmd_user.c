/*
 * cmd_user: `tollgatectl user ...`: users and their roles (admin only on the
 * hub side). A password given as "-" is read from standard input and a left
 * out one is asked for on the terminal (password.c), so it need not be on a
 * command line where ps can see it.
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "output.h"
#include "password.h"

/* The new password: --password P (warned), -, or asked on the terminal. NULL with an error. */
static char *new_password(const char *value, const char *user, GError **error) {
  g_autofree char *prompt = g_strdup_printf("New password for %s: ", user);
  return ctl_password_read(value, prompt, error);
}

/* Roles from one or more comma lists. */
static GPtrArray *roles_arg(GPtrArray *values, GError **error) {
  g_autoptr(GPtrArray) roles = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; values && i < values->len; i++) {
    g_autoptr(GPtrArray) part = ctl_split_list(values->pdata[i], error);
    if (!part) return NULL;
    for (guint j = 0; j < part->len; j++) g_ptr_array_add(roles, g_strdup(part->pdata[j]));
  }
  if (roles->len == 0) {
    g_set_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID, "at least one role is needed");
    return NULL;
  }
  return g_steal_pointer(&roles);
}

static int user_add_call(Ctl *ctl, GPtrArray *pos, const char *password, GPtrArray *roles);

static int user_add(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  const char *given = NULL;
  g_autoptr(GPtrArray) role_opts = NULL, pos = NULL, roles = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {{"password", CTL_OPT_STRING, &given},
                         {"role", CTL_OPT_MULTI, &role_opts},
                         {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 1, 1, &pos)) return ctl->parse_status;
  char *password = NULL;
  if ((roles = roles_arg(role_opts, &error)))
    password = new_password(given, pos->pdata[0], &error);
  if (error) return ctl_usage_failed(ctl, cmd, error);
  int status = user_add_call(ctl, pos, password, roles);
  ctl_password_free(password);
  return status;
}

static int user_add_call(Ctl *ctl, GPtrArray *pos, const char *password, GPtrArray *roles) {
  g_autoptr(GError) error = NULL;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgUser) user = g_object_new(TG_TYPE_USER, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_add_user(hub, &user, ctl_session(ctl), pos->pdata[0], password, roles, &tex,
                               &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_user, user);
}

static int user_list(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(GPtrArray) users = ctl_object_list();
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_list_users(hub, &users, ctl_session(ctl), &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_list(ctl, &ctl_shape_user, users);
}

static int user_delete(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 1, 1, &pos)) return ctl->parse_status;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_delete_user(hub, ctl_session(ctl), pos->pdata[0], &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_done(ctl, "deleted user %s", (char *)pos->pdata[0]);
}

static int user_roles(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL, roles = NULL, values = NULL;
  g_autoptr(GError) error = NULL;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 2, 2, &pos)) return ctl->parse_status;
  values = g_ptr_array_new();
  g_ptr_array_add(values, pos->pdata[1]);
  if (!(roles = roles_arg(values, &error))) return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_set_user_roles(hub, ctl_session(ctl), pos->pdata[0], roles, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_done(ctl, "user %s now has roles %s", (char *)pos->pdata[0],
                        (char *)pos->pdata[1]);
}

static int user_passwd_call(Ctl *ctl, GPtrArray *pos, const char *password);

static int user_passwd(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 1, 2, &pos)) return ctl->parse_status;
  char *password = new_password(pos->len > 1 ? pos->pdata[1] : NULL, pos->pdata[0], &error);
  if (!password) return ctl_usage_failed(ctl, cmd, error);
  int status = user_passwd_call(ctl, pos, password);
  ctl_password_free(password);
  return status;
}

static int user_passwd_call(Ctl *ctl, GPtrArray *pos, const char *password) {
  g_autoptr(GError) error = NULL;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgTollgateException) tex = NULL;
  /* The old password matters only when changing one's own (admin: ignored). */
  if (!tg_tollgate_if_change_password(hub, ctl_session(ctl), pos->pdata[0], ctl->login_password,
                                      password, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_done(ctl, "password of %s changed", (char *)pos->pdata[0]);
}

const CtlCommand ctl_user_commands[] = {
    {"user", "add", user_add, "NAME [--password -|P] --role ROLE[,ROLE]", NULL},
    {"user", "list", user_list, "", NULL},
    {"user", "delete", user_delete, "NAME", NULL},
    {"user", "roles", user_roles, "NAME ROLE[,ROLE]", NULL},
    {"user", "passwd", user_passwd, "NAME [-|NEWPASS]", NULL},
    {NULL},
};
