/*
 * server: request set-up and the checks every route gets (server.h). The
 * order is fixed: headers, route, session, body, roles, CSRF, handler; a
 * request that fails a step is answered there and never reaches a handler.
 * Body limits come first, from evhtp's on_headers hook: 413 before the body is read.
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <evhtp.h>
#include <openssl/err.h>
#include <string.h>

#include "csrf.h"
#include "portal.h"
#include "render.h"
#include "request.h"
#include "session_hub.h"
#include "tg_crypto.h"
#include "tg_json.h"
#include "tg_linger.h"

#define TLS_ERROR_QUARK g_quark_from_static_string("portal-server")
/* Deepest JSON body parsed: json-glib recurses per level, so deeper is refused unread. */
#define BODY_MAX_JSON_DEPTH 64

struct PortalServer {
  Portal *portal;
  evhtp_t *htp;
  evhtp_ssl_cfg_t ssl;
};

static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

static void security_headers(PortalReq *r) {
  reply_header(r, "Content-Security-Policy", csp);
  reply_header(r, "X-Content-Type-Options", "nosniff");
  reply_header(r, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  reply_header(r, "Referrer-Policy", "same-origin");
  reply_header(r, "X-Frame-Options", "DENY");
  reply_header(r, "Cross-Origin-Opener-Policy", "same-origin");
  reply_header(r, "Cross-Origin-Resource-Policy", "same-origin");
  reply_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

static char *peer_address(evhtp_request_t *ev) {
  char buf[INET6_ADDRSTRLEN] = "";
  struct sockaddr *sa = ev->conn ? ev->conn->saddr : NULL;
  if (sa && sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr, buf, sizeof buf);
  else if (sa && sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof buf);
  return g_strdup(buf);
}

static void serve_asset(PortalReq *r, const char *type, const char *body, gsize len) {
  char etag[TG_SHA256_HEX_LEN + 3];
  char hex[TG_SHA256_HEX_LEN + 1];
  tg_sha256_hex(body, len, hex);
  g_snprintf(etag, sizeof etag, "\"%.16s\"", hex);
  reply_header(r, "Cache-Control", "public, max-age=3600");
  reply_header(r, "ETag", etag);
  const char *inm = req_header(r, "If-None-Match");
  if (inm && !strcmp(inm, etag)) {
    reply_body(r, 304, type, "", 0);
    return;
  }
  reply_body(r, 200, type, body, len);
}

/* /static/... and /health: no session, no route table. TRUE when answered. */
static gboolean serve_builtin(PortalReq *r) {
  gsize len;
  if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) return FALSE;
  if (!strcmp(r->path, "/static/portal.css")) {
    const char *css = asset_css(&len);
    serve_asset(r, "text/css; charset=utf-8", css, len);
    return TRUE;
  }
  if (!strcmp(r->path, "/static/portal.js")) {
    const char *js = asset_js(&len);
    serve_asset(r, "text/javascript; charset=utf-8", js, len);
    return TRUE;
  }
  if (!strcmp(r->path, "/health")) {
    guint up, total;
    portal_hub_health(r->portal->hub, &up, &total);
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, "{\"status\":\"%s\",\"hubsUp\":%u,\"hubs\":%u}",
                           up ? "ok" : "degraded", up, total);
    reply_json(r, 200, out);
    return TRUE;
  }
  return FALSE;
}

/* The session from a bearer token (API routes) or the cookie (everything), checked by the
   hubs (session_hub.h). FALSE when answered: no hub could say (503). */
