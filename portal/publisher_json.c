/*
 * publisher_json: Thrift structs as JSON objects (see publisher_json.h).
 * Absent optional fields are left out, as tollgatectl --json does.
 */
#include "publisher_json.h"

#include "tg_json.h"

#define STR(o, k, v)                       \
  do {                                     \
    if (v) tg_json_member_string(o, k, v); \
  } while (0)

void pj_strings(GString *out, const char *key, const GPtrArray *items) {
  tg_json_member_key(out, key);
  g_string_append_c(out, '[');
  for (guint i = 0; items && i < items->len; i++) {
    if (i) g_string_append_c(out, ',');
    tg_json_append_string(out, g_ptr_array_index(items, i));
  }
  g_string_append_c(out, ']');
}

void pj_list(GString *out, const GPtrArray *items, PjWriter fn) {
  g_string_append_c(out, '[');
  for (guint i = 0; items && i < items->len; i++) {
    if (i) g_string_append_c(out, ',');
    fn(out, g_ptr_array_index(items, i));
  }
  g_string_append_c(out, ']');
}

static void resource(GString *out, gconstpointer item) {
  const TgResource *r = item;
  g_string_append_c(out, '{');
  STR(out, "verb", r->verb);
  STR(out, "uriTemplate", r->uriTemplate);
  STR(out, "authType", r->authType);
  STR(out, "throttlingTier", r->throttlingTier);
  STR(out, "scope", r->scope);
  g_string_append_c(out, '}');
}

void pj_api(GString *out, const TgApi *a) {
  g_string_append_c(out, '{');
  tg_json_member_int(out, "id", a->id);
  STR(out, "name", a->name);
  STR(out, "context", a->context);
  STR(out, "version", a->version);
  STR(out, "provider", a->provider);
  STR(out, "status", a->status);
  STR(out, "description", a->description);
  STR(out, "productionEndpoint", a->productionEndpoint);
  STR(out, "sandboxEndpoint", a->sandboxEndpoint);
  STR(out, "apiTier", a->apiTier);
  tg_json_member_bool(out, "isDefaultVersion", a->isDefaultVersion);
  pj_strings(out, "tags", a->tags);
  pj_strings(out, "subscriptionTiers", a->subscriptionTiers);
  tg_json_member_key(out, "resources");
  pj_list(out, a->resources, resource);
  tg_json_member_int(out, "updatedAt", a->updatedAt);
  g_string_append_c(out, '}');
}

void pj_subscription(GString *out, const TgSubscription *s) {
  g_string_append_c(out, '{');
  tg_json_member_int(out, "id", s->id);
  STR(out, "applicationName", s->applicationName);
  STR(out, "applicationOwner", s->applicationOwner);
  STR(out, "apiName", s->apiName);
  STR(out, "apiContext", s->apiContext);
  STR(out, "apiVersion", s->apiVersion);
  STR(out, "tier", s->tier);
  STR(out, "status", s->status);
  tg_json_member_int(out, "createdAt", s->createdAt);
  g_string_append_c(out, '}');
}

void pj_document(GString *out, const TgDocument *d) {
  g_string_append_c(out, '{');
  tg_json_member_int(out, "id", d->id);
  STR(out, "name", d->name);
  STR(out, "type", d->type);
  STR(out, "summary", d->summary);
  STR(out, "sourceType", d->sourceType);
  STR(out, "content", d->content);
  STR(out, "sourceUrl", d->sourceUrl);
  tg_json_member_int(out, "updatedAt", d->updatedAt);
  g_string_append_c(out, '}');
}

static void bucket(GString *out, gconstpointer item) {
  const TgUsageBucket *b = item;
  g_string_append_c(out, '{');
  tg_json_member_int(out, "start", b->start);
  tg_json_member_int(out, "count2xx", b->count2xx);
  tg_json_member_int(out, "count3xx", b->count3xx);
  tg_json_member_int(out, "count4xx", b->count4xx);
  tg_json_member_int(out, "count5xx", b->count5xx);
  tg_json_member_int(out, "throttled", b->throttled);
  tg_json_member_int(out, "overQuota", b->overQuota);
  tg_json_member_int(out, "p50Ms", b->p50Ms);
  tg_json_member_int(out, "p99Ms", b->p99Ms);
  tg_json_member_int(out, "bytesIn", b->bytesIn);
  tg_json_member_int(out, "bytesOut", b->bytesOut);
  g_string_append_c(out, '}');
}

void pj_usage(GString *out, const TgUsageSeries *u) {
  g_string_append_c(out, '{');
  STR(out, "scope", u->scope);
  STR(out, "subject", u->subject);
  STR(out, "range", u->range);
  tg_json_member_int(out, "step", u->step);
  tg_json_member_key(out, "buckets");
  pj_list(out, u->buckets, bucket);
  g_string_append_c(out, '}');
}

void pj_user(GString *out, const TgUser *u) {
  g_string_append_c(out, '{');
  STR(out, "name", u->name);
  pj_strings(out, "roles", u->roles);
  tg_json_member_int(out, "createdAt", u->createdAt);
  g_string_append_c(out, '}');
}

void pj_tier(GString *out, const TgTier *t) {
  g_string_append_c(out, '{');
  STR(out, "name", t->name);
  STR(out, "level", t->level);
  tg_json_member_int(out, "requestCount", t->requestCount);
  tg_json_member_int(out, "unitTime", t->unitTime);
  STR(out, "description", t->description);
  tg_json_member_bool(out, "stopOnQuotaReach", t->stopOnQuotaReach);
  tg_json_member_int(out, "bytesCount", t->bytesCount);
  tg_json_member_int(out, "burstCount", t->burstCount);
  tg_json_member_int(out, "burstUnitTime", t->burstUnitTime);
  tg_json_member_bool(out, "sliding", t->sliding);
  STR(out, "failMode", t->failMode);
  tg_json_member_bool(out, "requiresApproval", t->requiresApproval);
  g_string_append_c(out, '}');
}

void pj_block(GString *out, const TgBlockCondition *b) {
  g_string_append_c(out, '{');
  tg_json_member_int(out, "id", b->id);
  STR(out, "kind", b->kind);
  STR(out, "value", b->value);
  tg_json_member_int(out, "createdAt", b->createdAt);
  g_string_append_c(out, '}');
}

void pj_custom_policy(GString *out, const TgCustomPolicy *p) {
  g_string_append_c(out, '{');
  tg_json_member_int(out, "id", p->id);
  STR(out, "name", p->name);
  STR(out, "keyBy", p->keyBy);
  STR(out, "headerName", p->headerName);
  tg_json_member_int(out, "requestCount", p->requestCount);
  tg_json_member_int(out, "bytesCount", p->bytesCount);
  tg_json_member_int(out, "unitTime", p->unitTime);
  tg_json_member_bool(out, "sliding", p->sliding);
  STR(out, "apiContext", p->apiContext);
  STR(out, "description", p->description);
  tg_json_member_int(out, "createdAt", p->createdAt);
  g_string_append_c(out, '}');
}

void pj_audit(GString *out, const TgAuditEntry *e) {
  g_string_append_c(out, '{');
  tg_json_member_int(out, "id", e->id);
  tg_json_member_int(out, "at", e->at);
  STR(out, "actor", e->actor);
  STR(out, "action", e->action);
  STR(out, "subject", e->subject);
  STR(out, "clientAddress", e->clientAddress);
  STR(out, "detail", e->detail);
  g_string_append_c(out, '}');
}
