/*
 * portal_rules.h: the rules of the portal's hub methods, pure so tests/unit/test_portal_rules.c
 * checks them without a database: which settings exist (their defaults and who reads them),
 * sign-up names and password strength, keyset cursors, usage ranges and the percentiles of
 * a latency histogram. Refusals are PORTAL_ERROR with the TollgateException code to answer.
 */
#ifndef TOLLGATE_HUB_PORTAL_RULES_H
#define TOLLGATE_HUB_PORTAL_RULES_H

#include <glib.h>

#define PORTAL_ERROR (portal_error_quark())
GQuark portal_error_quark(void);

/* ---- settings ---- */
typedef struct {
  const char *name;
  const char *fallback; /* the value while never set: the one place for each default */
  gboolean public;      /* readable without a session */
} PortalSetting;

#define PORTAL_SIGNUP_ENABLED "signup_enabled"

/* Every known setting, NULL-terminated by name. */
extern const PortalSetting portal_settings[];
/* The setting called name, or NULL with a 400. */
const PortalSetting *portal_setting_find(const char *name, GError **error);
/* value is acceptable for s (signup_enabled: "true" | "false"); else a 400. */
gboolean portal_setting_value_valid(const PortalSetting *s, const char *value, GError **error);

/* ---- sign-up ---- */
#define PORTAL_SIGNUP_NAME_MIN 3
#define PORTAL_SIGNUP_NAME_MAX 64
#define PORTAL_PASSWORD_MIN    10
#define PORTAL_PASSWORD_MAX    128
/* A self-chosen user name: 3..64 of [a-z0-9._-], starting with a letter or digit (lower
   case only, so no one signs up as "Admin" beside "admin"). */
gboolean portal_signup_name_valid(const char *name, GError **error);
/* At least 10 bytes (at most 128), three of the four classes lower / upper / digit / other
   (or 16 bytes and more), not holding the user name, not one repeated character. */
gboolean portal_password_strong(const char *user, const char *password, GError **error);

/* ---- keyset cursors: opaque to callers, base64url("name\nid") ---- */
char *portal_cursor_encode(const char *name, gint64 id);
/* "" or NULL: the first page (*id 0). A cursor that does not decode is a 400. */
gboolean portal_cursor_decode(const char *cursor, char **name, gint64 *id, GError **error);
/* limit 1..100, else a 400. */
gboolean portal_limit_valid(gint32 limit, GError **error);

/* ---- usage ---- */
#define PORTAL_MAX_GRACE_S 86400
/* HOUR: 60 steps of 60 s; DAY: 24 of 1 h; WEEK: 28 of 6 h. Canonical name into *canonical. */
gboolean portal_usage_range(const char *range, const char **canonical, gint64 *step, guint *n,
                            GError **error);
/* The first step's start for a series ending with the step holding now. */
gint64 portal_usage_from(gint64 now, gint64 step, guint n);
/* The latency (ms, the upper bound of its bucket, tg_latency_histogram.h; 5001 for "over
   5000") under which a fraction q of the histogram's TG_LATENCY_BUCKETS counts fall; -1 when
   it holds no call. */
gint64 portal_histogram_percentile(const gint64 *histogram, double q);

#endif
