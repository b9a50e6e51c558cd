/*
 * endpoint: backend URLs split once (see endpoint.h). A profile of the proxy
 * showed g_uri_split and its allocations in every request; the router now
 * keeps the parts with the API.
 */
#include "endpoint.h"

#include <string.h>

#include "tg_json.h"

static gboolean split(Endpoint *ep) {
  g_autofree char *scheme = NULL, *path = NULL;
  if (!g_uri_split(ep->url, G_URI_FLAGS_ENCODED, &scheme, NULL, &ep->host, &ep->port, &path,
                   &ep->query, NULL, NULL))
    return FALSE;
  if (!scheme || !ep->host || !*ep->host) return FALSE;
  ep->tls = !g_ascii_strcasecmp(scheme, "https");
  if (!ep->tls && g_ascii_strcasecmp(scheme, "http") != 0) return FALSE;
  if (ep->port <= 0) ep->port = ep->tls ? 443 : 80;
  gsize plen = path ? strlen(path) : 0;
  while (plen > 0 && path[plen - 1] == '/') path[--plen] = '\0';
  ep->base_path = g_strdup(path ? path : "");
  GString *key = g_string_new(ep->tls ? "https://" : "http://");
  g_string_append(key, ep->host);
  g_string_append_c(key, ':');
  tg_json_append_int(key, ep->port);
  if (ep->tls && !ep->tls_verify) g_string_append(key, " unverified");
  ep->pool_key = g_string_free(key, FALSE);
  gboolean v6 = strchr(ep->host, ':') != NULL; /* an IPv6 literal goes in brackets */
  GString *host = g_string_new(v6 ? "[" : "");
  g_string_append(host, ep->host);
  if (v6) g_string_append_c(host, ']');
  if (ep->port != (ep->tls ? 443 : 80)) {
    g_string_append_c(host, ':');
    tg_json_append_int(host, ep->port);
  }
  ep->host_header = g_string_free(host, FALSE);
  return TRUE;
}

Endpoint *endpoint_new(const char *url) { return endpoint_new_tls(url, TRUE); }

Endpoint *endpoint_new_tls(const char *url, gboolean tls_verify) {
  Endpoint *ep = g_new0(Endpoint, 1);
  ep->tls_verify = tls_verify;
  ep->url = g_strdup(url ? url : "");
  ep->valid = *ep->url && split(ep);
  if (!ep->query) ep->query = g_strdup("");
  if (!ep->host_header) ep->host_header = g_strdup("");
  return ep;
}

void endpoint_free(Endpoint *ep) {
  if (!ep) return;
  g_free(ep->url);
  g_free(ep->host);
  g_free(ep->base_path);
  g_free(ep->query);
  g_free(ep->pool_key);
  g_free(ep->host_header);
  g_free(ep);
}

static void piece(EndpointPiece *out, guint *n, const char *s) {
  out[(*n)++] = (EndpointPiece){s, strlen(s)};
}

guint endpoint_target_pieces(const Endpoint *ep, const char *resource, const char *query,
                             EndpointPiece out[ENDPOINT_TARGET_PIECES]) {
  const char *res = resource && *resource ? resource : "/";
  gboolean has_q = *ep->query, has_rq = query && *query;
  guint n = 0;
  if (*ep->base_path) piece(out, &n, ep->base_path);
  if (*res != '/') piece(out, &n, "/");
  piece(out, &n, res);
  if (has_q || has_rq) piece(out, &n, "?");
  if (has_q) piece(out, &n, ep->query);
  if (has_q && has_rq) piece(out, &n, "&");
  if (has_rq) piece(out, &n, query);
  return n;
}

char *endpoint_target(const Endpoint *ep, const char *resource, const char *query) {
  EndpointPiece p[ENDPOINT_TARGET_PIECES];
  guint n = endpoint_target_pieces(ep, resource, query, p);
  GString *t = g_string_sized_new(256);
  for (guint i = 0; i < n; i++) g_string_append_len(t, p[i].s, (gssize)p[i].len);
  return g_string_free(t, FALSE);
}
