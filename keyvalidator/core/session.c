/*
 * session.c: signed, stateless hub sessions (session.h) plus userdb's list of
 * logged-out ones (store_sessions.c). A session checked well signed and not ended is
 * remembered for 1 s. Trade-off: while the database is down the revocation check
 * fails open (signature and expiry still hold). Design notes: docs/HACKING.md,
 * "Sessions".
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "hub_error.h"
#include "hub_internal.h"
#include "session.h"
#include "store_portal_sessions.h"
#include "store_sessions.h"
#include "tg_crypto.h"
#include "tg_hash.h"

#define SESSION_MAX_ID   2048
#define REVOKED_CHECK_US (1 * G_USEC_PER_SEC)
#define CHECK_CACHE_MAX  100000

struct SessionManager {
  TgHmacKey *key; /* the shared secret, prepared for HMAC-SHA256 */
  int ttl_s;
  GMutex lock;
  GHashTable *checked; /* session id -> CheckedSession: verified, not logged out */
};

typedef struct {
  SessionInfo info;
  gint64 checked_us; /* monotonic: when the database said "not logged out" */
} CheckedSession;

G_DEFINE_QUARK(hub - session - error - quark, hub_session_error)

SessionManager *session_manager_new(const char *secret_file, int ttl_s, GError **error) {
  g_autofree char *secret = NULL;
  gsize len = 0;
  if (secret_file == NULL || !g_file_get_contents(secret_file, &secret, &len, error)) {
    if (secret_file == NULL)
      g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "session_secret_file is not set");
    return NULL;
  }
  g_strchomp(secret);
  len = strlen(secret);
  if (len < 16) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: session secret shorter than 16 bytes",
                secret_file);
    return NULL;
  }
  TgHmacKey *key = tg_hmac_key_new(secret, len);
  memset(secret, 0, len);
  if (key == NULL) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: cannot set up HMAC-SHA256",
                secret_file);
    return NULL;
  }
  SessionManager *sm = g_new0(SessionManager, 1);
  sm->key = key;
  sm->ttl_s = ttl_s > 0 ? ttl_s : 28800;
  g_mutex_init(&sm->lock);
  sm->checked = g_hash_table_new_full(tg_str_hash, g_str_equal, g_free, g_free);
  return sm;
}

void session_manager_free(SessionManager *sm) {
  if (sm == NULL) return;
  tg_hmac_key_free(sm->key);
  g_hash_table_destroy(sm->checked);
  g_mutex_clear(&sm->lock);
  g_free(sm);
}

gboolean session_address_valid(const char *address) {
  gsize len = address ? strlen(address) : 0;
  if (len == 0 || len >= sizeof(((SessionInfo *)NULL)->address)) return FALSE;
  for (gsize i = 0; i < len; i++)
    if (address[i] <= 0x20 || address[i] >= 0x7f) return FALSE;
  return TRUE;
}

char *session_issue_for(SessionManager *sm, const char *user, guint roles, const char *address,
                        int ttl_s) {
  g_autofree char *nonce = tg_random_hex(16);
  gint64 expiry = g_get_real_time() / G_USEC_PER_SEC + (ttl_s > 0 ? ttl_s : sm->ttl_s);
  g_autofree char *payload = g_strdup_printf("%s\n%u\n%" G_GINT64_FORMAT "\n%s\n%" G_GINT64_FORMAT,
                                             user, roles, expiry, nonce, g_get_real_time() / 1000);
  if (session_address_valid(address)) { /* a sixth field: the end client's address */
    char *with = g_strconcat(payload, "\n", address, NULL);
    g_free(payload);
    payload = with;
  }
  g_autofree char *body = tg_b64url_encode(payload, strlen(payload));
  g_autofree char *mac = tg_hmac_key_sign_b64url(sm->key, body, strlen(body));
  return g_strdup_printf("%s.%s", body, mac);
}

char *session_issue_from(SessionManager *sm, const char *user, guint roles, const char *address) {
  return session_issue_for(sm, user, roles, address, 0);
}

char *session_issue(SessionManager *sm, const char *user, guint roles) {
  return session_issue_from(sm, user, roles, NULL);
}

char *session_csrf_token(SessionManager *sm, const char *session_hash) {
  g_autofree char *msg = g_strconcat("csrf\n", session_hash, NULL);
  g_autofree char *mac = tg_hmac_key_sign_b64url(sm->key, msg, strlen(msg));
  return tg_sha256_hex_str(mac); /* hex: it travels in forms and headers as is */
}

