/*
 * store_users.c: the user store (userdb: UM_USER, UM_USER_ROLE). Passwords
 * are PBKDF2 strings from tg_password_hash, made only here; names are bound,
 * never spliced. Every function takes a connection with the userdb database
 * selected. A user's roles are rewritten wholesale (delete, insert) inside the
 * transaction that holds the user's row lock.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "roles.h"
#include "store.h"
#include "store_users.h"
#include "tg_crypto.h"

#define MAX_USER_ROWS 100000

static gint64 now_s(void) { return g_get_real_time() / G_USEC_PER_SEC; }

/* A hash of nothing anyone knows, made once: checking an unknown user's password against it
   costs one KDF, as a known user's does (hashing it per call cost two). */
static const char *dummy_hash(void) {
  static gsize once = 0;
  static char *hash;
  if (g_once_init_enter(&once)) {
    guint8 random[16];
    g_autofree char *secret = NULL;
    for (guint i = 0; i < sizeof random; i++) random[i] = (guint8)g_random_int();
    secret = g_base64_encode(random, sizeof random);
    hash = tg_password_hash(secret, TG_PBKDF2_ITERATIONS);
    g_once_init_leave(&once, 1);
  }
  return hash;
}

gboolean store_user_verify_password(MYSQL *conn, const char *user, const char *password,
                                    GError **error) {
  DbParam p[] = {DBP_S(user)};
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn, "SELECT password_hash FROM UM_USER WHERE user_name = ?", p, 1, 1, error);
  if (rows == NULL) return FALSE;
  if (rows->len == 0) {
    /* same work as a real check, so a missing user is not faster (nor slower) to find */
    (void)tg_password_verify(password ? password : "", dummy_hash());
    return FALSE;
  }
  const char *stored = ((char **)g_ptr_array_index(rows, 0))[0];
  return stored != NULL && tg_password_verify(password ? password : "", stored);
}

gboolean store_user_roles(MYSQL *conn, const char *user, guint *roles, GError **error) {
  DbParam p[] = {DBP_S(user)};
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn,
                   "SELECT r.role_name FROM UM_USER_ROLE r JOIN UM_USER u ON u.user_id = r.user_id"
                   " WHERE u.user_name = ?",
                   p, 1, 16, error);
  if (rows == NULL) return FALSE;
  *roles = 0;
  for (guint i = 0; i < rows->len; i++)
    *roles |= hub_role_bit(((char **)g_ptr_array_index(rows, i))[0]);
  return TRUE;
}

gboolean store_user_exists(MYSQL *conn, const char *user, gboolean *exists, GError **error) {
  DbParam p[] = {DBP_S(user)};
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn, "SELECT 1 FROM UM_USER WHERE user_name = ?", p, 1, 1, error);
  if (rows == NULL) return FALSE;
  *exists = rows->len > 0;
  return TRUE;
}

static gboolean user_set_roles(MYSQL *conn, gint64 user_id, guint roles, GError **error) {
  DbParam del[] = {DBP_I(user_id)};
  if (!hub_db_exec(conn, "DELETE FROM UM_USER_ROLE WHERE user_id = ?", del, 1, NULL, NULL, error))
    return FALSE;
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  store_role_names(roles, names);
  for (guint i = 0; i < names->len; i++) {
    DbParam p[] = {DBP_I(user_id), DBP_S(g_ptr_array_index(names, i))};
    if (!hub_db_exec(conn, "INSERT INTO UM_USER_ROLE (user_id, role_name) VALUES (?, ?)", p, 2,
                     NULL, NULL, error))
      return FALSE;
  }
  return TRUE;
}

typedef struct {
  const char *user, *password_hash;
  guint roles;
} UserTxn;

static gboolean user_create_txn(MYSQL *conn, gpointer data, GError **error) {
  const UserTxn *u = data;
  gint64 now = now_s();
  guint64 id = 0;
  DbParam p[] = {DBP_S(u->user), DBP_S(u->password_hash), DBP_I(now), DBP_I(now)};
  return hub_db_exec(conn,
                     "INSERT INTO UM_USER (user_name, password_hash, created_at,"
                     " updated_at) VALUES (?, ?, ?, ?)",
                     p, 4, NULL, &id, error) &&
         user_set_roles(conn, (gint64)id, u->roles, error);
}

gboolean store_user_create(MYSQL *conn, const char *user, const char *password, guint roles,
                           GError **error) {
  g_autofree char *hash = tg_password_hash(password, TG_PBKDF2_ITERATIONS);
  UserTxn u = {user, hash, roles};
  return hub_db_transaction(conn, user_create_txn, &u, error);
}

