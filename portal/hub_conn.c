/*
 * hub_conn: per-thread hub connections and the failover loop (hub_conn.h).
 * Hub state shared between threads is two atomics per hub (down-until time)
 * and one preferred index; connections themselves are thread-private, so no
 * lock is held across a network call.
 */
#include "hub_conn.h"

#include <string.h>
#include <thrift/c_glib/thrift_application_exception.h>

#include "tg_crypto.h"
#include "tg_hub_client.h"
#include "tg_tls.h"

#define HUB_DEFAULT_PORT 10397
#define HUB_DOWN_MS      2000
#define MAX_HUBS         16

typedef struct {
  char *host;
  int port;
  gint64 down_until_ms; /* atomic */
  gint calls;           /* atomic */
} HubAddr;

struct PortalHub {
  HubAddr hubs[MAX_HUBS];
  guint n;
  gint preferred; /* atomic */
  gboolean tls;
  SSL_CTX *tls_ctx;
  int timeout_ms, login_timeout_ms;
  GPrivate *conns; /* TgHubClient *[MAX_HUBS] per thread */
};

typedef struct {
  TgHubClient *c[MAX_HUBS];
} ThreadConns;

static void thread_conns_free(gpointer p) {
  ThreadConns *tc = p;
  for (guint i = 0; i < MAX_HUBS; i++) tg_hub_client_free(tc->c[i]);
  g_free(tc);
}

static GPrivate thread_conns = G_PRIVATE_INIT(thread_conns_free);

PortalHub *portal_hub_new(const PortalConfig *pc, GError **error) {
  PortalHub *h = g_new0(PortalHub, 1);
  for (char **a = pc->hubs; *a; a++) {
    if (h->n == MAX_HUBS) {
      g_set_error(error, TG_CONFIG_ERROR, TG_CONFIG_ERROR_INVALID,
                  "[hubs] key_validators: more than %d hubs", MAX_HUBS);
      portal_hub_free(h);
      return NULL;
    }
    if (!tg_parse_host_port(*a, HUB_DEFAULT_PORT, &h->hubs[h->n].host, &h->hubs[h->n].port,
                            error)) {
      g_prefix_error(error, "[hubs] key_validators: ");
      portal_hub_free(h);
      return NULL;
    }
    h->n++;
  }
  h->tls = pc->hub_tls;
  h->timeout_ms = pc->hub_timeout_ms;
  h->login_timeout_ms = pc->hub_login_timeout_ms;
  if (h->tls) {
    h->tls_ctx = tg_tls_client_ctx_new(pc->hub_ca_file, TRUE, error);
    if (!h->tls_ctx) {
      g_prefix_error(error, "[hubs] ca_file: ");
      portal_hub_free(h);
      return NULL;
    }
  }
  h->conns = &thread_conns;
  return h;
}

void portal_hub_free(PortalHub *h) {
  if (!h) return;
  for (guint i = 0; i < h->n; i++) g_free(h->hubs[i].host);
  if (h->tls_ctx) SSL_CTX_free(h->tls_ctx);
  g_free(h);
}

void hub_err_clear(HubErr *he) {
  g_clear_pointer(&he->message, g_free);
  he->code = 0;
}

static ThreadConns *my_conns(void) {
  ThreadConns *tc = g_private_get(&thread_conns);
  if (!tc) {
    tc = g_new0(ThreadConns, 1);
    g_private_set(&thread_conns, tc);
  }
  return tc;
}

static gint64 now_ms(void) { return g_get_monotonic_time() / 1000; }

static TgHubClient *connect_hub(PortalHub *h, guint i, GError **error) {
  ThreadConns *tc = my_conns();
  if (tc->c[i] && tg_hub_client_is_open(tc->c[i])) return tc->c[i];
  g_clear_pointer(&tc->c[i], tg_hub_client_free);
  TgHubClientOptions o = {.host = h->hubs[i].host,
                          .port = h->hubs[i].port,
                          .tls = h->tls,
                          .tls_ctx = h->tls_ctx,
                          .timeout_ms = h->timeout_ms,
                          .login_timeout_ms = h->login_timeout_ms,
                          .user = NULL};
  tc->c[i] = tg_hub_client_connect(&o, error);
  return tc->c[i];
}

static void mark_down(PortalHub *h, guint i) {
  ThreadConns *tc = my_conns();
  g_clear_pointer(&tc->c[i], tg_hub_client_free);
  h->hubs[i].down_until_ms = now_ms() + HUB_DOWN_MS; /* a racy write of a hint is fine */
}

static void set_err(HubErr *he, int code, const char *message) {
  he->code = code;
  g_free(he->message);
  he->message = g_strdup(message);
}

/* The exception's message and code (AuthenticationException has no code: 401). */
static void from_exception(HubErr *he, GObject *exc) {
  g_autofree char *msg = NULL;
  int code = 401;
  if (g_object_class_find_property(G_OBJECT_GET_CLASS(exc), "message"))
    g_object_get(exc, "message", &msg, NULL);
  if (g_object_class_find_property(G_OBJECT_GET_CLASS(exc), "code"))
    g_object_get(exc, "code", &code, NULL);
  if (code < 400 || code > 599) code = 500;
  set_err(he, code, msg && *msg ? msg : "the hub refused the request");
}

/* What the user reads about a call refused for the hub's limits: the field and the limit
   when this side refused it, the hub's reason when the hub did. */
