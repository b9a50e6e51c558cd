/*
 * commands: every tollgatectl command in one table: its name, usage line,
 * options, positional argument count, whether it logs in, and its handler.
 * dispatch.c does what is common to all; `tollgatectl --help` prints the
 * rows in this order. A new command is one row here and its handler.
 */
#include "ctl.h"
#include "handlers.h"

#define S CTL_OPT_STRING
#define F CTL_OPT_FLAG
#define M CTL_OPT_MULTI

static const CtlOpt user_add_opts[] = {{"password", S}, {"role", M}, {NULL}};
static const CtlOpt api_create_opts[] = {{"name", S},
                                         {"context", S},
                                         {"version", S},
                                         {"endpoint", S},
                                         {"sandbox-endpoint", S},
                                         {"resource", M},
                                         {"tier", S},
                                         {"subscription-tiers", S},
                                         {"default-version", F},
                                         {"description", S},
                                         {"upstream-tls-verify", S},
                                         {"hard-limit", S},
                                         {"scope", M},
                                         {NULL}};
static const CtlOpt api_update_opts[] = {
    {"endpoint", S}, {"sandbox-endpoint", S}, {"upstream-tls-verify", S},
    {"scope", M},    {"no-scopes", F},        {NULL}};
static const CtlOpt app_create_opts[] = {{"owner", S},   {"tier", S},        {"callback", S},
                                         {"domains", S}, {"description", S}, {NULL}};
static const CtlOpt owner_opts[] = {{"owner", S}, {NULL}};
static const CtlOpt sub_target_opts[] = {{"app", S}, {"owner", S}, {"api", S}, {NULL}};
static const CtlOpt subscribe_opts[] = {{"app", S}, {"owner", S}, {"api", S}, {"tier", S}, {NULL}};
static const CtlOpt owner_app_opts[] = {{"owner", S}, {"app", S}, {NULL}};
static const CtlOpt keys_opts[] = {{"app", S},      {"owner", S}, {"type", S},
                                   {"validity", S}, {"scope", M}, {NULL}};
static const CtlOpt token_issue_opts[] = {
    {"app", S}, {"owner", S}, {"type", S}, {"validity", S}, {"scope", M}, {"end-user", S}, {NULL}};
static const CtlOpt token_revoke_opts[] = {{"id", S}, {"app", S}, {NULL}};
static const CtlOpt doc_add_opts[] = {{"api", S},     {"name", S}, {"type", S}, {"summary", S},
                                      {"content", S}, {"url", S},  {NULL}};
static const CtlOpt api_opts[] = {{"api", S}, {NULL}};
static const CtlOpt validate_opts[] = {{"api", S},  {"token", S},      {"resource", S},
                                       {"verb", S}, {"auth-level", S}, {"domain", S},
                                       {NULL}};
static const CtlOpt since_opts[] = {{"since", S}, {NULL}};
static const CtlOpt tier_add_opts[] = {{"level", S},     {"requests", S},
                                       {"unit", S},      {"bytes", S},
                                       {"burst", S},     {"description", S},
                                       {"fail-mode", S}, {"no-stop-on-quota", F},
                                       {"sliding", F},   {NULL}};
static const CtlOpt level_opts[] = {{"level", S}, {NULL}};
static const CtlOpt block_add_opts[] = {{"api", S}, {"app", S}, {"user", S}, {"ip", S}, {NULL}};
static const CtlOpt policy_add_opts[] = {{"key-by", S},      {"header", S},  {"requests", S},
                                         {"bytes", S},       {"unit", S},    {"api", S},
                                         {"description", S}, {"sliding", F}, {NULL}};

#define SUB_TARGET_USAGE "--app NAME [--owner USER] --api CONTEXT:VERSION"
#define SCOPE_USAGE      "[--scope \"NAME[ ROLE,ROLE|-[ DESCRIPTION]]\"]..."

