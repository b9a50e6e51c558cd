/*
 * cmd_traffic: traffic management from the command line: tiers (`tier
 * add/list/show/delete`, `tiers` as a synonym of `tier list`) and blocking
 * conditions (`block add/list/delete`) and custom policies (`policy
 * add/list/delete`). The hub checks every value; the tool only turns options
 * into a Tier, a BlockCondition or a CustomPolicy.
 */
#include <string.h>

#include "ctl.h"
#include "output.h"
#include "tg_throttle.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgTier, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgBlockCondition, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgCustomPolicy, g_object_unref)

typedef struct {
  const char *level, *requests, *unit, *bytes, *burst, *description, *fail_mode;
  gboolean no_stop, sliding;
} TierArgs;

static gboolean usage_error(GError **error, const char *msg) {
  g_set_error_literal(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID, msg);
  return FALSE;
}

/* The Tier of `tier add NAME ...`. */
static gboolean tier_from_args(const char *name, const TierArgs *a, TgTier *tier,
                               GError **error) {
  gint64 requests = 0, bytes = 0, unit = 0, burst = 0, burst_unit = 0;
  if (!a->level || !a->requests || !a->unit)
    return usage_error(error, "--level, --requests and --unit are needed");
  if (!ctl_parse_int64(a->requests, "--requests", 0, G_MAXINT32, &requests, error) ||
      (a->bytes && !ctl_parse_int64(a->bytes, "--bytes", 0, G_MAXINT64 / 4, &bytes, error)))
    return FALSE;
  if ((unit = tg_time_unit_seconds(a->unit)) == 0)
    return usage_error(error, "--unit is second, minute, hour or day");
  if (a->burst && !tg_rate_parse(a->burst, &burst, &burst_unit))
    return usage_error(error, "--burst is N/second or N/minute");
  g_object_set(tier, "name", name, "level", a->level, "requestCount", requests, "unitTime", unit,
               "bytesCount", bytes, "burstCount", burst, "burstUnitTime", burst_unit,
               "stopOnQuotaReach", !a->no_stop, "sliding", a->sliding, NULL);
  ctl_set_string(tier, "description", a->description);
  ctl_set_string(tier, "failMode", a->fail_mode);
  return TRUE;
}

static int tier_add(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  TierArgs a = {0};
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {{"level", CTL_OPT_STRING, &a.level},
                         {"requests", CTL_OPT_STRING, &a.requests},
                         {"unit", CTL_OPT_STRING, &a.unit},
                         {"bytes", CTL_OPT_STRING, &a.bytes},
                         {"burst", CTL_OPT_STRING, &a.burst},
                         {"description", CTL_OPT_STRING, &a.description},
                         {"fail-mode", CTL_OPT_STRING, &a.fail_mode},
                         {"no-stop-on-quota", CTL_OPT_FLAG, &a.no_stop},
                         {"sliding", CTL_OPT_FLAG, &a.sliding},
                         {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 1, 1, &pos)) return ctl->parse_status;
  g_autoptr(TgTier) tier = g_object_new(TG_TYPE_TIER, NULL);
  if (!tier_from_args(pos->pdata[0], &a, tier, &error)) return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgTier) created = g_object_new(TG_TYPE_TIER, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_add_tier(hub, &created, ctl_session(ctl), tier, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_tier, created);
}

/* Every tier, or those named name (and at level when given). NULL after printing why. */
static GPtrArray *tiers_get(Ctl *ctl, const char *name, const char *level) {
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return NULL;
  GPtrArray *tiers = ctl_object_list();
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_list_tiers(hub, &tiers, ctl_session(ctl), &tex, &error)) {
    ctl_call_failed(ctl, tex, error);
    g_ptr_array_unref(tiers);
    return NULL;
  }
  for (guint i = tiers->len; name && i > 0; i--) {
    TgTier *t = tiers->pdata[i - 1];
    if (strcmp(t->name, name) != 0 || (level && g_ascii_strcasecmp(t->level, level) != 0))
      g_ptr_array_remove_index(tiers, i - 1);
  }
  return tiers;
}

