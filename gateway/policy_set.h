/*
 * policy_set: what the throttle plugin needs to know about policies beyond
 * the tier names a token carries: the custom policies (keyed by user,
 * application, API, client IP or a header value, optionally for one API
 * context) and which tiers count bytes. Replaced whole when the change feed
 * says POLICY_CHANGED; readers take a reference to the current snapshot, so a
 * request never waits for a reload, and an empty set costs one atomic read.
 * Trade-off: a linear scan of the custom policies (an admin's short list).
 */
#ifndef TG_GATEWAY_POLICY_SET_H
#define TG_GATEWAY_POLICY_SET_H

#include <glib.h>

#define POLICY_WHO_MAX 160   /* longest "who" text of a custom key; longer values are hashed */

typedef enum { POLICY_BY_USER, POLICY_BY_APPLICATION, POLICY_BY_API, POLICY_BY_IP,
               POLICY_BY_HEADER } PolicyKeyBy;

/* One custom policy as the gateway enforces it. */
typedef struct {
  char id[24];          /* decimal id: the tier of its credit requests */
  PolicyKeyBy key_by;
  char *header;         /* POLICY_BY_HEADER: lower-case field name */
  char *context;        /* "" every API */
  gboolean requests, bytes;  /* counts requests, bytes (or both) */
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
/* Replaces the set: n custom policies (a definition that does not parse is skipped with a
   warning) and the tiers that count bytes, "LEVEL|name" (levels as in Tier), NULL-ended. */
void policy_set_replace(PolicySet *set, const CustomRuleDef *defs, guint n,
                        const char *const *byte_tiers);
/* The current snapshot (release it with policy_snapshot_release), or NULL when the set is
   empty. */
PolicySnapshot *policy_set_acquire(PolicySet *set);
void policy_snapshot_release(PolicySnapshot *snap);
guint policy_snapshot_rules(const PolicySnapshot *snap, const CustomRule **rules);
/* TRUE when the tier (level as in Tier, name) counts bytes. */
gboolean policy_snapshot_tier_bytes(const PolicySnapshot *snap, const char *level,
                                    const char *name);

/* The "who" of rule for a request into out: FALSE when the rule does not apply (another API
   context, no user or application on an unauthenticated call). header: the request's value
   of rule->header (NULL absent: counted as ""). A value longer than POLICY_WHO_MAX / 2 or
   with bytes outside printable ASCII becomes "#" and its SHA-256 in hex, so every value
   counts under a key the hub accepts. */
gboolean policy_rule_who(const CustomRule *rule, const PolicySubject *subject, const char *header,
                         char out[POLICY_WHO_MAX]);

#endif
