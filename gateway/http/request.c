/*
 * request: TgRequest's life and the plugin.h accessors (see request.h). The accessors read
 * the request as it will be sent upstream. Trade-off: plugin answers are recorded and sent by
 * the phase walker once the plugin returns, so a plugin never re-enters the chain.
 * Design notes: docs/HACKING.md.
 */
#include "request.h"

#include <arpa/inet.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "http_header.h"
#include "path_norm.h"
#include "response_head.h"
#include "tg_json.h"
#include "tg_status.h"
#include "tg_strpack.h"

/* A header's bytes after its struct (rounded up, so the next struct is aligned). */
static gsize header_size(size_t nlen, size_t vlen) {
  return (sizeof(TgHeader) + nlen + vlen + 2 + 7) & ~(gsize)7;
}

/* The header laid out at h (header_size bytes). */
static TgHeader *header_fill(TgHeader *h, const char *name, size_t nlen, const char *value,
                             size_t vlen, HttpHeaderKind kind) {
  h->packed = FALSE;
  h->nlen = (guint32)nlen;
  h->vlen = (guint32)vlen;
  h->kind = kind;
  h->name = memcpy((char *)(h + 1), name, nlen);
  h->name[nlen] = '\0';
  h->value = memcpy(h->name + nlen + 1, value, vlen);
  h->value[vlen] = '\0';
  return h;
}

static TgHeader *header_new(const char *name, size_t nlen, const char *value, size_t vlen,
                            HttpHeaderKind kind) {
  return header_fill(g_malloc(header_size(nlen, vlen)), name, nlen, value, vlen, kind);
}

static void header_free(gpointer p) {
  if (!((TgHeader *)p)->packed) g_free(p);
}

/* Not forwarded: one hop's own headers, and those the gateway makes itself
   for its hop (Host, Content-Length, X-Request-ID) or handles (Expect). */
static gboolean request_header_dropped(HttpHeaderKind kind) {
  return http_header_hop_by_hop(kind) || kind == HTTP_H_HOST || kind == HTTP_H_CONTENT_LENGTH ||
         kind == HTTP_H_EXPECT || kind == HTTP_H_X_REQUEST_ID;
}

/* The client's headers the gateway reads itself, first occurrence of each. */
typedef struct {
  const char *connection, *transfer_encoding, *content_length, *expect, *request_id;
} ClientFraming;

static void note_framing(ClientFraming *f, HttpHeaderKind kind, const char *value) {
  const char **slot = kind == HTTP_H_CONNECTION          ? &f->connection
                      : kind == HTTP_H_TRANSFER_ENCODING ? &f->transfer_encoding
                      : kind == HTTP_H_CONTENT_LENGTH    ? &f->content_length
                      : kind == HTTP_H_EXPECT            ? &f->expect
                      : kind == HTTP_H_X_REQUEST_ID      ? &f->request_id
                                                         : NULL;
  if (slot && !*slot) *slot = value;
}

/* One pass over the client's headers: the forwarded ones into up_headers, the
   framing ones into f. Names a Connection header lists (rare) go afterwards.
   A client's spelling of a header the gateway sets for the backend is dropped
   whatever its case or '_' for '-' (http_header_is_identity), and with
   underscores_in_headers = drop every name holding '_' is. */
#define PACKED_HEADERS 32

/* The first PACKED_HEADERS forwarded headers go into one block (one allocation
   per request instead of one per header), any more into blocks of their own. */
static void pack_headers(TgRequest *req, evhtp_kv_t *const *kv, const HttpHeaderKind *kind,
                         guint n) {
  gsize bytes = 0;
  for (guint i = 0; i < n; i++) bytes += header_size(kv[i]->klen, kv[i]->vlen);
  char *at = req->header_block = n ? g_malloc(bytes) : NULL;
  for (guint i = 0; i < n; i++) {
    TgHeader *h =
        header_fill((TgHeader *)at, kv[i]->key, kv[i]->klen, kv[i]->val, kv[i]->vlen, kind[i]);
    h->packed = TRUE;
    g_ptr_array_add(req->up_headers, h);
    at += header_size(kv[i]->klen, kv[i]->vlen);
  }
}