static gboolean resolve_session(PortalReq *r) {
  const char *auth = req_header(r, "Authorization");
  Session *s = NULL;
  if (auth && g_ascii_strncasecmp(auth, "Bearer ", 7) == 0 && (r->route->flags & ROUTE_API)) {
    const char *tok = auth + 7;
    while (*tok == ' ') tok++;
    int code = session_hub_resolve(r, tok, SESSION_BEARER, &s);
    if (code == 503)
      return reply_error(r, 503,
                         "sessions cannot be checked now (no hub or database answered): try again"),
             FALSE;
    if (s) {
      r->session = s;
      r->session_id = g_strdup(tok);
      r->bearer = TRUE;
    }
    return TRUE;
  }
  g_autofree char *id = cookie_get(req_header(r, "Cookie"), SESSION_COOKIE_NAME);
  int code = id ? session_hub_resolve(r, id, SESSION_COOKIE, &s) : 401;
  if (code == 503)
    return reply_error(r, 503,
                       "sessions cannot be checked now (no hub or database answered): try again"),
           FALSE;
  if (s) {
    r->session = s;
    r->session_id = g_steal_pointer(&id);
    return TRUE;
  }
  if (id) reply_set_cookie(r, SESSION_COOKIE_NAME, "", 0); /* ended or expired: forget it */
  r->pre_token = cookie_get(req_header(r, "Cookie"), PRE_COOKIE_NAME);
  if (r->pre_token && strlen(r->pre_token) != 48) g_clear_pointer(&r->pre_token, g_free);
  if (!r->pre_token && !(r->route->flags & ROUTE_API)) {
    r->pre_token = tg_random_hex(24);
    reply_set_cookie(r, PRE_COOKIE_NAME, r->pre_token, -1);
  }
  return TRUE;
}

/* A multipart/form-data body: text fields join r->form (the CSRF token among
   them), files stay in r->multipart. */
static gboolean parse_multipart(PortalReq *r, const char *type, const char *data, gsize len) {
  g_autoptr(GError) error = NULL;
  g_autofree char *boundary = multipart_boundary(type, &error);
  Multipart *m = boundary ? multipart_parse(data, len, boundary, NULL, &error) : NULL;
  if (!m) {
    reply_error(r, 400, error->message);
    return FALSE;
  }
  r->multipart = m;
  for (guint i = 0; i < multipart_count(m); i++) {
    const MultipartPart *p = multipart_part(m, i);
    if (!p->filename) tg_form_add(r->form, p->name, p->data);
  }
  return TRUE;
}

static gboolean parse_body(PortalReq *r) {
  struct evbuffer *in = r->ev->buffer_in;
  gsize len = evbuffer_get_length(in);
  if (len == 0) return TRUE;
  const char *data = (const char *)evbuffer_pullup(in, (ev_ssize_t)len);
  const char *type = req_header(r, "Content-Type");
  gboolean upload = (r->route->flags & ROUTE_UPLOAD) != 0;
  if (upload) {
    r->body = data;
    r->body_len = len;
  }
  if (upload && type && g_ascii_strncasecmp(type, "multipart/form-data", 19) == 0)
    return parse_multipart(r, type, data, len);
  if (type && g_ascii_strncasecmp(type, "application/json", 16) == 0) {
    if (tg_json_depth(data, len, BODY_MAX_JSON_DEPTH) > BODY_MAX_JSON_DEPTH) {
      reply_error(r, 400,
                  "the JSON body nests deeper than " G_STRINGIFY(BODY_MAX_JSON_DEPTH) " levels");
      return FALSE;
    }
    r->json_parser = json_parser_new();
    g_autoptr(GError) error = NULL;
    if (!json_parser_load_from_data(r->json_parser, data, (gssize)len, &error) ||
        !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(r->json_parser))) {
      reply_error(r, 400, "the body is not a JSON object");
      return FALSE;
    }
    r->json = json_node_get_object(json_parser_get_root(r->json_parser));
    return TRUE;
  }
  if (type && g_ascii_strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0) {
    g_autoptr(GError) error = NULL;
    TgForm *f = form_parse(data, len, &error);
    if (!f) {
      reply_error(r, 400, error->message);
      return FALSE;
    }
    tg_form_free(r->form);
    r->form = f;
    return TRUE;
  }
  if (upload) return TRUE; /* the handler reads r->body */
  reply_error(r, 415, "send application/x-www-form-urlencoded or application/json");
  return FALSE;
}

