/*
 * request: TgRequest, the gateway's state for one API request, and the internal helpers the
 * server and the proxy use on it. Reference counted; everything runs on the request's loop
 * thread except tg_request_resume(), which only takes a reference and posts an event.
 * Design notes: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_REQUEST_H
#define TG_GATEWAY_REQUEST_H

#include <evhtp.h>

#include "connection.h"
#include "http_header.h"
#include "plugin.h"
#include "request_scan.h"
#include "response_head.h"
#include "router.h"
#include "worker.h"

typedef struct ProxyCall ProxyCall;

/* Response headers a request holds by reference (tg_request_add_response_headers_len);
   more go into headers_out as kvs. */
#define REQUEST_REF_HEADERS 8

typedef struct {
  char *name;
  char *value;
  guint32 nlen, vlen;
  HttpHeaderKind kind; /* of name, found once */
  gboolean packed;     /* in the request's header_block (freed with it), else its own block */
} TgHeader;

typedef struct {
  gpointer ctx;
  GDestroyNotify destroy;
} PluginSlot; /* a plugin's per-request context */

#define REQUEST_SLOTS 8

typedef enum {
  REQ_ROUTING,
  REQ_ACCESS,   /* walking (or paused in) the access phase */
  REQ_PROXYING, /* upstream exchange under way */
  REQ_DONE,     /* response handed to evhtp completely (or the client is gone) */
} RequestState;

struct TgRequest {
  gint refcount;
  Server *server;
  Worker *worker;
  struct event_base *base;
  evhtp_request_t *ev; /* NULL once evhtp freed the request */
  gboolean gone;

  const char *method; /* method_buf: the method as the client sent it */
  char method_buf[RSCAN_METHOD_MAX];
  char *path, *query;     /* path: normalised (path_norm.h), the raw one when path_error;
                             query: in path's block, "" when none */
  const char *path_error; /* why the path was refused (static), or NULL */
  gsize path_low_water;   /* PathNorm.low_water: where a ".." cut the path */
  char client_ip[TG_CLIENT_IP_MAX];
  char request_id[129]; /* a client's X-Request-ID (at most 128 bytes) or a new UUID */
  gboolean tls;
  gint64 start_us;

  RouteMatch match;
  PluginChain *chain; /* the server's, or the routed API's own order */
  gboolean routed;
  GPtrArray *up_headers;       /* TgHeader *: the request headers as sent upstream */
  gpointer header_block;       /* the client's headers copied at the start, in one block */
  gboolean conn_lists_headers; /* the client's Connection header names headers (rare) */

  /* request body */
  gboolean req_chunked;
  gint64 req_content_length; /* -1: no Content-Length */
  guint64 bytes_in;
  gboolean body_complete;        /* evhtp saw the end of the request */
  struct evbuffer *body_pending; /* made when the first body bytes arrive */
  gboolean expect_continue;
  gboolean client_read_blocked;

  /* phases */
  RequestState state;
  guint access_next;
  gboolean access_waiting;

  /* an answer made by a plugin (tg_request_fault / tg_request_respond) */
  gboolean answered;
  gboolean over_quota; /* tg_request_set_over_quota: admitted over a quota */
  int answer_status;
  char *answer_type;
  GBytes *answer_body;

  /* response */
  gboolean response_started;
  gboolean logged;
  gboolean conn_paused; /* we paused evhtp's connection at the end of the request */
  int status;
  guint64 bytes_out;
  double latency_ms;
  char *response_head;     /* the backend's head, split in place */
  GArray *backend_headers; /* BackendHeader (response_head.h), into response_head */
  RefHeader ref_headers[REQUEST_REF_HEADERS]; /* added by reference, no kv each */
  guint n_ref_headers;

  TgAuthInfo auth;
  gpointer auth_block; /* auth's strings (tg_strpack) */

  /* per-plugin contexts by chain position: the first REQUEST_SLOTS inline (no allocation
     per request), the rest in plugin_ctx (NULL until one is set) */
  PluginSlot slot[REQUEST_SLOTS];
  GArray *plugin_ctx;

  ProxyCall *proxy;
};

/* client_ip: the connection's, as request_client_ip_of() wrote it at accept; method: as
   the client sent it (conn_scan), copied; target: the request-target as sent (taken
   over; NULL: evhtp's parse), its path from path_off. The path is normalised here:
   see path_error. */
TgRequest *tg_request_new(Worker *worker, evhtp_request_t *ev, const char *client_ip,
                          const char *method, char *target, gsize path_off);
void request_client_ip_of(evhtp_connection_t *conn, char out[TG_CLIENT_IP_MAX]);
TgRequest *tg_request_ref(TgRequest *req);
void tg_request_unref(TgRequest *req);

/* Upstream header list helpers (case-insensitive names). */
const char *request_header_get(TgRequest *req, const char *name);

/* Sends a gateway-made JSON fault now: {"fault":{"code","message","description"}}. */
void request_send_fault(TgRequest *req, int http_status, int code, const char *message,
                        const char *description);
/* Sends the answer a plugin made (after it returned TG_PLUGIN_DONE). */
void request_send_answer(TgRequest *req);
/* Adds X-Request-ID and runs the response_headers phase on headers_out. */
void request_prepare_response_headers(TgRequest *req);
/* The response is completely queued on the client connection (or will never
   be): runs the log phase and metrics once, lets evhtp go on with the
   connection (next pipelined request, keep-alive or close). */
void request_finished(TgRequest *req);

/* The connection closes once this response is written. */
void request_close_after(TgRequest *req);

/* Blocks / unblocks reading from the client (access pause, backpressure). */
void request_block_client_read(TgRequest *req, gboolean block);

#endif
