/*
 * render: HTML output for every portal page, escaping by default: html_fmt's %s escapes, %u
 * URL-encodes, %R is raw trusted HTML only. Trade-off: a small printf-like writer instead of
 * templates; no inline script or style anywhere (the CSP forbids them). A page's usage and the
 * directives: docs/HACKING.md.
 */
#ifndef PORTAL_RENDER_H
#define PORTAL_RENDER_H

#include <glib.h>

#include "http/request.h"

/* Appends s with & < > " ' escaped (NULL: nothing). */
void html_text(GString *out, const char *s);
void html_fmt(GString *out, const char *fmt, ...);

/* The page frame: doctype, head (title, portal.css, portal.js deferred), header
   with nav for the user's roles, the session's flash message, then <main>. */
void page_begin(PortalReq *r, GString *out, const char *title);
void page_end(PortalReq *r, GString *out);

/* <form method="post" action=...> with the CSRF hidden field; cls may be NULL. */
void form_begin(PortalReq *r, GString *out, const char *action, const char *cls);
void form_end(GString *out);
void form_submit(GString *out, const char *label);
/* A one-button form (POST) for actions like Revoke or Delete. */
void form_button(PortalReq *r, GString *out, const char *action, const char *label, const char *cls,
                 const char *hidden_name, const char *hidden_value);
/* Labelled inputs; extra is raw attributes (literals only), may be NULL. */
void field_text(GString *out, const char *name, const char *label, const char *value,
                const char *extra);
void field_input(GString *out, const char *type, const char *name, const char *label,
                 const char *value, const char *extra);
void field_textarea(GString *out, const char *name, const char *label, const char *value);
/* <select> from a NULL-terminated list; selected may be NULL. */
void field_select(GString *out, const char *name, const char *label, const char *const *options,
                  const char *selected);
/* A read-only value with a copy button (progressive: the button only exists with JS). */
void html_copyable(GString *out, const char *id, const char *label, const char *value);
/* A Unix time as "2026-12-05 01:45 UTC" (0: "never"). */
void html_time(GString *out, gint64 t);

/* An error: JSON {"code":status,"message":...} for API routes and JSON clients,
   else an HTML page with the message (escaped) and a way back. */
void reply_error(PortalReq *r, int status, const char *message);

/* The static assets served at /static/portal.css and /static/portal.js. */
const char *asset_css(gsize *len);
const char *asset_js(gsize *len);

#endif
