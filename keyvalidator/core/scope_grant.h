/*
 * scope_grant.h: which requested scopes a token gets (RFC 6749 3.3; WSO2's scope-to-role
 * binding). A scope some API declares (Api.scopes) goes only to a user holding a role EVERY
 * declaration of it allows (no roles: anyone), so no publisher can widen another's scope;
 * an undeclared scope is granted as asked, as before declarations existed. The rest are
 * dropped, not refused: the answer says what was granted.
 */
#ifndef TOLLGATE_HUB_SCOPE_GRANT_H
#define TOLLGATE_HUB_SCOPE_GRANT_H

#include <glib.h>
#include <mysql.h>

typedef struct Hub Hub;

/* The granted subset of requested (space-separated), in request order, duplicates dropped:
   a new string ("" for none). declarations: scope name -> GPtrArray of role lists (each
   space-separated role names, "" = anyone), one per API declaring it; a name absent from it
   is undeclared. user_roles: ROLE_* bits of the token's user. */
char *scope_grant(const char *requested, guint user_roles, GHashTable *declarations);

/* scope_grant with its facts: declarations from apimgtdb (conn), the roles of user from
   userdb (a user unknown there holds no role). *granted: a new string. FALSE on a database
   error. */
gboolean hub_scope_grant(Hub *hub, MYSQL *apimgt, const char *user, const char *requested,
                         char **granted, GError **error);

#endif
