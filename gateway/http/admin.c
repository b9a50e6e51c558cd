/*
 * admin: /health and /metrics on their own port, served by the main thread. Trade-off: they
 * are rare and cheap, and off the worker threads a busy API port never hides the gateway's
 * health. Bound to admin_bind (loopback by default); with admin_token set, every request needs
 * the Bearer token (compared in constant time). Design notes: docs/HACKING.md.
 */
#include "gateway_error.h"
#include "admin.h"

#include <errno.h>
#include <evhtp.h>
#include <string.h>

#include "hubside.h"
#include "router.h"
#include "tg_crypto.h"
#include "tg_json.h"

struct Admin {
  evhtp_t *htp;
  TgPluginHost *host;
  char *token_sha256; /* NULL: no token asked */
};

static void reply(evhtp_request_t *ev, int status, const char *type, const char *body) {
  evhtp_headers_add_header(ev->headers_out, evhtp_header_new("Content-Type", type, 0, 1));
  evbuffer_add(ev->buffer_out, body, strlen(body));
  evhtp_send_reply(ev, (evhtp_res)status);
}

/* TRUE when no token is set or the request carries it as a Bearer token. */
static gboolean authorized(Admin *admin, evhtp_request_t *ev) {
  if (!admin->token_sha256) return TRUE;
  const char *auth = evhtp_header_find(ev->headers_in, "Authorization");
  if (!auth || g_ascii_strncasecmp(auth, "Bearer ", 7) != 0) return FALSE;
  const char *token = auth + 7;
  while (*token == ' ') token++;
  char digest[TG_SHA256_HEX_LEN + 1];
  tg_sha256_hex(token, strlen(token), digest);
  return tg_secure_streq(digest, admin->token_sha256);
}

/* FALSE after answering 401 to a request without the admin token. */
static gboolean admit(Admin *admin, evhtp_request_t *ev) {
  if (authorized(admin, ev)) return TRUE;
  evhtp_headers_add_header(
      ev->headers_out,
      evhtp_header_new("WWW-Authenticate", "Bearer realm=\"tollgate-admin\"", 0, 0));
  reply(ev, 401, "application/json",
        "{\"fault\":{\"code\":401,\"message\":\"Unauthorized\",\"description\":\"admin_token "
        "required\"}}");
  return FALSE;
}

static void health_cb(evhtp_request_t *ev, void *arg) {
  Admin *admin = arg;
  if (!admit(admin, ev)) return;
  GString *out = g_string_new("{");
  tg_json_member_string(out, "status", "ok");
  tg_json_member_string(out, "gateway", admin->host->gateway_id);
  tg_json_member_int(out, "apis", router_api_count(admin->host->router));
  if (admin->host->hubside) {
    g_autofree char *hubs = hubside_health_json(admin->host->hubside);
    if (hubs && *hubs) {
      tg_json_member_key(out, "hubs");
      g_string_append(out, hubs);
    }
  }
  g_string_append(out, "}\n");
  reply(ev, 200, "application/json", out->str);
  g_string_free(out, TRUE);
}

static void metrics_cb(evhtp_request_t *ev, void *arg) {
  Admin *admin = arg;
  if (!admit(admin, ev)) return;
  g_autofree char *text = tg_metrics_render(admin->host->metrics);
  reply(ev, 200, "text/plain; version=0.0.4", text);
}

static void other_cb(evhtp_request_t *ev, void *arg) {
  if (!admit(arg, ev)) return;
  reply(ev, 404, "application/json",
        "{\"fault\":{\"code\":404,\"message\":\"Not Found\",\"description\":\"Try /health or "
        "/metrics\"}}");
}

Admin *admin_start(TgPluginHost *host, struct event_base *base, const char *bind, int port,
                   const char *token, GError **error) {
  Admin *admin = g_new0(Admin, 1);
  admin->host = host;
  if (token && *token) admin->token_sha256 = tg_sha256_hex_str(token);
  admin->htp = evhtp_new(base, admin);
  evhtp_set_cb(admin->htp, "/health", health_cb, admin);
  evhtp_set_cb(admin->htp, "/metrics", metrics_cb, admin);
  evhtp_set_gencb(admin->htp, other_cb, admin);
  if (evhtp_bind_socket(admin->htp, bind, (uint16_t)port, 128) != 0) {
    g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_FAILED,
                "cannot listen on %s:%d (admin): %s", bind, port, g_strerror(errno));
    admin_stop(admin);
    return NULL;
  }
  g_message("admin listening on %s:%d%s", bind, port,
            admin->token_sha256 ? " (admin_token required)" : "");
  return admin;
}

void admin_stop(Admin *admin) {
  if (!admin) return;
  evhtp_unbind_socket(admin->htp); /* evhtp_free leaves the listener behind */
  evhtp_free(admin->htp);
  g_free(admin->token_sha256);
  g_free(admin);
}