/* A user as listed: name, created_at, then the role names (strings copied). */
static TgUser *user_new(const char *name, const char *created_at, guint roles) {
  TgUser *u = g_object_new(TG_TYPE_USER, "name", name, "createdAt",
                           created_at ? g_ascii_strtoll(created_at, NULL, 10) : 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  store_role_names(roles, names);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add(u->roles, g_strdup(g_ptr_array_index(names, i)));
  u->__isset_roles = TRUE;
  return u;
}

#define USER_ROLE_SELECT                                         \
  "SELECT u.user_name, u.created_at, r.role_name FROM UM_USER u" \
  " LEFT JOIN UM_USER_ROLE r ON r.user_id = u.user_id"

/* Folds (name, created_at, role) rows, sorted by name, into one TgUser per name. */
static void users_from_rows(GPtrArray *rows, GPtrArray *out) {
  for (guint i = 0; i < rows->len;) {
    char **first = g_ptr_array_index(rows, i);
    guint roles = 0;
    for (; i < rows->len; i++) {
      char **r = g_ptr_array_index(rows, i);
      if (strcmp(r[0], first[0]) != 0) break;
      roles |= r[2] ? hub_role_bit(r[2]) : 0;
    }
    g_ptr_array_add(out, user_new(first[0], first[1], roles));
  }
}

gboolean store_user_get(MYSQL *conn, const char *user, TgUser *out, GError **error) {
  DbParam p[] = {DBP_S(user)};
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn, USER_ROLE_SELECT " WHERE u.user_name = ?", p, 1, 16, error);
  if (rows == NULL || rows->len == 0) return FALSE;
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func(g_object_unref);
  users_from_rows(rows, users);
  TgUser *u = g_ptr_array_index(users, 0);
  g_object_set(out, "name", u->name, "createdAt", u->createdAt, "roles", u->roles, NULL);
  return TRUE;
}

gboolean store_user_list(MYSQL *conn, GPtrArray *out, GError **error) {
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn, USER_ROLE_SELECT " ORDER BY u.user_name", NULL, 0, MAX_USER_ROWS, error);
  if (rows == NULL) return FALSE;
  users_from_rows(rows, out);
  return TRUE;
}

gboolean store_user_delete(MYSQL *conn, const char *user, GError **error) {
  guint64 n = 0;
  DbParam p[] = {DBP_S(user)};
  return hub_db_exec(conn, "DELETE FROM UM_USER WHERE user_name = ?", p, 1, &n, NULL, error) &&
         n > 0;
}

/* Locks the user's row for the transaction; *id is 0 when there is no such user. */
static gboolean user_lock(MYSQL *conn, const char *user, gint64 *id, GError **error) {
  DbParam p[] = {DBP_S(user)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT user_id FROM UM_USER"
                                           " WHERE user_name = ? FOR UPDATE",
                                           p, 1, 1, error);
  if (rows == NULL) return FALSE;
  *id = rows->len ? g_ascii_strtoll(((char **)g_ptr_array_index(rows, 0))[0], NULL, 10) : 0;
  return TRUE;
}

static gboolean user_set_roles_txn(MYSQL *conn, gpointer data, GError **error) {
  const UserTxn *u = data;
  gint64 id = 0;
  DbParam p[] = {DBP_I(now_s()), DBP_S(u->user)};
  return user_lock(conn, u->user, &id, error) && id > 0 &&
         user_set_roles(conn, id, u->roles, error) &&
         hub_db_exec(conn, "UPDATE UM_USER SET updated_at = ? WHERE user_name = ?", p, 2, NULL,
                     NULL, error);
}

gboolean store_user_set_roles(MYSQL *conn, const char *user, guint roles, GError **error) {
  UserTxn u = {user, NULL, roles};
  return hub_db_transaction(conn, user_set_roles_txn, &u, error);
}

gboolean store_user_set_password(MYSQL *conn, const char *user, const char *password,
                                 GError **error) {
  guint64 n = 0;
  g_autofree char *hash = tg_password_hash(password, TG_PBKDF2_ITERATIONS);
  DbParam p[] = {DBP_S(hash), DBP_I(now_s()), DBP_S(user)};
  return hub_db_exec(conn,
                     "UPDATE UM_USER SET password_hash = ?, updated_at = ?"
                     " WHERE user_name = ?",
                     p, 3, &n, NULL, error) &&
         n > 0;
}
