/*
 * store_tryit: the try-it console's server side. The browser posts the
 * request to the portal (same origin: no CORS), the portal checks that the
 * API exists and the user may see it, and sends the request to the first
 * configured gateway URL only: the host and port come from the portal's
 * configuration, never from the request, so the console cannot be turned into
 * a way to reach other addresses. Answers at most 64 KB, 10 s.
 */
#include <string.h>
#include <unistd.h>

#include "page_kit.h"
#include "pages.h"
#include "portal.h"
#include "render.h"
#include "store_catalog.h"
#include "store_tryit.h"
#include "tg_json.h"
#include "tg_socket_transport.h"
#include "tg_tls.h"

#define TRYIT_MAX_ANSWER 65536
#define TRYIT_MAX_BODY   65536
#define TRYIT_TIMEOUT_MS 10000

typedef struct {
  gboolean tls;
  char *host;
  int port;
} GatewayAddr;

static gboolean gateway_addr(const char *url, GatewayAddr *g) {
  g_autoptr(GUri) u = url ? g_uri_parse(url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (!u || !g_uri_get_host(u)) return FALSE;
  g->tls = !g_strcmp0(g_uri_get_scheme(u), "https");
  if (!g->tls && g_strcmp0(g_uri_get_scheme(u), "http")) return FALSE;
  g->host = g_strdup(g_uri_get_host(u));
  g->port = g_uri_get_port(u) > 0 ? g_uri_get_port(u) : g->tls ? 443 : 80;
  return TRUE;
}

/* A path the console may send: "/..." without controls, spaces, fragments or dot segments. */
gboolean tryit_path_ok(const char *p) {
  if (!p || p[0] != '/' || p[1] == '/' || strlen(p) > 2048) return FALSE;
  for (const char *c = p; *c; c++)
    if ((unsigned char)*c <= ' ' || *c == '#' || *c == '\\' || (unsigned char)*c == 0x7f)
      return FALSE;
  return !strstr(p, "/../") && !g_str_has_suffix(p, "/..") && !strstr(p, "/./") &&
         !strstr(p, "%2e") && !strstr(p, "%2E");
}

static gboolean token_ok(const char *t) {
  if (!t || !*t || strlen(t) > 4096) return FALSE;
  for (const char *c = t; *c; c++)
    if ((unsigned char)*c <= ' ' || (unsigned char)*c == 0x7f) return FALSE;
  return TRUE;
}

static gboolean send_all(int fd, SSL *ssl, const char *buf, gsize len) {
  while (len) {
    ssize_t n = ssl ? SSL_write(ssl, buf, (int)len) : write(fd, buf, len);
    if (n <= 0) return FALSE;
    buf += n;
    len -= (gsize)n;
  }
  return TRUE;
}

static GString *exchange(GatewayAddr *g, const char *ca_file, const char *request, GError **error) {
  SSL_CTX *ctx = g->tls ? tg_tls_client_ctx_new(ca_file, TRUE, error) : NULL;
  if (g->tls && !ctx) return NULL;
  SSL *ssl = NULL;
  int fd = tg_socket_connect(g->host, g->port, ctx, TRYIT_TIMEOUT_MS, &ssl, error);
  GString *answer = NULL;
  if (fd >= 0 && send_all(fd, ssl, request, strlen(request))) {
    answer = g_string_new(NULL);
    char buf[8192];
    while (answer->len < TRYIT_MAX_ANSWER) {
      ssize_t n = ssl ? SSL_read(ssl, buf, sizeof buf) : read(fd, buf, sizeof buf);
      if (n <= 0) break;
      g_string_append_len(answer, buf, n);
    }
  } else if (fd >= 0) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "sending to the gateway failed");
  }
  if (ssl) SSL_free(ssl);
  if (fd >= 0) close(fd);
  if (ctx) SSL_CTX_free(ctx);
  return answer;
}

static void answer(PortalReq *r, int status, const char *body, const char *err) {
  if (req_wants_json(r) || g_strcmp0(req_header(r, "Accept"), "application/json") == 0) {
    GString *out = g_string_new("{");
    if (err) {
      tg_json_member_int(out, "code", 502);
      tg_json_member_string(out, "message", err);
    } else {
      tg_json_member_int(out, "status", status);
      g_autofree char *valid = g_utf8_make_valid(body, -1);
      tg_json_member_string(out, "body", valid);
    }
    g_string_append_c(out, '}');
    reply_json(r, err ? 502 : 200, out);
    return;
  }
  GString *out = g_string_new(NULL);
  page_begin(r, out, "Try it");
  g_string_append(out, "<h1>Try it</h1>");
  if (err)
    html_fmt(out, "<p class=\"notice error\" role=\"alert\">%s</p>", err);
  else {
    g_autofree char *valid = g_utf8_make_valid(body, -1);
    html_fmt(out, "<p>The gateway answered <strong>HTTP %d</strong>.</p><pre>%s</pre>", status,
             valid);
  }
  g_string_append(out, "<p><a href=\"/\">Back to the catalogue</a></p>");
  page_end(r, out);
  reply_html(r, 200, out);
}

void tryit_post(PortalReq *r) {
  const char *ctx = req_arg(r, "context"), *ver = req_arg(r, "version"), *path = req_arg(r, "path");
  const char *method = req_arg(r, "method"), *token = req_arg(r, "token"),
             *body = req_arg(r, "body");
  static const char *const verbs[] = {"GET",   "POST", "PUT",     "DELETE",
                                      "PATCH", "HEAD", "OPTIONS", NULL};
  if (!method || !g_strv_contains(verbs, method) || !tryit_path_ok(path) || !token_ok(token) ||
      (body && strlen(body) > TRYIT_MAX_BODY) || !ctx || !ver) {
    reply_error(r, 400, "send context, version, method, a path starting with / and a token");
    return;
  }
  HubErr he = {0};
  g_autoptr(TgApi) api = NULL;
  if (!catalog_get_api(r, ctx, ver, &api, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  GatewayAddr g = {0};
  if (!gateway_addr(r->portal->cfg->gateway_urls[0], &g)) {
    reply_error(r, 503, "this portal has no gateway URL configured");
    return;
  }
  gsize blen = body ? strlen(body) : 0;
  GString *req = g_string_new(NULL);
  g_string_append_printf(
      req,
      "%s %s/%s%s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n"
      "User-Agent: tollgate-portal-tryit\r\nAccept: */*\r\nConnection: close\r\n",
      method, api->context, api->version, path, g.host, g.port, token);
  if (blen)
    g_string_append_printf(req, "Content-Type: application/json\r\nContent-Length: %zu\r\n", blen);
  g_string_append(req, "\r\n");
  if (blen) g_string_append(req, body);
  g_autofree char *request = g_string_free(req, FALSE);
  g_autoptr(GError) error = NULL;
  GString *ans = exchange(&g, r->portal->cfg->hub_ca_file, request, &error);
  g_free(g.host);
  memset(request, 0, strlen(request));
  if (!ans) {
    answer(r, 0, NULL, error ? error->message : "the gateway did not answer");
    return;
  }
  int status = 0;
  if (sscanf(ans->str, "HTTP/1.%*d %d", &status) != 1) status = 0;
  const char *sep = strstr(ans->str, "\r\n\r\n");
  answer(r, status, sep ? sep + 4 : "", status ? NULL : "the gateway's answer was not HTTP");
  g_string_free(ans, TRUE);
}

static const Route routes[] = {
    {"POST", "/store/tryit", tryit_post, STORE_ROLES, 0},
};
const RouteTable tryit_table = {routes, G_N_ELEMENTS(routes)};
