/*
 * router: linear match over small static tables (router.h). A portal has a
 * few dozen routes; a linear scan of string compares costs less than the TLS
 * record holding the request, and keeps the table readable.
 */
#include "router.h"

#include <string.h>

static gboolean pattern_match(const char *pattern, const char *path, const char **rest) {
  gsize n = strlen(pattern);
  if (n > 0 && pattern[n - 1] == '*') {
    if (strncmp(path, pattern, n - 1) != 0 || path[n - 1] == '\0') return FALSE;
    *rest = path + n - 1;
    return TRUE;
  }
  *rest = "";
  return strcmp(pattern, path) == 0;
}

RouteMatch router_find(const RouteTable *tables, guint ntables, const char *method,
                       const char *path, const Route **out, const char **rest) {
  gboolean path_seen = FALSE;
  const char *m = !strcmp(method, "HEAD") ? "GET" : method;
  for (guint t = 0; t < ntables; t++)
    for (guint i = 0; i < tables[t].n; i++) {
      const Route *r = &tables[t].routes[i];
      if (!pattern_match(r->pattern, path, rest)) continue;
      if (strcmp(r->method, m) != 0) {
        path_seen = TRUE;
        continue;
      }
      *out = r;
      return ROUTE_FOUND;
    }
  *out = NULL;
  *rest = "";
  return path_seen ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}

gboolean router_roles_allow(const Route *route, gboolean logged_in, guint roles) {
  if (route->roles == 0) return TRUE;
  if (!logged_in) return FALSE;
  guint need = route->roles & ~ROUTE_LOGGED_IN;
  return need == 0 || (roles & need) != 0;
}