/* Signature and expiry; fills out and *issued_ms. */
static gboolean session_parse(SessionManager *sm, const char *id, SessionInfo *out,
                              gint64 *issued_ms, GError **error) {
  if (id == NULL || *id == '\0')
    return g_set_error(error, HUB_SESSION_ERROR, HUB_SESSION_MISSING, "session id missing"), FALSE;
  const char *dot = strchr(id, '.');
  if (strlen(id) > SESSION_MAX_ID || dot == NULL || dot == id)
    return g_set_error(error, HUB_SESSION_ERROR, HUB_SESSION_MALFORMED, "session id malformed"),
           FALSE;
  g_autofree char *body = g_strndup(id, dot - id);
  g_autofree char *mac = tg_hmac_key_sign_b64url(sm->key, body, strlen(body));
  if (!tg_secure_streq(mac, dot + 1))
    return g_set_error(error, HUB_SESSION_ERROR, HUB_SESSION_BAD_SIGNATURE,
                       "session id has a bad signature"),
           FALSE;
  gsize len = 0;
  g_autofree guint8 *raw = tg_b64url_decode(body, &len);
  g_autofree char *payload = raw ? g_strndup((const char *)raw, len) : NULL;
  g_auto(GStrv) parts = payload ? g_strsplit(payload, "\n", 6) : NULL;
  guint n = parts ? g_strv_length(parts) : 0;
  if (n < 4 || n > 6 || strlen(parts[0]) >= sizeof out->user ||
      (n == 6 && !session_address_valid(parts[5])))
    return g_set_error(error, HUB_SESSION_ERROR, HUB_SESSION_MALFORMED, "session id malformed"),
           FALSE;
  g_strlcpy(out->user, parts[0], sizeof out->user);
  out->roles = (guint)g_ascii_strtoull(parts[1], NULL, 10);
  out->expires_at = g_ascii_strtoll(parts[2], NULL, 10);
  *issued_ms = n >= 5 ? g_ascii_strtoll(parts[4], NULL, 10) : 0;
  g_strlcpy(out->address, n == 6 ? parts[5] : "", sizeof out->address);
  if (out->expires_at <= g_get_real_time() / G_USEC_PER_SEC)
    return g_set_error(error, HUB_SESSION_ERROR, HUB_SESSION_EXPIRED, "session expired"), FALSE;
  return TRUE;
}

/* The session as verified less than REVOKED_CHECK_US ago, into out. */
static gboolean recently_checked(SessionManager *sm, const char *id, SessionInfo *out) {
  g_mutex_lock(&sm->lock);
  CheckedSession *c = g_hash_table_lookup(sm->checked, id);
  gboolean fresh = c != NULL && g_get_monotonic_time() - c->checked_us < REVOKED_CHECK_US;
  if (fresh) *out = c->info;
  g_mutex_unlock(&sm->lock);
  return fresh;
}

static void remember_checked(SessionManager *sm, const char *id, const SessionInfo *info) {
  CheckedSession *c = g_new(CheckedSession, 1);
  c->info = *info;
  c->checked_us = g_get_monotonic_time();
  g_mutex_lock(&sm->lock);
  if (g_hash_table_size(sm->checked) >= CHECK_CACHE_MAX) g_hash_table_remove_all(sm->checked);
  g_hash_table_replace(sm->checked, g_strdup(id), c);
  g_mutex_unlock(&sm->lock);
}

/* TRUE when the session is not logged out and its user's sessions were not ended after it
   was issued (or the database cannot tell: fail open). */