static gboolean check_roles(PortalReq *r) {
  if (router_roles_allow(r->route, r->session != NULL, req_roles(r))) return TRUE;
  if (r->session) {
    reply_error(r, 403, "your account does not have the role this page needs");
  } else if (req_wants_json(r)) {
    reply_header(r, "WWW-Authenticate", "Bearer realm=\"tollgate-portal\"");
    reply_error(r, 401,
                "sign in first: POST /api/auth/token, then send Authorization: Bearer <token>");
  } else {
    GString *to = g_string_new("/login?next=");
    tg_form_append_encoded(to, r->path);
    reply_redirect(r, to->str);
    g_string_free(to, TRUE);
  }
  return FALSE;
}

static gboolean check_csrf(PortalReq *r) {
  if (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) return TRUE;
  if (r->bearer || (r->route->flags & ROUTE_NO_CSRF)) return TRUE;
  const char *given = tg_form_get(r->form, "csrf");
  if (!given) given = req_header(r, "X-CSRF-Token");
  if (!given && r->json && json_object_has_member(r->json, "csrf"))
    given = json_object_get_string_member(r->json, "csrf");
  CsrfVerdict v = csrf_check(req_header(r, "Sec-Fetch-Site"), req_header(r, "Origin"),
                             r->our_origin, req_csrf_token(r), given);
  if (v == CSRF_OK) return TRUE;
  g_message("CSRF refused %s %s from %s: %s", r->method, r->path, r->client, csrf_verdict_text(v));
  reply_error(r, 403, csrf_verdict_text(v));
  return FALSE;
}

static void our_origin(PortalReq *r) {
  const char *pub = r->portal->cfg->public_url;
  if (pub && *pub) {
    gsize n = strlen(pub);
    r->our_origin = g_strndup(pub, pub[n - 1] == '/' ? n - 1 : n);
    return;
  }
  const char *host = req_header(r, "Host");
  r->our_origin = host ? g_strdup_printf("https://%s", host) : g_strdup(r->portal->origin);
}

static void dispatch(PortalReq *r) {
  security_headers(r);
  if (serve_builtin(r)) return;
  reply_header(r, "Cache-Control", "no-store");
  const char *rest;
  RouteMatch m =
      router_find(r->portal->tables, r->portal->ntables, r->method, r->path, &r->route, &rest);
  r->rest = rest;
  if (m == ROUTE_NOT_FOUND) {
    reply_error(r, 404, "there is no page at this address");
    return;
  }
  if (m == ROUTE_BAD_METHOD) {
    reply_error(r, 405, "this address does not take that method");
    return;
  }
  our_origin(r);
  if (!resolve_session(r) || !parse_body(r) || !check_roles(r) || !check_csrf(r)) return;
  r->route->handler(r);
  if (!r->answered) reply_error(r, 500, "the page gave no answer");
}

/* Fills r for ev (method, decoded path, query, empty form, peer). FALSE: the
   address is malformed (r is still complete, for an error answer). */
static gboolean req_open(PortalReq *r, PortalServer *srv, evhtp_request_t *ev) {
  *r = (PortalReq){.portal = srv->portal, .ev = ev, .now = g_get_real_time() / G_USEC_PER_SEC};
  r->method = htparser_get_methodstr_m(evhtp_request_get_method(ev));
  char *path = ev->uri && ev->uri->path && ev->uri->path->full
                   ? tg_form_decode(ev->uri->path->full, strlen(ev->uri->path->full), FALSE)
                   : NULL;
  const char *qraw = ev->uri && ev->uri->query_raw ? (const char *)ev->uri->query_raw : "";
  g_autoptr(GError) qerr = NULL;
  r->query = form_parse(qraw, strlen(qraw), &qerr);
  r->form = tg_form_new();
  r->client = peer_address(ev);
  r->decoded_path = path;
  r->path = path ? path : "/";
  if (!r->method) r->method = "GET";
  gboolean ok = path && r->query;
  if (!r->query) r->query = tg_form_new();
  return ok;
}

