/*
 * publisher_reply: the shared endings of publisher and admin handlers (see
 * publisher_reply.h).
 */
#include "publisher_reply.h"

#include "publisher_form.h"

gboolean pub_hub_failed(PortalReq *r, HubErr *he) {
  if (!he->code) return FALSE;
  reply_error(r, he->code, he->message ? he->message : "the hub refused the request");
  hub_err_clear(he);
  return TRUE;
}

void pub_done(PortalReq *r, const char *flash, const char *back, GString *json) {
  if (req_wants_json(r)) {
    reply_json(r, 200, json ? json : g_string_new("{\"ok\":true}"));
    return;
  }
  if (json) g_string_free(json, TRUE);
  if (flash) req_flash(r, flash);
  reply_redirect(r, back);
}

const char *pub_required(PortalReq *r, const char *name, const char *label) {
  const char *v = req_arg(r, name);
  if (v && *v) return v;
  g_autofree char *msg = g_strdup_printf("%s is required", label);
  reply_error(r, 400, msg);
  return NULL;
}

gboolean pub_api_from_path(PortalReq *r, char **context, char **version) {
  gboolean clean = r->rest != NULL;
  for (const char *p = r->rest; clean && *p; p++)
    clean = (guchar)*p > 0x20 && *p != 0x7f && *p != '?' && *p != '#' && *p != '\\';
  if (clean && publisher_split_api_path(r->rest, context, version)) return TRUE;
  reply_error(r, 404, "no such API: the address must end in /CONTEXT/VERSION");
  return FALSE;
}
