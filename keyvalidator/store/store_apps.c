/*
 * store_apps.c: applications and subscriptions in apimgtdb (AM_APPLICATION, AM_SUBSCRIPTION),
 * read straight into the generated Thrift structs. Trade-off: an application's tokens, keys
 * and subscriptions are deleted explicitly, not by ON DELETE CASCADE, so the order of the
 * deletes is ours and visible here. Design notes: docs/HACKING.md.
 */
#include "config.h"

#include "app_domains.h"
#include "db.h"
#include "store.h"
#include "store_apps.h"

#define APP_COLUMNS                                                   \
  "application_id, name, owner, tier, callback_url, allowed_domains," \
  " description, created_at"
#define SUB_SELECT                                                           \
  "SELECT s.subscription_id, a.name, a.owner, p.context, p.version, s.tier," \
  " s.status, p.name, s.created_at FROM AM_SUBSCRIPTION s"                   \
  " JOIN AM_APPLICATION a ON a.application_id = s.application_id"            \
  " JOIN AM_API p ON p.api_id = s.api_id"

static gint64 now_s(void) { return g_get_real_time() / G_USEC_PER_SEC; }

static gint64 col_int(const char *s) { return s ? g_ascii_strtoll(s, NULL, 10) : 0; }

static const char *col_str(const char *s) { return s ? s : ""; }

/* Fills an object of the generated Thrift type from one result row. */
typedef void (*RowFill)(gpointer obj, char **row);

/* Runs a query and appends a new object of type for each row, filled by fill. */
static gboolean rows_into(MYSQL *conn, const char *sql, const DbParam *p, guint n, guint max,
                          GType type, RowFill fill, GPtrArray *out, GError **error) {
  g_autoptr(GPtrArray) rows = hub_db_query(conn, sql, p, n, max, error);
  if (rows == NULL) return FALSE;
  for (guint i = 0; i < rows->len; i++) {
    gpointer obj = g_object_new(type, NULL);
    fill(obj, g_ptr_array_index(rows, i));
    g_ptr_array_add(out, obj);
  }
  return TRUE;
}

/* Runs a query expected to give at most one row, into out; FALSE without error if none. */
static gboolean row_into(MYSQL *conn, const char *sql, const DbParam *p, guint n, RowFill fill,
                         gpointer out, GError **error) {
  g_autoptr(GPtrArray) rows = hub_db_query(conn, sql, p, n, 1, error);
  if (rows == NULL || rows->len == 0) return FALSE;
  fill(out, g_ptr_array_index(rows, 0));
  return TRUE;
}

char *store_api_subject(const char *context, const char *version) {
  return g_strdup_printf("%s:%s", context, version);
}

/* ---- applications ---- */

static void app_fill(gpointer obj, char **r) {
  TgApplication *app = obj;
  g_object_set(app, "id", col_int(r[0]), "name", r[1], "owner", r[2], "tier", r[3], "callbackUrl",
               col_str(r[4]), "description", col_str(r[6]), "createdAt", col_int(r[7]), NULL);
  g_ptr_array_set_size(app->allowedDomains, 0);
  app_domains_split(r[5], app->allowedDomains);
  app->__isset_allowedDomains = TRUE;
}

gboolean store_app_get(MYSQL *conn, const char *owner, const char *name, TgApplication *out,
                       GError **error) {
  DbParam p[] = {DBP_S(owner), DBP_S(name)};
  return row_into(conn, "SELECT " APP_COLUMNS " FROM AM_APPLICATION WHERE owner = ? AND name = ?",
                  p, 2, app_fill, out, error);
}

gboolean store_app_get_by_id(MYSQL *conn, gint64 id, TgApplication *out, GError **error) {
  DbParam p[] = {DBP_I(id)};
  return row_into(conn, "SELECT " APP_COLUMNS " FROM AM_APPLICATION WHERE application_id = ?", p, 1,
                  app_fill, out, error);
}

typedef struct {
  TgApplication *app;
  StoreTierGuard guard;
} AppTxn;

