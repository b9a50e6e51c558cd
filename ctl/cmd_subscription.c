/*
 * cmd_subscription: `tollgatectl subscribe`, `unsubscribe` and
 * `subscription ...`: an application's subscriptions to APIs, and the
 * publisher's blocking of them. The status commands share one handler; the
 * table row carries the status it sets.
 */
#include "ctl.h"
#include "output.h"

/* --app NAME [--owner USER] --api CONTEXT:VERSION, as every command here takes them. */
typedef struct {
  const char *app, *owner, *api, *tier;
  char *context, *version;
} SubTarget;

static void sub_target_clear(SubTarget *t) {
  g_free(t->context);
  g_free(t->version);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SubTarget, sub_target_clear)

static gboolean sub_target_resolve(SubTarget *t, gboolean need_tier, GError **error) {
  if (!t->app || !t->api || (need_tier && !t->tier)) {
    g_set_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID, "%s",
                need_tier ? "--app, --api and --tier are needed" : "--app and --api are needed");
    return FALSE;
  }
  return ctl_split_api_ref(t->api, &t->context, &t->version, error);
}

/* Parses the shared options; FALSE when the handler must return ctl->parse_status. */
static gboolean sub_target_parse(Ctl *ctl, const CtlCommand *cmd, SubTarget *t, gboolean need_tier,
                                 int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {{"app", CTL_OPT_STRING, &t->app},
                         {"owner", CTL_OPT_STRING, &t->owner},
                         {"api", CTL_OPT_STRING, &t->api},
                         /* without a tier, a NULL name ends the table here */
                         {need_tier ? "tier" : NULL, CTL_OPT_STRING, &t->tier},
                         {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 0, 0, &pos)) return FALSE;
  if (sub_target_resolve(t, need_tier, &error)) return TRUE;
  ctl->parse_status = ctl_usage_failed(ctl, cmd, error);
  return FALSE;
}

static int subscribe(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_auto(SubTarget) t = {0};
  if (!sub_target_parse(ctl, cmd, &t, TRUE, argc, argv)) return ctl->parse_status;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgSubscription) sub = g_object_new(TG_TYPE_SUBSCRIPTION, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_subscribe(hub, &sub, ctl_session(ctl), ctl_owner(t.owner), t.app, t.context,
                                t.version, t.tier, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_subscription, sub);
}

static int unsubscribe(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_auto(SubTarget) t = {0};
  if (!sub_target_parse(ctl, cmd, &t, FALSE, argc, argv)) return ctl->parse_status;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_unsubscribe(hub, ctl_session(ctl), ctl_owner(t.owner), t.app, t.context,
                                  t.version, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_done(ctl, "unsubscribed %s from %s:%s", t.app, t.context, t.version);
}

/* cmd->arg: the status to set (BLOCKED, UNBLOCKED, ON_HOLD, PROD_ONLY_BLOCKED). */
static int subscription_status(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_auto(SubTarget) t = {0};
  if (!sub_target_parse(ctl, cmd, &t, FALSE, argc, argv)) return ctl->parse_status;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgSubscription) sub = g_object_new(TG_TYPE_SUBSCRIPTION, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_set_subscription_status(hub, &sub, ctl_session(ctl), ctl_owner(t.owner),
                                              t.app, t.context, t.version, cmd->arg, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_subscription, sub);
}

static int subscription_list(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  const char *owner = NULL, *app = NULL;
  g_autoptr(GPtrArray) pos = NULL;
  const CtlOpt opts[] = {{"owner", CTL_OPT_STRING, &owner}, {"app", CTL_OPT_STRING, &app}, {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(GPtrArray) subs = ctl_object_list();
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_list_subscriptions(hub, &subs, ctl_session(ctl), ctl_owner(owner),
                                         app ? app : "", &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_list(ctl, &ctl_shape_subscription, subs);
}

#define SUB_TARGET_USAGE "--app NAME [--owner USER] --api CONTEXT:VERSION"

const CtlCommand ctl_subscription_commands[] = {
    {"subscribe", NULL, subscribe, SUB_TARGET_USAGE " --tier T", NULL},
    {"unsubscribe", NULL, unsubscribe, SUB_TARGET_USAGE, NULL},
    {"subscription", "block", subscription_status, SUB_TARGET_USAGE, "BLOCKED"},
    {"subscription", "unblock", subscription_status, SUB_TARGET_USAGE, "UNBLOCKED"},
    {"subscription", "hold", subscription_status, SUB_TARGET_USAGE, "ON_HOLD"},
    {"subscription", "prod-only-block", subscription_status, SUB_TARGET_USAGE,
     "PROD_ONLY_BLOCKED"},
    {"subscription", "list", subscription_list, "[--owner USER] [--app NAME]", NULL},
    {NULL},
};
