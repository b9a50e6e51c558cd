/*
 * publisher_json: the publisher and admin JSON API's representations of the hub's structs,
 * with the Thrift contract's field names (as tollgatectl --json). Trade-off: hand-written
 * writers over tg_json rather than GObject introspection: the output is explicit about what
 * leaves the portal.
 */
#ifndef PUBLISHER_JSON_H
#define PUBLISHER_JSON_H

#include <glib.h>

#include "tg_tollgate_types.h"

void pj_strings(GString *out, const char *key, const GPtrArray *items);
void pj_api(GString *out, const TgApi *api);
void pj_subscription(GString *out, const TgSubscription *s);
void pj_document(GString *out, const TgDocument *d);
void pj_usage(GString *out, const TgUsageSeries *u);
void pj_user(GString *out, const TgUser *u);
void pj_tier(GString *out, const TgTier *t);
void pj_block(GString *out, const TgBlockCondition *b);
void pj_custom_policy(GString *out, const TgCustomPolicy *p);
void pj_audit(GString *out, const TgAuditEntry *e);

/* [ item, item ] of a GPtrArray of one of the structs above, written by fn. */
typedef void (*PjWriter)(GString *out, gconstpointer item);
void pj_list(GString *out, const GPtrArray *items, PjWriter fn);

#endif