static void req_close(PortalReq *r) {
  tg_form_free(r->query);
  tg_form_free(r->form);
  if (r->json_parser) g_object_unref(r->json_parser);
  multipart_free(r->multipart);
  session_free(r->session);
  if (r->session_id) memset(r->session_id, 0, strlen(r->session_id));
  g_free(r->session_id);
  g_free(r->pre_token);
  g_free(r->client);
  g_free(r->our_origin);
  g_free(r->decoded_path);
}

static void on_request(evhtp_request_t *ev, void *arg) {
  if (ev->flags & EVHTP_REQ_FLAG_FINISHED) return; /* answered 413 while its body came */
  PortalReq r;
  if (req_open(&r, arg, ev)) {
    dispatch(&r);
  } else {
    security_headers(&r);
    reply_error(&r, 400, "malformed address");
  }
  req_close(&r);
}

/* --- body limits: answered before evhtp reads a body past them --- */

/* [portal] upload_max_body for the route's ROUTE_UPLOAD routes, max_body for every other
   address (unknown ones included). */
static guint64 body_limit(PortalServer *srv, const PortalReq *r) {
  const Route *route = NULL;
  const char *rest;
  const PortalConfig *cfg = srv->portal->cfg;
  if (router_find(srv->portal->tables, srv->portal->ntables, r->method, r->path, &route, &rest) ==
          ROUTE_FOUND &&
      (route->flags & ROUTE_UPLOAD))
    return (guint64)cfg->upload_max_body;
  return (guint64)cfg->max_body;
}

/* The client of a refused body may still be sending it: no reset that would lose the 413. */
static evhtp_res on_refused_fini(evhtp_connection_t *conn, G_GNUC_UNUSED void *arg) {
  if (conn->bev) tg_linger_close(conn->evbase, bufferevent_getfd(conn->bev));
  return EVHTP_RES_OK;
}

/* A worker thread stopping: the lingering closes still on its loop end with it. */
static void worker_exit(G_GNUC_UNUSED evhtp_t *htp, evthr_t *thr, G_GNUC_UNUSED void *arg) {
  tg_linger_drop_all(evthr_get_base(thr));
}

/* 413 in the portal's error format (JSON under /api/, the HTML page
   elsewhere), then evhtp closes the connection once the answer is written
   (Connection: close): the rest of the body is dropped, never parsed as a
   next request. */
static void refuse_body(PortalServer *srv, evhtp_request_t *ev, guint64 limit) {
  PortalReq r;
  req_open(&r, srv, ev);
  ev->flags &= ~EVHTP_REQ_FLAG_KEEPALIVE;
  evhtp_connection_set_hook(ev->conn, evhtp_hook_on_connection_fini, (evhtp_hook)on_refused_fini,
                            NULL);
  security_headers(&r);
  reply_header(&r, "Cache-Control", "no-store");
  g_autofree char *size = g_format_size(limit);
  g_autofree char *msg =
      g_strdup_printf("the request body is larger than this address takes: %" G_GUINT64_FORMAT
                      " bytes (%s) at most",
                      limit, size);
  g_message("413 %s %s from %s: body over %" G_GUINT64_FORMAT " bytes", r.method, r.path, r.client,
            limit);
  reply_error(&r, 413, msg);
  req_close(&r);
}

/* Every body byte passes here (evhtp's own limit is off): a chunked body is
   counted as it comes; once answered, the rest is dropped unbuffered. */