static void copy_headers(TgRequest *req, evhtp_headers_t *in, ClientFraming *f) {
  gboolean drop_underscores = !req->server->cfg->underscores_in_headers_keep;
  evhtp_kv_t *kv, *keep[PACKED_HEADERS];
  HttpHeaderKind kinds[PACKED_HEADERS];
  guint n = 0;
  TAILQ_FOREACH(kv, in, next) {
    if (!kv->key || !kv->val) continue;
    HttpHeaderKind kind = http_header_kind(kv->key, kv->klen);
    note_framing(f, kind, kv->val);
    if (request_header_dropped(kind) || http_header_is_identity(kv->key, kv->klen) ||
        (drop_underscores && memchr(kv->key, '_', kv->klen)))
      continue;
    if (n == PACKED_HEADERS) { /* the block is made first: it holds the earlier ones */
      pack_headers(req, keep, kinds, n);
      n++;
    }
    if (n > PACKED_HEADERS)
      g_ptr_array_add(req->up_headers, header_new(kv->key, kv->klen, kv->val, kv->vlen, kind));
    else
      keep[n] = kv, kinds[n++] = kind;
  }
  if (n <= PACKED_HEADERS) pack_headers(req, keep, kinds, n);
  req->conn_lists_headers = http_connection_lists_headers(f->connection);
  for (guint i = req->up_headers->len; req->conn_lists_headers && i > 0; i--) {
    TgHeader *h = g_ptr_array_index(req->up_headers, i - 1);
    if (http_token_listed(f->connection, h->name)) g_ptr_array_remove_index(req->up_headers, i - 1);
  }
}

static void read_framing(TgRequest *req, const ClientFraming *f) {
  /* conn_scan let through one Transfer-Encoding only, "chunked" as evhtp frames it */
  req->req_chunked = f->transfer_encoding != NULL;
  req->req_content_length = -1;
  if (!req->req_chunked && f->content_length)
    req->req_content_length = (gint64)g_ascii_strtoull(f->content_length, NULL, 10);
  req->expect_continue = f->expect && !g_ascii_strcasecmp(f->expect, "100-continue");
}

void request_client_ip_of(evhtp_connection_t *conn, char out[TG_CLIENT_IP_MAX]) {
  struct sockaddr *sa = conn ? conn->saddr : NULL;
  *out = '\0';
  if (sa && sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr, out, TG_CLIENT_IP_MAX);
  else if (sa && sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)sa)->sin6_addr, out, TG_CLIENT_IP_MAX);
  if (!*out) g_strlcpy(out, "unknown", TG_CLIENT_IP_MAX);
}

/* xorshift128+ on per-thread state seeded from OpenSSL's CSPRNG. */
static guint64 next_random(void) {
  static __thread guint64 s[2];
  if (G_UNLIKELY(s[0] == 0 && s[1] == 0)) {
    if (RAND_bytes((unsigned char *)s, sizeof s) != 1 || (s[0] == 0 && s[1] == 0))
      s[0] = (guint64)g_get_real_time() | 1;
  }
  guint64 x = s[0];
  const guint64 y = s[1];
  s[0] = y;
  x ^= x << 23;
  s[1] = x ^ y ^ (x >> 17) ^ (y >> 26);
  return s[1] + y;
}

/* A random id in UUID version 4 form. An id traces a request; it is no secret,
   so a fast per-thread generator does instead of g_uuid_string_random, whose
   global lock and printf every request paid. */
static void new_request_id(char out[37]) {
  static const char hex[] = "0123456789abcdef";
  guint8 b[16];
  guint64 r[2] = {next_random(), next_random()};
  memcpy(b, r, sizeof b);
  b[6] = (guint8)((b[6] & 0x0f) | 0x40);
  b[8] = (guint8)((b[8] & 0x3f) | 0x80);
  char *o = out;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *o++ = '-';
    *o++ = hex[b[i] >> 4];
    *o++ = hex[b[i] & 15];
  }
  *o = '\0';
}

/* A client's X-Request-ID is kept when it is short printable ASCII. */
static void set_request_id(TgRequest *req, const char *id) {
  gboolean ok = id && *id && strlen(id) < sizeof req->request_id;
  for (const char *p = id; ok && *p; p++) ok = g_ascii_isgraph(*p);
  if (ok)
    strcpy(req->request_id, id);
  else
    new_request_id(req->request_id);
}

/* The request-target as evhtp parsed it: only when conn_scan dropped the head's own
   copy (a client pipelining past its ring). */
