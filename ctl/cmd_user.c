/*
 * cmd_user: `tollgatectl user ...`: users and their roles (admin only on the
 * hub side). A password given as "-" is read from standard input and a left
 * out one is asked for on the terminal (password.c), so it need not be on a
 * command line where ps can see it.
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "output.h"
#include "password.h"

/* The new password into c->text: --password P (warned), -, or asked on the terminal. */
static gboolean new_password(CtlCall *c, const char *value, const char *user) {
  g_autofree char *prompt = g_strdup_printf("New password for %s: ", user);
  c->text = ctl_password_read(value, prompt, &c->error); /* wiped with the call */
  return c->text != NULL;
}

/* Roles from one or more comma lists into c->list. */
static gboolean roles_arg(CtlCall *c, GPtrArray *values) {
  g_autoptr(GPtrArray) roles = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; values && i < values->len; i++) {
    g_autoptr(GPtrArray) part = ctl_split_list(values->pdata[i], &c->error);
    if (!part) return FALSE;
    for (guint j = 0; j < part->len; j++) g_ptr_array_add(roles, g_strdup(part->pdata[j]));
  }
  if (roles->len == 0) return ctl_usage_error(&c->error, "at least one role is needed");
  c->list = g_steal_pointer(&roles);
  return TRUE;
}

gboolean ctl_user_add_check(CtlCall *c) {
  return roles_arg(c, ctl_multi(c, "role")) &&
         new_password(c, ctl_opt(c, "password"), c->pos->pdata[0]);
}

gboolean ctl_user_add(CtlCall *c) {
  g_autoptr(TgUser) user = g_object_new(TG_TYPE_USER, NULL);
  return tg_tollgate_if_add_user(c->hub, &user, c->session, c->pos->pdata[0], c->text, c->list,
                                 &c->tex, &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_user, user);
}

gboolean ctl_user_list(CtlCall *c) {
  g_autoptr(GPtrArray) users = ctl_object_list();
  return tg_tollgate_if_list_users(c->hub, &users, c->session, &c->tex, &c->error) &&
         ctl_print_list(c->ctl, &ctl_shape_user, users);
}

gboolean ctl_user_delete(CtlCall *c) {
  const char *name = c->pos->pdata[0];
  return tg_tollgate_if_delete_user(c->hub, c->session, name, &c->tex, &c->error) &&
         ctl_print_done(c->ctl, "deleted user %s", name);
}

gboolean ctl_user_roles_check(CtlCall *c) {
  g_autoptr(GPtrArray) values = g_ptr_array_new();
  g_ptr_array_add(values, c->pos->pdata[1]);
  return roles_arg(c, values);
}

gboolean ctl_user_roles(CtlCall *c) {
  const char *name = c->pos->pdata[0];
  return tg_tollgate_if_set_user_roles(c->hub, c->session, name, c->list, &c->tex, &c->error) &&
         ctl_print_done(c->ctl, "user %s now has roles %s", name, (char *)c->pos->pdata[1]);
}

gboolean ctl_user_passwd_check(CtlCall *c) {
  return new_password(c, c->pos->len > 1 ? c->pos->pdata[1] : NULL, c->pos->pdata[0]);
}

/* The old password matters only when changing one's own (admin: ignored). */
gboolean ctl_user_passwd(CtlCall *c) {
  const char *name = c->pos->pdata[0];
  return tg_tollgate_if_change_password(c->hub, c->session, name, c->ctl->login_password, c->text,
                                        &c->tex, &c->error) &&
         ctl_print_done(c->ctl, "password of %s changed", name);
}
