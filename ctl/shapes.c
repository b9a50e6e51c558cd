/*
 * shapes: the field tables that tell output.c how to print each result type
 * of the hub (see output.h). JSON keys are snake_case; the columns lists say
 * what a text table shows. Secrets appear only where the hub hands them out
 * once (a KeySet); the validation DTO's endUserToken is left out on purpose.
 */
#include "output.h"

#define F(type, key, kind, member) \
  { key, kind, G_STRUCT_OFFSET(type, member), NULL }
#define N(type, key, member, shape) \
  { key, CTL_F_OBJV, G_STRUCT_OFFSET(type, member), &shape }

static const CtlField user_fields[] = {F(TgUser, "name", CTL_F_STR, name),
                                       F(TgUser, "roles", CTL_F_STRV, roles),
                                       F(TgUser, "created_at", CTL_F_TIME, createdAt),
                                       {NULL}};
static const char *const user_columns[] = {"name", "roles", "created_at", NULL};
const CtlShape ctl_shape_user = {user_fields, user_columns};

static const CtlField resource_fields[] = {
    F(TgResource, "verb", CTL_F_STR, verb),
    F(TgResource, "uri_template", CTL_F_STR, uriTemplate),
    F(TgResource, "auth_type", CTL_F_STR, authType),
    F(TgResource, "throttling_tier", CTL_F_STR, throttlingTier),
    F(TgResource, "scope", CTL_F_STR, scope),
    {NULL}};
static const char *const resource_columns[] = {
    "verb", "uri_template", "auth_type", "throttling_tier", "scope", NULL};
const CtlShape ctl_shape_resource = {resource_fields, resource_columns};

static const CtlField api_fields[] = {
    F(TgApi, "id", CTL_F_I64, id),
    F(TgApi, "name", CTL_F_STR, name),
    F(TgApi, "context", CTL_F_STR, context),
    F(TgApi, "version", CTL_F_STR, version),
    F(TgApi, "provider", CTL_F_STR, provider),
    F(TgApi, "status", CTL_F_STR, status),
    F(TgApi, "production_endpoint", CTL_F_STR, productionEndpoint),
    F(TgApi, "sandbox_endpoint", CTL_F_STR, sandboxEndpoint),
    F(TgApi, "api_tier", CTL_F_STR, apiTier),
    F(TgApi, "hard_limit", CTL_F_STR, hardLimit),
    F(TgApi, "is_default_version", CTL_F_BOOL, isDefaultVersion),
    F(TgApi, "upstream_tls_verify", CTL_F_BOOL, upstreamTlsVerify),
    F(TgApi, "description", CTL_F_STR, description),
    F(TgApi, "subscription_tiers", CTL_F_STRV, subscriptionTiers),
    F(TgApi, "updated_at", CTL_F_TIME, updatedAt),
    N(TgApi, "resources", resources, ctl_shape_resource),
    {NULL}};
static const char *const api_columns[] = {
    "context", "version", "name", "status", "provider", "production_endpoint", NULL};
const CtlShape ctl_shape_api = {api_fields, api_columns};

static const CtlField application_fields[] = {
    F(TgApplication, "id", CTL_F_I64, id),
    F(TgApplication, "name", CTL_F_STR, name),
    F(TgApplication, "owner", CTL_F_STR, owner),
    F(TgApplication, "tier", CTL_F_STR, tier),
    F(TgApplication, "callback_url", CTL_F_STR, callbackUrl),
    F(TgApplication, "allowed_domains", CTL_F_STRV, allowedDomains),
    F(TgApplication, "description", CTL_F_STR, description),
    F(TgApplication, "created_at", CTL_F_TIME, createdAt),
    {NULL}};
static const char *const application_columns[] = {"id", "name", "owner", "tier", "allowed_domains",
                                                  NULL};
const CtlShape ctl_shape_application = {application_fields, application_columns};

static const CtlField subscription_fields[] = {
    F(TgSubscription, "id", CTL_F_I64, id),
    F(TgSubscription, "application_name", CTL_F_STR, applicationName),
    F(TgSubscription, "application_owner", CTL_F_STR, applicationOwner),
    F(TgSubscription, "api_context", CTL_F_STR, apiContext),
    F(TgSubscription, "api_version", CTL_F_STR, apiVersion),
    F(TgSubscription, "api_name", CTL_F_STR, apiName),
    F(TgSubscription, "tier", CTL_F_STR, tier),
    F(TgSubscription, "status", CTL_F_STR, status),
    F(TgSubscription, "created_at", CTL_F_TIME, createdAt),
    {NULL}};
static const char *const subscription_columns[] = {
    "application_name", "application_owner", "api_context", "api_version", "tier", "status", NULL};
const CtlShape ctl_shape_subscription = {subscription_fields, subscription_columns};

