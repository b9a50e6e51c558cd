/*
 * store_users.h: userdb statements (UM_USER, UM_USER_ROLE). store_user_verify_password is
 * declared in hub_internal.h (OAuth2 uses it too). Every function takes a connection with
 * userdb selected; FALSE without error means "no such user".
 */
#ifndef TOLLGATE_HUB_STORE_USERS_H
#define TOLLGATE_HUB_STORE_USERS_H

#include <glib.h>
#include <mysql.h>

#include "roles.h"
#include "tg_tollgate_types.h"

gboolean store_user_roles(MYSQL *conn, const char *user, guint *roles, GError **error);
gboolean store_user_exists(MYSQL *conn, const char *user, gboolean *exists, GError **error);
/* One transaction; HUB_DB_ERROR_DUPLICATE when the name is taken. */
gboolean store_user_create(MYSQL *conn, const char *user, const char *password, guint roles,
                           GError **error);

/* Fills out (name, roles, createdAt) with the user. */
gboolean store_user_get(MYSQL *conn, const char *user, TgUser *out, GError **error);
/* Appends every user (TgUser *) to out, by name. */
gboolean store_user_list(MYSQL *conn, GPtrArray *out, GError **error);
/* Deletes the user and their roles. */
gboolean store_user_delete(MYSQL *conn, const char *user, GError **error);
/* Replaces the user's roles (one transaction). */
gboolean store_user_set_roles(MYSQL *conn, const char *user, guint roles, GError **error);
/* Stores a new PBKDF2 hash of password. */
gboolean store_user_set_password(MYSQL *conn, const char *user, const char *password,
                                 GError **error);

#endif