static char *evhtp_target(evhtp_request_t *ev) {
  const char *path = ev->uri && ev->uri->path && ev->uri->path->full ? ev->uri->path->full : "/";
  const char *query = ev->uri && ev->uri->query_raw ? (const char *)ev->uri->query_raw : NULL;
  return query ? g_strconcat(path, "?", query, NULL) : g_strdup(path);
}

/* target (owned): the request-target as sent, its path from path_off. The path is
   normalised in place at the block's start and the query stays where it was, so
   path and query share one allocation. A refused path is kept raw, with path_error. */
static void set_target(TgRequest *req, char *target, gsize path_off) {
  char *path = target + path_off;
  char *q = strchr(path, '?');
  gsize plen = q ? (gsize)(q - path) : strlen(path);
  req->query = q ? q + 1 : (char *)"";
  req->path = target;
  PathNorm norm;
  if (plen == 0 && path_off > 0) { /* "http://host" or "http://host?q": the path is "/" */
    memcpy(target, "/", 2);
    req->path_low_water = G_MAXSIZE;
    return;
  }
  if (path_normalize(path, plen, req->server->cfg->escaped_slashes_keep, target, &norm)) {
    req->path_low_water = norm.low_water;
    return;
  }
  req->path_error = norm.reason;
  memmove(target, path, plen);
  target[plen] = '\0';
}

TgRequest *tg_request_new(Worker *worker, evhtp_request_t *ev, const char *client_ip,
                          const char *method, char *target, gsize path_off) {
  TgRequest *req = g_new0(TgRequest, 1);
  req->refcount = 1;
  req->worker = worker;
  req->server = worker->server;
  req->chain = worker->server->chain;
  req->base = worker->base;
  req->ev = ev;
  req->start_us = g_get_monotonic_time();
  g_strlcpy(req->method_buf, method ? method : "", sizeof req->method_buf);
  req->method = req->method_buf;
  set_target(req, target ? target : evhtp_target(ev), target ? path_off : 0);
  g_strlcpy(req->client_ip, client_ip, sizeof req->client_ip);
  req->tls = ev->conn && ev->conn->ssl != NULL;
  req->up_headers = g_ptr_array_new_full(8, header_free);
  ClientFraming framing = {0};
  copy_headers(req, ev->headers_in, &framing);
  read_framing(req, &framing);
  set_request_id(req, framing.request_id);
  req->auth.authenticated = FALSE;
  g_atomic_int_inc(&req->server->in_flight);
  return req;
}

TgRequest *tg_request_ref(TgRequest *req) {
  g_atomic_int_inc(&req->refcount);
  return req;
}

static void free_slot(PluginSlot *slot) {
  if (slot->destroy && slot->ctx) slot->destroy(slot->ctx);
}

static void free_plugin_contexts(TgRequest *req) {
  for (guint i = 0; i < REQUEST_SLOTS; i++) free_slot(&req->slot[i]);
  for (guint i = 0; req->plugin_ctx && i < req->plugin_ctx->len; i++)
    free_slot(&g_array_index(req->plugin_ctx, PluginSlot, i));
  if (req->plugin_ctx) g_array_unref(req->plugin_ctx);
}

void tg_request_unref(TgRequest *req) {
  if (!req || !g_atomic_int_dec_and_test(&req->refcount)) return;
  free_plugin_contexts(req);
  route_match_clear(&req->match);
  g_ptr_array_unref(req->up_headers);
  g_free(req->header_block); /* after the array: its packed headers live here */
  if (req->body_pending) evbuffer_free(req->body_pending);
  g_free(req->auth_block);
  g_free(req->answer_type);
  g_free(req->response_head);
  if (req->backend_headers) g_array_unref(req->backend_headers);
  g_clear_pointer(&req->answer_body, g_bytes_unref);
  g_free(req->path); /* the query lives in the same block */
  g_free(req);
}

/* --- plugin.h accessors --- */

const char *tg_request_method(TgRequest *req) { return req->method; }
const char *tg_request_path(TgRequest *req) { return req->path; }
const char *tg_request_query(TgRequest *req) { return req->query; }
const char *tg_request_client_ip(TgRequest *req) { return req->client_ip; }
const char *tg_request_id(TgRequest *req) { return req->request_id; }
const TgRoute *tg_request_route(TgRequest *req) { return req->routed ? &req->match.route : NULL; }