static const CtlField key_set_fields[] = {F(TgKeySet, "consumer_key", CTL_F_STR, consumerKey),
                                          F(TgKeySet, "consumer_secret", CTL_F_STR, consumerSecret),
                                          F(TgKeySet, "access_token", CTL_F_STR, accessToken),
                                          F(TgKeySet, "refresh_token", CTL_F_STR, refreshToken),
                                          F(TgKeySet, "expires_in", CTL_F_I64, expiresIn),
                                          F(TgKeySet, "key_type", CTL_F_STR, keyType),
                                          F(TgKeySet, "scopes", CTL_F_STRV, scopes),
                                          {NULL}};
static const char *const key_set_columns[] = {"consumer_key", "key_type", "expires_in", NULL};
const CtlShape ctl_shape_key_set = {key_set_fields, key_set_columns};

static const CtlField token_info_fields[] = {
    F(TgTokenInfo, "id", CTL_F_I64, id),
    F(TgTokenInfo, "token_hash_prefix", CTL_F_STR, tokenHashPrefix),
    F(TgTokenInfo, "key_type", CTL_F_STR, keyType),
    F(TgTokenInfo, "status", CTL_F_STR, status),
    F(TgTokenInfo, "issued_at", CTL_F_TIME, issuedAt),
    F(TgTokenInfo, "validity_period", CTL_F_I64, validityPeriod),
    F(TgTokenInfo, "end_user_name", CTL_F_STR, endUserName),
    F(TgTokenInfo, "application_name", CTL_F_STR, applicationName),
    F(TgTokenInfo, "consumer_key", CTL_F_STR, consumerKey),
    F(TgTokenInfo, "scopes", CTL_F_STRV, scopes),
    {NULL}};
static const char *const token_info_columns[] = {
    "id",        "token_hash_prefix", "key_type",      "status",
    "issued_at", "validity_period",   "end_user_name", NULL};
const CtlShape ctl_shape_token_info = {token_info_fields, token_info_columns};

static const CtlField tier_fields[] = {
    F(TgTier, "name", CTL_F_STR, name),
    F(TgTier, "level", CTL_F_STR, level),
    F(TgTier, "request_count", CTL_F_I64, requestCount),
    F(TgTier, "unit_time", CTL_F_I64, unitTime),
    F(TgTier, "stop_on_quota_reach", CTL_F_BOOL, stopOnQuotaReach),
    F(TgTier, "description", CTL_F_STR, description),
    F(TgTier, "bytes_count", CTL_F_I64, bytesCount),
    F(TgTier, "burst_count", CTL_F_I64, burstCount),
    F(TgTier, "burst_unit_time", CTL_F_I64, burstUnitTime),
    F(TgTier, "sliding", CTL_F_BOOL, sliding),
    F(TgTier, "fail_mode", CTL_F_STR, failMode),
    {NULL}};
static const char *const tier_columns[] = {
    "level", "name", "request_count", "unit_time", "stop_on_quota_reach", "description", NULL};
const CtlShape ctl_shape_tier = {tier_fields, tier_columns};

static const CtlField block_condition_fields[] = {
    F(TgBlockCondition, "id", CTL_F_I64, id),
    F(TgBlockCondition, "kind", CTL_F_STR, kind),
    F(TgBlockCondition, "value", CTL_F_STR, value),
    F(TgBlockCondition, "created_at", CTL_F_TIME, createdAt),
    {NULL}};
static const char *const block_condition_columns[] = {"id", "kind", "value", "created_at", NULL};
const CtlShape ctl_shape_block_condition = {block_condition_fields, block_condition_columns};

static const CtlField custom_policy_fields[] = {
    F(TgCustomPolicy, "id", CTL_F_I64, id),
    F(TgCustomPolicy, "name", CTL_F_STR, name),
    F(TgCustomPolicy, "key_by", CTL_F_STR, keyBy),
    F(TgCustomPolicy, "header_name", CTL_F_STR, headerName),
    F(TgCustomPolicy, "request_count", CTL_F_I64, requestCount),
    F(TgCustomPolicy, "bytes_count", CTL_F_I64, bytesCount),
    F(TgCustomPolicy, "unit_time", CTL_F_I64, unitTime),
    F(TgCustomPolicy, "sliding", CTL_F_BOOL, sliding),
    F(TgCustomPolicy, "api_context", CTL_F_STR, apiContext),
    F(TgCustomPolicy, "description", CTL_F_STR, description),
    F(TgCustomPolicy, "created_at", CTL_F_TIME, createdAt),
    {NULL}};
static const char *const custom_policy_columns[] = {
    "id", "name", "key_by", "request_count", "bytes_count", "unit_time", "api_context", NULL};
const CtlShape ctl_shape_custom_policy = {custom_policy_fields, custom_policy_columns};

