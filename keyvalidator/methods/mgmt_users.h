/*
 * mgmt_users.h: the rules of the user methods (mgmt_users.c), split from
 * their Thrift glue so tests/unit/test_mgmt_users.c checks them without a
 * database. Refusals are GErrors in MGMT_ERROR (mgmt_apps.h) carrying the
 * TollgateException code: 400 bad input, 403 not allowed, 409 refused because
 * it would lock the caller out.
 */
#ifndef TOLLGATE_HUB_MGMT_USERS_H
#define TOLLGATE_HUB_MGMT_USERS_H

#include <glib.h>

#include "mgmt_rules.h"
#include "tg_names.h"

#define USER_MAX_NAME     TG_USER_NAME_MAX /* also the session's user field */
#define USER_MAX_PASSWORD TG_PASSWORD_MAX

/* A user name: non-empty UTF-8 of at most 255 bytes, no control characters, no leading or
   trailing space. */
gboolean mgmt_user_name_valid(const char *name, GError **error);
/* A new password: non-empty, at most 1024 bytes (any bytes otherwise: it is only hashed). */
gboolean mgmt_password_valid(const char *password, GError **error);
/* Role names (admin, publisher, subscriber, gateway; case-insensitive) as a ROLE_* mask:
   at least one, every one known, else 400. */
gboolean mgmt_roles_parse(const GPtrArray *names, guint *mask, GError **error);

/* deleteUser: an admin may not delete themselves (409: it would leave nobody to undo it). */
gboolean mgmt_user_delete_allowed(const char *caller, const char *target, GError **error);
/* setUserRoles: an admin may not take the admin role from themselves (409). */
gboolean mgmt_user_roles_allowed(const char *caller, const char *target, guint new_roles,
                                 GError **error);
/* changePassword: the user themselves (then *need_old: the old password must verify) or an
   admin (for another user the old password is ignored); anybody else 403. */
gboolean mgmt_password_change_allowed(const char *caller, gboolean admin, const char *target,
                                      gboolean *need_old, GError **error);

#endif
