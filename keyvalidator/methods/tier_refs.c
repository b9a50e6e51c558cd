/*
 * tier_refs.c: the rule for the tiers an API names (tier_refs.h): one table of the levels a
 * reference is looked up at, shared with grantCredits, so what an API write accepts is what
 * the gateway then finds. Names compare byte for byte, as AM_TIER's utf8mb4_bin key does:
 * "gold" is not "Gold". Trade-off: one small query per distinct tier an API names.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "store_apis.h"
#include "tg_names.h"
#include "tier_refs.h"

static const char *const levels_api[] = {"API", "SUBSCRIPTION", NULL};
static const char *const levels_resource[] = {"RESOURCE", NULL};
static const char *const levels_subscription[] = {"SUBSCRIPTION", NULL};
static const char *const levels_application[] = {"APPLICATION", NULL};

const char *const *tier_ref_levels(const char *level) {
  if (g_strcmp0(level, "API") == 0) return levels_api;
  if (g_strcmp0(level, "RESOURCE") == 0) return levels_resource;
  if (g_strcmp0(level, "SUBSCRIPTION") == 0) return levels_subscription;
  if (g_strcmp0(level, "APPLICATION") == 0) return levels_application;
  return NULL;
}

static void tier_ref_free(gpointer p) {
  TierRef *r = p;
  g_free(r->field);
  g_free(r);
}

static void ref_add(GPtrArray *refs, char *field, const char *tier, const char *level) {
  if (tier == NULL || *tier == '\0') {
    g_free(field);
    return;
  }
  TierRef *r = g_new(TierRef, 1);
  *r = (TierRef){field, tier, level};
  g_ptr_array_add(refs, r);
}

GPtrArray *tier_refs_of_api(const TgApi *api) {
  GPtrArray *refs = g_ptr_array_new_with_free_func(tier_ref_free);
  ref_add(refs, g_strdup("apiTier"), api->apiTier, "API");
  for (guint i = 0; api->resources && i < api->resources->len; i++) {
    const TgResource *r = g_ptr_array_index(api->resources, i);
    ref_add(refs, g_strdup_printf("resources[%u].throttlingTier", i), r->throttlingTier,
            "RESOURCE");
  }
  for (guint i = 0; api->subscriptionTiers && i < api->subscriptionTiers->len; i++)
    ref_add(refs, g_strdup_printf("subscriptionTiers[%u]", i),
            g_ptr_array_index(api->subscriptionTiers, i), "SUBSCRIPTION");
  return refs;
}

char *tier_ref_quoted(const char *tier) {
  g_autofree char *cut = g_strndup(tier, TG_NAME_MAX);
  g_autofree char *esc = g_strescape(cut, NULL);
  return g_strdup_printf("\"%s\"%s", esc, strlen(tier) > TG_NAME_MAX ? "..." : "");
}

gboolean tier_ref_name_ok(const char *field, const char *tier, GError **error) {
  if (tg_name_valid(tier)) return TRUE;
  g_autofree char *q = tier_ref_quoted(tier ? tier : "");
  return mgmt_refuse(error, 400, "%s: %s is not a tier name: a tier name is " TG_NAME_RULE, field,
                     q);
}

/* "API or SUBSCRIPTION" */
static char *levels_text(const char *const *levels) { return g_strjoinv(" or ", (char **)levels); }

/* Whether r was looked up already (an earlier reference of the same tier and level). */
static gboolean seen_before(const GPtrArray *refs, guint i) {
  const TierRef *r = g_ptr_array_index(refs, i);
  for (guint j = 0; j < i; j++) {
    const TierRef *o = g_ptr_array_index(refs, j);
    if (strcmp(o->tier, r->tier) == 0 && strcmp(o->level, r->level) == 0) return TRUE;
  }
  return FALSE;
}

/* 400 "FIELD: no LEVELS tier \"TIER\" (see listTiers)" unless r's tier exists at one of the
   levels it is looked up at; a locking read. */
static gboolean ref_exists(MYSQL *conn, const TierRef *r, GError **error) {
  const char *const *levels = tier_ref_levels(r->level);
  gboolean exists = FALSE;
  if (!store_tier_exists(conn, r->tier, levels, TRUE, &exists, error)) return FALSE;
  if (exists) return TRUE;
  g_autofree char *q = tier_ref_quoted(r->tier);
  g_autofree char *lv = levels_text(levels);
  return mgmt_refuse(error, 400, "%s: no %s tier %s (see listTiers)", r->field, lv, q);
}