static const CtlField document_fields[] = {F(TgDocument, "id", CTL_F_I64, id),
                                           F(TgDocument, "api_context", CTL_F_STR, apiContext),
                                           F(TgDocument, "api_version", CTL_F_STR, apiVersion),
                                           F(TgDocument, "name", CTL_F_STR, name),
                                           F(TgDocument, "type", CTL_F_STR, type),
                                           F(TgDocument, "summary", CTL_F_STR, summary),
                                           F(TgDocument, "source_type", CTL_F_STR, sourceType),
                                           F(TgDocument, "source_url", CTL_F_STR, sourceUrl),
                                           F(TgDocument, "content", CTL_F_STR, content),
                                           F(TgDocument, "updated_at", CTL_F_TIME, updatedAt),
                                           {NULL}};
static const char *const document_columns[] = {"id",          "name",    "type",
                                               "source_type", "summary", NULL};
const CtlShape ctl_shape_document = {document_fields, document_columns};

static const CtlField gateway_change_fields[] = {
    F(TgGatewayChange, "revision", CTL_F_I64, revision),
    F(TgGatewayChange, "kind", CTL_F_STR, kind),
    F(TgGatewayChange, "subject", CTL_F_STR, subject),
    {NULL}};
static const char *const gateway_change_columns[] = {"revision", "kind", "subject", NULL};
const CtlShape ctl_shape_gateway_change = {gateway_change_fields, gateway_change_columns};

static const CtlField gateway_config_fields[] = {
    F(TgGatewayConfig, "revision", CTL_F_I64, revision),
    F(TgGatewayConfig, "full_sync", CTL_F_BOOL, fullSync),
    N(TgGatewayConfig, "apis", apis, ctl_shape_api),
    N(TgGatewayConfig, "changes", changes, ctl_shape_gateway_change),
    {NULL}};
static const char *const gateway_config_columns[] = {"revision", "full_sync", NULL};
const CtlShape ctl_shape_gateway_config = {gateway_config_fields, gateway_config_columns};

static const CtlField validation_fields[] = {
    F(TgAPIKeyValidationInfoDTO, "authorized", CTL_F_BOOL, authorized),
    F(TgAPIKeyValidationInfoDTO, "validation_status", CTL_F_I32, validationStatus),
    F(TgAPIKeyValidationInfoDTO, "type", CTL_F_STR, type),
    F(TgAPIKeyValidationInfoDTO, "subscriber", CTL_F_STR, subscriber),
    F(TgAPIKeyValidationInfoDTO, "tier", CTL_F_STR, tier),
    F(TgAPIKeyValidationInfoDTO, "application_id", CTL_F_STR, applicationId),
    F(TgAPIKeyValidationInfoDTO, "application_name", CTL_F_STR, applicationName),
    F(TgAPIKeyValidationInfoDTO, "application_tier", CTL_F_STR, applicationTier),
    F(TgAPIKeyValidationInfoDTO, "end_user_name", CTL_F_STR, endUserName),
    F(TgAPIKeyValidationInfoDTO, "api_name", CTL_F_STR, apiName),
    F(TgAPIKeyValidationInfoDTO, "api_publisher", CTL_F_STR, apiPublisher),
    F(TgAPIKeyValidationInfoDTO, "api_tier", CTL_F_STR, apiTier),
    F(TgAPIKeyValidationInfoDTO, "consumer_key", CTL_F_STR, consumerKey),
    F(TgAPIKeyValidationInfoDTO, "authorized_domains", CTL_F_STRV, authorizedDomains),
    F(TgAPIKeyValidationInfoDTO, "scopes", CTL_F_STRSET, scopes),
    F(TgAPIKeyValidationInfoDTO, "validity_period", CTL_F_I64, validityPeriod),
    F(TgAPIKeyValidationInfoDTO, "issued_time", CTL_F_I64, issuedTime),
    F(TgAPIKeyValidationInfoDTO, "is_content_aware", CTL_F_BOOL, isContentAware),
    F(TgAPIKeyValidationInfoDTO, "throttling_data_list", CTL_F_STRV, throttlingDataList),
    F(TgAPIKeyValidationInfoDTO, "spike_arrest_limit", CTL_F_I32, spikeArrestLimit),
    F(TgAPIKeyValidationInfoDTO, "spike_arrest_unit", CTL_F_STR, spikeArrestUnit),
    F(TgAPIKeyValidationInfoDTO, "stop_on_quota_reach", CTL_F_BOOL, stopOnQuotaReach),
    F(TgAPIKeyValidationInfoDTO, "subscriber_tenant_domain", CTL_F_STR, subscriberTenantDomain),
    {NULL}};
static const char *const validation_columns[] = {"authorized", "validation_status", NULL};
const CtlShape ctl_shape_validation = {validation_fields, validation_columns};
