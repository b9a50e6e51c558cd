/*
 * session: the portal's short memory of sessions the hubs keep (issue 15). A cookie or bearer
 * token is a hub session id; the hubs hold its row (idle and absolute ends, last use) and its
 * CSRF token, so every portal shares every session and a restart keeps them. This cache, keyed
 * by the SHA-256 of the id, spares a hub call per request for ttl_ms. Trade-off: a session
 * ended elsewhere still works here for at most ttl_ms. Design notes: docs/HACKING.md.
 */
#ifndef PORTAL_SESSION_H
#define PORTAL_SESSION_H

#include <glib.h>

/* Role bits: the hub's (keyvalidator/session.h) order. */
enum {
  ROLE_ADMIN = 1 << 0,
  ROLE_PUBLISHER = 1 << 1,
  ROLE_SUBSCRIBER = 1 << 2,
  ROLE_GATEWAY = 1 << 3
};

typedef enum { SESSION_COOKIE, SESSION_BEARER } SessionKind;

typedef struct Session {
  char *handle; /* first 16 hex of the id's SHA-256: names it in "my sessions" */
  SessionKind kind;
  char *user;
  guint roles;
  char *hub_session; /* the hub's session id (the cookie itself), arg 1 of hub calls */
  char *csrf;        /* synchronizer token for its forms, from the hub */
  gint64 created, last_seen, expires; /* Unix s; expires: the earlier of idle and absolute */
} Session;

Session *session_new(void);
Session *session_copy(const Session *s);
void session_free(Session *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Session, session_free)

typedef struct SessionCache SessionCache;

/* ttl_ms 0: no caching (every request asks a hub); max: entries kept at most. */
SessionCache *session_cache_new(int ttl_ms, int max);
void session_cache_free(SessionCache *c);
/* A copy of the session cached for id less than ttl_ms ago (monotonic now_us), else NULL. */
Session *session_cache_get(SessionCache *c, const char *id, gint64 now_us);
/* Remembers s (copied) for id as checked at now_us. */
void session_cache_put(SessionCache *c, const char *id, const Session *s, gint64 now_us);
/* Forgets id (logout, a hub's refusal). */
void session_cache_forget(SessionCache *c, const char *id);
/* Forgets every session of user but keep_id (may be NULL): "end the others". */
void session_cache_forget_user(SessionCache *c, const char *user, const char *keep_id);
/* Drops stale entries; returns how many. */
guint session_cache_sweep(SessionCache *c, gint64 now_us);
guint session_cache_count(SessionCache *c);

#endif
