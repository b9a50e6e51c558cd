/*
 * cmd_user: `tollgatectl user ...`: users and their roles (admin only on the
 * hub side). A password given as "-" is read from standard input, so scripts
 * need not put it on a command line where ps can see it.
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "output.h"

#define MAX_PASSWORD_LEN 1024

/* value, or one line of stdin when value is "-" (then *buf holds it). NULL with an error. */
static const char *password_arg(const char *value, char **buf, GError **error) {
  if (strcmp(value, "-") != 0) return value;
  *buf = g_malloc0(MAX_PASSWORD_LEN + 2);
  if (!fgets(*buf, MAX_PASSWORD_LEN + 2, stdin) || strlen(*buf) > MAX_PASSWORD_LEN) {
    g_set_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID,
                "expected a password of at most %d bytes on standard input", MAX_PASSWORD_LEN);
    return NULL;
  }
  g_strchomp(*buf);
  return *buf;
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

static int user_add(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  const char *password = NULL;
  g_autoptr(GPtrArray) role_opts = NULL, pos = NULL, roles = NULL;
  g_autofree char *buf = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {{"password", CTL_OPT_STRING, &password},
                         {"role", CTL_OPT_MULTI, &role_opts},
                         {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 1, 1, &pos)) return ctl->parse_status;
  if (!password)
    g_set_error(&error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID, "--password is required");
  else if ((roles = roles_arg(role_opts, &error)))
    password = password_arg(password, &buf, &error);
  if (error) return ctl_usage_failed(ctl, cmd, error);
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

static int user_passwd(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  g_autofree char *buf = NULL;
  g_autoptr(GError) error = NULL;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 2, 2, &pos)) return ctl->parse_status;
  const char *password = password_arg(pos->pdata[1], &buf, &error);
  if (!password) return ctl_usage_failed(ctl, cmd, error);
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
    {"user", "add", user_add, "NAME --password P|- --role ROLE[,ROLE]", NULL},
    {"user", "list", user_list, "", NULL},
    {"user", "delete", user_delete, "NAME", NULL},
    {"user", "roles", user_roles, "NAME ROLE[,ROLE]", NULL},
    {"user", "passwd", user_passwd, "NAME NEWPASS|-", NULL},
    {NULL},
};
