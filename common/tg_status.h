/*
 * tg_status: the WSO2 validation status and fault codes (the contract's table),
 * with the HTTP status and message a gateway answers for each. The hub sets
 * validationStatus from these; the gateway turns them into JSON faults.
 */
#ifndef TG_STATUS_H
#define TG_STATUS_H

enum {
  TG_STATUS_OK = 0,
  TG_AUTH_GENERAL_ERROR = 900900,
  TG_INVALID_CREDENTIALS = 900901,
  TG_MISSING_CREDENTIALS = 900902,
  TG_ACCESS_TOKEN_EXPIRED = 900903,
  TG_ACCESS_TOKEN_INACTIVE = 900904,
  TG_INCORRECT_ACCESS_TOKEN_TYPE = 900905,
  TG_NO_MATCHING_RESOURCE = 900906,
  TG_API_BLOCKED = 900907,
  TG_RESOURCE_FORBIDDEN = 900908,
  TG_SUBSCRIPTION_INACTIVE = 900909,
  TG_INVALID_SCOPE = 900910,
  TG_THROTTLE_API_LIMIT = 900800,
  TG_THROTTLE_HARD_LIMIT = 900801,
  TG_THROTTLE_RESOURCE_LIMIT = 900802,
  TG_THROTTLE_APPLICATION_LIMIT = 900803,
  TG_THROTTLE_SUBSCRIPTION_LIMIT = 900804,
  TG_THROTTLE_BLOCKED = 900805,
  TG_THROTTLE_CUSTOM_POLICY = 900806,
  TG_THROTTLE_SUBSCRIPTION_BURST = 900807,
};

typedef struct TgStatusInfo {
  int code;
  int http_status;
  const char *message;     /* the fault's "message" */
  const char *description; /* the fault's default "description" */
} TgStatusInfo;

/* Never NULL: an unknown code maps to the 900900 entry. */
const TgStatusInfo *tg_status_lookup(int code);

#endif