static int tier_list(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  g_autoptr(GPtrArray) tiers = tiers_get(ctl, NULL, NULL);
  return tiers ? ctl_print_list(ctl, &ctl_shape_tier, tiers) : CTL_EXIT_HUB;
}

/* The one tier `tier show|delete NAME [--level L]` means; NULL after printing why. */
static TgTier *tier_one(Ctl *ctl, const char *name, const char *level, GPtrArray **keep) {
  *keep = tiers_get(ctl, name, level);
  if (!*keep) return NULL;
  if ((*keep)->len == 1) return (*keep)->pdata[0];
  if ((*keep)->len == 0)
    ctl_print_error(ctl, 404, "no tier %s%s%s", name, level ? " at level " : "", level ? level : "");
  else
    ctl_print_error(ctl, 400, "tier %s exists at %u levels: say which with --level", name,
                    (*keep)->len);
  return NULL;
}

static int tier_show(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  const char *level = NULL;
  g_autoptr(GPtrArray) pos = NULL, keep = NULL;
  const CtlOpt opts[] = {{"level", CTL_OPT_STRING, &level}, {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 1, 1, &pos)) return ctl->parse_status;
  TgTier *one = tier_one(ctl, pos->pdata[0], level, &keep);
  if (!one) return CTL_EXIT_HUB;
  TgTollgateIf *hub = ctl_hub(ctl);
  g_autoptr(TgTier) tier = g_object_new(TG_TYPE_TIER, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_get_tier(hub, &tier, ctl_session(ctl), one->name, one->level, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_tier, tier);
}

static int tier_delete(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  const char *level = NULL;
  g_autoptr(GPtrArray) pos = NULL, keep = NULL;
  const CtlOpt opts[] = {{"level", CTL_OPT_STRING, &level}, {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 1, 1, &pos)) return ctl->parse_status;
  TgTier *one = tier_one(ctl, pos->pdata[0], level, &keep);
  if (!one) return CTL_EXIT_HUB;
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_delete_tier(ctl_hub(ctl), ctl_session(ctl), one->name, one->level, &tex,
                                  &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_done(ctl, "tier %s (%s) deleted", one->name, one->level);
}

/* ---- blocking conditions ---- */

static int block_add(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  const char *api = NULL, *app = NULL, *user = NULL, *ip = NULL;
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {{"api", CTL_OPT_STRING, &api},   {"app", CTL_OPT_STRING, &app},
                         {"user", CTL_OPT_STRING, &user}, {"ip", CTL_OPT_STRING, &ip},
                         {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  if ((api != NULL) + (app != NULL) + (user != NULL) + (ip != NULL) != 1) {
    usage_error(&error, "exactly one of --api, --app, --user, --ip is needed");
    return ctl_usage_failed(ctl, cmd, error);
  }
  g_autoptr(TgBlockCondition) cond = g_object_new(
      TG_TYPE_BLOCK_CONDITION, "kind", api ? "API" : app ? "APPLICATION" : user ? "USER" : "IP",
      "value", api ? api : app ? app : user ? user : ip, NULL);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgBlockCondition) created = g_object_new(TG_TYPE_BLOCK_CONDITION, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_add_block_condition(hub, &created, ctl_session(ctl), cond, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_block_condition, created);
}

static int block_list(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(GPtrArray) list = ctl_object_list();
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_list_block_conditions(hub, &list, ctl_session(ctl), &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_list(ctl, &ctl_shape_block_condition, list);
}

static int block_delete(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  gint64 id = 0;
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 1, 1, &pos)) return ctl->parse_status;
  if (!ctl_parse_int64(pos->pdata[0], "ID", 1, G_MAXINT64, &id, &error))
    return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_delete_block_condition(hub, ctl_session(ctl), id, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_done(ctl, "blocking condition %" G_GINT64_FORMAT " deleted", id);
}

/* ---- custom policies ---- */

typedef struct {
  const char *key_by, *header, *requests, *bytes, *unit, *api, *description;
  gboolean sliding;
} PolicyArgs;

/* The CustomPolicy of `policy add NAME ...`. */
static gboolean policy_from_args(const char *name, const PolicyArgs *a, TgCustomPolicy *p,
                                 GError **error) {
  gint64 requests = 0, bytes = 0, unit = 0;
  if (!a->key_by || !a->unit || (!a->requests && !a->bytes))
    return usage_error(error, "--key-by, --unit and --requests and/or --bytes are needed");
  if ((a->requests && !ctl_parse_int64(a->requests, "--requests", 1, G_MAXINT32, &requests,
                                       error)) ||
      (a->bytes && !ctl_parse_int64(a->bytes, "--bytes", 1, G_MAXINT64 / 4, &bytes, error)))
    return FALSE;
  if ((unit = tg_time_unit_seconds(a->unit)) == 0)
    return usage_error(error, "--unit is second, minute, hour or day");
  g_object_set(p, "name", name, "keyBy", a->key_by, "requestCount", requests, "bytesCount", bytes,
               "unitTime", unit, "sliding", a->sliding, NULL);
  ctl_set_string(p, "headerName", a->header);
  ctl_set_string(p, "apiContext", a->api);
  ctl_set_string(p, "description", a->description);
  return TRUE;
}

static int policy_add(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  PolicyArgs a = {0};
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {{"key-by", CTL_OPT_STRING, &a.key_by},
                         {"header", CTL_OPT_STRING, &a.header},
                         {"requests", CTL_OPT_STRING, &a.requests},
                         {"bytes", CTL_OPT_STRING, &a.bytes},
                         {"unit", CTL_OPT_STRING, &a.unit},
                         {"api", CTL_OPT_STRING, &a.api},
                         {"description", CTL_OPT_STRING, &a.description},
                         {"sliding", CTL_OPT_FLAG, &a.sliding},
                         {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 1, 1, &pos)) return ctl->parse_status;
  g_autoptr(TgCustomPolicy) policy = g_object_new(TG_TYPE_CUSTOM_POLICY, NULL);
  if (!policy_from_args(pos->pdata[0], &a, policy, &error)) return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgCustomPolicy) created = g_object_new(TG_TYPE_CUSTOM_POLICY, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_add_custom_policy(hub, &created, ctl_session(ctl), policy, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_custom_policy, created);
}

static int policy_list(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(GPtrArray) list = ctl_object_list();
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_list_custom_policies(hub, &list, ctl_session(ctl), &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_list(ctl, &ctl_shape_custom_policy, list);
}

static int policy_delete(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  gint64 id = 0;
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 1, 1, &pos)) return ctl->parse_status;
  if (!ctl_parse_int64(pos->pdata[0], "ID", 1, G_MAXINT64, &id, &error))
    return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_delete_custom_policy(hub, ctl_session(ctl), id, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_done(ctl, "custom policy %" G_GINT64_FORMAT " deleted", id);
}

const CtlCommand ctl_traffic_commands[] = {
    {"tier", "add", tier_add,
     "NAME --level subscription|application|api|resource --requests N\n"
     "      --unit second|minute|hour|day [--bytes N] [--burst N/second|N/minute]\n"
     "      [--no-stop-on-quota] [--sliding] [--fail-mode static|closed|open] [--description D]",
     NULL},
    {"tier", "list", tier_list, "", NULL},
    {"tiers", NULL, tier_list, "", NULL},
    {"tier", "show", tier_show, "NAME [--level L]", NULL},
    {"tier", "delete", tier_delete, "NAME [--level L]", NULL},
    {"block", "add", block_add, "--api /ctx:VERSION | --app OWNER:NAME | --user NAME | --ip ADDR[/PREFIX]",
     NULL},
    {"block", "list", block_list, "", NULL},
    {"block", "delete", block_delete, "ID", NULL},
    {"policy", "add", policy_add,
     "NAME --key-by user|application|api|ip|header [--header NAME]\n"
     "      [--requests N] [--bytes N] --unit second|minute|hour|day [--sliding]\n"
     "      [--api /CONTEXT] [--description D]",
     NULL},
    {"policy", "list", policy_list, "", NULL},
    {"policy", "delete", policy_delete, "ID", NULL},
    {NULL},
};
