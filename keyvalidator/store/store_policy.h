/*
 * store_policy.h: custom throttling policies as stored in apimgtdb
 * (AM_CUSTOM_POLICY, migration 010). Every SQL statement of custom policies
 * is in store_policy.c; add and delete also write POLICY_CHANGED into the
 * change feed in the same transaction, so gateways reload within a feed poll.
 */
#ifndef TOLLGATE_HUB_STORE_POLICY_H
#define TOLLGATE_HUB_STORE_POLICY_H

#include <glib.h>
#include <mysql.h>

#include "tg_tollgate_types.h"

#define STORE_POLICY_MAX 10000 /* at most this many policies are listed (and pushed) */

/* Decides whether a new policy named name may join the policies in similar (rows {name}: those
   whose name equals it ignoring case, read with a locking read in the insert's transaction);
   FALSE with error refuses and nothing is inserted. */
typedef gboolean (*StorePolicyAddCheck)(const char *name, const GPtrArray *similar, GError **error);
/* Inserts policy (checked by the caller) and sets its id once check (may be NULL) said yes;
   HUB_DB_ERROR_DUPLICATE when the name exists. */
gboolean store_policy_add(MYSQL *conn, TgCustomPolicy *policy, StorePolicyAddCheck check,
                          GError **error);
/* Every policy into out (TgCustomPolicy *), by id. */
gboolean store_policy_list(MYSQL *conn, GPtrArray *out, GError **error);
/* The policy id into policy (every field set); *found FALSE when there is none. */
gboolean store_policy_get(MYSQL *conn, gint64 id, TgCustomPolicy *policy, gboolean *found,
                          GError **error);
/* *deleted FALSE when there was no such policy. */
gboolean store_policy_delete(MYSQL *conn, gint64 id, gboolean *deleted, GError **error);

#endif