/* Lengths first: a plugin's lookups walk every header, and most differ in length. */
const char *request_header_get(TgRequest *req, const char *name) {
  size_t n = strlen(name);
  for (guint i = 0; i < req->up_headers->len; i++) {
    TgHeader *h = g_ptr_array_index(req->up_headers, i);
    if (h->nlen == n && !g_ascii_strncasecmp(h->name, name, n)) return h->value;
  }
  return NULL;
}

const char *tg_request_header(TgRequest *req, const char *name) {
  if (!name) return NULL;
  const char *v = request_header_get(req, name);
  if (v || !req->ev) return v;
  /* Framing headers are not in the upstream list; plugins may still ask. */
  if (http_header_kind(name, strlen(name)) == HTTP_H_OTHER && !req->conn_lists_headers) return NULL;
  return evhtp_header_find(req->ev->headers_in, name);
}

/* Removes every spelling of name: any case, '_' for '-' (a header a plugin sets
   replaces the client's X_JWT_Assertion as well as its X-JWT-Assertion). */
void tg_request_remove_header(TgRequest *req, const char *name) {
  size_t n = strlen(name); /* same_name: only names of one length match */
  for (guint i = req->up_headers->len; i > 0; i--) {
    TgHeader *h = g_ptr_array_index(req->up_headers, i - 1);
    if (h->nlen == n && http_header_same_name(h->name, name))
      g_ptr_array_remove_index(req->up_headers, i - 1);
  }
}

static gboolean header_text_ok(const char *s) {
  for (const char *p = s; p && *p; p++)
    if (*p == '\r' || *p == '\n') return FALSE;
  return s != NULL;
}

void tg_request_set_header(TgRequest *req, const char *name, const char *value) {
  if (!header_text_ok(name) || !*name || !header_text_ok(value)) return;
  tg_request_remove_header(req, name);
  size_t nlen = strlen(name);
  g_ptr_array_add(req->up_headers,
                  header_new(name, nlen, value, strlen(value), http_header_kind(name, nlen)));
}

void tg_request_remove_response_header(TgRequest *req, const char *name) {
  if (!req->ev || req->response_started || !name) return;
  evhtp_kv_t *kv;
  while ((kv = evhtp_kvs_find_kv(req->ev->headers_out, name)))
    evhtp_kv_rm_and_free(req->ev->headers_out, kv);
  size_t n = strlen(name);
  for (guint i = 0; i < req->n_ref_headers; i++) {
    RefHeader *r = &req->ref_headers[i];
    if (r->nlen == n && !g_ascii_strncasecmp(r->name, name, n)) r->removed = TRUE;
  }
  for (guint i = 0; req->backend_headers && i < req->backend_headers->len; i++) {
    BackendHeader *h = &g_array_index(req->backend_headers, BackendHeader, i);
    if (h->nlen == n && !g_ascii_strncasecmp(h->name, name, n)) h->removed = TRUE;
  }
}

void tg_request_set_response_header(TgRequest *req, const char *name, const char *value) {
  if (!req->ev || req->response_started || !header_text_ok(name) || !*name ||
      !header_text_ok(value))
    return;
  tg_request_remove_response_header(req, name);
  evhtp_headers_add_header(req->ev->headers_out, evhtp_header_new(name, value, 1, 1));
}

void tg_request_add_response_headers_ref(TgRequest *req, const char *const *names,
                                         const char *const *values, guint n) {
  if (n > 16) return;
  guint32 nlen[16], vlen[16];
  for (guint k = 0; k < n; k++) {
    nlen[k] = (guint32)strlen(names[k]);
    vlen[k] = (guint32)strlen(values[k]);
  }
  tg_request_add_response_headers_len(req, names, nlen, values, vlen, n);
}

/* A bit per first letter (any case) of a header name: a filter before the name compares. */
static guint32 first_letter_bit(const char *name) { return 1u << ((name[0] | 0x20) & 31); }

/* A header added by reference is written unless it is framing, which is the gateway's
   (response_head.c): only a name that starts as a framing header's (connection, keep-alive,
   proxy-*, te, trailer, transfer-encoding, upgrade, content-length) is classified. */
#define FRAMING_FIRSTS \
  (1u << ('c' & 31) | 1u << ('k' & 31) | 1u << ('p' & 31) | 1u << ('t' & 31) | 1u << ('u' & 31))