gboolean tier_refs_check(MYSQL *conn, const TgApi *api, GError **error) {
  g_autoptr(GPtrArray) refs = tier_refs_of_api(api);
  for (guint i = 0; i < refs->len; i++) {
    const TierRef *r = g_ptr_array_index(refs, i);
    if (!tier_ref_name_ok(r->field, r->tier, error)) return FALSE;
  }
  for (guint i = 0; i < refs->len; i++)
    if (!seen_before(refs, i) && !ref_exists(conn, g_ptr_array_index(refs, i), error)) return FALSE;
  return TRUE;
}

gboolean tier_ref_check(MYSQL *conn, const char *field, const char *tier, const char *level,
                        GError **error) {
  TierRef r = {(char *)field, tier, level};
  return tier_ref_name_ok(field, tier, error) && ref_exists(conn, &r, error);
}

/* Whether one reference can resolve to a tier at level a and to one at level b: the same
   level, or both in one kind's lookup list (API and SUBSCRIPTION, for an apiTier). */
static gboolean levels_meet(const char *a, const char *b) {
  static const char *const kinds[] = {"API", "RESOURCE", "SUBSCRIPTION", "APPLICATION"};
  if (g_strcmp0(a, b) == 0) return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
    const char *const *levels = tier_ref_levels(kinds[i]);
    if (g_strv_contains(levels, a) && g_strv_contains(levels, b)) return TRUE;
  }
  return FALSE;
}

gboolean tier_name_distinct(const char *name, const char *level, const GPtrArray *others,
                            GError **error) {
  for (guint i = 0; others != NULL && i < others->len; i++) {
    char **o = g_ptr_array_index(others, i);
    if (!tg_name_look_alike(name, o[0]) || !levels_meet(level, o[1])) continue;
    g_autofree char *q = tier_ref_quoted(name);
    g_autofree char *oq = tier_ref_quoted(o[0]);
    return mgmt_refuse(error, 409,
                       "%s tier %s would look like %s tier %s, which exists%s: a tier name must"
                       " differ from the others in more than case",
                       level, q, o[1], oq,
                       g_strcmp0(level, o[1]) != 0 ? " (an apiTier may name either)" : "");
  }
  return TRUE;
}

/* The kinds of reference deleteTier counts, each at the level it is used at. */
static const struct {
  const char *level, *what;
  gsize offset;
} use_kinds[] = {
    {"API", "API(s) with it as apiTier", offsetof(StoreTierUse, api_tier)},
    {"RESOURCE", "resource(s) with it as throttlingTier", offsetof(StoreTierUse, resources)},
    {"SUBSCRIPTION", "API(s) offering it in subscriptionTiers", offsetof(StoreTierUse, offered)},
    {"SUBSCRIPTION", "subscription(s)", offsetof(StoreTierUse, subscriptions)},
    {"APPLICATION", "application(s)", offsetof(StoreTierUse, applications)},
};

/* The level a reference used at level resolves to among levels_before, or NULL. */
static const char *resolved(const char *level, const char *const *levels_before) {
  const char *const *levels = tier_ref_levels(level);
  for (guint i = 0; levels && levels[i]; i++)
    if (g_strv_contains(levels_before, levels[i])) return levels[i];
  return NULL;
}

gboolean tier_delete_allowed(const char *name, const char *level, const char *const *levels_before,
                             const StoreTierUse *use, GError **error) {
  g_autoptr(GString) users = g_string_new(NULL);
  for (guint i = 0; i < G_N_ELEMENTS(use_kinds); i++) {
    gint64 n = *(const gint64 *)((const char *)use + use_kinds[i].offset);
    if (n <= 0 || g_strcmp0(resolved(use_kinds[i].level, levels_before), level) != 0) continue;
    g_string_append_printf(users, "%s%" G_GINT64_FORMAT " %s", users->len ? ", " : "", n,
                           use_kinds[i].what);
  }
  if (users->len == 0) return TRUE;
  g_autofree char *q = tier_ref_quoted(name);
  return mgmt_refuse(error, 409, "%s tier %s is in use: %s; change them to another tier first",
                     level, q, users->str);
}