static const char *limit_text(const char *message) {
  const char *hub = strstr(message, TG_THRIFT_LIMIT_ANSWER);
  return hub ? hub : message;
}

/* Picks the next hub to try (preferred first, down ones last) and connects. */
static gboolean start_attempt(HubAttempt *a, HubErr *he) {
  PortalHub *h = a->hub;
  guint first = (guint)g_atomic_int_get(&h->preferred) % h->n;
  g_autoptr(GError) last = NULL;
  for (; a->tries < h->n * 2; a->tries++) {
    guint i = (first + a->tries) % h->n;
    gboolean down = h->hubs[i].down_until_ms > now_ms();
    if (down && a->tries < h->n) continue; /* first pass: up hubs only */
    g_clear_error(&last);
    TgHubClient *c = connect_hub(h, i, &last);
    if (!c) {
      mark_down(h, i);
      continue;
    }
    a->idx = i;
    a->retried = FALSE;
    a->iface = tg_hub_client_iface(c);
    a->started = TRUE;
    a->tries++;
    return TRUE;
  }
  g_message("no hub reachable: %s", last ? last->message : "every hub is down");
  set_err(he, 503, "no hub is reachable right now; try again in a moment");
  return FALSE;
}

/* The hub closed the connection on the call (tg_hub_client_failure): TRUE when that is
   settled here, the hub up: the call made again on a new connection (a->started), or
   refused (he: 400). FALSE: the hub is down, or it was another failure. */
static gboolean hub_closed(HubAttempt *a, HubErr *he) {
  PortalHub *h = a->hub;
  TgHubClient *c = my_conns()->c[a->idx];
  g_autoptr(GError) why = NULL;
  switch (c ? tg_hub_client_failure(c, a->error, a->retried, &why) : TG_HUB_FAILURE_OTHER) {
  case TG_HUB_FAILURE_RETRY:
    g_info("hub %s:%d closed the connection (%s); calling again on a new one", h->hubs[a->idx].host,
           h->hubs[a->idx].port, a->error->message);
    g_clear_error(&a->error);
    a->retried = TRUE;
    a->iface = tg_hub_client_iface(c);
    a->started = TRUE;
    return TRUE;
  case TG_HUB_FAILURE_CALL:
    g_info("hub %s:%d: %s", h->hubs[a->idx].host, h->hubs[a->idx].port, why->message);
    set_err(he, 400, why->message);
    g_clear_error(&a->error);
    return TRUE;
  case TG_HUB_FAILURE_DOWN:
    g_clear_error(&a->error);
    g_propagate_error(&a->error, g_steal_pointer(&why));
    return FALSE;
  default:
    return FALSE;
  }
}

gboolean hub_attempt_next(HubAttempt *a, HubErr *he) {
  if (!a->started) {
    hub_err_clear(he);
    return start_attempt(a, he);
  }
  a->started = FALSE;
  PortalHub *h = a->hub;
  if (a->ok) {
    g_atomic_int_set(&h->preferred, (gint)a->idx);
    g_atomic_int_inc(&h->hubs[a->idx].calls);
    g_clear_error(&a->error);
    return FALSE;
  }
  if (a->exc) {
    from_exception(he, a->exc);
    g_clear_object(&a->exc);
    g_clear_error(&a->error);
    return FALSE;
  }
  if (tg_thrift_limit_error_is(a->error)) { /* the request, not the hub: 400, no failover */
    g_info("hub %s:%d: call refused for the hub's limits: %s", h->hubs[a->idx].host,
           h->hubs[a->idx].port, a->error->message);
    set_err(he, 400, limit_text(a->error->message));
    g_clear_error(&a->error);
    return FALSE;
  }
  if (a->error && a->error->domain == THRIFT_APPLICATION_EXCEPTION_ERROR) {
    g_warning("hub %s:%d: %s", h->hubs[a->idx].host, h->hubs[a->idx].port, a->error->message);
    set_err(he, 502, "the hub could not answer this request");
    g_clear_error(&a->error);
    return FALSE;
  }
  if (hub_closed(a, he)) return a->started;
  g_message("hub %s:%d failed (%s); trying the next", h->hubs[a->idx].host, h->hubs[a->idx].port,
            a->error ? a->error->message : "no answer");
  g_clear_error(&a->error);
  mark_down(h, a->idx);
  return start_attempt(a, he);
}

gboolean hub_session_identity(const char *session_id, char **user, guint *roles) {
  const char *dot = session_id ? strchr(session_id, '.') : NULL;
  if (!dot || dot == session_id || dot - session_id > 4096) return FALSE;
  g_autofree char *body = g_strndup(session_id, dot - session_id);
  gsize len = 0;
  g_autofree guint8 *raw = tg_b64url_decode(body, &len);
  if (!raw) return FALSE;
  g_autofree char *payload = g_strndup((const char *)raw, len);
  g_auto(GStrv) parts = g_strsplit(payload, "\n", 6);
  if (g_strv_length(parts) < 3 || !*parts[0]) return FALSE;
  guint64 bits;
  if (!g_ascii_string_to_unsigned(parts[1], 10, 0, 0xff, &bits, NULL)) return FALSE;
  *user = g_strdup(parts[0]);
  *roles = (guint)bits;
  return TRUE;
}

void portal_hub_health(PortalHub *h, guint *up, guint *total) {
  *up = 0;
  *total = h->n;
  for (guint i = 0; i < h->n; i++)
    if (h->hubs[i].down_until_ms <= now_ms()) (*up)++;
}