static gboolean ref_passes(const char *name, guint32 len) {
  if (!(first_letter_bit(name) & FRAMING_FIRSTS)) return TRUE;
  return !http_header_answer_framing(http_header_kind(name, len));
}

void tg_request_add_response_headers_len(TgRequest *req, const char *const *names,
                                         const guint32 *name_lens, const char *const *values,
                                         const guint32 *value_lens, guint n) {
  if (!req->ev || req->response_started) return;
  guint32 firsts = 0;
  for (guint k = 0; k < n; k++) firsts |= first_letter_bit(names[k]);
  for (guint i = 0; req->backend_headers && i < req->backend_headers->len; i++) {
    BackendHeader *h = &g_array_index(req->backend_headers, BackendHeader, i);
    if (h->removed || h->nlen == 0 || !(firsts & first_letter_bit(h->name))) continue;
    for (guint k = 0; k < n && !h->removed; k++)
      if (h->nlen == name_lens[k] && !g_ascii_strncasecmp(h->name, names[k], name_lens[k]))
        h->removed = TRUE;
  }
  guint after = 0;
  evhtp_kv_t *kv;
  TAILQ_FOREACH(kv, req->ev->headers_out, next) after++;
  for (guint k = 0; k < n; k++) { /* the caller's own text: not scanned for CR/LF */
    if (req->n_ref_headers < REQUEST_REF_HEADERS) {
      req->ref_headers[req->n_ref_headers++] =
          (RefHeader){names[k],      values[k], name_lens[k],
                      value_lens[k], after,     !ref_passes(names[k], name_lens[k])};
      continue;
    }
    kv = malloc(sizeof *kv); /* evhtp frees it with free(), not key or value */
    if (!kv) return;
    *kv = (evhtp_kv_t){.key = (char *)names[k],
                       .val = (char *)values[k],
                       .klen = name_lens[k],
                       .vlen = value_lens[k]};
    TAILQ_INSERT_TAIL(req->ev->headers_out, kv, next);
    after++;
  }
}

/* The headers held by reference, into headers_out in their place (not copied), for
   evhtp_send_reply. */
static void ref_headers_to_kvs(TgRequest *req) {
  evhtp_kv_t *cur = TAILQ_FIRST(req->ev->headers_out); /* inserted before: the (seen+1)th kv */
  guint seen = 0;
  for (guint i = 0; i < req->n_ref_headers; i++) {
    const RefHeader *r = &req->ref_headers[i];
    for (; cur && seen < r->after; seen++) cur = TAILQ_NEXT(cur, next);
    if (r->removed) continue;
    evhtp_kv_t *kv = malloc(sizeof *kv); /* as above: evhtp frees the kv only */
    if (!kv) break;
    *kv = (evhtp_kv_t){
        .key = (char *)r->name, .val = (char *)r->value, .klen = r->nlen, .vlen = r->vlen};
    if (cur)
      TAILQ_INSERT_BEFORE(cur, kv, next);
    else
      TAILQ_INSERT_TAIL(req->ev->headers_out, kv, next);
  }
  req->n_ref_headers = 0;
}

int tg_request_response_status(TgRequest *req) { return req->status; }
guint64 tg_request_bytes_in(TgRequest *req) { return req->bytes_in; }
guint64 tg_request_bytes_out(TgRequest *req) { return req->bytes_out; }
double tg_request_latency_ms(TgRequest *req) { return req->latency_ms; }
void tg_request_set_over_quota(TgRequest *req) { req->over_quota = TRUE; }
gboolean tg_request_over_quota(TgRequest *req) { return req->over_quota; }

static GString *fault_json(int code, const char *message, const char *description) {
  GString *out = g_string_new("{\"fault\":{");
  tg_json_member_int(out, "code", code);
  tg_json_member_string(out, "message", message);
  tg_json_member_string(out, "description", description);
  g_string_append(out, "}}");
  return out;
}

static void record_answer(TgRequest *req, int status, const char *type, const char *body,
                          size_t len) {
  if (req->answered || req->response_started) return;
  req->answered = TRUE;
  req->answer_status = status;
  req->answer_type = g_strdup(type ? type : "application/octet-stream");
  req->answer_body = g_bytes_new(body, len);
}

