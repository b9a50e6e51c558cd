/*
 * session.h: hub sessions (authenticate / isAuthenticated / logout) and the role check every
 * Thrift method starts with. A session id is signed (HMAC-SHA256 with a secret every hub
 * shares), so any hub accepts any hub's session without a database read. Trade-off: "not
 * revoked" is cached for at most 1 s, so a logout is seen everywhere within about a second.
 * Design notes: docs/HACKING.md.
 */
#ifndef TOLLGATE_HUB_SESSION_H
#define TOLLGATE_HUB_SESSION_H

#include <glib.h>
#include <mysql.h>

#include "roles.h"
#include "tg_tollgate_types.h"

typedef struct Hub Hub;
typedef struct SessionManager SessionManager;

typedef struct {
  char user[256];
  guint roles;       /* ROLE_* bits */
  gint64 expires_at; /* unix seconds */
  char address[64];  /* the end client's address (authenticateFrom); "" unknown */
} SessionInfo;

#define HUB_SESSION_ERROR (hub_session_error_quark())
GQuark hub_session_error_quark(void);
typedef enum {
  HUB_SESSION_MISSING,
  HUB_SESSION_MALFORMED,
  HUB_SESSION_BAD_SIGNATURE,
  HUB_SESSION_EXPIRED,
  HUB_SESSION_LOGGED_OUT,
  HUB_SESSION_FORBIDDEN,   /* valid session, role not allowed */
  HUB_SESSION_UNAVAILABLE, /* revocation check impossible: database down, not cached */
} HubSessionError;

/* Checks the session and that it has one of roles (NULL: any role). On failure sets err to a
   TollgateException (401 for missing/malformed/bad signature/expired/logged out, 403 for a role
   not allowed, 503 database unavailable) with a message saying which. out may be NULL. */
gboolean hub_require_session(Hub *hub, const char *session_id, const char *const *roles,
                             SessionInfo *out, TgTollgateException **err);
/* The same check with a GError (HUB_SESSION_ERROR), for the WSO2 methods that raise
   APIKeyMgtException; role_mask 0 = any role. */
gboolean hub_check_session(Hub *hub, const char *session_id, guint role_mask, SessionInfo *out,
                           GError **error);

SessionManager *session_manager_new(const char *secret_file, int ttl_s, GError **error);
void session_manager_free(SessionManager *sm);
/* A new signed session id (caller frees). */
char *session_issue(SessionManager *sm, const char *user, guint roles);
/* The same naming the end client's address (session_address_valid), signed inside it. */
char *session_issue_from(SessionManager *sm, const char *user, guint roles, const char *address);
/* The same with its own lifetime (ttl_s <= 0: the configured one): a portal session's. */
char *session_issue_for(SessionManager *sm, const char *user, guint roles, const char *address,
                        int ttl_s);
/* The CSRF synchronizer token of the session with that SHA-256 hex: an HMAC under the secret
   every hub shares, so every hub gives every portal the same token (64 hex). */
char *session_csrf_token(SessionManager *sm, const char *session_hash);
/* An address a session may carry: 1..63 bytes of printable ASCII without spaces. */
gboolean session_address_valid(const char *address);
/* logout: stores the id's hash in UM_REVOKED_SESSION (until its expiry). */
gboolean session_revoke(Hub *hub, const char *session_id, GError **error);
/* Ends every session of user issued until now (UM_SESSION_EPOCH on userdb, a userdb
   connection): this hub refuses them at once, every other hub within about a second. Call
   before the change that needs it (deleteUser, setUserRoles, a password change), so a
   failure leaves both undone. */
gboolean session_end_user(Hub *hub, MYSQL *userdb, const char *user, GError **error);

#endif
