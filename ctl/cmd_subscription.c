/*
 * cmd_subscription: `tollgatectl subscribe`, `unsubscribe` and
 * `subscription ...`: an application's subscriptions to APIs, and the
 * publisher's blocking of them. The status commands share one handler; the
 * table row carries the status it sets.
 */
#include "handlers.h"
#include "output.h"

/* --app NAME [--owner USER] --api CONTEXT:VERSION, as every command here takes them. */
static gboolean sub_target_resolve(CtlCall *c, gboolean need_tier) {
  if (!ctl_opt(c, "app") || !ctl_opt(c, "api") || (need_tier && !ctl_opt(c, "tier")))
    return ctl_usage_error(
        &c->error, "%s",
        need_tier ? "--app, --api and --tier are needed" : "--app and --api are needed");
  return ctl_split_api_ref(ctl_opt(c, "api"), &c->context, &c->version, &c->error);
}

gboolean ctl_subscribe_check(CtlCall *c) { return sub_target_resolve(c, TRUE); }

gboolean ctl_sub_target_check(CtlCall *c) { return sub_target_resolve(c, FALSE); }

gboolean ctl_subscribe(CtlCall *c) {
  g_autoptr(TgSubscription) sub = g_object_new(TG_TYPE_SUBSCRIPTION, NULL);
  return tg_tollgate_if_subscribe(c->hub, &sub, c->session, ctl_owner(ctl_opt(c, "owner")),
                                  ctl_opt(c, "app"), c->context, c->version, ctl_opt(c, "tier"),
                                  &c->tex, &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_subscription, sub);
}

gboolean ctl_unsubscribe(CtlCall *c) {
  const char *app = ctl_opt(c, "app");
  return tg_tollgate_if_unsubscribe(c->hub, c->session, ctl_owner(ctl_opt(c, "owner")), app,
                                    c->context, c->version, &c->tex, &c->error) &&
         ctl_print_done(c->ctl, "unsubscribed %s from %s:%s", app, c->context, c->version);
}

/* cmd->arg: the status to set (BLOCKED, UNBLOCKED, ON_HOLD, PROD_ONLY_BLOCKED). */
gboolean ctl_subscription_status(CtlCall *c) {
  g_autoptr(TgSubscription) sub = g_object_new(TG_TYPE_SUBSCRIPTION, NULL);
  return tg_tollgate_if_set_subscription_status(
             c->hub, &sub, c->session, ctl_owner(ctl_opt(c, "owner")), ctl_opt(c, "app"),
             c->context, c->version, c->cmd->arg, &c->tex, &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_subscription, sub);
}

gboolean ctl_subscription_list(CtlCall *c) {
  const char *app = ctl_opt(c, "app");
  g_autoptr(GPtrArray) subs = ctl_object_list();
  return tg_tollgate_if_list_subscriptions(c->hub, &subs, c->session,
                                           ctl_owner(ctl_opt(c, "owner")), app ? app : "", &c->tex,
                                           &c->error) &&
         ctl_print_list(c->ctl, &ctl_shape_subscription, subs);
}