static gboolean app_insert_txn(MYSQL *conn, gpointer data, GError **error) {
  AppTxn *t = data;
  TgApplication *app = t->app;
  g_autofree char *domains = app_domains_join(app->allowedDomains);
  gint64 now = now_s();
  guint64 id = 0;
  DbParam p[] = {DBP_S(app->name), DBP_S(app->owner),
                 DBP_S(app->tier), DBP_S(col_str(app->callbackUrl)),
                 DBP_S(domains),   DBP_S(col_str(app->description)),
                 DBP_I(now),       DBP_I(now)};
  if ((t->guard != NULL && !t->guard(conn, app->tier, error)) ||
      !hub_db_exec(conn,
                   "INSERT INTO AM_APPLICATION (name, owner, tier, callback_url,"
                   " allowed_domains, description, created_at, updated_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   p, G_N_ELEMENTS(p), NULL, &id, error))
    return FALSE;
  g_object_set(app, "id", (gint64)id, "createdAt", now, NULL);
  return TRUE;
}

gboolean store_app_insert(MYSQL *conn, TgApplication *app, StoreTierGuard guard, GError **error) {
  AppTxn t = {app, guard};
  return hub_db_transaction(conn, app_insert_txn, &t, error);
}

gboolean store_user_holdings(MYSQL *conn, const char *user, gint64 *apps, gint64 *apis,
                             GError **error) {
  DbParam p[] = {DBP_S(user), DBP_S(user)};
  g_autoptr(GPtrArray) rows =
      hub_db_query(conn,
                   "SELECT (SELECT COUNT(*) FROM AM_APPLICATION WHERE owner = ?),"
                   " (SELECT COUNT(*) FROM AM_API WHERE provider = ?)",
                   p, 2, 1, error);
  if (rows == NULL || rows->len == 0) return FALSE;
  char **r = g_ptr_array_index(rows, 0);
  *apps = g_ascii_strtoll(r[0], NULL, 10);
  *apis = g_ascii_strtoll(r[1], NULL, 10);
  return TRUE;
}

gboolean store_app_lock(MYSQL *conn, gint64 app_id, GError **error) {
  DbParam p[] = {DBP_I(app_id)};
  g_autoptr(GPtrArray) rows = hub_db_query(conn,
                                           "SELECT application_id FROM AM_APPLICATION"
                                           " WHERE application_id = ? FOR UPDATE",
                                           p, 1, 1, error);
  return rows != NULL && rows->len == 1;
}

static gboolean record_app_changed(MYSQL *conn, gint64 app_id, GError **error) {
  g_autofree char *subject = g_strdup_printf("%" G_GINT64_FORMAT, app_id);
  return store_record_change(conn, "APPLICATION_CHANGED", subject, error);
}

static gboolean app_update_txn(MYSQL *conn, gpointer data, GError **error) {
  const AppTxn *t = data;
  const TgApplication *app = t->app;
  g_autofree char *domains = app_domains_join(app->allowedDomains);
  DbParam p[] = {DBP_S(app->name),
                 DBP_S(app->tier),
                 DBP_S(col_str(app->callbackUrl)),
                 DBP_S(domains),
                 DBP_S(col_str(app->description)),
                 DBP_I(now_s()),
                 DBP_I(app->id)};
  if (t->guard != NULL && !t->guard(conn, app->tier, error)) return FALSE;
  return hub_db_exec(conn,
                     "UPDATE AM_APPLICATION SET name = ?, tier = ?, callback_url = ?,"
                     " allowed_domains = ?, description = ?, updated_at = ?"
                     " WHERE application_id = ?",
                     p, G_N_ELEMENTS(p), NULL, NULL, error) &&
         record_app_changed(conn, app->id, error);
}

gboolean store_app_update(MYSQL *conn, const TgApplication *app, StoreTierGuard guard,
                          GError **error) {
  AppTxn t = {(TgApplication *)app, guard};
  return hub_db_transaction(conn, app_update_txn, &t, error);
}

/* SUBSCRIPTION_CHANGED for every API the application is subscribed to (rows locked). */
static gboolean record_app_subscriptions(MYSQL *conn, gint64 app_id, GError **error) {
  DbParam p[] = {DBP_I(app_id)};
  g_autoptr(GPtrArray) rows = hub_db_query(
      conn,
      "SELECT p.context, p.version FROM AM_SUBSCRIPTION s JOIN AM_API p ON p.api_id = s.api_id"
      " WHERE s.application_id = ? FOR UPDATE",
      p, 1, G_MAXUINT, error);
  if (rows == NULL) return FALSE;
  for (guint i = 0; i < rows->len; i++) {
    char **r = g_ptr_array_index(rows, i);
    g_autofree char *subject = store_api_subject(r[0], r[1]);
    if (!store_record_app_change(conn, "SUBSCRIPTION_CHANGED", subject, app_id, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean app_delete_txn(MYSQL *conn, gpointer data, GError **error) {
  gint64 app_id = *(const gint64 *)data;
  DbParam p[] = {DBP_I(app_id)};
  guint64 n = 0;
  /* the application row first, as key creation does; then tokens and keys, whose rows
     reference the application twice (key and app) */
  return store_app_lock(conn, app_id, error) && record_app_subscriptions(conn, app_id, error) &&
         hub_db_exec(conn, "DELETE FROM AM_ACCESS_TOKEN WHERE application_id = ?", p, 1, NULL, NULL,
                     error) &&
         hub_db_exec(conn, "DELETE FROM AM_APPLICATION_KEY WHERE application_id = ?", p, 1, NULL,
                     NULL, error) &&
         hub_db_exec(conn, "DELETE FROM AM_SUBSCRIPTION WHERE application_id = ?", p, 1, NULL, NULL,
                     error) &&
         hub_db_exec(conn, "DELETE FROM AM_APPLICATION WHERE application_id = ?", p, 1, &n, NULL,
                     error) &&
         n == 1 && record_app_changed(conn, app_id, error);
}

gboolean store_app_delete(MYSQL *conn, gint64 app_id, GError **error) {
  return hub_db_transaction(conn, app_delete_txn, &app_id, error);
}

gboolean store_app_list(MYSQL *conn, const char *owner, GPtrArray *out, GError **error) {
  DbParam p[] = {DBP_S(owner ? owner : ""), DBP_S(owner)};
  return rows_into(conn,
                   "SELECT " APP_COLUMNS
                   " FROM AM_APPLICATION WHERE ? = '' OR owner = ?"
                   " ORDER BY owner, name",
                   p, 2, STORE_MAX_LIST, TG_TYPE_APPLICATION, app_fill, out, error);
}

/* ---- subscriptions ---- */

static void sub_fill(gpointer sub, char **r) {
  g_object_set(sub, "id", col_int(r[0]), "applicationName", r[1], "applicationOwner", r[2],
               "apiContext", r[3], "apiVersion", r[4], "tier", r[5], "status", r[6], "apiName",
               col_str(r[7]), "createdAt", col_int(r[8]), NULL);
}

gboolean store_sub_get(MYSQL *conn, gint64 app_id, gint64 api_id, TgSubscription *out,
                       GError **error) {
  DbParam p[] = {DBP_I(app_id), DBP_I(api_id)};
  return row_into(conn, SUB_SELECT " WHERE s.application_id = ? AND s.api_id = ?", p, 2, sub_fill,
                  out, error);
}

/* One statement on a subscription and the change it records. */
typedef struct {
  const char *sql;
  const DbParam *p;
  guint n;
  const char *api_subject;
  gint64 app_id;
} SubTxn;

static gboolean sub_write_txn(MYSQL *conn, gpointer data, GError **error) {
  const SubTxn *t = data;
  return hub_db_exec(conn, t->sql, t->p, t->n, NULL, NULL, error) &&
         store_record_app_change(conn, "SUBSCRIPTION_CHANGED", t->api_subject, t->app_id, error);
}

typedef struct {
  SubTxn write;
  const char *tier;
  StoreTierGuard guard;
} SubInsertTxn;

static gboolean sub_insert_txn(MYSQL *conn, gpointer data, GError **error) {
  SubInsertTxn *t = data;
  return (t->guard == NULL || t->guard(conn, t->tier, error)) &&
         sub_write_txn(conn, &t->write, error);
}

gboolean store_sub_insert(MYSQL *conn, gint64 app_id, gint64 api_id, const char *tier,
                          const char *status, const char *api_subject, StoreTierGuard guard,
                          GError **error) {
  gint64 now = now_s();
  DbParam p[] = {DBP_I(api_id), DBP_I(app_id), DBP_S(tier), DBP_S(status), DBP_I(now), DBP_I(now)};
  SubInsertTxn t = {{"INSERT INTO AM_SUBSCRIPTION (api_id, application_id, tier, status,"
                     " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                     p, G_N_ELEMENTS(p), api_subject, app_id},
                    tier,
                    guard};
  return hub_db_transaction(conn, sub_insert_txn, &t, error);
}

/* The statement's last two parameters are the subscription's (app_id, api_id): its row is
   locked first; FALSE without error when there is none. */
static gboolean sub_change_txn(MYSQL *conn, gpointer data, GError **error) {
  const SubTxn *t = data;
  DbParam lock[] = {t->p[t->n - 2], t->p[t->n - 1]};
  g_autoptr(GPtrArray) rows = hub_db_query(
      conn,
      "SELECT subscription_id FROM AM_SUBSCRIPTION WHERE application_id = ? AND api_id = ?"
      " FOR UPDATE",
      lock, 2, 1, error);
  return rows != NULL && rows->len == 1 && sub_write_txn(conn, data, error);
}

/* Runs one statement on the subscription (app_id, api_id, given last) and records the change;
   FALSE without error when no row matched. */
static gboolean sub_change(MYSQL *conn, const char *sql, const DbParam *p, guint n,
                           const char *api_subject, GError **error) {
  SubTxn t = {sql, p, n, api_subject, p[n - 2].i};
  return hub_db_transaction(conn, sub_change_txn, &t, error);
}

gboolean store_sub_delete(MYSQL *conn, gint64 app_id, gint64 api_id, const char *api_subject,
                          GError **error) {
  DbParam p[] = {DBP_I(app_id), DBP_I(api_id)};
  return sub_change(conn, "DELETE FROM AM_SUBSCRIPTION WHERE application_id = ? AND api_id = ?", p,
                    2, api_subject, error);
}

gboolean store_sub_set_status(MYSQL *conn, gint64 app_id, gint64 api_id, const char *status,
                              const char *api_subject, GError **error) {
  DbParam p[] = {DBP_S(status), DBP_I(now_s()), DBP_I(app_id), DBP_I(api_id)};
  return sub_change(conn,
                    "UPDATE AM_SUBSCRIPTION SET status = ?, updated_at = ?"
                    " WHERE application_id = ? AND api_id = ?",
                    p, 4, api_subject, error);
}

gboolean store_sub_list(MYSQL *conn, const StoreSubFilter *f, GPtrArray *out, GError **error) {
  const char *owner = col_str(f->owner), *app = col_str(f->app_name);
  const char *viewer = col_str(f->viewer);
  DbParam p[] = {DBP_S(owner),
                 DBP_S(owner),
                 DBP_S(app),
                 DBP_S(app),
                 DBP_S(viewer),
                 DBP_S(viewer),
                 DBP_S(f->viewer_provider)};
  return rows_into(conn,
                   SUB_SELECT
                   " WHERE (? = '' OR a.owner = ?) AND (? = '' OR a.name = ?)"
                   " AND (? = '' OR a.owner = ? OR p.provider = ?)"
                   " ORDER BY a.owner, a.name, p.context, p.version",
                   p, G_N_ELEMENTS(p), STORE_MAX_LIST, TG_TYPE_SUBSCRIPTION, sub_fill, out, error);
}

gboolean store_app_page(MYSQL *conn, const char *owner, const char *after_name, gint64 after_id,
                        guint limit, GPtrArray *out, GError **error) {
  /* keyset on uk_app_owner_name (owner, name) + the primary key: a range scan, never a sort */
  DbParam p[] = {DBP_S(owner), DBP_S(after_name), DBP_S(after_name), DBP_I(after_id), DBP_I(limit)};
  return rows_into(conn,
                   "SELECT " APP_COLUMNS
                   " FROM AM_APPLICATION WHERE owner = ?"
                   " AND (name > ? OR (name = ? AND application_id > ?))"
                   " ORDER BY name, application_id LIMIT ?",
                   p, 5, limit, TG_TYPE_APPLICATION, app_fill, out, error);
}

gboolean store_sub_list_api(MYSQL *conn, gint64 api_id, GPtrArray *out, GError **error) {
  DbParam p[] = {DBP_I(api_id)};
  return rows_into(conn, SUB_SELECT " WHERE s.api_id = ? ORDER BY a.owner, a.name", p, 1,
                   STORE_MAX_LIST, TG_TYPE_SUBSCRIPTION, sub_fill, out, error);
}