/* group, verb, usage, options, positional min and max, logs in, check, run, constant */
const CtlCommand ctl_commands[] = {
    {"user", "add", "NAME [--password -|P] --role ROLE[,ROLE]", user_add_opts, 1, 1, TRUE,
     ctl_user_add_check, ctl_user_add, NULL},
    {"user", "list", "", NULL, 0, 0, TRUE, NULL, ctl_user_list, NULL},
    {"user", "delete", "NAME", NULL, 1, 1, TRUE, NULL, ctl_user_delete, NULL},
    {"user", "roles", "NAME ROLE[,ROLE]", NULL, 2, 2, TRUE, ctl_user_roles_check, ctl_user_roles,
     NULL},
    {"user", "passwd", "NAME [-|NEWPASS]", NULL, 1, 2, TRUE, ctl_user_passwd_check, ctl_user_passwd,
     NULL},

    {"api", "create",
     "--name N --context /ctx --version V --endpoint URL [--sandbox-endpoint URL]\n"
     "      --resource \"VERB /template[ AUTHTYPE[ TIER[ SCOPE]]]\"... [--tier T]\n"
     "      [--subscription-tiers Gold,Silver] [--default-version] [--description D]\n"
     "      [--upstream-tls-verify true|false] [--hard-limit N/second|N/minute]\n"
     "      " SCOPE_USAGE,
     api_create_opts, 0, 0, TRUE, ctl_api_create_check, ctl_api_create, NULL},
    {"api", "update",
     "CONTEXT VERSION [--endpoint URL] [--sandbox-endpoint URL] [--upstream-tls-verify "
     "true|false]\n"
     "      " SCOPE_USAGE " [--no-scopes]",
     api_update_opts, 1, 2, TRUE, ctl_api_update_check, ctl_api_update, NULL},
    {"api", "publish", "CONTEXT VERSION", NULL, 1, 2, TRUE, ctl_api_lifecycle_check,
     ctl_api_lifecycle, "PUBLISHED"},
    {"api", "lifecycle", "CONTEXT VERSION CREATED|PUBLISHED|DEPRECATED|RETIRED|BLOCKED", NULL, 1, 3,
     TRUE, ctl_api_lifecycle_check, ctl_api_lifecycle, NULL},
    {"api", "list", "", NULL, 0, 0, TRUE, NULL, ctl_api_list, NULL},
    {"api", "show", "CONTEXT VERSION", NULL, 1, 2, TRUE, ctl_api_ref_check, ctl_api_show, NULL},
    {"api", "delete", "CONTEXT VERSION", NULL, 1, 2, TRUE, ctl_api_ref_check, ctl_api_delete, NULL},
    {"api", "new-version", "CONTEXT VERSION NEWVERSION", NULL, 2, 3, TRUE,
     ctl_api_new_version_check, ctl_api_new_version, NULL},

    {"app", "create",
     "NAME [--owner USER] [--tier T] [--callback URL] [--domains a.com,b.com] [--description D]",
     app_create_opts, 1, 1, TRUE, ctl_app_create_check, ctl_app_create, NULL},
    {"app", "list", "[--owner USER]", owner_opts, 0, 0, TRUE, NULL, ctl_app_list, NULL},
    {"app", "delete", "NAME [--owner USER]", owner_opts, 1, 1, TRUE, NULL, ctl_app_delete, NULL},

    {"subscribe", NULL, SUB_TARGET_USAGE " --tier T", subscribe_opts, 0, 0, TRUE,
     ctl_subscribe_check, ctl_subscribe, NULL},
    {"unsubscribe", NULL, SUB_TARGET_USAGE, sub_target_opts, 0, 0, TRUE, ctl_sub_target_check,
     ctl_unsubscribe, NULL},
    {"subscription", "block", SUB_TARGET_USAGE, sub_target_opts, 0, 0, TRUE, ctl_sub_target_check,
     ctl_subscription_status, "BLOCKED"},
    {"subscription", "unblock", SUB_TARGET_USAGE, sub_target_opts, 0, 0, TRUE, ctl_sub_target_check,
     ctl_subscription_status, "UNBLOCKED"},
    {"subscription", "hold", SUB_TARGET_USAGE, sub_target_opts, 0, 0, TRUE, ctl_sub_target_check,
     ctl_subscription_status, "ON_HOLD"},
    {"subscription", "prod-only-block", SUB_TARGET_USAGE, sub_target_opts, 0, 0, TRUE,
     ctl_sub_target_check, ctl_subscription_status, "PROD_ONLY_BLOCKED"},
    {"subscription", "list", "[--owner USER] [--app NAME]", owner_app_opts, 0, 0, TRUE, NULL,
     ctl_subscription_list, NULL},

    {"keys", "generate",
     "--app NAME [--owner USER] [--type PRODUCTION|SANDBOX] [--validity SECONDS] [--scope S]...",
     keys_opts, 0, 0, TRUE, ctl_key_request_check, ctl_keys_generate, NULL},

    {"token", "issue",
     "--app NAME [--owner USER] [--type T] [--validity S] [--scope S]... [--end-user U]",
     token_issue_opts, 0, 0, TRUE, ctl_key_request_check, ctl_token_issue, NULL},
    {"token", "revoke", "TOKEN|- | --id N --app [OWNER:]NAME", token_revoke_opts, 0, 1, TRUE,
     ctl_token_revoke_check, ctl_token_revoke, NULL},
    {"token", "list", "--app NAME [--owner USER]", owner_app_opts, 0, 0, TRUE, ctl_token_list_check,
     ctl_token_list, NULL},

    {"doc", "add",
     "--api CONTEXT:VERSION --name N --type HOWTO|SAMPLES|... [--summary S]\n"
     "      (--content TEXT | --url URL)",
     doc_add_opts, 0, 0, TRUE, ctl_doc_add_check, ctl_doc_add, NULL},
    {"doc", "list", "--api CONTEXT:VERSION", api_opts, 0, 0, TRUE, ctl_doc_list_check, ctl_doc_list,
     NULL},
    {"doc", "delete", "ID", NULL, 1, 1, TRUE, ctl_doc_delete_check, ctl_doc_delete, NULL},

    {"validate", NULL,
     "--api CONTEXT:VERSION --token T --resource /x --verb GET [--auth-level Any] [--domain D]",
     validate_opts, 0, 0, TRUE, ctl_validate_check, ctl_validate, NULL},
    {"gateway-config", NULL, "[--since REV]", since_opts, 0, 0, TRUE, ctl_gateway_config_check,
     ctl_gateway_config, NULL},
    {"login", NULL, "", NULL, 0, 0, TRUE, NULL, ctl_login, NULL},

    {"tier", "add",
     "NAME --level subscription|application|api|resource --requests N\n"
     "      --unit second|minute|hour|day [--bytes N] [--burst N/second|N/minute]\n"
     "      [--no-stop-on-quota] [--sliding] [--fail-mode static|closed|open] [--description D]",
     tier_add_opts, 1, 1, TRUE, ctl_tier_add_check, ctl_tier_add, NULL},
    {"tier", "list", "", NULL, 0, 0, TRUE, NULL, ctl_tier_list, NULL},
    {"tiers", NULL, "", NULL, 0, 0, TRUE, NULL, ctl_tier_list, NULL},
    {"tier", "show", "NAME [--level L]", level_opts, 1, 1, TRUE, NULL, ctl_tier_show, NULL},
    {"tier", "delete", "NAME [--level L]", level_opts, 1, 1, TRUE, NULL, ctl_tier_delete, NULL},
    {"block", "add", "--api /ctx:VERSION | --app OWNER:NAME | --user NAME | --ip ADDR[/PREFIX]",
     block_add_opts, 0, 0, TRUE, ctl_block_add_check, ctl_block_add, NULL},
    {"block", "list", "", NULL, 0, 0, TRUE, NULL, ctl_block_list, NULL},
    {"block", "delete", "ID", NULL, 1, 1, TRUE, ctl_block_delete_check, ctl_block_delete, NULL},
    {"policy", "add",
     "NAME --key-by user|application|api|ip|header [--header NAME]\n"
     "      [--requests N] [--bytes N] --unit second|minute|hour|day [--sliding]\n"
     "      [--api /CONTEXT] [--description D]",
     policy_add_opts, 1, 1, TRUE, ctl_policy_add_check, ctl_policy_add, NULL},
    {"policy", "list", "", NULL, 0, 0, TRUE, NULL, ctl_policy_list, NULL},
    {"policy", "delete", "ID", NULL, 1, 1, TRUE, ctl_block_delete_check, ctl_policy_delete, NULL},
    {NULL},
};
