/*
 * csrf: the decision whether a state-changing request may proceed, as a pure function of what
 * the request carries (so every bypass attempt is a unit test). Two independent checks, both
 * must pass: fetch metadata and Origin, and the synchronizer token. Requests authenticated by
 * a bearer token skip both. Details: docs/HACKING.md.
 */
#ifndef PORTAL_CSRF_H
#define PORTAL_CSRF_H

#include <glib.h>

typedef enum {
  CSRF_OK = 0,
  CSRF_CROSS_SITE, /* Sec-Fetch-Site says another site (or an unknown value) */
  CSRF_BAD_ORIGIN, /* Origin names another origin, or "null" */
  CSRF_NO_TOKEN,   /* no token sent, or the session has none */
  CSRF_BAD_TOKEN,  /* token does not match */
} CsrfVerdict;

/* our_origin: "https://host:port" as the browser sees the portal. */
CsrfVerdict csrf_check(const char *sec_fetch_site, const char *origin, const char *our_origin,
                       const char *expected_token, const char *given_token);
const char *csrf_verdict_text(CsrfVerdict v);

#endif
