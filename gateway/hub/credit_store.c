/*
 * credit_store: per-key credit of the throttle plugin (credit_store.h). One
 * hash table of entries under one mutex; an entry is the key's state for its
 * current window only: credit held, credit used since the last report, what
 * the last grant said, the waiters of a refill. An entry whose window ended
 * is reported and dropped by the next drain, or rolled over by the next take.
 * An entry is reference-counted (under the lock) so that callers can keep it
 * between requests (CreditKeyRef.entry); a dropped one is replaced at their next take.
 * A key whose tier the hubs do not have (grantCredits 404) is not limited and asks again
 * after ASK_AGAIN_NO_TIER_MS or a tier change, whichever comes first (HACKING.md).
 */
#include "credit_store.h"

#include <string.h>

#include "tg_hash.h"

#define ASK_AGAIN_EXHAUSTED_MS 250   /* a spent window is asked again this often (returns) */
#define ASK_AGAIN_FAILING_MS   1000  /* hubs unreachable: a refill is tried this often */
#define ASK_AGAIN_NO_TIER_MS   30000 /* no such tier: asked again this often (or on a change) */
#define FAILING_IDLE_MS        5000  /* a key on its fail mode unused this long leaves it */

typedef struct {
  CreditWaiter fn;
  gpointer data;
} Waiter;

typedef struct CreditEntry {
  char *key, *level, *tier;
  guint refs;       /* the table's (until dropped) and the callers' that keep it */
  gboolean dropped; /* no longer in the table: callers that kept it look the key up again */
  gint64 window_start, window_end; /* 0: not known yet */
  gint64 limit;                    /* from the last grant; 0 unlimited */
  gboolean known;                  /* a grant for this window came back */
  gint64 credits, last_grant, ledger_left, used;
  gboolean exhausted, pending, failing;
  gboolean no_tier; /* the hubs answered that the tier does not exist: not limited */
  gint64 last_ask_ms, last_use_ms;
  gint64 rate_sec, rate_count, rate_prev; /* admissions per second, this and the last */
  gint64 fail_used;
  gint64 bytes_estimate; /* a bytes key: its last response's size (0 unknown) */
  gint gateways;
  TgFailMode fail_mode;
  gboolean let_through; /* stopOnQuotaReach false: over the limit is admitted */
  gboolean bytes;       /* counts response bytes (level ..._BYTES) */
  GArray *waiters;      /* Waiter */
} Entry;

struct CreditStore {
  GMutex lock;
  GHashTable *entries; /* key -> Entry */
  GPtrArray *lines;    /* CreditReportLine *, waiting for the next drain */
  guint failing;
  guint64 no_tier_admitted;
};

void credit_report_line_free(gpointer p) {
  CreditReportLine *l = p;
  if (!l) return;
  g_free(l->key);
  g_free(l);
}

static void entry_free(gpointer p) {
  Entry *e = p;
  g_free(e->key);
  g_free(e->level);
  g_free(e->tier);
  if (e->waiters) g_array_unref(e->waiters);
  g_free(e);
}

/* The table's reference goes (the entry is dropped from it), or a caller's. */
static void entry_unref(gpointer p) {
  Entry *e = p;
  if (--e->refs == 0) entry_free(e);
}

static void entry_drop(gpointer p) {
  Entry *e = p;
  e->dropped = TRUE;
  entry_unref(e);
}

CreditStore *credit_store_new(void) {
  CreditStore *s = g_new0(CreditStore, 1);
  g_mutex_init(&s->lock);
  s->entries = g_hash_table_new_full(tg_str_hash, g_str_equal, NULL, entry_drop);
  s->lines = g_ptr_array_new_with_free_func(credit_report_line_free);
  return s;
}

void credit_store_free(CreditStore *s) {
  if (!s) return;
  g_hash_table_destroy(s->entries);
  g_ptr_array_unref(s->lines);
  g_mutex_clear(&s->lock);
  g_free(s);
}

static void add_line(CreditStore *s, const char *key, gint64 window, gint64 used, gint64 unused) {
  if (used <= 0 && unused <= 0) return;
  CreditReportLine *l = g_new0(CreditReportLine, 1);
  l->key = g_strdup(key);
  l->window_start = window;
  l->used = MAX(used, 0);
  l->unused = MAX(unused, 0);
  g_ptr_array_add(s->lines, l);
}

