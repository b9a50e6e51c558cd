/*
 * endpoint: a backend URL (an API's production or sandbox endpoint), parsed
 * once when the router loads the API instead of for every request. The proxy
 * reads host, port, scheme and base path from it; the upstream pool files
 * connections under its pool_key, which tells verified from unverified TLS
 * so a connection made without checks never serves an API that wants them.
 */
#ifndef TG_GATEWAY_ENDPOINT_H
#define TG_GATEWAY_ENDPOINT_H

#include <glib.h>

typedef struct Endpoint {
  char *url;      /* as configured; "" when the API has none */
  gboolean valid; /* an http or https URL with a host */
  gboolean tls;
  gboolean tls_verify; /* check the backend's certificate and name (the API's choice) */
  char *host;
  int port;          /* 80 or 443 when the URL names none */
  char *base_path;   /* the URL's path without trailing '/'; may be "" */
  char *query;       /* the URL's own query; "" when none */
  char *pool_key;    /* "scheme://host:port" */
  char *host_header; /* the Host header's value: host, ":port" unless the default */
} Endpoint;

/* Never NULL: an unusable URL gives valid = FALSE. endpoint_new verifies TLS. */
Endpoint *endpoint_new(const char *url);
Endpoint *endpoint_new_tls(const char *url, gboolean tls_verify);
void endpoint_free(Endpoint *ep);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Endpoint, endpoint_free)

/* The request target for a valid endpoint: base path + resource, then '?'
   and the endpoint's query and the request's query joined with '&'. */
char *endpoint_target(const Endpoint *ep, const char *resource, const char *query);

/* The same target as pieces to write one after the other (the proxy writes them
   straight into the request head: no string is built per request); returns how many. */
#define ENDPOINT_TARGET_PIECES 7
typedef struct {
  const char *s;
  gsize len;
} EndpointPiece;
guint endpoint_target_pieces(const Endpoint *ep, const char *resource, const char *query,
                             EndpointPiece out[ENDPOINT_TARGET_PIECES]);

#endif
