/*
 * policy_set: custom policies and bytes-counting tiers as an immutable,
 * reference-counted snapshot swapped under a short lock (policy_set.h).
 */
#include "policy_set.h"

#include <string.h>

#include "tg_throttle.h"

struct PolicySnapshot {
  GArray *rules;                  /* CustomRule */
  GHashTable *tiers[TIER_LEVELS]; /* name -> GUINT_TO_POINTER(TIER_BYTES | TIER_BURST | 8) */
};

struct PolicySet {
  GMutex lock;
  PolicySnapshot *current; /* g_atomic_rc_box; NULL when empty */
  gint active;             /* current != NULL (atomic): an empty set costs no lock */
  gint generation;         /* replaces so far (atomic) */
  gint has_rules;          /* current has custom policies (atomic) */
};

static void snapshot_clear(gpointer p) {
  PolicySnapshot *s = p;
  for (guint i = 0; i < s->rules->len; i++) {
    CustomRule *r = &g_array_index(s->rules, CustomRule, i);
    g_free(r->header);
    g_free(r->context);
  }
  g_array_unref(s->rules);
  for (guint i = 0; i < TIER_LEVELS; i++) g_hash_table_destroy(s->tiers[i]);
}

PolicySet *policy_set_new(void) {
  PolicySet *set = g_new0(PolicySet, 1);
  g_mutex_init(&set->lock);
  return set;
}

void policy_set_free(PolicySet *set) {
  if (!set) return;
  if (set->current) g_atomic_rc_box_release_full(set->current, snapshot_clear);
  g_mutex_clear(&set->lock);
  g_free(set);
}

static gboolean rule_from_def(const CustomRuleDef *d, CustomRule *r) {
  static const char *const names[] = {"USER", "APPLICATION", "API", "IP", "HEADER"};
  const char *key_by = tg_custom_key_by_canonical(d->key_by);
  if (!key_by || d->id < 1 || (d->request_count <= 0 && d->bytes_count <= 0)) return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS(names); i++)
    if (strcmp(key_by, names[i]) == 0) r->key_by = (PolicyKeyBy)i;
  if (r->key_by == POLICY_BY_HEADER && !(d->header_name && *d->header_name)) return FALSE;
  g_snprintf(r->id, sizeof r->id, "%" G_GINT64_FORMAT, d->id);
  r->header = r->key_by == POLICY_BY_HEADER ? g_ascii_strdown(d->header_name, -1) : NULL;
  r->context = g_strdup(d->api_context ? d->api_context : "");
  r->requests = d->request_count > 0;
  r->bytes = d->bytes_count > 0;
  return TRUE;
}

static int level_index(const char *level) {
  static const char *const names[] = {"SUBSCRIPTION", "APPLICATION", "API", "RESOURCE"};
  for (guint i = 0; level && i < G_N_ELEMENTS(names); i++)
    if (g_ascii_strcasecmp(level, names[i]) == 0) return (int)i;
  return -1;
}

void policy_set_replace(PolicySet *set, const CustomRuleDef *defs, guint n, const TierDef *tiers,
                        guint n_tiers) {
  PolicySnapshot *s = g_atomic_rc_box_new0(PolicySnapshot);
  s->rules = g_array_new(FALSE, TRUE, sizeof(CustomRule));
  for (guint i = 0; i < TIER_LEVELS; i++)
    s->tiers[i] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < n; i++) {
    CustomRule r = {0};
    if (rule_from_def(&defs[i], &r))
      g_array_append_val(s->rules, r);
    else
      g_warning("throttle: custom policy %" G_GINT64_FORMAT " skipped: it does not parse",
                defs[i].id);
  }
  for (guint i = 0; i < n_tiers; i++) {
    int lv = level_index(tiers[i].level);
    guint flags = 8u | (tiers[i].bytes ? TIER_BYTES : 0) | (tiers[i].burst ? TIER_BURST : 0);
    if (lv < 0 || !tiers[i].name) continue;
    g_hash_table_insert(s->tiers[lv], g_strdup(tiers[i].name), GUINT_TO_POINTER(flags));
  }
  g_mutex_lock(&set->lock);
  PolicySnapshot *old = set->current;
  set->current = s;
  g_atomic_int_set(&set->active, 1);
  g_atomic_int_set(&set->has_rules, s->rules->len > 0);
  g_atomic_int_inc(&set->generation);
  g_mutex_unlock(&set->lock);
  if (old) g_atomic_rc_box_release_full(old, snapshot_clear);
}

PolicySnapshot *policy_set_acquire(PolicySet *set) {
  if (!g_atomic_int_get(&set->active)) return NULL;
  g_mutex_lock(&set->lock);
  PolicySnapshot *s = set->current ? g_atomic_rc_box_acquire(set->current) : NULL;
  g_mutex_unlock(&set->lock);
  return s;
}

guint policy_set_generation(PolicySet *set) { return (guint)g_atomic_int_get(&set->generation); }

gboolean policy_set_has_rules(PolicySet *set) { return g_atomic_int_get(&set->has_rules) != 0; }

void policy_snapshot_release(PolicySnapshot *s) {
  if (s) g_atomic_rc_box_release_full(s, snapshot_clear);
}

guint policy_snapshot_rules(const PolicySnapshot *s, const CustomRule **rules) {
  *rules = (const CustomRule *)(void *)s->rules->data;
  return s->rules->len;
}

guint policy_snapshot_tier(const PolicySnapshot *s, TierLevel level, const char *name) {
  if (!s || !name || level >= TIER_LEVELS) return TIER_UNKNOWN;
  guint flags = GPOINTER_TO_UINT(g_hash_table_lookup(s->tiers[level], name));
  return flags ? (flags & (TIER_BYTES | TIER_BURST)) : TIER_UNKNOWN;
}

static gboolean printable(const char *s, gsize len) {
  for (gsize i = 0; i < len; i++)
    if ((guchar)s[i] < 0x20 || (guchar)s[i] > 0x7e) return FALSE;
  return TRUE;
}

static gboolean who_copy(const char *value, char out[POLICY_WHO_MAX]) {
  gsize len = strlen(value);
  if (len <= POLICY_WHO_MAX / 2 && printable(value, len)) {
    memcpy(out, value, len + 1);
    return TRUE;
  }
  g_autofree char *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, value, (gssize)len);
  out[0] = '#';
  g_strlcpy(out + 1, hex, POLICY_WHO_MAX - 1);
  return TRUE;
}

gboolean policy_rule_who(const CustomRule *rule, const PolicySubject *subj, const char *header,
                         char out[POLICY_WHO_MAX]) {
  if (*rule->context && g_strcmp0(rule->context, subj->context) != 0) return FALSE;
  switch (rule->key_by) {
  case POLICY_BY_USER:
    return subj->user && who_copy(subj->user, out);
  case POLICY_BY_APPLICATION:
    return subj->application && who_copy(subj->application, out);
  case POLICY_BY_API:
    return subj->api && who_copy(subj->api, out);
  case POLICY_BY_IP:
    return who_copy(subj->client_ip ? subj->client_ip : "", out);
  case POLICY_BY_HEADER:
    return who_copy(header ? header : "", out);
  }
  return FALSE;
}
