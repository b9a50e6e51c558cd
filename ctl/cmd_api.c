/*
 * cmd_api: `tollgatectl api ...` and `tollgatectl tiers`: creating APIs,
 * their lifecycle and versions (publisher or admin on the hub side).
 *
 * An API is named by context and version; every command here takes them
 * either as two words (/pizza 1.0.0) or as one (/pizza:1.0.0), like --api.
 * --upstream-tls-verify false (create, update) lets the gateways skip the
 * certificate check of the API's HTTPS backends; they log a warning for it.
 */
#include <string.h>

#include "ctl.h"
#include "output.h"

static gboolean wrong_count(GError **error, gboolean missing) {
  g_set_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID, "%s arguments",
              missing ? "missing" : "too many");
  return FALSE;
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

typedef struct {
  const char *name, *context, *version, *endpoint, *sandbox, *tier, *sub_tiers, *description;
  const char *tls_verify;
  const char *hard_limit;
  gboolean default_version;
  GPtrArray *resources; /* --resource values */
  GPtrArray *scopes;    /* --scope values */
} ApiCreateArgs;

/* The Api to send, or NULL with a usage error. */
static TgApi *api_from_args(const ApiCreateArgs *a, GError **error) {
  if (!a->name || !a->context || !a->version || !a->endpoint || !a->resources) {
    g_set_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID,
                "--name, --context, --version, --endpoint and at least one --resource are needed");
    return NULL;
  }
  g_autofree char *context = ctl_normalize_context(a->context, error);
  g_autoptr(GPtrArray) sub_tiers = a->sub_tiers ? ctl_split_list(a->sub_tiers, error) : NULL;
  if (!context || (a->sub_tiers && !sub_tiers)) return NULL;
  g_autoptr(TgApi) api = g_object_new(TG_TYPE_API, "name", a->name, "context", context, "version",
                                      a->version, "productionEndpoint", a->endpoint, NULL);
  ctl_set_string(api, "sandboxEndpoint", a->sandbox);
  ctl_set_string(api, "apiTier", a->tier);
  ctl_set_string(api, "description", a->description);
  ctl_set_string(api, "hardLimit", a->hard_limit);
  if (a->default_version) g_object_set(api, "isDefaultVersion", TRUE, NULL);
  if (!set_tls_verify(api, a->tls_verify, error)) return NULL;
  for (guint i = 0; i < a->resources->len; i++) {
    TgResource *r = resource_from_spec(a->resources->pdata[i], error);
    if (!r) return NULL;
    g_ptr_array_add(api->resources, r);
  }
  api->__isset_resources = TRUE;
  ctl_copy_strings(api->subscriptionTiers, sub_tiers);
  api->__isset_subscriptionTiers = sub_tiers != NULL;
  if (!scopes_from_specs(api, a->scopes, error)) return NULL;
  return g_steal_pointer(&api);
}

static int api_create(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  ApiCreateArgs a = {0};
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {
      {"name", CTL_OPT_STRING, &a.name},
      {"context", CTL_OPT_STRING, &a.context},
      {"version", CTL_OPT_STRING, &a.version},
      {"endpoint", CTL_OPT_STRING, &a.endpoint},
      {"sandbox-endpoint", CTL_OPT_STRING, &a.sandbox},
      {"resource", CTL_OPT_MULTI, &a.resources},
      {"tier", CTL_OPT_STRING, &a.tier},
      {"subscription-tiers", CTL_OPT_STRING, &a.sub_tiers},
      {"default-version", CTL_OPT_FLAG, &a.default_version},
      {"description", CTL_OPT_STRING, &a.description},
      {"upstream-tls-verify", CTL_OPT_STRING, &a.tls_verify},
      {"hard-limit", CTL_OPT_STRING, &a.hard_limit},
      {"scope", CTL_OPT_MULTI, &a.scopes},
      {NULL},
  };
  gboolean parsed = ctl_parse(ctl, cmd, opts, argc, argv, 0, 0, &pos);
  g_autoptr(GPtrArray) resources = a.resources; /* freed on every path */
  g_autoptr(GPtrArray) scopes = a.scopes;
  if (!parsed) return ctl->parse_status;
  g_autoptr(TgApi) api = api_from_args(&a, &error);
  if (!api) return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgApi) created = g_object_new(TG_TYPE_API, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_create_api(hub, &created, ctl_session(ctl), api, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_api, created);
}

/* api update: the endpoints and the backend certificate check of one API. */
/* api update: endpoints, TLS verification and declared scopes; what is not given stays as it
   is (--scope ... replaces every declared scope, --no-scopes clears them). */
