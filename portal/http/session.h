/*
 * session: the portal's sessions, in memory, keyed by the SHA-256 of their id. Trade-off: a
 * portal restart logs everyone out and two portals do not share sessions; the portal stays
 * free of any database. Lookups hand out copies, so a handler never races a logout.
 * Design notes: docs/HACKING.md.
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
  char *hub_session; /* the hub's session id, passed as arg 1 of hub calls */
  char *csrf;        /* synchronizer token for its forms */
  char *client;      /* address and user agent at login, for "my sessions" */
  char *agent;
  gint64 created, last_seen, expires; /* Unix s; expires: the earlier of idle and absolute */
  char *flash;                        /* one message for the next page, then cleared */
} Session;

typedef struct SessionStore SessionStore;

SessionStore *session_store_new(int idle_s, int absolute_s, int max_sessions);
void session_store_free(SessionStore *st);

/* A new session; returns its id (caller frees; goes into the cookie or bearer
   token). ttl_s > 0 overrides the absolute lifetime (bearer tokens). */
char *session_create(SessionStore *st, SessionKind kind, const char *user, guint roles,
                     const char *hub_session, const char *client, const char *agent, int ttl_s,
                     gint64 now);
/* A copy of the live session with that id, touched (last_seen = now); NULL when
   unknown or expired (an expired one is removed). Free with session_free. */
Session *session_lookup(SessionStore *st, const char *id, gint64 now);
void session_free(Session *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Session, session_free)

/* Ends the session with that id. */
void session_end(SessionStore *st, const char *id);
/* A new id for the same session (role change, privilege step): the old id
   stops working; a fresh CSRF token. NULL when the old id is unknown. */
char *session_rotate(SessionStore *st, const char *id, guint roles, const char *hub_session,
                     gint64 now);
/* Sets (or clears, NULL) the flash message; session_take_flash returns and clears it. */
void session_set_flash(SessionStore *st, const char *id, const char *text);
char *session_take_flash(SessionStore *st, const char *id);

/* The user's live sessions, newest first (GPtrArray of Session*, caller unrefs). */
GPtrArray *session_list_user(SessionStore *st, const char *user, gint64 now);
/* Ends the user's session named by handle (never another user's); TRUE if one
   ended. ended_hub (may be NULL) receives its hub session id (g_free) to log out. */
gboolean session_end_handle(SessionStore *st, const char *user, const char *handle,
                            GPtrArray *ended_hub);
/* Ends every session of user except keep_id; returns how many ended; their
   hub session ids go to ended_hub as above. */
guint session_end_others(SessionStore *st, const char *user, const char *keep_id,
                         GPtrArray *ended_hub);
/* Removes expired sessions; returns how many. */
guint session_sweep(SessionStore *st, gint64 now);
guint session_count(SessionStore *st);

#endif