static Entry *entry_get(CreditStore *s, const char *key, const char *level, const char *tier) {
  Entry *e = g_hash_table_lookup(s->entries, key);
  if (e) return e;
  e = g_new0(Entry, 1);
  e->key = g_strdup(key);
  e->level = g_strdup(level);
  e->tier = g_strdup(tier);
  e->bytes = level && g_str_has_suffix(level, "_BYTES");
  e->gateways = 1;
  e->refs = 1;
  g_hash_table_insert(s->entries, e->key, e);
  return e;
}

static void set_failing(CreditStore *s, Entry *e, gboolean failing) {
  if (e->failing == failing) return;
  e->failing = failing;
  if (failing)
    s->failing++;
  else
    s->failing--;
}

/* The window ended: report its use, give back its credit, start the next one. */
static void entry_roll(CreditStore *s, Entry *e, gint64 now_ms) {
  gint64 unit = e->window_end - e->window_start;
  add_line(s, e->key, e->window_start, e->used, e->credits);
  e->used = e->credits = e->fail_used = 0;
  e->known = e->exhausted = FALSE;
  e->window_start = tg_window_start(now_ms, unit);
  e->window_end = e->window_start + unit;
}

static void rate_add(Entry *e, gint64 now_ms, gint64 n) {
  gint64 sec = now_ms / 1000;
  if (sec != e->rate_sec) {
    e->rate_prev = sec == e->rate_sec + 1 ? e->rate_count : 0;
    e->rate_sec = sec;
    e->rate_count = 0;
  }
  e->rate_count += n;
}

static void rate_count(Entry *e, gint64 now_ms) { rate_add(e, now_ms, 1); }

/* What one request reserves: one credit, or for a bytes key the size of the key's last
   response (1 before the first), corrected by credit_store_spend(). */
static gint64 need_of(const Entry *e) { return e->bytes ? MAX(e->bytes_estimate, 1) : 1; }

/* About one second of the key's recent rate, at least 1 and a hundredth of the limit;
   near the end of the quota no more than a share of what the ledger still holds, so the
   remainder goes out in small slices to every gateway that asks. */
static gint64 rate_amount(const Entry *e) {
  gint64 amount = MAX(MAX(e->rate_prev, e->rate_count), 1);
  if (e->limit <= 0) return amount;
  amount = MIN(MAX(amount, e->limit / 100), e->limit);
  if (e->known) amount = MIN(amount, MAX(1, e->ledger_left / (2 * MAX(e->gateways, 1))));
  return amount;
}

/* Credit is asked for before it runs out only while the ledger holds plenty: near the end
   of a window's quota a gateway asks when it has none, so what is left goes to the
   gateways that have requests, not to one that would hold it. */
static gboolean prefetch_ok(const Entry *e) {
  return e->ledger_left >= MAX(8 * rate_amount(e), e->limit / 4);
}

/* A request key asks for its rate. A bytes key asks for whole reservations (a debt paid
   first): its rate rounded up, and near the end of the quota exactly the next one, so that
   no gateway holds a piece too small for a response that another gateway could use. */
static gint64 ask_amount(const Entry *e) {
  gint64 amount = rate_amount(e);
  if (!e->bytes) return amount;
  gint64 need = need_of(e);
  gboolean near_end = e->known && e->limit > 0 && !prefetch_ok(e);
  gint64 hold = near_end ? need : (amount + need - 1) / need * need;
  return MAX(hold - e->credits, 1);
}

static gint64 ask(Entry *e, gint64 now_ms) {
  e->pending = TRUE;
  e->last_ask_ms = now_ms;
  return ask_amount(e);
}

static CreditResult take_failing(Entry *e, gint64 now_ms, gboolean bytes, CreditTake *out) {
  if (!e->pending && now_ms - e->last_ask_ms >= ASK_AGAIN_FAILING_MS) out->refill = ask(e, now_ms);
  if (e->limit <= 0 || e->fail_mode == TG_FAIL_OPEN) return CREDIT_TAKEN;
  if (e->fail_mode == TG_FAIL_CLOSED) return CREDIT_REFUSED;
  if (e->fail_used >= tg_static_share(e->limit, e->gateways)) return CREDIT_REFUSED;
  if (bytes) return CREDIT_TAKEN; /* credit_store_spend counts the bytes sent */
  e->fail_used++;
  rate_count(e, now_ms);
  return CREDIT_TAKEN;
}

