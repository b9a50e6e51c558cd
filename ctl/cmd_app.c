/*
 * cmd_app: `tollgatectl app ...`: applications, the subscriber's side of
 * keys. --owner picks another user's application (admin only on the hub
 * side); without it the owner is "" and the hub uses the caller.
 */
#include "ctl.h"
#include "output.h"

static int app_create(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  const char *owner = NULL, *tier = NULL, *callback = NULL, *domains = NULL, *description = NULL;
  g_autoptr(GPtrArray) pos = NULL, domain_list = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {{"owner", CTL_OPT_STRING, &owner},
                         {"tier", CTL_OPT_STRING, &tier},
                         {"callback", CTL_OPT_STRING, &callback},
                         {"domains", CTL_OPT_STRING, &domains},
                         {"description", CTL_OPT_STRING, &description},
                         {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 1, 1, &pos)) return ctl->parse_status;
  if (domains && !(domain_list = ctl_split_list(domains, &error)))
    return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgApplication) app = g_object_new(TG_TYPE_APPLICATION, "name", pos->pdata[0], "owner",
                                              ctl_owner(owner), NULL);
  ctl_set_string(app, "tier", tier);
  ctl_set_string(app, "callbackUrl", callback);
  ctl_set_string(app, "description", description);
  ctl_copy_strings(app->allowedDomains, domain_list);
  app->__isset_allowedDomains = domain_list != NULL;
  g_autoptr(TgApplication) created = g_object_new(TG_TYPE_APPLICATION, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_create_application(hub, &created, ctl_session(ctl), app, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_application, created);
}

static int app_list(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  const char *owner = NULL;
  g_autoptr(GPtrArray) pos = NULL;
  const CtlOpt opts[] = {{"owner", CTL_OPT_STRING, &owner}, {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(GPtrArray) apps = ctl_object_list();
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_list_applications(hub, &apps, ctl_session(ctl), ctl_owner(owner), &tex,
                                        &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_list(ctl, &ctl_shape_application, apps);
}

static int app_delete(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  const char *owner = NULL;
  g_autoptr(GPtrArray) pos = NULL;
  const CtlOpt opts[] = {{"owner", CTL_OPT_STRING, &owner}, {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 1, 1, &pos)) return ctl->parse_status;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_delete_application(hub, ctl_session(ctl), ctl_owner(owner), pos->pdata[0],
                                         &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_done(ctl, "deleted application %s", (char *)pos->pdata[0]);
}

const CtlCommand ctl_app_commands[] = {
    {"app", "create", app_create,
     "NAME [--owner USER] [--tier T] [--callback URL] [--domains a.com,b.com] [--description D]",
     NULL},
    {"app", "list", app_list, "[--owner USER]", NULL},
    {"app", "delete", app_delete, "NAME [--owner USER]", NULL},
    {NULL},
};
