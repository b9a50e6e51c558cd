/*
 * audit_log.h: the audit log of publisher and admin actions (who, what, on what, when,
 * from where). Recorded in one place: mgmt_call_end() hands every finished management
 * call here, and a call that succeeded is written when its method is in audit_log.c's
 * table or its caller is an admin making a change. A method names what it acted on
 * through the shared helpers that find it (mgmt_call_subject).
 */
#ifndef TOLLGATE_HUB_AUDIT_LOG_H
#define TOLLGATE_HUB_AUDIT_LOG_H

#include <glib.h>

#include "hub_internal.h"
#include "session.h"

/* TRUE when a successful call of method by someone with roles is audited. */
gboolean hub_audit_wanted(const char *method, guint roles, gboolean write);
/* Called by mgmt_call_end once the call's connection is back: writes the row when the call
   succeeded (ok) and is wanted. A failed write is logged, never the call's failure (the
   action is already committed). */
void hub_audit_call_end(Hub *hub, const SessionInfo *who, const char *method, gboolean write,
                        gboolean ok, const char *subject);
/* For methods outside MgmtCall (documents): one row for who's action on subject. */
void hub_audit_record(Hub *hub, const SessionInfo *who, const char *action, const char *subject);

#endif
