/*
 * handlers: the check and run functions of the cmd_*.c files, which the one
 * command table in commands.c names. A check turns options into a request
 * without the network; a run calls the hub and prints (see CtlCheck, CtlRun).
 */
#ifndef CTL_HANDLERS_H
#define CTL_HANDLERS_H

#include "ctl.h"

/* cmd_user.c */
gboolean ctl_user_add_check(CtlCall *c);
gboolean ctl_user_add(CtlCall *c);
gboolean ctl_user_list(CtlCall *c);
gboolean ctl_user_delete(CtlCall *c);
gboolean ctl_user_roles_check(CtlCall *c);
gboolean ctl_user_roles(CtlCall *c);
gboolean ctl_user_passwd_check(CtlCall *c);
gboolean ctl_user_passwd(CtlCall *c);

/* cmd_api.c */
gboolean ctl_api_create_check(CtlCall *c);
gboolean ctl_api_create(CtlCall *c);
gboolean ctl_api_update_check(CtlCall *c);
gboolean ctl_api_update(CtlCall *c);
gboolean ctl_api_lifecycle_check(CtlCall *c);
gboolean ctl_api_lifecycle(CtlCall *c);
gboolean ctl_api_list(CtlCall *c);
gboolean ctl_api_ref_check(CtlCall *c);
gboolean ctl_api_show(CtlCall *c);
gboolean ctl_api_delete(CtlCall *c);
gboolean ctl_api_new_version_check(CtlCall *c);
gboolean ctl_api_new_version(CtlCall *c);

/* cmd_app.c */
gboolean ctl_app_create_check(CtlCall *c);
gboolean ctl_app_create(CtlCall *c);
gboolean ctl_app_list(CtlCall *c);
gboolean ctl_app_delete(CtlCall *c);

/* cmd_subscription.c */
gboolean ctl_subscribe_check(CtlCall *c);
gboolean ctl_subscribe(CtlCall *c);
gboolean ctl_sub_target_check(CtlCall *c);
gboolean ctl_unsubscribe(CtlCall *c);
gboolean ctl_subscription_status(CtlCall *c);
gboolean ctl_subscription_list(CtlCall *c);

/* cmd_keys.c (ctl_key_request_check: also `token issue`'s) */
gboolean ctl_key_request_check(CtlCall *c);
gboolean ctl_keys_generate(CtlCall *c);

/* cmd_token.c */
gboolean ctl_token_issue(CtlCall *c);
gboolean ctl_token_revoke_check(CtlCall *c);
gboolean ctl_token_revoke(CtlCall *c);
gboolean ctl_token_list_check(CtlCall *c);
gboolean ctl_token_list(CtlCall *c);

/* cmd_doc.c */
gboolean ctl_doc_add_check(CtlCall *c);
gboolean ctl_doc_add(CtlCall *c);
gboolean ctl_doc_list_check(CtlCall *c);
gboolean ctl_doc_list(CtlCall *c);
gboolean ctl_doc_delete_check(CtlCall *c);
gboolean ctl_doc_delete(CtlCall *c);

/* cmd_misc.c */
gboolean ctl_validate_check(CtlCall *c);
gboolean ctl_validate(CtlCall *c);
gboolean ctl_gateway_config_check(CtlCall *c);
gboolean ctl_gateway_config(CtlCall *c);
gboolean ctl_login(CtlCall *c);

/* cmd_traffic.c */
gboolean ctl_tier_add_check(CtlCall *c);
gboolean ctl_tier_add(CtlCall *c);
gboolean ctl_tier_list(CtlCall *c);
gboolean ctl_tier_show(CtlCall *c);
gboolean ctl_tier_delete(CtlCall *c);
gboolean ctl_block_add_check(CtlCall *c);
gboolean ctl_block_add(CtlCall *c);
gboolean ctl_block_list(CtlCall *c);
gboolean ctl_block_delete_check(CtlCall *c);
gboolean ctl_block_delete(CtlCall *c);
gboolean ctl_policy_add_check(CtlCall *c);
gboolean ctl_policy_add(CtlCall *c);
gboolean ctl_policy_list(CtlCall *c);
gboolean ctl_policy_delete(CtlCall *c);

#endif
