/*
 * request: argument access and the reply_* answers (request.h). Every answer
 * goes through reply_body, so no page can skip the headers the server set.
 */
#include "request.h"

#include <string.h>

#include "portal.h"
#include "tg_json.h"

const char *req_arg(PortalReq *r, const char *name) {
  const char *v = tg_form_get(r->form, name);
  if (v) return v;
  if (r->json && json_object_has_member(r->json, name)) {
    JsonNode *n = json_object_get_member(r->json, name);
    if (JSON_NODE_HOLDS_VALUE(n)) {
      GType t = json_node_get_value_type(n);
      if (t == G_TYPE_STRING) return json_node_get_string(n);
      /* numbers and booleans as text, kept with the request */
      g_autofree char *text = json_to_string(n, FALSE);
      tg_form_add(r->form, name, text);
      return tg_form_get(r->form, name);
    }
  }
  return tg_form_get(r->query, name);
}

gint64 req_arg_int(PortalReq *r, const char *name, gint64 def, gint64 min, gint64 max) {
  const char *v = req_arg(r, name);
  gint64 n;
  if (!v || !*v || !g_ascii_string_to_signed(v, 10, min, max, &n, NULL)) return def;
  return n;
}

const char *req_header(PortalReq *r, const char *name) {
  return r->ev ? evhtp_header_find(r->ev->headers_in, name)
               : NULL; /* NULL: a page built in a test */
}

gboolean req_wants_json(PortalReq *r) {
  if (r->route && (r->route->flags & ROUTE_API)) return TRUE;
  if (g_str_has_prefix(r->path, "/api/")) return TRUE;
  return FALSE;
}

const char *req_user(PortalReq *r) { return r->session ? r->session->user : ""; }
guint req_roles(PortalReq *r) { return r->session ? r->session->roles : 0; }
const char *req_hub_session(PortalReq *r) { return r->session ? r->session->hub_session : ""; }

const char *req_csrf_token(PortalReq *r) {
  if (r->session) return r->session->csrf;
  return r->pre_token ? r->pre_token : "";
}

void reply_header(PortalReq *r, const char *name, const char *value) {
  evhtp_headers_add_header(r->ev->headers_out, evhtp_header_new(name, value, 1, 1));
}

void reply_body(PortalReq *r, int status, const char *content_type, const char *body, gsize len) {
  if (r->answered) {
    g_warning("%s %s answered twice", r->method, r->path);
    return;
  }
  r->answered = TRUE;
  reply_header(r, "Content-Type", content_type);
  if (strcmp(r->method, "HEAD") != 0) evbuffer_add(r->ev->buffer_out, body, len);
  evhtp_send_reply(r->ev, (evhtp_res)status);
}

void reply_html(PortalReq *r, int status, GString *html) {
  reply_body(r, status, "text/html; charset=utf-8", html->str, html->len);
  g_string_free(html, TRUE);
}

void reply_json(PortalReq *r, int status, GString *json) {
  if (json->len == 0 || json->str[json->len - 1] != '\n') g_string_append_c(json, '\n');
  reply_body(r, status, "application/json", json->str, json->len);
  g_string_free(json, TRUE);
}

/* Only "/x..." and never "//host" or "/\host" (browsers treat both as another host). */
static gboolean local_path(const char *p) {
  return p && p[0] == '/' && p[1] != '/' && p[1] != '\\' && !strpbrk(p, "\r\n");
}

void reply_redirect(PortalReq *r, const char *path) {
  reply_header(r, "Location", local_path(path) ? path : "/");
  reply_body(r, 303, "text/plain; charset=utf-8", "See Other\n", 10);
}

void reply_set_cookie(PortalReq *r, const char *name, const char *value, int max_age) {
  g_autofree char *c =
      max_age < 0 ? g_strdup_printf("%s=%s; Path=/; Secure; HttpOnly; SameSite=Strict", name, value)
                  : g_strdup_printf("%s=%s; Path=/; Max-Age=%d; Secure; HttpOnly; SameSite=Strict",
                                    name, value, max_age);
  reply_header(r, "Set-Cookie", c);
}

#define FLASH_MAX 200

void req_flash(PortalReq *r, const char *text) {
  if (r->bearer || !text) return;
  GString *v = g_string_new(NULL);
  g_autofree char *cut = g_utf8_make_valid(text, MIN(strlen(text), FLASH_MAX));
  tg_form_append_encoded(v, cut);
  reply_set_cookie(r, FLASH_COOKIE_NAME, v->str, 60);
  g_string_free(v, TRUE);
}

char *req_take_flash(PortalReq *r) {
  g_autofree char *raw = cookie_get(req_header(r, "Cookie"), FLASH_COOKIE_NAME);
  if (!raw || !*raw) return NULL;
  reply_set_cookie(r, FLASH_COOKIE_NAME, "", 0);
  g_autofree char *text = tg_form_decode(raw, strlen(raw), FALSE);
  if (!text || strlen(text) > FLASH_MAX || !g_utf8_validate(text, -1, NULL)) return NULL;
  return g_steal_pointer(&text);
}
