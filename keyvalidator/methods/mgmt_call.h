/*
 * mgmt_call.h: the frame every management method runs in (MgmtCall): the
 * caller's session and role checked, one apimgtdb connection taken on first
 * use, and errors answered with the TollgateException code they mean.
 */
#ifndef TOLLGATE_HUB_MGMT_CALL_H
#define TOLLGATE_HUB_MGMT_CALL_H

#include <glib.h>
#include <mysql.h>

#include "hub_internal.h"
#include "session.h"
#include "tg_tollgate.h"

/* One management call: the hub, the caller, and an apimgtdb connection taken on first use. */
typedef struct MgmtCall {
  Hub *hub;
  SessionInfo who;
  gboolean admin;
  gboolean write; /* begun by mgmt_write_begin */
  gboolean ended;
  MYSQL *conn;
  const char *method; /* for log lines */
  TgTollgateException **err;
  char subject[512]; /* what it acts on, for the audit log (mgmt_call_subject) */
} MgmtCall;

/* Adds what the call acts on to its audit subject (space-separated when several). */
void mgmt_call_subject(MgmtCall *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Checks the session and role (roles NULL-terminated names); sets the 401/403/503 answer. */
gboolean mgmt_call_begin(MgmtCall *c, TgTollgateIf *iface, const char *method,
                         const char *session_id, const char *const *roles,
                         TgTollgateException **err);
/* mgmt_call_begin for a method that writes: also takes one write from the caller's budget
   (hub_write_allowed). */
gboolean mgmt_write_begin(MgmtCall *c, TgTollgateIf *iface, const char *method,
                          const char *session_id, const char *const *roles,
                          TgTollgateException **err);
/* TRUE when who may make one more management write on this hub now ([hub] mgmt_write_rate
   per second, mgmt_write_burst saved up, per user name; admins are not limited); else a
   429 answer saying when to retry. */
gboolean hub_write_allowed(Hub *hub, const SessionInfo *who, const char *method,
                           TgTollgateException **err);
/* The apimgtdb connection, or NULL with a 503 answer. */
MYSQL *mgmt_call_db(MgmtCall *c);
/* Gives the connection back, and hands the finished call to the audit log (audit_log.h). */
void mgmt_call_end(MgmtCall *c);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MgmtCall, mgmt_call_end)

/* Answers error: MGMT_ERROR with its code; a database error as 503 (unavailable), 409
   (duplicate, conflict) or 500, logged. Takes error (may be NULL: 500). Returns FALSE. */
gboolean mgmt_fail(MgmtCall *c, GError *error);

#endif
