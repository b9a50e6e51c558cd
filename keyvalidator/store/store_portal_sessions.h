/*
 * store_portal_sessions.h: userdb.UM_PORTAL_SESSION, the portal sessions the hubs keep for
 * every portal: a row per session by the SHA-256 of its id (never the id), with its idle and
 * absolute limits. Ending a row also records its hash in UM_REVOKED_SESSION, so the hub session
 * the id is stops working for every other method too. Every function takes a userdb connection.
 */
#ifndef TOLLGATE_HUB_STORE_PORTAL_SESSIONS_H
#define TOLLGATE_HUB_STORE_PORTAL_SESSIONS_H

#include <glib.h>
#include <mysql.h>

typedef struct {
  char hash[65];
  char user[256];
  char kind[8];
  gint64 created, last_seen, expires_at; /* unix seconds; expires_at: the absolute end */
  int idle_s;                            /* 0: no idle end */
  char client[64];
  char agent[201];
} PortalSessionRow;

/* The instant the row's session ends: the earlier of the idle and the absolute end. */
gint64 portal_session_row_end(const PortalSessionRow *row);

gboolean store_portal_session_add(MYSQL *conn, const PortalSessionRow *row, GError **error);
/* The row with that hash into out; *found FALSE when there is none. */
gboolean store_portal_session_get(MYSQL *conn, const char *hash, PortalSessionRow *out,
                                  gboolean *found, GError **error);
/* last_seen = now (one primary-key update). */
gboolean store_portal_session_touch(MYSQL *conn, const char *hash, gint64 now, GError **error);
/* The user's rows, newest first, at most 100 (GPtrArray of PortalSessionRow*). */
GPtrArray *store_portal_session_list(MYSQL *conn, const char *user, GError **error);

/* Which of a user's sessions store_portal_sessions_end ends. */
typedef enum {
  PORTAL_END_ONE,     /* the one whose hash is arg (a full hash or a 16-hex handle) */
  PORTAL_END_OTHERS,  /* every one but the hash arg */
  PORTAL_END_EXPIRED, /* those past their idle or absolute end at now */
  PORTAL_END_ALL,     /* every one created before now (the user was deleted or changed) */
} PortalEndWhich;
/* Records the chosen sessions as logged out and deletes their rows; *ended (may be NULL)
   receives how many. arg: a hash or a handle of lower-case hex, else nothing ends. */
gboolean store_portal_sessions_end(MYSQL *conn, const char *user, PortalEndWhich which,
                                   const char *arg, gint64 now, guint *ended, GError **error);
/* Deletes at most limit rows past their absolute end before cutoff (unix s): their hub
   sessions have expired too. How many, G_MAXUINT64 on error (the hub's prune step). */
guint64 store_portal_sessions_prune(MYSQL *conn, gint64 cutoff, guint limit, GError **error);
/* Deletes the row of a session logged out (logout); its hash is already revoked. */
gboolean store_portal_session_forget(MYSQL *conn, const char *hash, GError **error);

#endif
