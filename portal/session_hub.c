/*
 * session_hub: hub-kept sessions for the portal (session_hub.h). A check answer is cached for
 * [portal] session_cache_ms, so a burst of page views costs one hub call; what ends a session
 * here (logout, "end the others") also drops it from this portal's cache at once.
 */
#include "session_hub.h"

#include <string.h>

#include "portal.h"
#include "tg_names.h"

/* Bytes of User-Agent sent with a login: what the hub keeps (UM_PORTAL_SESSION.user_agent). */
#define SESSION_AGENT_MAX 200

static gint64 mono_us(void) { return g_get_monotonic_time(); }

static Session *session_from(const char *id, const TgPortalSession *ps) {
  g_autofree char *user = NULL;
  guint roles = 0;
  if (!hub_session_identity(id, &user, &roles)) return NULL;
  Session *s = session_new();
  s->handle = g_strdup(ps->handle ? ps->handle : "");
  s->kind = g_strcmp0(ps->kind, "bearer") == 0 ? SESSION_BEARER : SESSION_COOKIE;
  s->user = g_steal_pointer(&user);
  s->roles = roles;
  s->hub_session = g_strdup(id);
  s->csrf = g_strdup(ps->csrf ? ps->csrf : "");
  s->created = ps->created;
  s->last_seen = ps->lastSeen;
  s->expires = ps->expiresAt;
  return s;
}

int session_hub_resolve(PortalReq *r, const char *id, SessionKind kind, Session **out) {
  Portal *p = r->portal;
  *out = NULL;
  if (!id || !*id) return 401;
  Session *s = session_cache_get(p->session_cache, id, mono_us());
  if (!s) {
    g_autoptr(TgPortalSession) ps = g_object_new(TG_TYPE_PORTAL_SESSION, NULL);
    HubErr he = {0};
    HUB_CALL(p->hub, &he, tg_tollgate_if_portal_session_check(HUB_IF, &ps, id, HUB_EXC, HUB_ERR));
    int code = he.code;
    hub_err_clear(&he);
    if (code == 401 || code == 400 || code == 403) return 401;
    if (code) return 503;
    s = session_from(id, ps);
    if (!s) return 401;
    session_cache_put(p->session_cache, id, s, mono_us());
  }
  if (s->kind != kind) {
    session_free(s);
    return 401;
  }
  *out = s;
  return 0;
}

char *session_hub_login(PortalReq *r, const char *user, const char *password, SessionKind kind,
                        HubErr *he) {
  const PortalConfig *cfg = r->portal->cfg;
  gboolean bearer = kind == SESSION_BEARER;
  if (strlen(user) > TG_USER_NAME_MAX || strlen(password) > TG_PASSWORD_MAX) {
    he->code = 400; /* the hub would refuse the message whole: an answer, not "hub down" */
    he->message = g_strdup_printf("a user name has at most %d bytes and a password at most %d",
                                  TG_USER_NAME_MAX, TG_PASSWORD_MAX);
    return NULL;
  }
  const char *header = req_header(r, "User-Agent");
  g_autofree char *agent = g_strndup(header ? header : "", SESSION_AGENT_MAX);
  char *id = NULL;
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_portal_login(
               HUB_IF, &id, user, password, r->client && *r->client ? r->client : "unknown", agent,
               bearer ? "bearer" : "cookie", bearer ? 0 : cfg->session_idle_s,
               bearer ? cfg->bearer_ttl_s : cfg->session_absolute_s, HUB_EXC, HUB_ERR));
  if (he->code == 0 && id) {
    g_message("login: user %s from %s (%s)", user, r->client, bearer ? "bearer" : "cookie");
    return id;
  }
  g_free(id);
  if (he->code == 0) he->code = 502;
  if (he->code == 401 || he->code == 403) {
    hub_err_clear(he);
    he->code = 401;
    he->message = g_strdup("wrong user name or password");
  }
  return NULL;
}

void session_hub_logout(PortalReq *r) {
  if (!r->session_id) return;
  HubErr he = {0};
  HUB_CALL(r->portal->hub, &he, tg_tollgate_if_logout(HUB_IF, r->session_id, HUB_ERR));
  hub_err_clear(&he);
  session_cache_forget(r->portal->session_cache, r->session_id);
}

GPtrArray *session_hub_list(PortalReq *r, HubErr *he) {
  GPtrArray *list = g_ptr_array_new_with_free_func(g_object_unref);
  HUB_CALL(r->portal->hub, he,
           (g_ptr_array_set_size(list, 0),
            tg_tollgate_if_list_my_sessions(HUB_IF, &list, req_hub_session(r), HUB_EXC, HUB_ERR)));
  if (he->code == 0) return list;
  g_ptr_array_unref(list);
  return NULL;
}

int session_hub_end(PortalReq *r, const char *handle, HubErr *he) {
  gint32 n = 0;
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_end_my_sessions(HUB_IF, &n, req_hub_session(r), handle ? handle : "",
                                          HUB_EXC, HUB_ERR));
  if (he->code) return -1;
  /* this portal forgets them now; the others within their cache time */
  if (n > 0) session_cache_forget_user(r->portal->session_cache, req_user(r), r->session_id);
  return n;
}
