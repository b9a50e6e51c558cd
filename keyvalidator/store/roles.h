/*
 * roles.h: the hub's four roles, as bits (what a session carries) and as the
 * names stored in UM_USER_ROLE.role_name. The one table of role names: sessions,
 * the user store and the methods all map through it.
 */
#ifndef TOLLGATE_HUB_ROLES_H
#define TOLLGATE_HUB_ROLES_H

#include <glib.h>

enum {
  ROLE_ADMIN = 1 << 0,
  ROLE_PUBLISHER = 1 << 1,
  ROLE_SUBSCRIBER = 1 << 2,
  ROLE_GATEWAY = 1 << 3,
};

/* "admin" -> ROLE_ADMIN ... (case-insensitive); 0 for an unknown name. */
guint hub_role_bit(const char *name);
/* A NULL-terminated role name list -> ROLE_* mask (NULL list: 0 = any authenticated user). */
guint hub_role_mask(const char *const *names);
/* Appends the names of the ROLE_* bits in mask to out (static strings), in a fixed order:
   admin, publisher, subscriber, gateway. */
void store_role_names(guint mask, GPtrArray *out);

#endif