void tg_request_fault(TgRequest *req, int code, const char *description) {
  const TgStatusInfo *info = tg_status_lookup(code);
  g_autoptr(GString) body =
      fault_json(code, info->message, description ? description : info->description);
  record_answer(req, info->http_status, "application/json", body->str, body->len);
}

void tg_request_respond(TgRequest *req, int http_status, const char *content_type, const char *body,
                        size_t len) {
  if (http_status < 100 || http_status > 599) http_status = 500;
  record_answer(req, http_status, content_type, body ? body : "", body ? len : 0);
}

void tg_request_set_auth(TgRequest *req, const TgAuthInfo *auth) {
  const char *src[] = {auth->key_type,         auth->subscriber,       auth->application_id,
                       auth->application_name, auth->application_tier, auth->subscription_tier,
                       auth->consumer_key,     auth->end_user,         auth->token_hash};
  char *s[G_N_ELEMENTS(src)];
  gpointer block = tg_strpack(0, src, G_N_ELEMENTS(src), s); /* auth may point into the old one */
  g_free(req->auth_block);
  req->auth_block = block;
  req->auth.authenticated = auth->authenticated;
  req->auth.key_type = s[0];
  req->auth.subscriber = s[1];
  req->auth.application_id = s[2];
  req->auth.application_name = s[3];
  req->auth.application_tier = s[4];
  req->auth.subscription_tier = s[5];
  req->auth.consumer_key = s[6];
  req->auth.end_user = s[7];
  req->auth.token_hash = s[8];
}

const TgAuthInfo *tg_request_auth(TgRequest *req) { return &req->auth; }

/* The slot of chain position i; NULL when it lies past what was set so far and
   create is FALSE. */
static PluginSlot *plugin_slot(TgRequest *req, guint i, gboolean create) {
  if (i < REQUEST_SLOTS) return &req->slot[i];
  i -= REQUEST_SLOTS;
  if (!create && (!req->plugin_ctx || i >= req->plugin_ctx->len)) return NULL;
  if (!req->plugin_ctx) req->plugin_ctx = g_array_sized_new(FALSE, TRUE, sizeof(PluginSlot), 8);
  if (i >= req->plugin_ctx->len) g_array_set_size(req->plugin_ctx, i + 1);
  return &g_array_index(req->plugin_ctx, PluginSlot, i);
}

void *tg_request_plugin_ctx(TgRequest *req, const TgPlugin *plugin) {
  int i = plugin_chain_index_of(req->server->chain, plugin);
  PluginSlot *slot = i < 0 ? NULL : plugin_slot(req, (guint)i, FALSE);
  return slot ? slot->ctx : NULL;
}

void tg_request_set_plugin_ctx(TgRequest *req, const TgPlugin *plugin, void *ctx,
                               GDestroyNotify destroy) {
  int i = plugin_chain_index_of(req->server->chain, plugin);
  if (i < 0) return;
  PluginSlot *slot = plugin_slot(req, (guint)i, TRUE);
  if (slot->ctx && slot->destroy && slot->ctx != ctx) slot->destroy(slot->ctx);
  *slot = (PluginSlot){ctx, destroy};
}

/* --- sending answers --- */

/* evhtp_request_set_keepalive(ev, 0) does nothing in libevhtp 1.2.18 (it only
   ever sets the flag): this clears it, so evhtp closes the connection once the
   response is written, and its reply writer says "Connection: close". */
void request_close_after(TgRequest *req) {
  if (req->ev) req->ev->flags &= ~EVHTP_REQ_FLAG_KEEPALIVE;
}

void request_block_client_read(TgRequest *req, gboolean block) {
  if (!req->ev || !req->ev->conn || !req->ev->conn->bev) return;
  req->client_read_blocked = block;
  struct bufferevent *bev = req->ev->conn->bev;
  /* enabling an enabled event re-adds it (an event_add per request): only a change */
  gboolean reading = (bufferevent_get_enabled(bev) & EV_READ) != 0;
  if (block && reading)
    bufferevent_disable(bev, EV_READ);
  else if (!block && !reading && !(req->ev->conn->flags & EVHTP_CONN_FLAG_PAUSED))
    bufferevent_enable(bev, EV_READ);
}

