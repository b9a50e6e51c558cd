/*
 * cmd_api: `tollgatectl api ...`: creating APIs, their lifecycle and versions (publisher or
 * admin on the hub side). An API is named by context and version, as two words (/pizza
 * 1.0.0) or one (/pizza:1.0.0). Details: docs/HACKING.md.
 */
#include <string.h>

#include "handlers.h"
#include "output.h"

static gboolean wrong_count(GError **error, gboolean missing) {
  return ctl_usage_error(error, "%s arguments", missing ? "missing" : "too many");
}

/*
 * The API named at pos[0] ("CONTEXT:VERSION" or "CONTEXT VERSION"), followed by
 * exactly `extra` more arguments, whose index is returned in *rest.
 */
static gboolean api_ref_args(GPtrArray *pos, guint extra, char **context, char **version,
                             guint *rest, GError **error) {
  if (pos->len == 0) return wrong_count(error, TRUE);
  const char *first = pos->pdata[0];
  *rest = strchr(first, ':') ? 1 : 2;
  if (pos->len != *rest + extra) return wrong_count(error, pos->len < *rest + extra);
  if (*rest == 1) return ctl_split_api_ref(first, context, version, error);
  *context = ctl_normalize_context(first, error);
  *version = *context ? g_strdup(pos->pdata[1]) : NULL;
  return *context != NULL;
}

static TgResource *resource_from_spec(const char *text, GError **error) {
  g_autoptr(CtlResourceSpec) spec = ctl_parse_resource_spec(text, error);
  if (!spec) return NULL;
  TgResource *r = g_object_new(TG_TYPE_RESOURCE, "verb", spec->verb, "uriTemplate",
                               spec->uri_template, "authType", spec->auth_type, "throttlingTier",
                               spec->tier, "scope", spec->scope, NULL);
  return r;
}

/* --upstream-tls-verify true|false onto api (NULL: left unset, the hub keeps or defaults it). */
static gboolean set_tls_verify(TgApi *api, const char *value, GError **error) {
  if (!value) return TRUE;
  if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0) {
    g_set_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID,
                "--upstream-tls-verify takes true or false");
    return FALSE;
  }
  g_object_set(api, "upstreamTlsVerify", !strcmp(value, "true"), NULL);
  return TRUE;
}

/* --scope "NAME[ ROLE,ROLE|-[ DESCRIPTION...]]": the roles allowed to hold NAME ("-" or
   none: anyone); the hub checks the name and the roles. */
static TgApiScope *scope_from_spec(const char *text, GError **error) {
  g_auto(GStrv) words = g_strsplit(text ? text : "", " ", 3);
  if (!words[0] || !*words[0]) {
    g_set_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID,
                "--scope needs \"NAME[ ROLE,ROLE|-[ DESCRIPTION]]\"");
    return NULL;
  }
  TgApiScope *scope = g_object_new(TG_TYPE_API_SCOPE, "name", words[0], NULL);
  if (words[1] && words[2]) g_object_set(scope, "description", words[2], NULL);
  g_auto(GStrv) roles = words[1] && strcmp(words[1], "-") ? g_strsplit(words[1], ",", -1) : NULL;
  for (guint i = 0; roles && roles[i]; i++)
    if (*roles[i]) g_ptr_array_add(scope->roles, g_strdup(roles[i]));
  scope->__isset_roles = TRUE;
  return scope;
}

/* Api.scopes from the --scope values (NULL: none given, the field stays unset). */
static gboolean scopes_from_specs(TgApi *api, const GPtrArray *specs, GError **error) {
  for (guint i = 0; specs && i < specs->len; i++) {
    TgApiScope *scope = scope_from_spec(specs->pdata[i], error);
    if (!scope) return FALSE;
    g_ptr_array_add(api->scopes, scope);
  }
  api->__isset_scopes = specs != NULL;
  return TRUE;
}

/* The Api of `api create`, or NULL with a usage error. */
static TgApi *api_from_args(const CtlCall *c, GError **error) {
  const char *name = ctl_opt(c, "name"), *context_arg = ctl_opt(c, "context");
  const char *version = ctl_opt(c, "version"), *endpoint = ctl_opt(c, "endpoint");
  const char *sub_tiers_arg = ctl_opt(c, "subscription-tiers");
  GPtrArray *resources = ctl_multi(c, "resource");
  if (!name || !context_arg || !version || !endpoint || !resources) {
    ctl_usage_error(
        error, "--name, --context, --version, --endpoint and at least one --resource are needed");
    return NULL;
  }
  g_autofree char *context = ctl_normalize_context(context_arg, error);
  g_autoptr(GPtrArray) sub_tiers = sub_tiers_arg ? ctl_split_list(sub_tiers_arg, error) : NULL;
  if (!context || (sub_tiers_arg && !sub_tiers)) return NULL;
  g_autoptr(TgApi) api = g_object_new(TG_TYPE_API, "name", name, "context", context, "version",
                                      version, "productionEndpoint", endpoint, NULL);
  ctl_set_string(api, "sandboxEndpoint", ctl_opt(c, "sandbox-endpoint"));
  ctl_set_string(api, "apiTier", ctl_opt(c, "tier"));
  ctl_set_string(api, "description", ctl_opt(c, "description"));
  ctl_set_string(api, "hardLimit", ctl_opt(c, "hard-limit"));
  if (ctl_flag(c, "default-version")) g_object_set(api, "isDefaultVersion", TRUE, NULL);
  if (!set_tls_verify(api, ctl_opt(c, "upstream-tls-verify"), error)) return NULL;
  for (guint i = 0; i < resources->len; i++) {
    TgResource *r = resource_from_spec(resources->pdata[i], error);
    if (!r) return NULL;
    g_ptr_array_add(api->resources, r);
  }
  api->__isset_resources = TRUE;
  ctl_copy_strings(api->subscriptionTiers, sub_tiers);
  api->__isset_subscriptionTiers = sub_tiers != NULL;
  if (!scopes_from_specs(api, ctl_multi(c, "scope"), error)) return NULL;
  return g_steal_pointer(&api);
}

