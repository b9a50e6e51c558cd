/*
 * login: the hub's one password check (see login.h) and the per-thread call
 * context the network side sets around a call (hub.h: the client's address
 * in, the answer's delay out). Trade-off: a thread-local rather than an
 * argument through c_glib's generated handler signatures, which have no
 * room for it.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "login.h"
#include "login_limiter.h"
#include "store_users.h"

typedef struct {
  char address[64];
  guint delay_ms;
} CallContext;

static GPrivate call_context = G_PRIVATE_INIT(g_free);

static CallContext *context(void) {
  CallContext *c = g_private_get(&call_context);
  if (c == NULL) {
    c = g_new0(CallContext, 1);
    g_private_set(&call_context, c);
  }
  return c;
}

void hub_call_begin(const char *address) {
  CallContext *c = context();
  g_strlcpy(c->address, address ? address : "", sizeof c->address);
  c->delay_ms = 0;
}

guint hub_call_end(void) {
  CallContext *c = g_private_get(&call_context);
  if (c == NULL) return 0;
  guint delay = c->delay_ms;
  c->delay_ms = 0;
  c->address[0] = '\0';
  return delay;
}

static void call_delay(guint ms) {
  CallContext *c = context();
  c->delay_ms = MAX(c->delay_ms, ms);
}

static gint64 now_ms(void) { return g_get_monotonic_time() / 1000; }

guint hub_login_address_failures(Hub *hub, const char *address) {
  return address && *address ? login_limiter_address_failures(hub->logins, address, now_ms()) : 0;
}

static void count(Hub *hub, const char *outcome) {
  g_autofree char *labels = g_strdup_printf("outcome=\"%s\"", outcome);
  if (hub->metrics != NULL) tg_metrics_add(hub->metrics, "tollgate_hub_logins_total", labels, 1);
}

void hub_login_describe_metrics(TgMetrics *metrics) {
  tg_metrics_describe(metrics, "tollgate_hub_logins_total", TG_METRIC_COUNTER,
                      "Password checks by outcome (ok, denied, locked, unavailable)");
}

/* The password and, when it is right, the roles; FALSE + error only for the database. */
static gboolean login_read(Hub *hub, const char *user, const char *password, gboolean *good,
                           guint *roles, GError **error) {
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_user_store, error);
  if (conn == NULL) return FALSE;
  GError *local = NULL;
  *good = store_user_verify_password(conn, user, password, &local);
  if (local == NULL && *good) store_user_roles(conn, user, roles, &local);
  hub_db_release(hub, conn);
  if (local != NULL) {
    g_propagate_error(error, local);
    return FALSE;
  }
  return TRUE;
}

/* login_read, once more after a lost connection (reads only): on a database cluster the
   second try goes to another node. */
static gboolean login_check(Hub *hub, const char *user, const char *password, gboolean *good,
                            guint *roles, GError **error) {
  GError *local = NULL;
  if (login_read(hub, user, password, good, roles, &local)) return TRUE;
  if (!g_error_matches(local, HUB_DB_ERROR, HUB_DB_ERROR_UNAVAILABLE)) {
    g_propagate_error(error, local);
    return FALSE;
  }
  g_clear_error(&local);
  return login_read(hub, user, password, good, roles, error);
}

HubLoginResult hub_login(Hub *hub, const char *user, const char *password, guint *roles,
                         GError **error) {
  const char *address = context()->address[0] ? context()->address : NULL;
  if (!login_name_acceptable(user) || password == NULL) {
    /* refused before any lookup, but counted against the address like any failure */
    if (login_limiter_begin(hub->logins, NULL, address, now_ms()) == LOGIN_ALLOWED)
      call_delay(login_limiter_end(hub->logins, NULL, address, FALSE, now_ms()));
    count(hub, "denied");
    return HUB_LOGIN_DENIED;
  }
  LoginVerdict verdict = login_limiter_begin(hub->logins, user, address, now_ms());
  if (verdict != LOGIN_ALLOWED) {
    g_info("login of %s from %s refused: too many failed attempts from this %s", user,
           address ? address : "?", verdict == LOGIN_LOCKED_USER ? "user" : "address");
    count(hub, "locked");
    return HUB_LOGIN_LOCKED;
  }
  guint mask = 0;
  gboolean good = FALSE;
  if (!login_check(hub, user, password, &good, &mask, error)) {
    login_limiter_cancel(hub->logins, user, address); /* not the client's fault */
    count(hub, "unavailable");
    return HUB_LOGIN_UNAVAILABLE;
  }
  call_delay(login_limiter_end(hub->logins, user, address, good, now_ms()));
  if (roles != NULL) *roles = mask;
  count(hub, good ? "ok" : "denied");
  return good ? HUB_LOGIN_OK : HUB_LOGIN_DENIED;
}

const char *hub_call_address(void) { return context()->address; }

HubLoginResult hub_login_from(Hub *hub, const char *user, const char *password, const char *address,
                              guint *roles, GError **error) {
  CallContext *c = context();
  char peer[sizeof c->address];
  g_strlcpy(peer, c->address, sizeof peer);
  g_strlcpy(c->address, address ? address : "", sizeof c->address);
  HubLoginResult result = hub_login(hub, user, password, roles, error);
  g_strlcpy(c->address, peer, sizeof c->address);
  return result;
}

gboolean hub_signup_begin(Hub *hub, const char *address) {
  const char *a = address && *address ? address : NULL;
  if (login_limiter_begin(hub->logins, NULL, a, now_ms()) == LOGIN_ALLOWED) return TRUE;
  count(hub, "locked");
  return FALSE;
}

void hub_signup_end(Hub *hub, const char *address, gboolean good) {
  const char *a = address && *address ? address : NULL;
  call_delay(login_limiter_end(hub->logins, NULL, a, good, now_ms()));
}

void hub_signup_cancel(Hub *hub, const char *address) {
  login_limiter_cancel(hub->logins, NULL, address && *address ? address : NULL);
}
