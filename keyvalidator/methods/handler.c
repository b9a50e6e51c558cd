/*
 * handler.c: the hub's Thrift handler (HubHandler, a TgTollgateHandler
 * subclass). Each vfunc checks the session, calls the store and maps errors to
 * the generated exceptions; the logic lives in session.c, store_*.c and
 * validation.c. Methods implemented in other core files (methods_ext.h) are
 * plugged in class_init. Trade-off: one shared handler object for every
 * connection thread: it holds only the Hub, so it needs no locking itself.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "handler.h"
#include "hub_internal.h"
#include "login.h"
#include "methods.h"
#include "methods_portal.h"
#include "session.h"
#include "store_users.h"
#include "validate_key.h"

G_DEFINE_TYPE(HubHandler, hub_handler, TG_TYPE_TOLLGATE_HANDLER)

Hub *hub_handler_hub(TgTollgateIf *iface) { return ((HubHandler *)iface)->hub; }

typedef struct {
  TgSeries *calls, *errors, *seconds;
} CallSeries;

typedef struct {
  guint64 registry;      /* tg_metrics_id of the registry the handles belong to */
  GHashTable *by_method; /* method -> CallSeries */
} CallSeriesCache;

static void call_series_cache_free(gpointer p) {
  CallSeriesCache *c = p;
  g_hash_table_destroy(c->by_method);
  g_free(c);
}

static GPrivate call_series_cache = G_PRIVATE_INIT(call_series_cache_free);

/* This thread's handles for a method's series: a call counts without the
   registry's lock, which every loop and worker thread took three times a call. */
static CallSeries *call_series(Hub *hub, const char *method) {
  CallSeriesCache *c = g_private_get(&call_series_cache);
  if (c == NULL) {
    c = g_new0(CallSeriesCache, 1);
    c->by_method = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_private_set(&call_series_cache, c);
  }
  if (c->registry != tg_metrics_id(hub->metrics)) {
    g_hash_table_remove_all(c->by_method);
    c->registry = tg_metrics_id(hub->metrics);
  }
  CallSeries *cs = g_hash_table_lookup(c->by_method, method);
  if (cs != NULL) return cs;
  g_autofree char *labels = g_strdup_printf("method=\"%s\"", method);
  cs = g_new0(CallSeries, 1);
  cs->calls = tg_metrics_series(hub->metrics, "tollgate_hub_calls_total", labels);
  cs->errors = tg_metrics_series(hub->metrics, "tollgate_hub_call_errors_total", labels);
  cs->seconds = tg_metrics_series(hub->metrics, "tollgate_hub_call_seconds", labels);
  g_hash_table_insert(c->by_method, g_strdup(method), cs);
  return cs;
}

void hub_count_call(Hub *hub, const char *method, gint64 start_us, gboolean ok) {
  if (hub->metrics == NULL || hub_db_call_deferred()) return;
  CallSeries *cs = call_series(hub, method);
  tg_series_add(cs->calls, 1);
  if (!ok) tg_series_add(cs->errors, 1);
  tg_series_observe(cs->seconds, (g_get_monotonic_time() - start_us) / 1e6);
}

/* The answer of a failed login is held back by the network side (login.c, hub_call_end):
   no thread waits it out. */
static gboolean hub_authenticate(TgTollgateIf *iface, gchar **_return, const gchar *userName,
                                 const gchar *password, TgAuthenticationException **auth_err,
                                 GError **error) {
  Hub *hub = hub_handler_hub(iface);
  gint64 start = g_get_monotonic_time();
  g_autoptr(GError) local = NULL;
  guint roles = 0;
  const char *why = NULL;
  switch (hub_login(hub, userName, password, &roles, &local)) {
  case HUB_LOGIN_OK:
    break;
  case HUB_LOGIN_DENIED:
    why = "invalid user name or password";
    break;
  case HUB_LOGIN_LOCKED:
    why = "too many attempts: try again later";
    break;
  case HUB_LOGIN_UNAVAILABLE:
    g_warning("authenticate: %s", local ? local->message : "database unavailable");
    why = "authentication unavailable: database unavailable";
    break;
  }
  if (why == NULL) {
    *_return = session_issue(hub->sessions, userName, roles);
    g_message("login: %s", userName);
  } else {
    *auth_err = g_object_new(TG_TYPE_AUTHENTICATION_EXCEPTION, "message", why, NULL);
  }
  hub_count_call(hub, "authenticate", start, why == NULL);
  return why == NULL;
}