/* The tier does not exist: admitted (nothing to limit by), the hub asked again after the
   back-off (credit_store_tiers_changed shortens it). */
static CreditResult take_no_tier(CreditStore *s, Entry *e, gint64 now_ms, CreditTake *out) {
  if (!e->pending && now_ms - e->last_ask_ms >= ASK_AGAIN_NO_TIER_MS) out->refill = ask(e, now_ms);
  s->no_tier_admitted++;
  return CREDIT_TAKEN;
}

/* Inlined: a request takes two or three keys, and the call cost a third of each take. */
G_ALWAYS_INLINE static inline CreditResult take_locked(CreditStore *s, Entry *e, gint64 now_ms,
                                                       gboolean bytes, CreditWaiter waiter,
                                                       CreditWaiter hold, gpointer data,
                                                       CreditTake *out) {
  if (e->window_end > 0 && now_ms >= e->window_end) entry_roll(s, e, now_ms);
  e->last_use_ms = now_ms;
  out->limit = e->limit;
  out->reset_ms = e->window_end;
  out->window_ms = e->window_end - e->window_start;
  if (e->known && e->limit == 0) return CREDIT_TAKEN;
  gint64 need = need_of(e);
  if (e->credits >= need) {
    e->credits -= need;
    e->used += need;
    rate_add(e, now_ms, need);
    out->counted = TRUE;
    out->reserved = need;
    out->remaining = e->ledger_left + e->credits;
    if (!e->pending && !e->exhausted && e->credits * 2 < e->last_grant && prefetch_ok(e))
      out->refill = ask(e, now_ms);
    return CREDIT_TAKEN;
  }
  if (e->failing) return take_failing(e, now_ms, bytes, out);
  if (e->no_tier) return take_no_tier(s, e, now_ms, out);
  if (e->exhausted) {
    if (e->credits > 0) { /* a bytes key's credit too small for a response: back to the ledger */
      add_line(s, e->key, e->window_start, 0, e->credits);
      e->ledger_left += e->credits;
      e->credits = 0;
    }
    if (!e->pending && now_ms - e->last_ask_ms >= ASK_AGAIN_EXHAUSTED_MS)
      out->refill = ask(e, now_ms);
    out->over_quota = e->let_through;
    return e->let_through ? CREDIT_TAKEN : CREDIT_REFUSED;
  }
  if (waiter) {
    if (!e->waiters) e->waiters = g_array_new(FALSE, FALSE, sizeof(Waiter));
    Waiter w = {waiter, data};
    g_array_append_val(e->waiters, w);
    if (hold) hold(data);
  }
  if (!e->pending) out->refill = ask(e, now_ms);
  return CREDIT_WAIT;
}

CreditResult credit_store_take(CreditStore *s, const char *key, const char *level, const char *tier,
                               gint64 now_ms, CreditWaiter waiter, gpointer data, CreditTake *out) {
  memset(out, 0, sizeof *out);
  g_mutex_lock(&s->lock);
  Entry *e = entry_get(s, key, level, tier);
  CreditResult r = take_locked(s, e, now_ms, FALSE, waiter, NULL, data, out);
  g_mutex_unlock(&s->lock);
  return r;
}

static void refund_entry(Entry *e, gint64 amount) {
  amount = e ? MIN(amount, e->used) : 0;
  if (amount > 0) {
    e->used -= amount;
    e->credits += amount;
  }
}

void credit_store_refund(CreditStore *s, const char *key) {
  g_mutex_lock(&s->lock);
  refund_entry(g_hash_table_lookup(s->entries, key), 1);
  g_mutex_unlock(&s->lock);
}

/* The entry of a key: the one its caller kept unless it was dropped meanwhile (then the
   caller keeps the current one), else a lookup. */
