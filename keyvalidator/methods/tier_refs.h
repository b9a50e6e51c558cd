/*
 * tier_refs.h: the tiers an API, an application or a subscription names, one rule on every
 * write of them: each follows the name rule (common/tg_names.h) and exists at a level
 * grantCredits looks it up at; deleteTier and addTier ask the same table. Trade-off: checked
 * when a row is written, not when it is read: a row stored before the rule keeps working
 * until it is written again. Design notes: docs/HACKING.md.
 */
#ifndef TOLLGATE_HUB_TIER_REFS_H
#define TOLLGATE_HUB_TIER_REFS_H

#include <glib.h>
#include <mysql.h>

#include "mgmt_rules.h"
#include "store_throttle.h"
#include "tg_tollgate_types.h"

/* The tier levels (NULL-terminated, in lookup order) that a tier named for throttle level
   level (API, RESOURCE, SUBSCRIPTION, APPLICATION, canonical) is looked up at; NULL for any
   other level. API: an API-level tier, else a SUBSCRIPTION one (as before the API level
   existed); the others only their own level. grantCredits and the checks below read it. */
const char *const *tier_ref_levels(const char *level);

/* One tier an API names: field (for messages: "apiTier", "resources[2].throttlingTier",
   "subscriptionTiers[0]"), the name (belongs to the API) and the throttle level it is used
   at. */
typedef struct {
  char *field;
  const char *tier;
  const char *level;
} TierRef;

/* Every tier api names, apiTier first, then resources and subscription tiers in order, with
   NULL or "" left out (the stored default is Unlimited). Caller unrefs. */
GPtrArray *tier_refs_of_api(const TgApi *api);

/* tier for a message: quoted, escaped (control and non-ASCII bytes as \ooo), cut at
   TG_NAME_MAX bytes ("..." then). Caller frees. */
char *tier_ref_quoted(const char *tier);

/* 400 "FIELD: \"TIER\" is not a tier name: a tier name is ..." unless tier follows the name
   rule; the name is quoted escaped and cut (it may hold anything). */
gboolean tier_ref_name_ok(const char *field, const char *tier, GError **error);

/* The rule of every API write: each reference of api follows the name rule and exists at one
   of tier_ref_levels(its level); else 400 naming the field and the tier. Reads the tiers with
   a locking read: inside the write's transaction, a deleteTier running meanwhile either waits
   for the write (and then sees its reference) or wins (and the write is refused). */
gboolean tier_refs_check(MYSQL *conn, const TgApi *api, GError **error);

/* The rule of one tier named outside an API (an application's tier, a subscription's): as
   tier_refs_check for one reference named field, used at throttle level level. */
gboolean tier_ref_check(MYSQL *conn, const char *field, const char *tier, const char *level,
                        GError **error);

/* deleteTier's rule: 409 when references still resolve to (name, level): the tier a
   reference of each kind counted in use resolves to is the first of tier_ref_levels(kind's
   level) in levels_before (the levels name existed at, level included). */
gboolean tier_delete_allowed(const char *name, const char *level, const char *const *levels_before,
                             const StoreTierUse *use, GError **error);

/* addTier's rule against look-alikes: 409 when one of others (rows {name, level}, the tiers
   whose name equals name ignoring case) is a look-alike of name (tg_name_look_alike) that a
   reference could resolve to as well as to name at level: one at the same level, or an API
   tier beside a SUBSCRIPTION one (an apiTier looks up both, tier_ref_levels). Levels no
   reference shares (APPLICATION, RESOURCE, and either beside SUBSCRIPTION) are not compared:
   each field names its level, and the same name at several levels is allowed (Unlimited). */
gboolean tier_name_distinct(const char *name, const char *level, const GPtrArray *others,
                            GError **error);

#endif
