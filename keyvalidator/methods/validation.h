/*
 * validation.h: the validateKey decision as a pure function over facts the
 * handler looked up (token row, application, subscription, API, resources).
 * No database, no clock of its own (now_ms is an input): unit-tested for every
 * outcome in tests/unit/test_validation.c.
 */
#ifndef TOLLGATE_HUB_VALIDATION_H
#define TOLLGATE_HUB_VALIDATION_H

#include <glib.h>

/* WSO2 APIConstants.KeyValidationStatus */
#define VALIDATION_OK                   0
#define VALIDATION_INVALID_CREDENTIALS  900901
#define VALIDATION_EXPIRED              900903
#define VALIDATION_REVOKED              900904
#define VALIDATION_INVALID_KEY_TYPE     900905
#define VALIDATION_NO_MATCHING_RESOURCE 900906
#define VALIDATION_API_BLOCKED          900907
#define VALIDATION_INVALID_AUTH_SCHEME  900908
#define VALIDATION_SUBSCRIPTION_BLOCKED 900909
#define VALIDATION_SCOPE_NOT_GRANTED    900910

typedef struct {
  const char *verb, *uri_template, *auth_type, *tier, *scope;
} ValidationResource;

typedef struct {
  /* token (token_found FALSE: unknown token) */
  gboolean token_found;
  const char *token_state;      /* ACTIVE | REVOKED | EXPIRED */
  gint64 issued_ms, validity_s; /* validity_s <= 0: never expires */
  const char *key_type;         /* PRODUCTION | SANDBOX */
  const char *end_user;         /* "" for an application token */
  const char *scopes;           /* space-separated */
  const char *allowed_domains;  /* app's: comma-separated, "" or "ALL" = any */
  /* API */
  gboolean api_found;
  const char *api_status;
  const char *production_endpoint, *sandbox_endpoint;
  const ValidationResource *resources;
  guint n_resources;
  /* subscription of the token's application to the API */
  gboolean subscribed;
  const char *subscription_status;
} ValidationFacts;

typedef struct {
  gboolean authorized;
  int status;   /* VALIDATION_* */
  int resource; /* index of the matched resource, -1 none */
} ValidationDecision;

/* The decision for a call of verb on resource with the token described by f. resource NULL
   (validateKeyforHandshake): token, API, subscription and domain checks only. */
ValidationDecision validation_decide(const ValidationFacts *f, const char *resource,
                                     const char *verb, const char *client_domain, gint64 now_ms);

/* Index of the resource for (verb, path): the resource whose template is path's exact text
   first (what a WSO2 gateway sends), then the one the gateway's router picks for the path
   (common/tg_uri_template.h: one matcher, one order). -1 when none. */
int validation_match_resource(const ValidationResource *res, guint n, const char *verb,
                              const char *path);

#endif
