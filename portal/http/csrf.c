/*
 * csrf: the CSRF decision (csrf.h). Fetch metadata first (cheap, and it stops
 * cross-site requests even when a token leaked), then the token.
 */
#include "csrf.h"

#include "tg_crypto.h"

CsrfVerdict csrf_check(const char *sec_fetch_site, const char *origin, const char *our_origin,
                       const char *expected_token, const char *given_token) {
  if (sec_fetch_site && g_strcmp0(sec_fetch_site, "same-origin") != 0) return CSRF_CROSS_SITE;
  if (origin && (!our_origin || g_ascii_strcasecmp(origin, our_origin) != 0))
    return CSRF_BAD_ORIGIN;
  if (!expected_token || !*expected_token || !given_token || !*given_token) return CSRF_NO_TOKEN;
  return tg_secure_streq(expected_token, given_token) ? CSRF_OK : CSRF_BAD_TOKEN;
}

const char *csrf_verdict_text(CsrfVerdict v) {
  switch (v) {
  case CSRF_OK:
    return "ok";
  case CSRF_CROSS_SITE:
    return "cross-site request refused (Sec-Fetch-Site)";
  case CSRF_BAD_ORIGIN:
    return "request from another origin refused (Origin)";
  case CSRF_NO_TOKEN:
    return "the form's CSRF token is missing: reload the page and try again";
  case CSRF_BAD_TOKEN:
    return "the form's CSRF token does not match: reload the page and try again";
  }
  return "refused";
}
