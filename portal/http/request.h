/*
 * request: one portal request as handlers see it (PortalReq) and the ways to
 * answer it. The server (server.c) fills it: the parsed query and body, the
 * session (cookie or bearer), the matched route and its remainder; a handler
 * reads arguments with req_arg() and answers exactly once with one of the
 * reply_*() calls. Security headers are already set when a handler runs.
 */
#ifndef PORTAL_REQUEST_H
#define PORTAL_REQUEST_H

#include <evhtp.h>
#include <glib.h>
#include <json-glib/json-glib.h>

#include "form.h"
#include "multipart.h"
#include "router.h"
#include "session.h"

typedef struct Portal Portal;

#define SESSION_COOKIE_NAME "__Host-tg_session"
#define PRE_COOKIE_NAME     "__Host-tg_pre"
#define FLASH_COOKIE_NAME   "__Host-tg_flash"

struct PortalReq {
  Portal *portal;
  evhtp_request_t *ev;
  const Route *route;
  const char *method;
  const char *path;   /* decoded path, no query */
  char *decoded_path; /* what path points to when it is not the "/" stand-in (owned) */
  const char *rest;   /* what the route's trailing '*' matched */
  TgForm *query;
  TgForm *form;     /* urlencoded body (POST), else empty */
  JsonObject *json; /* JSON body, else NULL */
  JsonParser *json_parser;
  Multipart *multipart; /* multipart body (ROUTE_UPLOAD): its files; text fields are in form */
  const char *body;     /* the raw body (ROUTE_UPLOAD), valid until the answer; else NULL */
  gsize body_len;
  Session *session; /* NULL: anonymous */
  char *session_id; /* the raw id it was found by (cookie value or bearer token) */
  gboolean bearer;  /* authenticated by Authorization: Bearer */
  char *pre_token;  /* pre-session CSRF token (anonymous visitors) */
  char *client;     /* peer address */
  char *our_origin; /* https://host:port */
  gint64 now;       /* Unix s at arrival */
  gboolean answered;
};

/* A request argument: the form body, then the JSON body (strings, numbers and
   booleans as text), then the query string. NULL when absent. */
const char *req_arg(PortalReq *r, const char *name);
/* The same as an integer within [min, max]; def when absent or malformed. */
gint64 req_arg_int(PortalReq *r, const char *name, gint64 def, gint64 min, gint64 max);
/* A request header (case-insensitive name) or NULL. */
const char *req_header(PortalReq *r, const char *name);
/* TRUE when the client wants JSON (ROUTE_API routes always do). */
gboolean req_wants_json(PortalReq *r);
const char *req_user(PortalReq *r); /* "" anonymous */
guint req_roles(PortalReq *r);
/* The hub session to pass as arg 1 ("" anonymous). */
const char *req_hub_session(PortalReq *r);
/* The CSRF token forms must carry (session's, or the pre-session cookie's). */
const char *req_csrf_token(PortalReq *r);

/* Answers. body is copied. */
void reply_body(PortalReq *r, int status, const char *content_type, const char *body, gsize len);
void reply_html(PortalReq *r, int status, GString *html); /* frees html */
void reply_json(PortalReq *r, int status, GString *json); /* frees json */
/* 303 See Other to a local path (never an absolute URL: no open redirect). */
void reply_redirect(PortalReq *r, const char *local_path);
/* Set-Cookie with __Host- rules: Path=/; Secure; HttpOnly; SameSite=Strict.
   max_age < 0: a browser-session cookie; 0: delete. */
void reply_set_cookie(PortalReq *r, const char *name, const char *value, int max_age);
void reply_header(PortalReq *r, const char *name, const char *value);

/* A flash message shown on the next page of this browser (a cookie, so any portal shows it). */
void req_flash(PortalReq *r, const char *text);
/* The flash message this request carries (caller frees; NULL none), and the cookie cleared. */
char *req_take_flash(PortalReq *r);

#endif
