/*
 * response_head: the head of a proxied response (status line, the backend's headers that
 * pass, the gateway's own, framing), written to the client's output in one piece, the
 * backend's headers read where the proxy's parser left them. Trade-off: gateway-made answers
 * still go through evhtp_send_reply. Design notes: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_RESPONSE_HEAD_H
#define TG_GATEWAY_RESPONSE_HEAD_H

#include <evhtp.h>
#include <glib.h>

#include "http_header.h"

typedef struct {
  const char *name, *value; /* NUL-terminated, in the backend's head block */
  guint32 nlen, vlen;
  HttpHeaderKind kind;
  gboolean removed; /* by a plugin (tg_request_remove_response_header) */
} BackendHeader;

/* A response header a plugin added by reference (tg_request_add_response_headers_len): no
   evhtp kv is allocated for it; written after the first `after` of the added ones. */
typedef struct {
  const char *name, *value; /* the plugin's, valid until the request ends */
  guint32 nlen, vlen;
  guint after;      /* how many headers_out held when it was added */
  gboolean removed; /* by a plugin (tg_request_remove_response_header), or framing */
} RefHeader;

typedef struct {
  gboolean http10; /* answer as HTTP/1.0 (the client's version) */
  int status;
  const char *reason;
  const GArray *backend;     /* BackendHeader; NULL: none */
  const char *connection;    /* the backend's Connection header, or NULL */
  gboolean connection_lists; /* http_connection_lists_headers(connection) */
  evhtp_headers_t *added;    /* the gateway's and plugins' headers */
  const RefHeader *ref;      /* plugins' headers added by reference, in order */
  guint n_ref;
  const char *content_length;    /* written as Content-Length; NULL: none */
  gboolean chunked;              /* Transfer-Encoding: chunked */
  const char *connection_option; /* "close", "keep-alive" or NULL: no Connection header */
} ResponseHead;

/* Those of the backend's headers the client gets: not hop-by-hop, not
   Content-Length (the gateway frames the body itself), not named in the
   backend's Connection header, not removed by a plugin. */
gboolean response_head_passes(const BackendHeader *h, const char *connection,
                              gboolean connection_lists);

/* Appends the whole head, through its empty line, to out. FALSE when the
   buffer refused the space (out of memory). */
gboolean response_head_write(struct evbuffer *out, const ResponseHead *head);

#endif