static gboolean session_not_revoked(Hub *hub, const char *id, const SessionInfo *info,
                                    gint64 issued_ms, gboolean *remember, GError **error) {
  char hash[TG_SHA256_HEX_LEN + 1];
  tg_sha256_hex(id, strlen(id), hash);
  g_autoptr(GError) local = NULL;
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_user_store, &local);
  gboolean known = FALSE, logged_out = FALSE;
  gint64 valid_from_ms = 0;
  if (conn) {
    known = store_session_state(conn, hash, info->user, &logged_out, &valid_from_ms, &local);
    hub_db_release(hub, conn);
  }
  if (!known && hub_db_call_deferred()) return TRUE; /* the call runs again where it may wait */
  if (!known) {                                      /* fail open; say so at most every 10 s */
    static gint64 last_warned;
    gint64 now = g_get_monotonic_time();
    if (now > last_warned) { /* benign race: at worst two warnings */
      g_warning("session revocation check skipped: %s", local ? local->message : "?");
      last_warned = now + 10 * G_USEC_PER_SEC;
    }
    return TRUE;
  }
  if (logged_out)
    return g_set_error(error, HUB_SESSION_ERROR, HUB_SESSION_LOGGED_OUT, "session logged out"),
           FALSE;
  if (issued_ms < valid_from_ms)
    return g_set_error(error, HUB_SESSION_ERROR, HUB_SESSION_LOGGED_OUT,
                       "session ended: user %s was deleted or changed; log in again", info->user),
           FALSE;
  *remember = TRUE;
  return TRUE;
}

gboolean hub_check_session(Hub *hub, const char *session_id, guint role_mask, SessionInfo *out,
                           GError **error) {
  SessionInfo info = {0};
  gboolean remember = FALSE;
  gint64 issued_ms = 0;
  if (session_id != NULL && recently_checked(hub->sessions, session_id, &info)) {
    if (info.expires_at <= g_get_real_time() / G_USEC_PER_SEC)
      return g_set_error(error, HUB_SESSION_ERROR, HUB_SESSION_EXPIRED, "session expired"), FALSE;
  } else if (!session_parse(hub->sessions, session_id, &info, &issued_ms, error) ||
             !session_not_revoked(hub, session_id, &info, issued_ms, &remember, error)) {
    return FALSE;
  } else if (remember) {
    remember_checked(hub->sessions, session_id, &info);
  }
  if (role_mask != 0 && (info.roles & role_mask) == 0)
    return g_set_error(error, HUB_SESSION_ERROR, HUB_SESSION_FORBIDDEN,
                       "user %s has no role allowed to call this method", info.user),
           FALSE;
  if (out) *out = info;
  return TRUE;
}

gboolean hub_require_session(Hub *hub, const char *session_id, const char *const *roles,
                             SessionInfo *out, TgTollgateException **err) {
  g_autoptr(GError) local = NULL;
  if (hub_check_session(hub, session_id, hub_role_mask(roles), out, &local)) return TRUE;
  int code = local->code == HUB_SESSION_FORBIDDEN     ? 403
             : local->code == HUB_SESSION_UNAVAILABLE ? 503
                                                      : 401;
  hub_set_error(err, code, "%s", local->message);
  return FALSE;
}

/* Records a logout: every hub refuses the id within about a second. */
gboolean session_revoke(Hub *hub, const char *session_id, GError **error) {
  SessionInfo info = {0};
  gint64 issued_ms = 0;
  if (!session_parse(hub->sessions, session_id, &info, &issued_ms, error)) return FALSE;
  char hash[TG_SHA256_HEX_LEN + 1];
  tg_sha256_hex(session_id, strlen(session_id), hash);
  MYSQL *conn = hub_db_acquire(hub, hub->cfg.db_user_store, error);
  if (conn == NULL) return FALSE;
  gboolean ok = store_session_revoke(conn, hash, info.expires_at, error) &&
                store_portal_session_forget(conn, hash, error);
  hub_db_release(hub, conn);
  g_mutex_lock(&hub->sessions->lock);
  g_hash_table_remove(hub->sessions->checked, session_id);
  g_mutex_unlock(&hub->sessions->lock);
  return ok;
}

/* Forgets the sessions of user this hub remembered as checked. */
static void forget_user(SessionManager *sm, const char *user) {
  GHashTableIter it;
  gpointer v;
  g_mutex_lock(&sm->lock);
  g_hash_table_iter_init(&it, sm->checked);
  while (g_hash_table_iter_next(&it, NULL, &v))
    if (strcmp(((CheckedSession *)v)->info.user, user) == 0) g_hash_table_iter_remove(&it);
  g_mutex_unlock(&sm->lock);
}

gboolean session_end_user(Hub *hub, MYSQL *userdb, const char *user, GError **error) {
  gint64 now_ms = g_get_real_time() / 1000;
  if (!store_session_end_user(userdb, user, now_ms, error) ||
      !store_portal_sessions_end(userdb, user, PORTAL_END_ALL, NULL, now_ms / 1000, NULL, error))
    return FALSE;
  forget_user(hub->sessions, user);
  return TRUE;
}