static gboolean hub_is_authenticated(TgTollgateIf *iface, gboolean *_return, const gchar *sessionId,
                                     GError **error) {
  Hub *hub = hub_handler_hub(iface);
  gint64 start = g_get_monotonic_time();
  *_return = hub_check_session(hub, sessionId, 0, NULL, NULL);
  hub_count_call(hub, "isAuthenticated", start, TRUE);
  return TRUE;
}

static gboolean hub_logout(TgTollgateIf *iface, const gchar *sessionId, GError **error) {
  Hub *hub = hub_handler_hub(iface);
  gint64 start = g_get_monotonic_time();
  g_autoptr(GError) local = NULL;
  gboolean ok = session_revoke(hub, sessionId, &local);
  if (!ok) /* logout of an invalid session is a no-op (WSO2 returns void) */
    g_info("logout: %s", local->message);
  hub_count_call(hub, "logout", start, ok);
  return TRUE;
}

static gboolean hub_validate_key(TgAPIKeyValidationServiceIf *iface,
                                 TgAPIKeyValidationInfoDTO **_return, const gchar *context,
                                 const gchar *version, const gchar *accessToken,
                                 const gchar *sessionId, const gchar *requiredAuthenticationLevel,
                                 const gchar *clientDomain, const gchar *matchingResource,
                                 const gchar *httpVerb, TgAPIKeyMgtException **key_err,
                                 TgAPIManagementException **mgt_err, GError **error) {
  Hub *hub = hub_handler_hub((TgTollgateIf *)iface);
  gint64 start = g_get_monotonic_time();
  gboolean ok = hub_validate(hub, *_return, context, version, accessToken, sessionId, clientDomain,
                             matchingResource, httpVerb, key_err);
  hub_count_call(hub, "validateKey", start, ok);
  return ok;
}

static gboolean hub_validate_handshake(TgAPIKeyValidationServiceIf *iface,
                                       TgAPIKeyValidationInfoDTO **_return, const gchar *context,
                                       const gchar *version, const gchar *accessToken,
                                       const gchar *sessionId, TgAPIKeyMgtException **key_err,
                                       TgAPIManagementException **mgt_err, GError **error) {
  Hub *hub = hub_handler_hub((TgTollgateIf *)iface);
  gint64 start = g_get_monotonic_time();
  gboolean ok = hub_validate(hub, *_return, context, version, accessToken, sessionId, NULL, NULL,
                             NULL, key_err);
  hub_count_call(hub, "validateKeyforHandshake", start, ok);
  return ok;
}

static gboolean hub_get_uri_templates(TgAPIKeyValidationServiceIf *iface, GPtrArray **_return,
                                      const gchar *context, const gchar *apiVersion,
                                      const gchar *sessionId, TgAPIKeyMgtException **key_err,
                                      TgAPIManagementException **mgt_err, GError **error) {
  Hub *hub = hub_handler_hub((TgTollgateIf *)iface);
  gint64 start = g_get_monotonic_time();
  gboolean ok = hub_uri_templates(hub, *_return, context, apiVersion, sessionId, key_err);
  hub_count_call(hub, "getAllURITemplates", start, ok);
  return ok;
}

