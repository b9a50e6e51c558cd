/*
 * cmd_traffic: traffic management from the command line: tiers (`tier
 * add/list/show/delete`, `tiers` as a synonym of `tier list`) and blocking
 * conditions (`block add/list/delete`) and custom policies (`policy
 * add/list/delete`). The hub checks every value; the tool only turns options
 * into a Tier, a BlockCondition or a CustomPolicy.
 */
#include <string.h>

#include "handlers.h"
#include "output.h"
#include "tg_throttle.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgTier, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgBlockCondition, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgCustomPolicy, g_object_unref)

static gboolean usage_error(GError **error, const char *msg) {
  return ctl_usage_error(error, "%s", msg);
}

/* The Tier of `tier add NAME ...`. */
gboolean ctl_tier_add_check(CtlCall *c) {
  gint64 requests = 0, bytes = 0, unit = 0, burst = 0, burst_unit = 0;
  const char *level = ctl_opt(c, "level"), *requests_arg = ctl_opt(c, "requests");
  const char *unit_arg = ctl_opt(c, "unit"), *bytes_arg = ctl_opt(c, "bytes");
  const char *burst_arg = ctl_opt(c, "burst");
  GError **error = &c->error;
  if (!level || !requests_arg || !unit_arg)
    return usage_error(error, "--level, --requests and --unit are needed");
  if (!ctl_parse_int64(requests_arg, "--requests", 0, G_MAXINT32, &requests, error) ||
      (bytes_arg && !ctl_parse_int64(bytes_arg, "--bytes", 0, G_MAXINT64 / 4, &bytes, error)))
    return FALSE;
  if ((unit = tg_time_unit_seconds(unit_arg)) == 0)
    return usage_error(error, "--unit is second, minute, hour or day");
  if (burst_arg && !tg_rate_parse(burst_arg, &burst, &burst_unit))
    return usage_error(error, "--burst is N/second or N/minute");
  TgTier *tier =
      g_object_new(TG_TYPE_TIER, "name", c->pos->pdata[0], "level", level, "requestCount", requests,
                   "unitTime", unit, "bytesCount", bytes, "burstCount", burst, "burstUnitTime",
                   burst_unit, "stopOnQuotaReach", !ctl_flag(c, "no-stop-on-quota"), "sliding",
                   ctl_flag(c, "sliding"), NULL);
  ctl_set_string(tier, "description", ctl_opt(c, "description"));
  ctl_set_string(tier, "failMode", ctl_opt(c, "fail-mode"));
  c->request = G_OBJECT(tier);
  return TRUE;
}

gboolean ctl_tier_add(CtlCall *c) {
  g_autoptr(TgTier) created = g_object_new(TG_TYPE_TIER, NULL);
  return tg_tollgate_if_add_tier(c->hub, &created, c->session, TG_TIER(c->request), &c->tex,
                                 &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_tier, created);
}

/* Every tier, or those named name (and at level when given); NULL with c->tex or c->error. */
static GPtrArray *tiers_get(CtlCall *c, const char *name, const char *level) {
  g_autoptr(GPtrArray) tiers = ctl_object_list();
  if (!tg_tollgate_if_list_tiers(c->hub, &tiers, c->session, &c->tex, &c->error)) return NULL;
  for (guint i = tiers->len; name && i > 0; i--) {
    TgTier *t = tiers->pdata[i - 1];
    if (strcmp(t->name, name) != 0 || (level && g_ascii_strcasecmp(t->level, level) != 0))
      g_ptr_array_remove_index(tiers, i - 1);
  }
  return g_steal_pointer(&tiers);
}

gboolean ctl_tier_list(CtlCall *c) {
  g_autoptr(GPtrArray) tiers = tiers_get(c, NULL, NULL);
  return tiers && ctl_print_list(c->ctl, &ctl_shape_tier, tiers);
}

/* The one tier `tier show|delete NAME [--level L]` means; NULL after printing why, or with
   c->tex or c->error. */
static TgTier *tier_one(CtlCall *c, GPtrArray **keep) {
  const char *name = c->pos->pdata[0], *level = ctl_opt(c, "level");
  *keep = tiers_get(c, name, level);
  if (!*keep) return NULL;
  if ((*keep)->len == 1) return (*keep)->pdata[0];
  if ((*keep)->len == 0)
    ctl_print_error(c->ctl, 404, "no tier %s%s%s", name, level ? " at level " : "",
                    level ? level : "");
  else
    ctl_print_error(c->ctl, 400, "tier %s exists at %u levels: say which with --level", name,
                    (*keep)->len);
  return NULL;
}

gboolean ctl_tier_show(CtlCall *c) {
  g_autoptr(GPtrArray) keep = NULL;
  TgTier *one = tier_one(c, &keep);
  if (!one) return FALSE;
  g_autoptr(TgTier) tier = g_object_new(TG_TYPE_TIER, NULL);
  return tg_tollgate_if_get_tier(c->hub, &tier, c->session, one->name, one->level, &c->tex,
                                 &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_tier, tier);
}