static evhtp_res on_body(evhtp_request_t *ev, struct evbuffer *buf, void *arg) {
  guint64 limit = GPOINTER_TO_SIZE(arg);
  gsize n = evbuffer_get_length(buf);
  if (!(ev->flags & EVHTP_REQ_FLAG_FINISHED) && ev->conn->body_bytes_read + n > limit)
    refuse_body(ev->htp->arg, ev, limit);
  if (ev->flags & EVHTP_REQ_FLAG_FINISHED) evbuffer_drain(buf, n);
  return EVHTP_RES_OK;
}

/* A Content-Length past the route's limit is answered here, before any of the body is read. */
static evhtp_res on_headers(evhtp_request_t *ev, G_GNUC_UNUSED evhtp_headers_t *headers,
                            void *arg) {
  PortalServer *srv = arg;
  PortalReq r;
  req_open(&r, srv, ev);
  guint64 limit = body_limit(srv, &r);
  req_close(&r);
  evhtp_request_set_hook(ev, evhtp_hook_on_read, (evhtp_hook)on_body, GSIZE_TO_POINTER(limit));
  if (htparser_get_content_length(ev->conn->parser) > limit) refuse_body(srv, ev, limit);
  return EVHTP_RES_OK;
}

static evhtp_res on_post_accept(evhtp_connection_t *conn, void *arg) {
  evhtp_connection_set_hook(conn, evhtp_hook_on_headers, (evhtp_hook)on_headers, arg);
  return EVHTP_RES_OK;
}

static gboolean tls_files_usable(const PortalConfig *cfg, GError **error) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  gboolean ok = SSL_CTX_use_certificate_chain_file(ctx, cfg->tls_cert) == 1 &&
                SSL_CTX_use_PrivateKey_file(ctx, cfg->tls_key, SSL_FILETYPE_PEM) == 1 &&
                SSL_CTX_check_private_key(ctx) == 1;
  SSL_CTX_free(ctx);
  ERR_clear_error();
  if (!ok)
    g_set_error(error, TLS_ERROR_QUARK, 1, "[portal] tls_cert/tls_key: cannot load %s with key %s",
                cfg->tls_cert, cfg->tls_key);
  return ok;
}

PortalServer *portal_server_new(Portal *portal, struct event_base *base, GError **error) {
  const PortalConfig *cfg = portal->cfg;
  if (!tls_files_usable(cfg, error)) return NULL;
  PortalServer *srv = g_new0(PortalServer, 1);
  srv->portal = portal;
  srv->htp = evhtp_new(base, srv);
  evhtp_disable_flag(srv->htp, EVHTP_FLAG_ENABLE_100_CONT);
  evhtp_set_gencb(srv->htp, on_request, srv);
  evhtp_set_post_accept_cb(srv->htp, on_post_accept, srv); /* body limits: on_headers */
  struct timeval tv = {30, 0};
  evhtp_set_timeouts(srv->htp, &tv, &tv);
  srv->ssl.pemfile = cfg->tls_cert;
  srv->ssl.privfile = cfg->tls_key;
  srv->ssl.ssl_opts = SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1;
  srv->ssl.scache_type = evhtp_ssl_scache_type_disabled;
  if (evhtp_ssl_init(srv->htp, &srv->ssl) != 0) {
    g_set_error(error, TLS_ERROR_QUARK, 1, "TLS set-up failed");
    portal_server_free(srv);
    return NULL;
  }
  evhtp_use_threads_wexit(srv->htp, NULL, worker_exit, cfg->threads, srv);
  if (evhtp_bind_socket(srv->htp, cfg->bind, (uint16_t)cfg->port, 1024) != 0) {
    g_set_error(error, TLS_ERROR_QUARK, 1, "cannot listen on %s:%d: %s", cfg->bind, cfg->port,
                g_strerror(errno));
    portal_server_free(srv);
    return NULL;
  }
  return srv;
}

void portal_server_stop_accepting(PortalServer *s) {
  if (s && s->htp) evhtp_unbind_socket(s->htp);
}

void portal_server_free(PortalServer *s) {
  if (!s) return;
  portal_server_stop_accepting(s);
  evhtp_free(s->htp);
  g_free(s);
}
