/*
 * store_sessions.h: what userdb keeps about sessions, which are otherwise
 * stateless: logged-out ids by SHA-256 (UM_REVOKED_SESSION) and, per user, the
 * time before which every session is ended (UM_SESSION_EPOCH). Every function
 * takes a userdb connection.
 */
#ifndef TOLLGATE_HUB_STORE_SESSIONS_H
#define TOLLGATE_HUB_STORE_SESSIONS_H

#include <glib.h>
#include <mysql.h>

/* In one statement: whether the session with this SHA-256 hex was logged out, and the
   user's epoch (0: none). */
gboolean store_session_state(MYSQL *conn, const char *session_hash, const char *user,
                             gboolean *logged_out, gint64 *valid_from_ms, GError **error);
/* Records a logout, kept until expires_at (unix seconds). */
gboolean store_session_revoke(MYSQL *conn, const char *session_hash, gint64 expires_at,
                              GError **error);
/* Ends every session of user issued before now_ms (the epoch never moves back). */
gboolean store_session_end_user(MYSQL *conn, const char *user, gint64 now_ms, GError **error);

#endif
