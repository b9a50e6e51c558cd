/*
 * throttle_plan: which credit keys a request is checked against, in enforcement order, for
 * one (route, caller's tiers): built once and kept in a small cache, with the credit
 * entries they resolved to, so a request costs one lookup here instead of joining and
 * hashing each key. Trade-off: direct-mapped, one per thread (no lock, no reference per
 * request; each event loop builds its own plans, a collision rebuilds).
 */
#ifndef TG_GATEWAY_THROTTLE_PLAN_H
#define TG_GATEWAY_THROTTLE_PLAN_H

#include <glib.h>

#include "credit_store.h"
#include "plugin.h"
#include "policy_set.h"

#define THROTTLE_KEY_MAX    512
#define THROTTLE_CUSTOM_MAX 8 /* custom policies applied to one request, at most */

/* One level a request is checked at. */
typedef struct {
  const char *level; /* for the hub: SUBSCRIPTION, APPLICATION_BURST, CUSTOM_BYTES, ... */
  const char *tier;
  const char *name; /* the RateLimit policy's name */
  int code;
} ThrottleCheck;

/* The keys of the tiers and the hard limit (custom policies: throttle_custom_build). */
typedef struct ThrottlePlan {
  guint hash;
  guint generation; /* policy_set_generation when built */
  guint levels;     /* the levels that count (throttle_plan.c: PLAN_*) */
  char *id[9];      /* the strings its keys were built from (plan_id), NULL those unused */
  char *api;        /* "ctx:version" */
  guint n;
  ThrottleCheck *checks;
  CreditKeyRef *keys;    /* keys[i].entry points into entries */
  CreditEntry **entries; /* kept by credit_store_take_all */
} ThrottlePlan;

typedef struct PlanCache PlanCache;

PlanCache *plan_cache_new(CreditStore *store);
void plan_cache_free(PlanCache *cache);
/* The plan of this request, or NULL when neither a tier nor the hard limit counts (custom
   policies aside). It belongs to the calling thread's cache: valid until the thread's next
   plan_cache_get (not across a pause). */
const ThrottlePlan *plan_cache_get(PlanCache *cache, const TgRoute *route, const TgAuthInfo *auth,
                                   PolicySet *policies);

/* A request's custom-policy keys (they depend on its client IP, headers, user). */
typedef struct {
  guint n;
  ThrottleCheck checks[2 * THROTTLE_CUSTOM_MAX];
  CreditKeyRef keys[2 * THROTTLE_CUSTOM_MAX];
  char key[2 * THROTTLE_CUSTOM_MAX][THROTTLE_KEY_MAX];
} ThrottleCustom;

/* Fills out with the custom policies of snap that apply to this request. */
void throttle_custom_build(TgRequest *req, const TgRoute *route, const TgAuthInfo *auth,
                           const PolicySnapshot *snap, ThrottleCustom *out);

#endif