void request_prepare_response_headers(TgRequest *req) {
  if (req->ev && !req->response_started) { /* not copied: request_id outlives headers_out's use */
    tg_request_remove_response_header(req, "X-Request-ID");
    evhtp_headers_add_header(req->ev->headers_out,
                             evhtp_header_new("X-Request-ID", req->request_id, 0, 0));
  }
  plugin_chain_response_headers(req->chain, req);
}

static gboolean request_expects_more_body(TgRequest *req) {
  return !req->body_complete && (req->req_chunked || req->req_content_length > 0);
}

static void send_whole(TgRequest *req, int status, const char *type, const void *body, gsize len) {
  if (!req->ev || req->response_started) return;
  req->status = status;
  tg_request_set_response_header(req, "Content-Type", type);
  if (status == 401 && !evhtp_header_find(req->ev->headers_out, "WWW-Authenticate"))
    tg_request_set_response_header(req, "WWW-Authenticate", "Bearer realm=\"tollgate\"");
  request_prepare_response_headers(req);
  ref_headers_to_kvs(req);
  g_autofree char *length = g_strdup_printf("%" G_GSIZE_FORMAT, len);
  tg_request_set_response_header(req, "Content-Length", length);
  if (request_expects_more_body(req)) request_close_after(req);
  if (g_ascii_strcasecmp(req->method, "HEAD") != 0) evbuffer_add(req->ev->buffer_out, body, len);
  req->response_started = TRUE;
  req->bytes_out = len;
  evhtp_send_reply(req->ev, (evhtp_res)status);
  request_finished(req);
}

void request_send_fault(TgRequest *req, int http_status, int code, const char *message,
                        const char *description) {
  g_autoptr(GString) body = fault_json(code, message, description);
  send_whole(req, http_status, "application/json", body->str, body->len);
}

void request_send_answer(TgRequest *req) {
  if (!req->answered) {
    request_send_fault(req, 500, 500, "Internal Server Error",
                       "A plugin ended the request without an answer");
    return;
  }
  gsize len = 0;
  const void *body = g_bytes_get_data(req->answer_body, &len);
  send_whole(req, req->answer_status, req->answer_type, body, len);
}

static TgSeries *request_series_new(TgRequest *req) {
  g_autoptr(GString) l = g_string_sized_new(96);
  g_string_append(l, "api=");
  tg_json_append_string(l, req->match.api_key ? req->match.api_key : "-"); /* JSON-escaped */
  g_string_append(l, ",status=\"");
  tg_json_append_int(l, req->status);
  g_string_append_c(l, '"');
  return tg_metrics_series(req->server->metrics, "tollgate_gateway_requests_total", l->str);
}

/* requests_total{api,status}: each worker remembers the series it has counted
   on, so a request costs a hash lookup instead of the registry's lock and the
   label string. */
static void count_request(TgRequest *req) {
  const char *api = req->match.api_key ? req->match.api_key : "-";
  char key[256];
  gsize n = strlen(api);
  if (n + 12 > sizeof key || req->status < 0 || req->status > 999) {
    tg_series_add(request_series_new(req), 1);
    return;
  }
  memcpy(key, api, n);
  key[n] = '\n';
  char *digits = key + n + 1;
  digits[0] = (char)('0' + req->status / 100);
  digits[1] = (char)('0' + req->status / 10 % 10);
  digits[2] = (char)('0' + req->status % 10);
  digits[3] = '\0';
  Worker *w = req->worker;
  if (w->last_series && !strcmp(key, w->last_series_key)) {
    tg_series_add(w->last_series, 1);
    return;
  }
  TgSeries *series = g_hash_table_lookup(w->request_series, key);
  if (!series) {
    series = request_series_new(req);
    g_hash_table_insert(w->request_series, g_strdup(key), series);
  }
  memcpy(w->last_series_key, key, n + 5); /* n + 12 <= sizeof key: it fits */
  w->last_series = series;
  tg_series_add(series, 1);
}

void request_finished(TgRequest *req) {
  if (req->logged) return;
  req->logged = TRUE;
  req->state = REQ_DONE;
  plugin_chain_log(req->chain, req);
  count_request(req);
  g_atomic_int_add(&req->server->in_flight, -1);
  if (!req->ev) return;
  if (request_expects_more_body(req)) {
    request_close_after(req);
    request_block_client_read(req, FALSE);
  } else if (req->conn_paused) {
    req->conn_paused = FALSE;
    connection_resume_held(req->ev);
  }
}
