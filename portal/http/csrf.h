/*
 * csrf: the decision whether a state-changing request may proceed, as a pure
 * function of what the request carries (so every bypass attempt is a unit
 * test). Two independent checks, both must pass:
 *  1. Fetch metadata and Origin: Sec-Fetch-Site, when sent, must be
 *     "same-origin"; Origin, when sent, must be exactly our origin
 *     ("null" and other sites refused).
 *  2. The synchronizer token: the form field (or X-CSRF-Token header) must
 *     equal the session's token (constant-time compare). Before login the
 *     session's token is the pre-session cookie's value (double submit).
 * Requests authenticated by a bearer token skip both: a browser never attaches
 * one on its own.
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
