/*
 * mgmt_keys.c: the rules of the key and token methods (mgmt_apps.h): key types,
 * validity periods, scopes, who may issue a token for which end user, a token's
 * status as of now. Pure (tests/unit/test_mgmt_apps.c); the methods themselves
 * are in key_methods.c.
 */
#include "config.h"

#include <string.h>

#include "mgmt_apps.h"
#include "oauth.h"

#define TOKEN_HASH_PREFIX_LEN 12

static const char *const key_types[] = {"PRODUCTION", "SANDBOX", NULL};

const char *mgmt_key_type_parse(const char *key_type, GError **error) {
  if (key_type == NULL || *key_type == '\0') return key_types[0];
  for (guint i = 0; key_types[i]; i++)
    if (g_ascii_strcasecmp(key_types[i], key_type) == 0) return key_types[i];
  g_set_error_literal(error, MGMT_ERROR, 400, "keyType must be PRODUCTION or SANDBOX");
  return NULL;
}

gboolean mgmt_validity_resolve(gint64 requested, gint64 hub_default, gint64 *validity_s,
                               GError **error) {
  if (requested > MGMT_MAX_VALIDITY_S) {
    g_set_error(error, MGMT_ERROR, 400, "validitySeconds must be at most %d (ten years)",
                MGMT_MAX_VALIDITY_S);
    return FALSE;
  }
  *validity_s = requested > 0 ? requested : hub_default;
  return TRUE;
}

static gboolean scope_token_ok(const char *scope) {
  return scope != NULL && *scope != '\0' && strchr(scope, ' ') == NULL && oauth_scope_valid(scope);
}

char *mgmt_scopes_join(const GPtrArray *scopes, GError **error) {
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; scopes != NULL && i < scopes->len; i++) {
    const char *scope = g_ptr_array_index(scopes, i);
    if (!scope_token_ok(scope)) {
      g_set_error_literal(error, MGMT_ERROR, 400,
                          "each scope must be one OAuth2 scope token:"
                          " printable ASCII without spaces, quotes or backslashes");
      return NULL;
    }
    if (!g_hash_table_add(seen, (gpointer)scope)) continue;
    g_string_append_printf(out, "%s%s", out->len ? " " : "", scope);
  }
  if (out->len > OAUTH_MAX_SCOPE) {
    g_set_error(error, MGMT_ERROR, 400, "scopes: at most %d bytes in all", OAUTH_MAX_SCOPE);
    return NULL;
  }
  return g_string_free(g_steal_pointer(&out), FALSE);
}

gboolean mgmt_end_user_allowed(const char *caller, gboolean admin, const char *end_user,
                               GError **error) {
  if (end_user == NULL || *end_user == '\0') return TRUE;
  if (!mgmt_name_valid("endUserName", end_user, MGMT_MAX_NAME, error)) return FALSE;
  if (admin || g_strcmp0(caller, end_user) == 0) return TRUE;
  g_set_error(error, MGMT_ERROR, 403,
              "only an admin may issue a token for another end user"
              " (%s); end users get their own tokens with the password grant",
              end_user);
  return FALSE;
}

const char *mgmt_token_status(const char *state, gint64 issued_ms, gint64 validity_s,
                              gint64 now_ms) {
  if (g_strcmp0(state, "ACTIVE") != 0)
    return g_strcmp0(state, "REVOKED") == 0 ? "REVOKED" : "EXPIRED";
  if (validity_s > 0 && issued_ms + validity_s * 1000 <= now_ms) return "EXPIRED";
  return "ACTIVE";
}

char *mgmt_token_hash_prefix(const char *hash) {
  return g_strndup(hash ? hash : "", TOKEN_HASH_PREFIX_LEN);
}
