/*
 * page_kit: shared page helpers (page_kit.h).
 */
#include "page_kit.h"

#include <string.h>

#include "portal.h"
#include "render.h"

void reply_hub_error(PortalReq *r, HubErr *he) {
  int code = he->code ? he->code : 500;
  if (code == 401 && r->session) {
    session_cache_forget(r->portal->session_cache, r->session_id);
    if (!req_wants_json(r)) {
      reply_set_cookie(r, SESSION_COOKIE_NAME, "", 0);
      reply_redirect(r, "/login");
      hub_err_clear(he);
      return;
    }
  }
  reply_error(r, code, he->message ? he->message : "the hub refused the request");
  hub_err_clear(he);
}

GPtrArray *obj_list(void) { return g_ptr_array_new_with_free_func(g_object_unref); }

GPtrArray *str_list_parse(const char *text) {
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  g_auto(GStrv) parts = g_strsplit_set(text ? text : "", ", \t\r\n", -1);
  for (char **p = parts; *p; p++)
    if (**p) g_ptr_array_add(out, g_strdup(*p));
  return out;
}

char *str_list_join(const GPtrArray *list) {
  GString *out = g_string_new(NULL);
  for (guint i = 0; list && i < list->len; i++)
    g_string_append_printf(out, "%s%s", i ? ", " : "", (const char *)list->pdata[i]);
  return g_string_free(out, FALSE);
}

gboolean api_ref_parse(const char *rest, char **context, char **version) {
  const char *slash = rest ? strrchr(rest, '/') : NULL;
  if (!slash || slash == rest || !slash[1]) return FALSE;
  *context = g_strdup_printf("/%.*s", (int)(slash - rest), rest);
  *version = g_strdup(slash + 1);
  return TRUE;
}

void api_href(GString *out, const char *context, const char *version) {
  g_string_append(out, "/store/apis");
  g_auto(GStrv) segs = g_strsplit(context ? context : "", "/", -1);
  for (char **s = segs; *s; s++)
    if (**s) {
      g_string_append_c(out, '/');
      tg_form_append_encoded(out, *s);
    }
  g_string_append_c(out, '/');
  tg_form_append_encoded(out, version);
}

void app_href(GString *out, const char *name) {
  g_string_append(out, "/store/apps/");
  tg_form_append_encoded(out, name);
}

void redirect_with_flash(PortalReq *r, const char *path, const char *flash) {
  req_flash(r, flash);
  reply_redirect(r, path);
}