gboolean ctl_tier_delete(CtlCall *c) {
  g_autoptr(GPtrArray) keep = NULL;
  TgTier *one = tier_one(c, &keep);
  return one &&
         tg_tollgate_if_delete_tier(c->hub, c->session, one->name, one->level, &c->tex,
                                    &c->error) &&
         ctl_print_done(c->ctl, "tier %s (%s) deleted", one->name, one->level);
}

/* ---- blocking conditions ---- */

gboolean ctl_block_add_check(CtlCall *c) {
  const char *api = ctl_opt(c, "api"), *app = ctl_opt(c, "app"), *user = ctl_opt(c, "user");
  const char *ip = ctl_opt(c, "ip");
  if ((api != NULL) + (app != NULL) + (user != NULL) + (ip != NULL) != 1)
    return usage_error(&c->error, "exactly one of --api, --app, --user, --ip is needed");
  c->request = g_object_new(TG_TYPE_BLOCK_CONDITION, "kind",
                            api    ? "API"
                            : app  ? "APPLICATION"
                            : user ? "USER"
                                   : "IP",
                            "value",
                            api    ? api
                            : app  ? app
                            : user ? user
                                   : ip,
                            NULL);
  return TRUE;
}

gboolean ctl_block_add(CtlCall *c) {
  g_autoptr(TgBlockCondition) created = g_object_new(TG_TYPE_BLOCK_CONDITION, NULL);
  return tg_tollgate_if_add_block_condition(c->hub, &created, c->session,
                                            TG_BLOCK_CONDITION(c->request), &c->tex, &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_block_condition, created);
}

gboolean ctl_block_list(CtlCall *c) {
  g_autoptr(GPtrArray) list = ctl_object_list();
  return tg_tollgate_if_list_block_conditions(c->hub, &list, c->session, &c->tex, &c->error) &&
         ctl_print_list(c->ctl, &ctl_shape_block_condition, list);
}

gboolean ctl_block_delete_check(CtlCall *c) {
  return ctl_parse_int64(c->pos->pdata[0], "ID", 1, G_MAXINT64, &c->number, &c->error);
}

gboolean ctl_block_delete(CtlCall *c) {
  return tg_tollgate_if_delete_block_condition(c->hub, c->session, c->number, &c->tex, &c->error) &&
         ctl_print_done(c->ctl, "blocking condition %" G_GINT64_FORMAT " deleted", c->number);
}

/* ---- custom policies ---- */

/* The CustomPolicy of `policy add NAME ...`. */
gboolean ctl_policy_add_check(CtlCall *c) {
  gint64 requests = 0, bytes = 0, unit = 0;
  const char *key_by = ctl_opt(c, "key-by"), *requests_arg = ctl_opt(c, "requests");
  const char *bytes_arg = ctl_opt(c, "bytes"), *unit_arg = ctl_opt(c, "unit");
  GError **error = &c->error;
  if (!key_by || !unit_arg || (!requests_arg && !bytes_arg))
    return usage_error(error, "--key-by, --unit and --requests and/or --bytes are needed");
  if ((requests_arg &&
       !ctl_parse_int64(requests_arg, "--requests", 1, G_MAXINT32, &requests, error)) ||
      (bytes_arg && !ctl_parse_int64(bytes_arg, "--bytes", 1, G_MAXINT64 / 4, &bytes, error)))
    return FALSE;
  if ((unit = tg_time_unit_seconds(unit_arg)) == 0)
    return usage_error(error, "--unit is second, minute, hour or day");
  TgCustomPolicy *p = g_object_new(TG_TYPE_CUSTOM_POLICY, "name", c->pos->pdata[0], "keyBy", key_by,
                                   "requestCount", requests, "bytesCount", bytes, "unitTime", unit,
                                   "sliding", ctl_flag(c, "sliding"), NULL);
  ctl_set_string(p, "headerName", ctl_opt(c, "header"));
  ctl_set_string(p, "apiContext", ctl_opt(c, "api"));
  ctl_set_string(p, "description", ctl_opt(c, "description"));
  c->request = G_OBJECT(p);
  return TRUE;
}

gboolean ctl_policy_add(CtlCall *c) {
  g_autoptr(TgCustomPolicy) created = g_object_new(TG_TYPE_CUSTOM_POLICY, NULL);
  return tg_tollgate_if_add_custom_policy(c->hub, &created, c->session,
                                          TG_CUSTOM_POLICY(c->request), &c->tex, &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_custom_policy, created);
}

gboolean ctl_policy_list(CtlCall *c) {
  g_autoptr(GPtrArray) list = ctl_object_list();
  return tg_tollgate_if_list_custom_policies(c->hub, &list, c->session, &c->tex, &c->error) &&
         ctl_print_list(c->ctl, &ctl_shape_custom_policy, list);
}

gboolean ctl_policy_delete(CtlCall *c) {
  return tg_tollgate_if_delete_custom_policy(c->hub, c->session, c->number, &c->tex, &c->error) &&
         ctl_print_done(c->ctl, "custom policy %" G_GINT64_FORMAT " deleted", c->number);
}
