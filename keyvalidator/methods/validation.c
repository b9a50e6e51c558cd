/*
 * validation.c: the validateKey decision (see validation.h). The order of the
 * checks follows WSO2's key manager so status codes match what gateways expect:
 * resource auth None first, then the token, the API, the subscription, the key
 * type, the resource, the auth scheme, the scope and the client domain.
 */
#include "config.h"

#include <string.h>

#include "tg_uri_template.h"
#include "validation.h"

/* WSO2's gateway sends the template it matched as matchingResource: that text, for the
   verb, is the resource. Otherwise matchingResource is a path, and the resource is the one
   the gateway's router would pick (common/tg_uri_template.h): the most specific of those
   whose verb and template match, the first declared among equals. A template that does not
   parse (stored before the rule existed) is never matched, not even by its exact text. */
int validation_match_resource(const ValidationResource *res, guint n, const char *verb,
                              const char *path) {
  if (path == NULL || verb == NULL) return -1;
  TgUriTemplate t;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0(res[i].uri_template, path) == 0 && tg_uri_verb_matches(res[i].verb, verb) &&
        tg_uri_template_parse(&t, res[i].uri_template, NULL))
      return (int)i;
  int best = -1;
  TgUriTemplate best_t = {0};
  for (guint i = 0; i < n; i++) {
    if (!tg_uri_verb_matches(res[i].verb, verb) ||
        !tg_uri_template_parse(&t, res[i].uri_template, NULL) || !tg_uri_template_match(&t, path))
      continue;
    if (best < 0 || tg_uri_resource_compare(&t, res[i].verb, &best_t, res[best].verb) < 0) {
      best = (int)i;
      best_t = t;
    }
  }
  return best;
}

static gboolean word_in(const char *list, const char *word, const char *seps) {
  g_auto(GStrv) parts = g_strsplit_set(list ? list : "", seps, -1);
  for (guint i = 0; parts[i]; i++)
    if (strcmp(g_strstrip(parts[i]), word) == 0) return TRUE;
  return FALSE;
}

static gboolean domain_allowed(const char *allowed, const char *client_domain) {
  if (allowed == NULL || *allowed == '\0' || word_in(allowed, "ALL", ",")) return TRUE;
  return client_domain != NULL && *client_domain != '\0' && word_in(allowed, client_domain, ",");
}

static ValidationDecision deny(int status, int resource) {
  return (ValidationDecision){FALSE, status, resource};
}

static int token_status(const ValidationFacts *f, gint64 now_ms) {
  if (!f->token_found) return VALIDATION_INVALID_CREDENTIALS;
  if (g_strcmp0(f->token_state, "REVOKED") == 0) return VALIDATION_REVOKED;
  if (g_strcmp0(f->token_state, "EXPIRED") == 0 ||
      (f->validity_s > 0 && f->issued_ms + f->validity_s * 1000 <= now_ms))
    return VALIDATION_EXPIRED;
  if (g_strcmp0(f->token_state, "ACTIVE") != 0) return VALIDATION_INVALID_CREDENTIALS;
  return VALIDATION_OK;
}

static int api_subscription_status(const ValidationFacts *f) {
  if (!f->api_found || !f->subscribed) return VALIDATION_INVALID_CREDENTIALS;
  if (g_strcmp0(f->api_status, "BLOCKED") == 0) return VALIDATION_API_BLOCKED;
  if (g_strcmp0(f->api_status, "PUBLISHED") != 0 && g_strcmp0(f->api_status, "DEPRECATED") != 0)
    return VALIDATION_INVALID_CREDENTIALS;
  const char *s = f->subscription_status;
  /* fail closed: BLOCKED, ON_HOLD (awaiting approval), REJECTED and any status this hub
     does not know are refused; PROD_ONLY_BLOCKED lets sandbox keys through */
  gboolean sandbox_only =
      g_strcmp0(s, "PROD_ONLY_BLOCKED") == 0 && g_strcmp0(f->key_type, "PRODUCTION") != 0;
  if (g_strcmp0(s, "UNBLOCKED") != 0 && !sandbox_only) return VALIDATION_SUBSCRIPTION_BLOCKED;
  const char *endpoint =
      g_strcmp0(f->key_type, "SANDBOX") == 0 ? f->sandbox_endpoint : f->production_endpoint;
  if (endpoint == NULL || *endpoint == '\0') return VALIDATION_INVALID_KEY_TYPE;
  return VALIDATION_OK;
}

static int auth_scheme_status(const ValidationFacts *f, const ValidationResource *r) {
  gboolean user_token = f->end_user != NULL && *f->end_user != '\0';
  if ((g_strcmp0(r->auth_type, "Application") == 0 && user_token) ||
      (g_strcmp0(r->auth_type, "Application_User") == 0 && !user_token))
    return VALIDATION_INVALID_AUTH_SCHEME;
  if (r->scope != NULL && *r->scope != '\0' && !word_in(f->scopes, r->scope, " "))
    return VALIDATION_SCOPE_NOT_GRANTED;
  return VALIDATION_OK;
}

ValidationDecision validation_decide(const ValidationFacts *f, const char *resource,
                                     const char *verb, const char *client_domain, gint64 now_ms) {
  int idx = -1;
  if (resource != NULL) {
    idx =
        f->api_found ? validation_match_resource(f->resources, f->n_resources, verb, resource) : -1;
    if (idx >= 0 && g_strcmp0(f->resources[idx].auth_type, "None") == 0)
      return (ValidationDecision){TRUE, VALIDATION_OK, idx};
  }
  int s = token_status(f, now_ms);
  if (s == VALIDATION_OK) s = api_subscription_status(f);
  if (s != VALIDATION_OK) return deny(s, idx);
  if (resource != NULL) {
    if (idx < 0) return deny(VALIDATION_NO_MATCHING_RESOURCE, idx);
    s = auth_scheme_status(f, &f->resources[idx]);
    if (s != VALIDATION_OK) return deny(s, idx);
  }
  if (!domain_allowed(f->allowed_domains, client_domain))
    return deny(VALIDATION_INVALID_AUTH_SCHEME, idx);
  return (ValidationDecision){TRUE, VALIDATION_OK, idx};
}