static void hub_handler_class_init(HubHandlerClass *klass) {
  TgAPIKeyValidationServiceHandlerClass *w = TG_A_P_I_KEY_VALIDATION_SERVICE_HANDLER_CLASS(klass);
  w->validate_key = hub_validate_key;
  w->validate_keyfor_handshake = hub_validate_handshake;
  w->get_all_u_r_i_templates = hub_get_uri_templates;
  TgTollgateHandlerClass *t = TG_TOLLGATE_HANDLER_CLASS(klass);
  t->authenticate = hub_authenticate;
  t->is_authenticated = hub_is_authenticated;
  t->logout = hub_logout;
  t->add_document = hub_method_add_document;
  t->list_documents = hub_method_list_documents;
  t->delete_document = hub_method_delete_document;
  t->get_gateway_config = hub_method_get_gateway_config;
  t->publish_usage = hub_method_publish_usage;
  t->add_user = hub_method_add_user;
  t->list_users = hub_method_list_users;
  t->delete_user = hub_method_delete_user;
  t->set_user_roles = hub_method_set_user_roles;
  t->change_password = hub_method_change_password;
  t->list_tiers = hub_method_list_tiers;
  t->create_api = hub_method_create_api;
  t->update_api = hub_method_update_api;
  t->create_new_version = hub_method_create_new_version;
  t->set_api_lifecycle = hub_method_set_api_lifecycle;
  t->get_api = hub_method_get_api;
  t->list_apis = hub_method_list_apis;
  t->delete_api = hub_method_delete_api;
  t->create_application = hub_method_create_application;
  t->update_application = hub_method_update_application;
  t->delete_application = hub_method_delete_application;
  t->list_applications = hub_method_list_applications;
  t->subscribe = hub_method_subscribe;
  t->unsubscribe = hub_method_unsubscribe;
  t->set_subscription_status = hub_method_set_subscription_status;
  t->list_subscriptions = hub_method_list_subscriptions;
  t->generate_keys = hub_method_generate_keys;
  t->issue_token = hub_method_issue_token;
  t->revoke_token = hub_method_revoke_token;
  t->list_tokens = hub_method_list_tokens;
  t->revoke_token_by_id = hub_method_revoke_token_by_id;
  /* Traffic management */
  t->grant_credits = hub_method_grant_credits;
  t->report_credits = hub_method_report_credits;
  t->add_tier = hub_method_add_tier;
  t->get_tier = hub_method_get_tier;
  t->delete_tier = hub_method_delete_tier;
  t->add_block_condition = hub_method_add_block_condition;
  t->list_block_conditions = hub_method_list_block_conditions;
  t->delete_block_condition = hub_method_delete_block_condition;
  /* Portal (issue 15) */
  t->authenticate_from = hub_method_authenticate_from;
  t->verify_password = hub_method_verify_password;
  t->sign_up = hub_method_sign_up;
  t->get_settings = hub_method_get_settings;
  t->set_setting = hub_method_set_setting;
  t->search_apis = hub_method_search_apis;
  t->get_public_api = hub_method_get_public_api;
  t->list_applications_page = hub_method_list_applications_page;
  t->list_api_subscriptions = hub_method_list_api_subscriptions;
  t->regenerate_consumer_secret = hub_method_regenerate_consumer_secret;
  t->get_usage = hub_method_get_usage;
  t->list_audit = hub_method_list_audit;
  t->add_custom_policy = hub_method_add_custom_policy;
  t->list_custom_policies = hub_method_list_custom_policies;
  t->delete_custom_policy = hub_method_delete_custom_policy;
  /* Portal sessions kept by the hubs (issue 15) */
  t->portal_login = hub_method_portal_login;
  t->portal_session_check = hub_method_portal_session_check;
  t->list_my_sessions = hub_method_list_my_sessions;
  t->end_my_sessions = hub_method_end_my_sessions;
}

static void hub_handler_init(HubHandler *self) {}

GObject *hub_handler_new(Hub *hub) {
  HubHandler *h = g_object_new(HUB_TYPE_HANDLER, NULL);
  h->hub = hub;
  return G_OBJECT(h);
}

void hub_handler_describe_metrics(TgMetrics *m) {
  tg_metrics_describe(m, "tollgate_hub_calls_total", TG_METRIC_COUNTER, "Hub Thrift calls");
  tg_metrics_describe(m, "tollgate_hub_call_errors_total", TG_METRIC_COUNTER,
                      "Hub Thrift calls that failed");
  tg_metrics_describe(m, "tollgate_hub_call_seconds", TG_METRIC_HISTOGRAM,
                      "Hub Thrift call latency");
  tg_metrics_describe(m, "tollgate_hub_validation_cache_total", TG_METRIC_COUNTER,
                      "Validation cache lookups by result");
}
