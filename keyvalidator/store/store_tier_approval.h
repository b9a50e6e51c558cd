/*
 * store_tier_approval.h: AM_TIER.requires_approval, the SUBSCRIPTION tier flag that makes
 * a new subscription wait ON_HOLD for its API's provider or an admin (Tier.requiresApproval).
 * Kept apart from the tier columns traffic management reads on every grant.
 */
#ifndef TOLLGATE_HUB_STORE_TIER_APPROVAL_H
#define TOLLGATE_HUB_STORE_TIER_APPROVAL_H

#include <glib.h>
#include <mysql.h>

/* *required: SUBSCRIPTION tier name needs approval (FALSE when there is no such tier). */
gboolean store_tier_requires_approval(MYSQL *conn, const char *name, gboolean *required,
                                      GError **error);
gboolean store_tier_set_requires_approval(MYSQL *conn, const char *name, const char *level,
                                          gboolean required, GError **error);

#endif