G_ALWAYS_INLINE static inline Entry *key_entry(CreditStore *s, const CreditKeyRef *k) {
  Entry *e = k->entry ? *k->entry : NULL;
  if (e && !e->dropped) return e;
  e = entry_get(s, k->key, k->level, k->tier);
  if (k->entry) {
    if (*k->entry) entry_unref(*k->entry);
    e->refs++;
    *k->entry = e;
  }
  return e;
}

void credit_store_forget(CreditStore *s, const CreditKeyRef *keys, guint n) {
  g_mutex_lock(&s->lock);
  for (guint i = 0; i < n; i++) {
    if (!keys[i].entry || !*keys[i].entry) continue;
    entry_unref(*keys[i].entry);
    *keys[i].entry = NULL;
  }
  g_mutex_unlock(&s->lock);
}

CreditResult credit_store_take_all_held(CreditStore *s, const CreditKeyRef *keys, guint n,
                                        gint64 now_ms, CreditWaiter waiter, CreditWaiter hold,
                                        gpointer data, CreditTake *outs, guint *at) {
  CreditResult r = CREDIT_TAKEN;
  guint i = 0;
  g_mutex_lock(&s->lock);
  for (; i < n; i++) {
    memset(&outs[i], 0, sizeof outs[i]);
    r = take_locked(s, key_entry(s, &keys[i]), now_ms, keys[i].bytes, waiter, hold, data, &outs[i]);
    if (r != CREDIT_TAKEN) break;
  }
  for (guint j = 0; r != CREDIT_TAKEN && j < i; j++)
    if (outs[j].counted) refund_entry(key_entry(s, &keys[j]), outs[j].reserved);
  g_mutex_unlock(&s->lock);
  *at = i;
  return r;
}

CreditResult credit_store_take_all(CreditStore *s, const CreditKeyRef *keys, guint n, gint64 now_ms,
                                   CreditWaiter waiter, gpointer data, CreditTake *outs,
                                   guint *at) {
  return credit_store_take_all_held(s, keys, n, now_ms, waiter, NULL, data, outs, at);
}

/* The hubs have no such tier: the window's use is reported, nothing is held or limited. */
static void entry_no_tier(CreditStore *s, Entry *e) {
  if (e->window_end > 0) add_line(s, e->key, e->window_start, e->used, e->credits);
  e->used = e->credits = e->fail_used = e->limit = e->ledger_left = 0;
  e->window_start = e->window_end = 0;
  e->known = e->exhausted = FALSE;
  e->no_tier = TRUE;
}

static void apply_grant(CreditStore *s, Entry *e, const CreditGrantInfo *g, gint64 now_ms) {
  if (g->no_tier) {
    set_failing(s, e, FALSE);
    entry_no_tier(s, e);
    return;
  }
  if (!g->ok) {
    set_failing(s, e, TRUE);
    return;
  }
  set_failing(s, e, FALSE);
  e->no_tier = FALSE;
  e->gateways = MAX(g->gateways, 1);
  e->fail_mode = g->fail_mode;
  e->let_through = g->let_through;
  if (e->window_start > g->window_start) { /* the answer of a window that ended meanwhile */
    add_line(s, e->key, g->window_start, 0, g->granted);
    return;
  }
  if (e->window_start < g->window_start && e->window_end > 0) {
    e->window_end = MIN(e->window_end, now_ms);
    entry_roll(s, e, now_ms);
  }
  e->window_start = g->window_start;
  e->window_end = g->window_end;
  e->known = TRUE;
  e->limit = g->limit;
  e->credits += g->granted;
  e->last_grant = MAX(g->granted, 1);
  e->ledger_left = g->remaining;
  e->exhausted = g->limit > 0 && g->granted == 0;
}

gint64 credit_store_spend(CreditStore *s, const char *key, gint64 reserved, gint64 sent,
                          gint64 now_ms) {
  gint64 refill = 0;
  g_mutex_lock(&s->lock);
  Entry *e = g_hash_table_lookup(s->entries, key);
  if (e && !(e->window_end > 0 && now_ms >= e->window_end)) {
    e->bytes_estimate = MAX(sent, 0);
    if (e->failing) {
      e->fail_used += MAX(sent, 0);
    } else if (e->known && e->limit > 0) {
      e->credits -= sent - reserved; /* a refund, or a debt the next grant pays */
      e->used += sent - reserved;
      if (sent > reserved) rate_add(e, now_ms, sent - reserved);
    }
    gboolean low = e->credits < need_of(e) || (e->credits * 2 < e->last_grant && prefetch_ok(e));
    if (e->known && e->limit > 0 && !e->failing && !e->pending && !e->exhausted && low)
      refill = ask(e, now_ms);
  }
  g_mutex_unlock(&s->lock);
  return refill;
}

