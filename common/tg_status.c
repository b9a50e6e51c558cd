/*
 * tg_status: the fault table from the WSO2 contract.
 */
#include "tg_status.h"

#include <stddef.h>

static const TgStatusInfo status_table[] = {
    {TG_AUTH_GENERAL_ERROR, 503, "Unclassified Authentication Failure",
     "Error while validating the access token"},
    {TG_INVALID_CREDENTIALS, 401, "Invalid Credentials",
     "Make sure you have provided the correct security credentials"},
    {TG_MISSING_CREDENTIALS, 401, "Missing Credentials",
     "Make sure your API invocation call has a header: 'Authorization: Bearer ACCESS_TOKEN'"},
    {TG_ACCESS_TOKEN_EXPIRED, 401, "Access Token Expired", "The access token has expired"},
    {TG_ACCESS_TOKEN_INACTIVE, 401, "Access Token Inactive", "The access token has been revoked"},
    {TG_INCORRECT_ACCESS_TOKEN_TYPE, 401, "Incorrect Access Token Type is provided",
     "The key type of this token has no endpoint for this API"},
    {TG_NO_MATCHING_RESOURCE, 404, "No matching resource found for given API Request",
     "No resource of the API matches the request path and verb"},
    {TG_API_BLOCKED, 503, "The requested API is temporarily blocked",
     "The API is blocked by its publisher"},
    {TG_RESOURCE_FORBIDDEN, 403, "Resource forbidden",
     "This token type is not allowed to access this resource"},
    {TG_SUBSCRIPTION_INACTIVE, 403, "The subscription to the API is inactive",
     "The subscription is blocked or on hold"},
    {TG_INVALID_SCOPE, 403, "The access token does not allow you to access the requested resource",
     "The access token lacks the scope the resource requires"},
    {TG_THROTTLE_API_LIMIT, 429, "API Limit Reached", "The API's request limit is exceeded"},
    {TG_THROTTLE_HARD_LIMIT, 503, "Message throttled out",
     "The backend's maximum request rate is exceeded"},
    {TG_THROTTLE_RESOURCE_LIMIT, 429, "Resource Limit Reached",
     "The resource's request limit is exceeded"},
    {TG_THROTTLE_APPLICATION_LIMIT, 429, "Application Limit Reached",
     "The application's request limit is exceeded"},
    {TG_THROTTLE_SUBSCRIPTION_LIMIT, 429, "Subscription Limit Reached",
     "The subscription's request limit is exceeded"},
    {TG_THROTTLE_BLOCKED, 403, "Message blocked", "The request matches a blocking condition"},
    {TG_THROTTLE_CUSTOM_POLICY, 429, "Custom Policy Limit Reached",
     "A custom throttling policy's limit is exceeded"},
    {TG_THROTTLE_SUBSCRIPTION_BURST, 429, "Burst Control Limit Reached",
     "The subscription's burst limit is exceeded"},
};

const TgStatusInfo *tg_status_lookup(int code) {
  for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++) {
    if (status_table[i].code == code) return &status_table[i];
  }
  return &status_table[0];
}
