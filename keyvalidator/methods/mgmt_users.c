/*
 * mgmt_users.c: the rules of the user methods (mgmt_users.h): names, passwords,
 * roles, and the refusals that keep at least one admin (an admin cannot delete
 * themselves or drop their own admin role). Pure, so tests/unit/test_mgmt_apis.c
 * checks them without a database; the methods are in user_methods.c.
 */
#include "config.h"

#include <string.h>

#include "mgmt_users.h"
#include "session.h"

gboolean mgmt_user_name_valid(const char *name, GError **error) {
  if (!mgmt_name_valid("user name", name, USER_MAX_NAME, error)) return FALSE;
  if (g_ascii_isspace(name[0]) || g_ascii_isspace(name[strlen(name) - 1])) {
    g_set_error(error, MGMT_ERROR, 400, "user name must not start or end with a space");
    return FALSE;
  }
  return TRUE;
}

gboolean mgmt_password_valid(const char *password, GError **error) {
  if (password == NULL || *password == '\0' || strlen(password) > USER_MAX_PASSWORD) {
    g_set_error(error, MGMT_ERROR, 400, "password must be 1 to %d bytes", USER_MAX_PASSWORD);
    return FALSE;
  }
  return TRUE;
}

gboolean mgmt_roles_parse(const GPtrArray *names, guint *mask, GError **error) {
  *mask = 0;
  for (guint i = 0; names != NULL && i < names->len; i++) {
    const char *name = g_ptr_array_index(names, i);
    g_autofree char *lower = name ? g_ascii_strdown(name, -1) : NULL;
    guint bit = lower ? hub_role_bit(lower) : 0;
    if (bit == 0) {
      g_set_error(error, MGMT_ERROR, 400,
                  "unknown role %.64s (roles: admin, publisher,"
                  " subscriber, gateway)",
                  name ? name : "(null)");
      return FALSE;
    }
    *mask |= bit;
  }
  if (*mask == 0) {
    g_set_error(error, MGMT_ERROR, 400,
                "at least one role is required (admin, publisher,"
                " subscriber, gateway)");
    return FALSE;
  }
  return TRUE;
}

gboolean mgmt_user_delete_allowed(const char *caller, const char *target, GError **error) {
  if (g_strcmp0(caller, target) != 0) return TRUE;
  g_set_error(error, MGMT_ERROR, 409, "an admin cannot delete themselves; another admin can");
  return FALSE;
}

gboolean mgmt_user_roles_allowed(const char *caller, const char *target, guint new_roles,
                                 GError **error) {
  if (g_strcmp0(caller, target) != 0 || (new_roles & ROLE_ADMIN)) return TRUE;
  g_set_error(error, MGMT_ERROR, 409,
              "an admin cannot take the admin role from themselves;"
              " another admin can");
  return FALSE;
}

gboolean mgmt_password_change_allowed(const char *caller, gboolean admin, const char *target,
                                      gboolean *need_old, GError **error) {
  *need_old = g_strcmp0(caller, target) == 0;
  if (*need_old || admin) return TRUE;
  g_set_error(error, MGMT_ERROR, 403, "only an admin may change another user's password");
  return FALSE;
}
