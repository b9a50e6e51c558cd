/*
 * path_norm: the one form of a request path that the gateway routes on, authorises and sends
 * to the backend (RFC 3986 §6.2.2 and §5.2.4). Trade-off: what would be read two ways
 * downstream is refused instead of guessed. The output is never longer than the input, so
 * nothing is allocated. Design notes: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_PATH_NORM_H
#define TG_GATEWAY_PATH_NORM_H

#include <glib.h>

typedef struct {
  gsize len;          /* bytes written to out (a NUL follows) */
  gsize low_water;    /* shortest length a ".." cut the output to; G_MAXSIZE: none */
  const char *reason; /* FALSE: why (static text) */
} PathNorm;

/* path: an origin-form path (starts with '/', no query), len bytes.
   keep_escaped_slashes: %2F and %5C pass (still encoded) instead of failing.
   out: len + 1 bytes. FALSE: refused (res->reason). */
gboolean path_normalize(const char *path, gsize len, gboolean keep_escaped_slashes, char *out,
                        PathNorm *res);

#endif