gboolean ctl_api_create_check(CtlCall *c) {
  c->request = G_OBJECT(api_from_args(c, &c->error));
  return c->request != NULL;
}

gboolean ctl_api_create(CtlCall *c) {
  g_autoptr(TgApi) created = g_object_new(TG_TYPE_API, NULL);
  return tg_tollgate_if_create_api(c->hub, &created, c->session, TG_API(c->request), &c->tex,
                                   &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_api, created);
}

/* api update: endpoints, TLS verification and declared scopes; what is not given stays as it
   is (--scope ... replaces every declared scope, --no-scopes clears them). */
gboolean ctl_api_update_check(CtlCall *c) {
  GPtrArray *scopes = ctl_multi(c, "scope");
  gboolean none = ctl_flag(c, "no-scopes");
  guint rest = 0;
  if (!api_ref_args(c->pos, 0, &c->context, &c->version, &rest, &c->error)) return FALSE;
  g_autoptr(TgApi) change =
      g_object_new(TG_TYPE_API, "context", c->context, "version", c->version, NULL);
  ctl_set_string(change, "productionEndpoint", ctl_opt(c, "endpoint"));
  ctl_set_string(change, "sandboxEndpoint", ctl_opt(c, "sandbox-endpoint"));
  if (!set_tls_verify(change, ctl_opt(c, "upstream-tls-verify"), &c->error)) return FALSE;
  if (scopes && none) return ctl_usage_error(&c->error, "--scope or --no-scopes, not both");
  if (!scopes_from_specs(change, scopes, &c->error)) return FALSE;
  if (none) change->__isset_scopes = TRUE;
  c->request = G_OBJECT(g_steal_pointer(&change));
  return TRUE;
}

gboolean ctl_api_update(CtlCall *c) {
  g_autoptr(TgApi) updated = g_object_new(TG_TYPE_API, NULL);
  return tg_tollgate_if_update_api(c->hub, &updated, c->session, TG_API(c->request), &c->tex,
                                   &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_api, updated);
}

/* api publish / lifecycle: cmd->arg is the state, or NULL when it is the last argument. */
gboolean ctl_api_lifecycle_check(CtlCall *c) {
  guint rest = 0, extra = c->cmd->arg ? 0 : 1;
  if (!api_ref_args(c->pos, extra, &c->context, &c->version, &rest, &c->error)) return FALSE;
  c->text = g_ascii_strup(c->cmd->arg ? c->cmd->arg : c->pos->pdata[rest], -1);
  return TRUE;
}

gboolean ctl_api_lifecycle(CtlCall *c) {
  g_autoptr(TgApi) api = g_object_new(TG_TYPE_API, NULL);
  return tg_tollgate_if_set_api_lifecycle(c->hub, &api, c->session, c->context, c->version, c->text,
                                          &c->tex, &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_api, api);
}

gboolean ctl_api_list(CtlCall *c) {
  g_autoptr(GPtrArray) apis = ctl_object_list();
  return tg_tollgate_if_list_apis(c->hub, &apis, c->session, &c->tex, &c->error) &&
         ctl_print_list(c->ctl, &ctl_shape_api, apis);
}

/* CONTEXT VERSION (or CONTEXT:VERSION) and nothing more. */
gboolean ctl_api_ref_check(CtlCall *c) {
  guint rest = 0;
  return api_ref_args(c->pos, 0, &c->context, &c->version, &rest, &c->error);
}

gboolean ctl_api_show(CtlCall *c) {
  g_autoptr(TgApi) api = g_object_new(TG_TYPE_API, NULL);
  return tg_tollgate_if_get_api(c->hub, &api, c->session, c->context, c->version, &c->tex,
                                &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_api, api);
}

gboolean ctl_api_delete(CtlCall *c) {
  return tg_tollgate_if_delete_api(c->hub, c->session, c->context, c->version, &c->tex,
                                   &c->error) &&
         ctl_print_done(c->ctl, "deleted API %s:%s", c->context, c->version);
}

gboolean ctl_api_new_version_check(CtlCall *c) {
  guint rest = 0;
  if (!api_ref_args(c->pos, 1, &c->context, &c->version, &rest, &c->error)) return FALSE;
  c->text = g_strdup(c->pos->pdata[rest]);
  return TRUE;
}

gboolean ctl_api_new_version(CtlCall *c) {
  g_autoptr(TgApi) api = g_object_new(TG_TYPE_API, NULL);
  return tg_tollgate_if_create_new_version(c->hub, &api, c->session, c->context, c->version,
                                           c->text, &c->tex, &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_api, api);
}
