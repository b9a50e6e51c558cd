/*
 * policy.c: the custom-policy methods of the Tollgate service (addCustomPolicy,
 * listCustomPolicies, deleteCustomPolicy): the caller's role and every field checked here, the
 * rows in store/store_policy.c. Trade-off: no update method: a changed policy is a new one, so
 * a ledger key never changes limit. Design notes: docs/HACKING.md.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "handler.h"
#include "hub_internal.h"
#include "methods.h"
#include "mgmt_apps.h"
#include "session.h"
#include "store_policy.h"
#include "tg_http_syntax.h"
#include "tg_names.h"
#include "tg_throttle.h"
#include "tier_refs.h"

#define MAX_HEADER_NAME 128
#define MAX_CONTEXT     255
#define MAX_DESCRIPTION 255

static const char *const gateway_roles[] = {"gateway", "admin", NULL};
static const char *const admin_roles[] = {"admin", NULL};

static gboolean header_ok(const char *s) {
  return s && *s && strlen(s) <= MAX_HEADER_NAME && tg_http_token(s, strlen(s));
}

/* "" or "/segment[/segment...]" of printable ASCII without spaces. */
static gboolean context_ok(const char *s) {
  if (s == NULL || *s == '\0') return TRUE;
  if (*s != '/' || strlen(s) > MAX_CONTEXT) return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isgraph(*p) || *p == '|') return FALSE;
  return TRUE;
}

/* Any whole number of seconds up to a day, as for tiers (the ledger keeps two days). */
static gboolean unit_ok(gint64 unit) { return unit >= 1 && unit <= 86400; }

/* The checked copy of policy into out (keyBy canonical, header name lower case). */
static gboolean policy_checked(const TgCustomPolicy *p, TgCustomPolicy *out, GError **error) {
  const char *key_by = tg_custom_key_by_canonical(p->keyBy);
  gboolean header = key_by && strcmp(key_by, "HEADER") == 0;
  if (!tg_name_valid(p->name)) return mgmt_refuse(error, 400, "a policy name is " TG_NAME_RULE);
  if (key_by == NULL)
    return mgmt_refuse(error, 400, "keyBy is USER, APPLICATION, API, IP or HEADER");
  if (header ? !header_ok(p->headerName) : (p->headerName && *p->headerName))
    return mgmt_refuse(error, 400,
                       "headerName (an HTTP field name of at most %d bytes) is"
                       " needed with keyBy HEADER and only then",
                       MAX_HEADER_NAME);
  if (p->requestCount < 0 || p->bytesCount < 0 || p->requestCount > G_MAXINT32 ||
      (p->requestCount == 0 && p->bytesCount == 0))
    return mgmt_refuse(error, 400, "requestCount and/or bytesCount: one of them above 0");
  if (!unit_ok(p->unitTime)) return mgmt_refuse(error, 400, "unitTime is 1 to 86400 seconds");
  if (!context_ok(p->apiContext))
    return mgmt_refuse(error, 400, "apiContext is \"\" (every API) or an API context");
  if (p->description &&
      (strlen(p->description) > MAX_DESCRIPTION || !g_utf8_validate(p->description, -1, NULL)))
    return mgmt_refuse(error, 400, "description is at most %d bytes", MAX_DESCRIPTION);
  g_autofree char *lower = header ? g_ascii_strdown(p->headerName, -1) : g_strdup("");
  g_object_set(out, "name", p->name, "keyBy", key_by, "headerName", lower, "requestCount",
               p->requestCount, "bytesCount", p->bytesCount, "unitTime", p->unitTime, "sliding",
               p->sliding, "apiContext", p->apiContext ? p->apiContext : "", "description",
               p->description ? p->description : "", "createdAt",
               g_get_real_time() / G_USEC_PER_SEC, NULL);
  return TRUE;
}

/* 409 when a policy in similar has a name that differs from name only in case: policies are
   one namespace (uk_custom_policy_name), looked up byte for byte; look-alikes confuse admins. */
static gboolean policy_name_distinct(const char *name, const GPtrArray *similar, GError **error) {
  for (guint i = 0; similar != NULL && i < similar->len; i++) {
    const char *other = ((char **)g_ptr_array_index(similar, i))[0];
    if (!tg_name_look_alike(name, other)) continue;
    g_autofree char *q = tier_ref_quoted(name);
    g_autofree char *oq = tier_ref_quoted(other);
    return mgmt_refuse(error, 409,
                       "custom policy %s would look like custom policy %s, which exists: a"
                       " policy name must differ from the others in more than case",
                       q, oq);
  }
  return TRUE;
}

gboolean hub_method_add_custom_policy(TgTollgateIf *iface, TgCustomPolicy **_return,
                                      const gchar *sessionId, const TgCustomPolicy *policy,
                                      TgTollgateException **err, GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_call_begin(&c, iface, "addCustomPolicy", sessionId, admin_roles, err)) return FALSE;
  if (policy == NULL) return mgmt_fail(&c, g_error_new(MGMT_ERROR, 400, "a policy is required"));
  if (!policy_checked(policy, *_return, &local)) return mgmt_fail(&c, local);
  if (mgmt_call_db(&c) == NULL) return FALSE;
  if (!store_policy_add(c.conn, *_return, policy_name_distinct, &local)) {
    if (!g_error_matches(local, HUB_DB_ERROR, HUB_DB_ERROR_DUPLICATE)) return mgmt_fail(&c, local);
    g_error_free(local);
    return mgmt_fail(&c, g_error_new(MGMT_ERROR, 409, "custom policy %s exists", (*_return)->name));
  }
  g_message("custom policy %" G_GINT64_FORMAT " (%s) added by %s", (*_return)->id, (*_return)->name,
            c.who.user);
  return TRUE;
}

gboolean hub_method_list_custom_policies(TgTollgateIf *iface, GPtrArray **_return,
                                         const gchar *sessionId, TgTollgateException **err,
                                         GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  if (!mgmt_call_begin(&c, iface, "listCustomPolicies", sessionId, gateway_roles, err) ||
      mgmt_call_db(&c) == NULL)
    return FALSE;
  if (!store_policy_list(c.conn, *_return, &local)) return mgmt_fail(&c, local);
  return TRUE;
}

gboolean hub_method_delete_custom_policy(TgTollgateIf *iface, const gchar *sessionId,
                                         const gint64 id, TgTollgateException **err,
                                         GError **error) {
  g_auto(MgmtCall) c = {0};
  GError *local = NULL;
  gboolean deleted = FALSE;
  if (!mgmt_call_begin(&c, iface, "deleteCustomPolicy", sessionId, admin_roles, err) ||
      mgmt_call_db(&c) == NULL)
    return FALSE;
  if (!store_policy_delete(c.conn, id, &deleted, &local)) return mgmt_fail(&c, local);
  if (!deleted)
    return mgmt_fail(&c, g_error_new(MGMT_ERROR, 404, "no custom policy %" G_GINT64_FORMAT, id));
  g_message("custom policy %" G_GINT64_FORMAT " deleted by %s", id, c.who.user);
  return TRUE;
}
