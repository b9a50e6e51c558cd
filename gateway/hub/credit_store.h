/*
 * credit_store: the credit a gateway holds for each throttle key, the gateway half of
 * "reserve, then spend" (HACKING.md, Traffic management). A request takes credits with no
 * I/O; the caller asks a hub for refills. Trade-off: one mutex for the whole store: a request
 * holds it for a hash lookup and a few additions. Design notes: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_CREDIT_STORE_H
#define TG_GATEWAY_CREDIT_STORE_H

#include <glib.h>

#include "tg_throttle.h"

typedef struct CreditStore CreditStore;
typedef struct CreditEntry CreditEntry; /* one key's state, opaque */

typedef enum {
  CREDIT_TAKEN,   /* one credit spent (or the key is unlimited / failing open) */
  CREDIT_REFUSED, /* over the limit for this window */
  CREDIT_WAIT,    /* no credit yet: the waiter is called after the refill */
} CreditResult;

/* What one take() tells its caller. */
typedef struct {
  gint64 limit;        /* 0: unknown or unlimited */
  gint64 remaining;    /* estimate: the ledger's remainder plus local credit */
  gint64 reset_ms;     /* end of the window (wall clock ms); 0 unknown */
  gint64 window_ms;    /* window length; 0 unknown */
  gint64 refill;       /* > 0: ask the hub for this much now (refill marked pending) */
  gboolean counted;    /* credit was spent (refund it if a later key refuses) */
  gint64 reserved;     /* how much: 1, or a bytes key's estimate (credit_store_spend) */
  gboolean over_quota; /* admitted past the limit: the tier lets traffic through */
} CreditTake;

/* A refill's answer (from grantCredits); ok FALSE: no hub answered; no_tier (ok FALSE too):
   a hub answered that the key's tier or policy does not exist (404). */
typedef struct {
  gboolean ok, no_tier;
  gint64 granted, window_start, window_end, limit, remaining;
  gint gateways;
  TgFailMode fail_mode;
  gboolean let_through; /* the tier does not stop on quota (stopOnQuotaReach false) */
} CreditGrantInfo;

/* A waiter: called (outside the lock) after the key's refill came back. */
typedef void (*CreditWaiter)(gpointer data);

/* One report line: used credit and unused credit given back, for (key, window). */
typedef struct {
  char *key;
  gint64 window_start, used, unused;
} CreditReportLine;
void credit_report_line_free(gpointer line);

CreditStore *credit_store_new(void);
void credit_store_free(CreditStore *store);

/* Takes one credit of key at now_ms (wall clock). level and tier go to the hub with a
   refill. CREDIT_WAIT queues waiter(data) unless waiter is NULL. */
CreditResult credit_store_take(CreditStore *store, const char *key, const char *level,
                               const char *tier, gint64 now_ms, CreditWaiter waiter, gpointer data,
                               CreditTake *out);
/* One key of a request, for credit_store_take_all. */
typedef struct {
  const char *key, *level, *tier;
  gboolean bytes;      /* counts response bytes: checked here, spent by credit_store_spend */
  CreditEntry **entry; /* NULL, or where take_all keeps the key's entry between calls (a
                          reference, dropped by credit_store_forget): no lookup by key */
} CreditKeyRef;

/* Takes one credit of each of the n keys in order under one lock. At the first key that
   refuses or must wait (waiter queued on it, unless NULL), the credit taken from the keys
   before it is given back; *at is that key's index (n when every key took). outs[0..*at]
   are filled (out[i].refill: ask the hub for key i now). */
CreditResult credit_store_take_all(CreditStore *store, const CreditKeyRef *keys, guint n,
                                   gint64 now_ms, CreditWaiter waiter, gpointer data,
                                   CreditTake *outs, guint *at);
/* The same; hold(data) is called under the lock when the waiter is queued, before it can be
   called: a caller takes the waiter's reference only when a request waits. */
CreditResult credit_store_take_all_held(CreditStore *store, const CreditKeyRef *keys, guint n,
                                        gint64 now_ms, CreditWaiter waiter, CreditWaiter hold,
                                        gpointer data, CreditTake *outs, guint *at);
/* Drops the entries take_all kept in *keys[i].entry (set to NULL). */
void credit_store_forget(CreditStore *store, const CreditKeyRef *keys, guint n);
/* A bytes key (CreditKeyRef.bytes) admitted a request on reserved bytes (CreditTake.reserved,
   0 when none were: unlimited, failing); its response sent sent bytes. The difference is
   given back or taken, into a debt when there is not enough (the next request waits until
   a refill pays it), and sent becomes the key's next reservation. Returns how much to ask
   the hub for now (0: nothing; refill marked pending). A window that ended meanwhile is not
   corrected. */
gint64 credit_store_spend(CreditStore *store, const char *key, gint64 reserved, gint64 sent,
                          gint64 now_ms);
/* Gives back a credit a take() counted (a later key refused the request). */
void credit_store_refund(CreditStore *store, const char *key);
/* The answer of a refill take() asked for; the key's waiters are called. */
void credit_store_granted(CreditStore *store, const char *key, const CreditGrantInfo *g,
                          gint64 now_ms);
/* The lines to report (CreditReportLine *, caller unrefs): used credit since the last call,
   credit of ended windows, and credit of keys idle for idle_ms, given back. Ended windows
   are forgotten after two windows. */
GPtrArray *credit_store_drain_reports(CreditStore *store, gint64 now_ms, gint64 idle_ms);
/* Lines a failed report call could not deliver, put back for the next one. */
void credit_store_requeue(CreditStore *store, GPtrArray *lines);
/* A tier or policy was added or changed (the change feed): keys whose tier did not exist
   ask the hub again at their next take instead of after their back-off. */
void credit_store_tiers_changed(CreditStore *store);
/* Requests admitted so far on keys whose tier does not exist (not limited). */
guint64 credit_store_no_tier_admitted(CreditStore *store);
/* Keys currently answering by their fail mode (hubs unreachable). */
guint credit_store_failing(CreditStore *store);
guint credit_store_size(CreditStore *store);

#endif