static int api_update(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  const char *endpoint = NULL, *sandbox = NULL, *tls_verify = NULL;
  g_autoptr(GPtrArray) pos = NULL;
  g_autofree char *context = NULL, *version = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *specs = NULL;
  gboolean none = FALSE;
  guint rest = 0;
  const CtlOpt opts[] = {
      {"endpoint", CTL_OPT_STRING, &endpoint},
      {"sandbox-endpoint", CTL_OPT_STRING, &sandbox},
      {"upstream-tls-verify", CTL_OPT_STRING, &tls_verify},
      {"scope", CTL_OPT_MULTI, &specs},
      {"no-scopes", CTL_OPT_FLAG, &none},
      {NULL},
  };
  gboolean parsed = ctl_parse(ctl, cmd, opts, argc, argv, 1, 2, &pos);
  g_autoptr(GPtrArray) scopes = specs;
  if (!parsed) return ctl->parse_status;
  if (!api_ref_args(pos, 0, &context, &version, &rest, &error))
    return ctl_usage_failed(ctl, cmd, error);
  g_autoptr(TgApi) change = g_object_new(TG_TYPE_API, "context", context, "version", version, NULL);
  ctl_set_string(change, "productionEndpoint", endpoint);
  ctl_set_string(change, "sandboxEndpoint", sandbox);
  if (!set_tls_verify(change, tls_verify, &error)) return ctl_usage_failed(ctl, cmd, error);
  if (scopes && none) {
    g_set_error(&error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID, "--scope or --no-scopes, not both");
    return ctl_usage_failed(ctl, cmd, error);
  }
  if (!scopes_from_specs(change, scopes, &error)) return ctl_usage_failed(ctl, cmd, error);
  if (none) change->__isset_scopes = TRUE;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgApi) updated = g_object_new(TG_TYPE_API, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_update_api(hub, &updated, ctl_session(ctl), change, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_api, updated);
}

/* api publish / lifecycle: cmd->arg is the state, or NULL when it is the last argument. */
static int api_lifecycle(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  g_autofree char *context = NULL, *version = NULL, *state = NULL;
  g_autoptr(GError) error = NULL;
  guint rest = 0, extra = cmd->arg ? 0 : 1;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 1, 2 + extra, &pos)) return ctl->parse_status;
  if (!api_ref_args(pos, extra, &context, &version, &rest, &error))
    return ctl_usage_failed(ctl, cmd, error);
  state = g_ascii_strup(cmd->arg ? cmd->arg : pos->pdata[rest], -1);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgApi) api = g_object_new(TG_TYPE_API, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_set_api_lifecycle(hub, &api, ctl_session(ctl), context, version, state, &tex,
                                        &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_api, api);
}

static int api_list(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(GPtrArray) apis = ctl_object_list();
  g_autoptr(TgTollgateException) tex = NULL;
  g_autoptr(GError) error = NULL;
  if (!tg_tollgate_if_list_apis(hub, &apis, ctl_session(ctl), &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_list(ctl, &ctl_shape_api, apis);
}

static int api_show(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  g_autofree char *context = NULL, *version = NULL;
  g_autoptr(GError) error = NULL;
  guint rest = 0;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 1, 2, &pos)) return ctl->parse_status;
  if (!api_ref_args(pos, 0, &context, &version, &rest, &error))
    return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgApi) api = g_object_new(TG_TYPE_API, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_get_api(hub, &api, ctl_session(ctl), context, version, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_api, api);
}

static int api_delete(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  g_autofree char *context = NULL, *version = NULL;
  g_autoptr(GError) error = NULL;
  guint rest = 0;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 1, 2, &pos)) return ctl->parse_status;
  if (!api_ref_args(pos, 0, &context, &version, &rest, &error))
    return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_delete_api(hub, ctl_session(ctl), context, version, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_done(ctl, "deleted API %s:%s", context, version);
}

static int api_new_version(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  g_autofree char *context = NULL, *version = NULL;
  g_autoptr(GError) error = NULL;
  guint rest = 0;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 2, 3, &pos)) return ctl->parse_status;
  if (!api_ref_args(pos, 1, &context, &version, &rest, &error))
    return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgApi) api = g_object_new(TG_TYPE_API, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_create_new_version(hub, &api, ctl_session(ctl), context, version,
                                         pos->pdata[rest], &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_api, api);
}

const CtlCommand ctl_api_commands[] = {
    {"api", "create", api_create,
     "--name N --context /ctx --version V --endpoint URL [--sandbox-endpoint URL]\n"
     "      --resource \"VERB /template[ AUTHTYPE[ TIER[ SCOPE]]]\"... [--tier T]\n"
     "      [--subscription-tiers Gold,Silver] [--default-version] [--description D]\n"
     "      [--upstream-tls-verify true|false] [--hard-limit N/second|N/minute]\n"
     "      [--scope \"NAME[ ROLE,ROLE|-[ DESCRIPTION]]\"]...",
     NULL},
    {"api", "update", api_update,
     "CONTEXT VERSION [--endpoint URL] [--sandbox-endpoint URL] [--upstream-tls-verify true|false]\n"
     "      [--scope \"NAME[ ROLE,ROLE|-[ DESCRIPTION]]\"]... [--no-scopes]",
     NULL},
    {"api", "publish", api_lifecycle, "CONTEXT VERSION", "PUBLISHED"},
    {"api", "lifecycle", api_lifecycle,
     "CONTEXT VERSION CREATED|PUBLISHED|DEPRECATED|RETIRED|BLOCKED", NULL},
    {"api", "list", api_list, "", NULL},
    {"api", "show", api_show, "CONTEXT VERSION", NULL},
    {"api", "delete", api_delete, "CONTEXT VERSION", NULL},
    {"api", "new-version", api_new_version, "CONTEXT VERSION NEWVERSION", NULL},
    {NULL},
};
