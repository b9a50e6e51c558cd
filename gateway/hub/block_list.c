/*
 * block_list: blocking conditions as an immutable, reference-counted
 * snapshot swapped under a short lock (block_list.h).
 */
#include "block_list.h"

#include <string.h>

#include "tg_cidr.h"

typedef enum { BLOCK_API, BLOCK_APPLICATION, BLOCK_USER, BLOCK_IP } BlockKind;

typedef struct {
  BlockKind kind;
  char *value;
  TgCidr range;
} Condition;

typedef struct {
  GArray *conditions; /* Condition */
} Snapshot;

struct BlockList {
  GMutex lock;
  Snapshot *current; /* g_atomic_rc_box */
  gint size;         /* conditions in current (atomic): an empty list costs no lock */
};

static void snapshot_clear(gpointer p) {
  Snapshot *s = p;
  for (guint i = 0; i < s->conditions->len; i++)
    g_free(g_array_index(s->conditions, Condition, i).value);
  g_array_unref(s->conditions);
}

static Snapshot *snapshot_new(void) {
  Snapshot *s = g_atomic_rc_box_new0(Snapshot);
  s->conditions = g_array_new(FALSE, FALSE, sizeof(Condition));
  return s;
}

BlockList *block_list_new(void) {
  BlockList *l = g_new0(BlockList, 1);
  g_mutex_init(&l->lock);
  l->current = snapshot_new();
  return l;
}

void block_list_free(BlockList *l) {
  if (!l) return;
  g_atomic_rc_box_release_full(l->current, snapshot_clear);
  g_mutex_clear(&l->lock);
  g_free(l);
}

static gboolean kind_parse(const char *s, BlockKind *out) {
  static const char *const names[] = {"API", "APPLICATION", "USER", "IP"};
  for (guint i = 0; s && i < G_N_ELEMENTS(names); i++)
    if (strcmp(s, names[i]) == 0) {
      *out = (BlockKind)i;
      return TRUE;
    }
  return FALSE;
}

void block_list_set(BlockList *l, const char *const *kinds, const char *const *values, guint n) {
  Snapshot *s = snapshot_new();
  for (guint i = 0; i < n; i++) {
    Condition c = {0};
    if (!values[i] || !kind_parse(kinds[i], &c.kind)) continue;
    if (c.kind == BLOCK_IP && !tg_cidr_parse(values[i], &c.range)) {
      g_warning("blocking condition IP %s: not an address or range, skipped", values[i]);
      continue;
    }
    c.value = g_strdup(values[i]);
    g_array_append_val(s->conditions, c);
  }
  g_mutex_lock(&l->lock);
  Snapshot *old = l->current;
  l->current = s;
  g_atomic_int_set(&l->size, (gint)s->conditions->len);
  g_mutex_unlock(&l->lock);
  g_atomic_rc_box_release_full(old, snapshot_clear);
}

static Snapshot *snapshot_get(BlockList *l) {
  g_mutex_lock(&l->lock);
  Snapshot *s = g_atomic_rc_box_acquire(l->current);
  g_mutex_unlock(&l->lock);
  return s;
}

static gboolean condition_match(const Condition *c, const BlockSubject *sub) {
  switch (c->kind) {
  case BLOCK_API:
    return sub->api && strcmp(c->value, sub->api) == 0;
  case BLOCK_APPLICATION:
    return sub->application && strcmp(c->value, sub->application) == 0;
  case BLOCK_USER:
    return sub->user && strcmp(c->value, sub->user) == 0;
  case BLOCK_IP:
    return tg_cidr_contains(&c->range, sub->client_ip);
  }
  return FALSE;
}

gboolean block_list_match(BlockList *l, const BlockSubject *sub) {
  if (g_atomic_int_get(&l->size) == 0) return FALSE;
  Snapshot *s = snapshot_get(l);
  gboolean hit = FALSE;
  for (guint i = 0; !hit && i < s->conditions->len; i++)
    hit = condition_match(&g_array_index(s->conditions, Condition, i), sub);
  g_atomic_rc_box_release_full(s, snapshot_clear);
  return hit;
}

guint block_list_size(BlockList *l) {
  Snapshot *s = snapshot_get(l);
  guint n = s->conditions->len;
  g_atomic_rc_box_release_full(s, snapshot_clear);
  return n;
}

gboolean block_list_empty(BlockList *l) { return g_atomic_int_get(&l->size) == 0; }