void credit_store_granted(CreditStore *s, const char *key, const CreditGrantInfo *g,
                          gint64 now_ms) {
  GArray *waiters = NULL;
  g_mutex_lock(&s->lock);
  Entry *e = g_hash_table_lookup(s->entries, key);
  if (!e) {
    if (g->ok) add_line(s, key, g->window_start, 0, g->granted);
  } else {
    e->pending = FALSE;
    apply_grant(s, e, g, now_ms);
    waiters = e->waiters;
    e->waiters = NULL;
  }
  g_mutex_unlock(&s->lock);
  for (guint i = 0; waiters && i < waiters->len; i++) {
    Waiter *w = &g_array_index(waiters, Waiter, i);
    w->fn(w->data);
  }
  if (waiters) g_array_unref(waiters);
}

GPtrArray *credit_store_drain_reports(CreditStore *s, gint64 now_ms, gint64 idle_ms) {
  g_mutex_lock(&s->lock);
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init(&it, s->entries);
  while (g_hash_table_iter_next(&it, NULL, &value)) {
    Entry *e = value;
    gboolean busy = e->pending || (e->waiters && e->waiters->len > 0);
    if (e->window_end > 0 && now_ms >= e->window_end && !busy) {
      add_line(s, e->key, e->window_start, e->used, e->credits);
      if (e->failing) s->failing--;
      g_hash_table_iter_remove(&it);
      continue;
    }
    if (e->failing && !busy && now_ms - e->last_use_ms >= FAILING_IDLE_MS) {
      /* unused since the hubs went away: off its fail mode, so that the failing-keys gauge
         counts keys in use; its next use asks the hubs first. With no window yet (never
         granted), nothing is left to keep. */
      set_failing(s, e, FALSE);
      if (e->window_end == 0) {
        g_hash_table_iter_remove(&it);
        continue;
      }
    }
    if (e->no_tier && !e->failing && !busy && now_ms - e->last_use_ms >= ASK_AGAIN_NO_TIER_MS) {
      g_hash_table_iter_remove(&it); /* idle: the table does not keep every key ever seen */
      continue;
    }
    gint64 unused = 0;
    if (e->credits > 0 && !e->pending && now_ms - e->last_use_ms >= idle_ms) {
      unused = e->credits;
      e->credits = 0;
      e->ledger_left += unused;
    }
    add_line(s, e->key, e->window_start, e->used, unused);
    e->used = 0;
  }
  GPtrArray *out = s->lines;
  s->lines = g_ptr_array_new_with_free_func(credit_report_line_free);
  g_mutex_unlock(&s->lock);
  return out;
}

void credit_store_requeue(CreditStore *s, GPtrArray *lines) {
  g_mutex_lock(&s->lock);
  while (lines->len > 0 && s->lines->len < 100000)
    g_ptr_array_add(s->lines, g_ptr_array_steal_index(lines, 0));
  g_mutex_unlock(&s->lock);
}

void credit_store_tiers_changed(CreditStore *s) {
  g_mutex_lock(&s->lock);
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init(&it, s->entries);
  while (g_hash_table_iter_next(&it, NULL, &value)) {
    Entry *e = value;
    if (e->no_tier) e->last_ask_ms = 0;
  }
  g_mutex_unlock(&s->lock);
}

guint64 credit_store_no_tier_admitted(CreditStore *s) {
  g_mutex_lock(&s->lock);
  guint64 n = s->no_tier_admitted;
  g_mutex_unlock(&s->lock);
  return n;
}

guint credit_store_failing(CreditStore *s) {
  g_mutex_lock(&s->lock);
  guint n = s->failing;
  g_mutex_unlock(&s->lock);
  return n;
}

guint credit_store_size(CreditStore *s) {
  g_mutex_lock(&s->lock);
  guint n = g_hash_table_size(s->entries);
  g_mutex_unlock(&s->lock);
  return n;
}
