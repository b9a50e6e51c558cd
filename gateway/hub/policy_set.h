/*
 * policy_set: what the throttle plugin needs to know about policies beyond a token's tier
 * names: the custom policies, and which tiers count bytes or have a burst limit. A snapshot
 * replaced whole on POLICY_CHANGED, so a request never waits for a reload. Trade-off: a
 * linear scan of the custom policies (an admin's short list). Design notes: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_POLICY_SET_H
#define TG_GATEWAY_POLICY_SET_H

#include <glib.h>

#define POLICY_WHO_MAX 160 /* longest "who" text of a custom key; longer values are hashed */

typedef enum {
  POLICY_BY_USER,
  POLICY_BY_APPLICATION,
  POLICY_BY_API,
  POLICY_BY_IP,
  POLICY_BY_HEADER
} PolicyKeyBy;

/* One custom policy as the gateway enforces it. */
typedef struct {
  char id[24]; /* decimal id: the tier of its credit requests */
  PolicyKeyBy key_by;
  char *header;             /* POLICY_BY_HEADER: lower-case field name */
  char *context;            /* "" every API */
  gboolean requests, bytes; /* counts requests, bytes (or both) */
} CustomRule;

/* One policy's definition as the hub lists it (CustomPolicy fields). */
typedef struct {
  gint64 id;
  const char *key_by, *header_name, *api_context;
  gint64 request_count, bytes_count;
} CustomRuleDef;

/* A request's side of a custom policy. */
typedef struct {
  const char *context;     /* the routed API's context, "/pizza" */
  const char *api;         /* "ctx:version" */
  const char *user;        /* NULL unauthenticated */
  const char *application; /* application id, NULL unauthenticated */
  const char *client_ip;
} PolicySubject;

typedef struct PolicySet PolicySet;
typedef struct PolicySnapshot PolicySnapshot;

PolicySet *policy_set_new(void);
void policy_set_free(PolicySet *set);
/* What the gateway knows of one tier beyond its name (from listTiers). */
typedef enum {
  TIER_LEVEL_SUBSCRIPTION,
  TIER_LEVEL_APPLICATION,
  TIER_LEVEL_API,
  TIER_LEVEL_RESOURCE,
  TIER_LEVELS
} TierLevel;
typedef struct {
  const char *level, *name; /* level as in Tier */
  gboolean bytes, burst;    /* counts bytes; has a burst limit */
} TierDef;
#define TIER_BYTES   1u
#define TIER_BURST   2u
#define TIER_UNKNOWN 4u /* not in the list (yet): a burst is checked, bytes are not */

/* Replaces the set: n custom policies (a definition that does not parse is skipped with a
   warning) and n_tiers tiers. */
void policy_set_replace(PolicySet *set, const CustomRuleDef *defs, guint n, const TierDef *tiers,
                        guint n_tiers);
/* The current snapshot (release it with policy_snapshot_release), or NULL before the first
   replace and when it was empty. */
PolicySnapshot *policy_set_acquire(PolicySet *set);
void policy_snapshot_release(PolicySnapshot *snap);
/* Counts replaces (atomic read, no lock): what was derived from a snapshot is stale when it
   changed. Read it before policy_set_acquire. */
guint policy_set_generation(PolicySet *set);
/* The current snapshot has custom policies (atomic read, no lock). */
gboolean policy_set_has_rules(PolicySet *set);
guint policy_snapshot_rules(const PolicySnapshot *snap, const CustomRule **rules);
/* TIER_BYTES | TIER_BURST of the tier (snap NULL or a tier not listed: TIER_UNKNOWN). Always
   a lookup, even on a level none of whose listed tiers has a burst: a tier added with a
   burst less than a feed poll ago is not listed yet, and its burst must count from its
   first request (a plan asks once, when it is built, so the lookup is not per request). */
guint policy_snapshot_tier(const PolicySnapshot *snap, TierLevel level, const char *name);

/* The "who" of rule for a request into out: FALSE when the rule does not apply (another API
   context, no user or application on an unauthenticated call). header: the request's value
   of rule->header (NULL absent: counted as ""). A value longer than POLICY_WHO_MAX / 2 or
   with bytes outside printable ASCII becomes "#" and its SHA-256 in hex, so every value
   counts under a key the hub accepts. */
gboolean policy_rule_who(const CustomRule *rule, const PolicySubject *subject, const char *header,
                         char out[POLICY_WHO_MAX]);

#endif
