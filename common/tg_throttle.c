/*
 * tg_throttle: window arithmetic, remainder slices, fail modes and level
 * names shared by the hub's ledger and the gateway's credit store (see
 * tg_throttle.h). Windows are fixed and epoch-aligned so every hub computes
 * the same window for a key without talking to the others.
 */
#include "tg_throttle.h"

#include <string.h>

gint64 tg_window_start(gint64 now_ms, gint64 unit_ms) {
  if (unit_ms <= 0) return now_ms;
  gint64 r = now_ms % unit_ms;
  if (r < 0) r += unit_ms;
  return now_ms - r;
}

gint64 tg_credit_slice(gint64 requested, gint64 remaining) {
  if (remaining <= 0 || requested <= 0) return 0;
  if (requested <= remaining) return requested;
  gint64 half = (remaining + 1) / 2;
  return MAX(1, MIN(half, remaining));
}

gint64 tg_static_share(gint64 limit, gint gateways) {
  if (limit <= 0) return 0;
  gint64 share = limit / MAX(gateways, 1);
  return MAX(share, 1);
}

static const char *const fail_names[] = {"static", "closed", "open"};

gboolean tg_fail_mode_parse(const char *s, TgFailMode *out) {
  for (guint i = 0; s && i < G_N_ELEMENTS(fail_names); i++) {
    if (g_ascii_strcasecmp(s, fail_names[i]) == 0) {
      *out = (TgFailMode)i;
      return TRUE;
    }
  }
  return FALSE;
}

const char *tg_fail_mode_name(TgFailMode mode) {
  return (guint)mode < G_N_ELEMENTS(fail_names) ? fail_names[mode] : fail_names[0];
}

const char *tg_tier_level_canonical(const char *s) {
  static const char *const levels[] = {"SUBSCRIPTION", "APPLICATION", "API", "RESOURCE"};
  for (guint i = 0; s && i < G_N_ELEMENTS(levels); i++)
    if (g_ascii_strcasecmp(s, levels[i]) == 0) return levels[i];
  return NULL;
}

gint64 tg_time_unit_seconds(const char *s) {
  static const struct {
    const char *name;
    gint64 seconds;
  } units[] = {{"second", 1},  {"s", 1},    {"sec", 1},     {"minute", 60}, {"min", 60},
               {"hour", 3600}, {"h", 3600}, {"day", 86400}, {"d", 86400}};
  for (guint i = 0; s && i < G_N_ELEMENTS(units); i++)
    if (g_ascii_strcasecmp(s, units[i].name) == 0) return units[i].seconds;
  return 0;
}

gboolean tg_rate_parse(const char *s, gint64 *count, gint64 *unit_s) {
  const char *slash = s ? strchr(s, '/') : NULL;
  if (!slash || slash == s) return FALSE;
  for (const char *p = s; p < slash; p++)
    if (!g_ascii_isdigit(*p)) return FALSE;
  if (slash - s > 12) return FALSE;
  gint64 n = g_ascii_strtoll(s, NULL, 10);
  gint64 u = tg_time_unit_seconds(slash + 1);
  if (n < 1 || (u != 1 && u != 60)) return FALSE;
  *count = n;
  *unit_s = u;
  return TRUE;
}

gint64 tg_sliding_slot_ms(gint64 unit_ms) { return MAX(unit_ms / TG_SLIDING_SLOTS, 1); }

gint64 tg_sliding_first_slot(gint64 slot_start, gint64 unit_ms) {
  return slot_start - (TG_SLIDING_SLOTS - 1) * tg_sliding_slot_ms(unit_ms);
}

const char *tg_credit_level_parse(const char *level, TgCreditMeasure *measure) {
  static const char *const bases[] = {"SUBSCRIPTION", "APPLICATION", "API",
                                      "RESOURCE",     "CUSTOM",      "HARD"};
  static const struct {
    const char *suffix;
    TgCreditMeasure measure;
  } suffixes[] = {
      {"", TG_CREDIT_REQUESTS}, {"_BURST", TG_CREDIT_BURST}, {"_BYTES", TG_CREDIT_BYTES}};
  for (guint i = 0; level && i < G_N_ELEMENTS(bases); i++) {
    gsize n = strlen(bases[i]);
    if (strncmp(level, bases[i], n) != 0) continue;
    for (guint j = 0; j < G_N_ELEMENTS(suffixes); j++) {
      if (strcmp(level + n, suffixes[j].suffix) != 0) continue;
      gboolean custom = strcmp(bases[i], "CUSTOM") == 0, hard = strcmp(bases[i], "HARD") == 0;
      if ((hard && j != 0) || (custom && suffixes[j].measure == TG_CREDIT_BURST)) return NULL;
      *measure = suffixes[j].measure;
      return bases[i];
    }
  }
  return NULL;
}

const char *tg_custom_key_by_canonical(const char *s) {
  static const char *const keys[] = {"USER", "APPLICATION", "API", "IP", "HEADER"};
  for (guint i = 0; s && i < G_N_ELEMENTS(keys); i++)
    if (g_ascii_strcasecmp(s, keys[i]) == 0) return keys[i];
  return NULL;
}
