/*
 * cmd_app: `tollgatectl app ...`: applications, the subscriber's side of
 * keys. --owner picks another user's application (admin only on the hub
 * side); without it the owner is "" and the hub uses the caller.
 */
#include "handlers.h"
#include "output.h"

gboolean ctl_app_create_check(CtlCall *c) {
  const char *domains = ctl_opt(c, "domains");
  g_autoptr(GPtrArray) domain_list = NULL;
  if (domains && !(domain_list = ctl_split_list(domains, &c->error))) return FALSE;
  TgApplication *app = g_object_new(TG_TYPE_APPLICATION, "name", c->pos->pdata[0], "owner",
                                    ctl_owner(ctl_opt(c, "owner")), NULL);
  ctl_set_string(app, "tier", ctl_opt(c, "tier"));
  ctl_set_string(app, "callbackUrl", ctl_opt(c, "callback"));
  ctl_set_string(app, "description", ctl_opt(c, "description"));
  ctl_copy_strings(app->allowedDomains, domain_list);
  app->__isset_allowedDomains = domain_list != NULL;
  c->request = G_OBJECT(app);
  return TRUE;
}

gboolean ctl_app_create(CtlCall *c) {
  g_autoptr(TgApplication) created = g_object_new(TG_TYPE_APPLICATION, NULL);
  return tg_tollgate_if_create_application(c->hub, &created, c->session, TG_APPLICATION(c->request),
                                           &c->tex, &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_application, created);
}

gboolean ctl_app_list(CtlCall *c) {
  g_autoptr(GPtrArray) apps = ctl_object_list();
  return tg_tollgate_if_list_applications(c->hub, &apps, c->session, ctl_owner(ctl_opt(c, "owner")),
                                          &c->tex, &c->error) &&
         ctl_print_list(c->ctl, &ctl_shape_application, apps);
}

gboolean ctl_app_delete(CtlCall *c) {
  const char *name = c->pos->pdata[0];
  return tg_tollgate_if_delete_application(c->hub, c->session, ctl_owner(ctl_opt(c, "owner")), name,
                                           &c->tex, &c->error) &&
         ctl_print_done(c->ctl, "deleted application %s", name);
}
