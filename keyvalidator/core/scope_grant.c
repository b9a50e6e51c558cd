/*
 * scope_grant.c: see scope_grant.h. The rule is pure (tests/unit/test_mgmt_apis.c
 * runs it on tables); hub_scope_grant only gathers its facts from the store.
 * Trade-off: a scope is checked when a token is issued, not on every call, so
 * a role taken away later does not shrink tokens already issued (setUserRoles
 * ends the user's sessions, not their tokens; revoke those).
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "hub_internal.h"
#include "scope_grant.h"
#include "session.h"
#include "store_apis.h"
#include "store_users.h"

/* Whether a user with roles may hold a scope declared with these role lists. */
static gboolean entitled(guint roles, const GPtrArray *lists) {
  for (guint i = 0; i < lists->len; i++) {
    g_auto(GStrv) names = g_strsplit(g_ptr_array_index(lists, i), " ", -1);
    guint allowed = hub_role_mask((const char *const *)names);
    gboolean anyone = TRUE;
    for (guint j = 0; names[j]; j++) anyone = anyone && *names[j] == '\0';
    if (!anyone && (allowed & roles) == 0) return FALSE;
  }
  return TRUE;
}

char *scope_grant(const char *requested, guint user_roles, GHashTable *declarations) {
  g_auto(GStrv) want = g_strsplit(requested ? requested : "", " ", -1);
  GString *out = g_string_new(NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; want[i]; i++) {
    const GPtrArray *lists = declarations ? g_hash_table_lookup(declarations, want[i]) : NULL;
    if (*want[i] == '\0' || !g_hash_table_add(seen, want[i]) ||
        (lists != NULL && !entitled(user_roles, lists)))
      continue;
    g_string_append_printf(out, "%s%s", out->len ? " " : "", want[i]);
  }
  return g_string_free(out, FALSE);
}

gboolean hub_scope_grant(Hub *hub, MYSQL *apimgt, const char *user, const char *requested,
                         char **granted, GError **error) {
  if (requested == NULL || *requested == '\0') {
    *granted = g_strdup("");
    return TRUE;
  }
  g_autoptr(GHashTable) declarations = store_api_scope_declarations(apimgt, requested, error);
  if (declarations == NULL) return FALSE;
  guint roles = 0;
  if (g_hash_table_size(declarations) > 0 && user != NULL && *user != '\0') {
    MYSQL *userdb = hub_db_acquire(hub, hub->cfg.db_user_store, error);
    gboolean ok = userdb != NULL && store_user_roles(userdb, user, &roles, error);
    if (userdb) hub_db_release(hub, userdb);
    if (!ok) return FALSE;
  }
  *granted = scope_grant(requested, roles, declarations);
  return TRUE;
}
