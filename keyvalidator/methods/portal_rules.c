/*
 * portal_rules.c: the portal methods' pure rules (portal_rules.h). Trade-off: percentiles
 * from fixed buckets are coarse (a p99 of "200" means 100 to 200 ms) but add up across
 * gateways and minutes exactly, which per-call latencies could not.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "portal_rules.h"
#include "tg_crypto.h"
#include "tg_latency_histogram.h"

G_DEFINE_QUARK(hub - portal - error - quark, portal_error)

static gboolean refuse(GError **error, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static gboolean refuse(GError **error, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error_literal(error, PORTAL_ERROR, code, msg);
  return FALSE;
}

const PortalSetting portal_settings[] = {
    {PORTAL_SIGNUP_ENABLED, "true", TRUE},
    {NULL, NULL, FALSE},
};

const PortalSetting *portal_setting_find(const char *name, GError **error) {
  for (guint i = 0; name != NULL && portal_settings[i].name; i++)
    if (strcmp(portal_settings[i].name, name) == 0) return &portal_settings[i];
  refuse(error, 400, "unknown setting %.64s (known: " PORTAL_SIGNUP_ENABLED ")",
         name ? name : "(null)");
  return NULL;
}

gboolean portal_setting_value_valid(const PortalSetting *s, const char *value, GError **error) {
  if (strcmp(s->name, PORTAL_SIGNUP_ENABLED) == 0 && g_strcmp0(value, "true") != 0 &&
      g_strcmp0(value, "false") != 0)
    return refuse(error, 400, "%s is \"true\" or \"false\"", s->name);
  return TRUE;
}

gboolean portal_signup_name_valid(const char *name, GError **error) {
  gsize len = name ? strlen(name) : 0;
  if (len < PORTAL_SIGNUP_NAME_MIN || len > PORTAL_SIGNUP_NAME_MAX)
    return refuse(error, 400, "a user name is %d to %d characters", PORTAL_SIGNUP_NAME_MIN,
                  PORTAL_SIGNUP_NAME_MAX);
  if (!g_ascii_islower(name[0]) && !g_ascii_isdigit(name[0]))
    return refuse(error, 400, "a user name starts with a lower-case letter or a digit");
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower(name[i]) && !g_ascii_isdigit(name[i]) && !strchr("._-", name[i]))
      return refuse(error, 400,
                    "a user name holds only lower-case letters, digits, '.', '_'"
                    " and '-'");
  return TRUE;
}

gboolean portal_password_strong(const char *user, const char *password, GError **error) {
  gsize len = password ? strlen(password) : 0;
  if (len < PORTAL_PASSWORD_MIN || len > PORTAL_PASSWORD_MAX)
    return refuse(error, 400, "a password is %d to %d characters", PORTAL_PASSWORD_MIN,
                  PORTAL_PASSWORD_MAX);
  gboolean lower = FALSE, upper = FALSE, digit = FALSE, other = FALSE, same = TRUE;
  for (gsize i = 0; i < len; i++) {
    guchar c = (guchar)password[i];
    lower |= g_ascii_islower(c);
    upper |= g_ascii_isupper(c);
    digit |= g_ascii_isdigit(c);
    other |= !g_ascii_isalnum(c);
    same &= c == (guchar)password[0];
  }
  if (same) return refuse(error, 400, "a password must not be one character repeated");
  if (lower + upper + digit + other < 3 && len < 16)
    return refuse(error, 400,
                  "a password of fewer than 16 characters mixes three of: lower"
                  " case, upper case, digits, other characters");
  g_autofree char *pw = g_ascii_strdown(password, -1);
  g_autofree char *name = g_ascii_strdown(user ? user : "", -1);
  if (*name != '\0' && strstr(pw, name) != NULL)
    return refuse(error, 400, "a password must not contain the user name");
  return TRUE;
}

char *portal_cursor_encode(const char *name, gint64 id) {
  g_autofree char *raw = g_strdup_printf("%s\n%" G_GINT64_FORMAT, name ? name : "", id);
  return tg_b64url_encode(raw, strlen(raw));
}

gboolean portal_cursor_decode(const char *cursor, char **name, gint64 *id, GError **error) {
  *name = NULL;
  *id = 0;
  if (cursor == NULL || *cursor == '\0') return TRUE;
  gsize len = 0;
  g_autofree guint8 *raw = strlen(cursor) <= 1400 ? tg_b64url_decode(cursor, &len) : NULL;
  const char *end = raw ? (const char *)raw + len : NULL;
  const char *nl = NULL; /* the last newline: the id follows it */
  for (const char *p = end; raw != NULL && p > (const char *)raw && nl == NULL; p--)
    if (p[-1] == '\n') nl = p - 1;
  if (nl == NULL || nl + 1 == end || end - (nl + 1) > 19 ||
      !g_utf8_validate((const char *)raw, nl - (const char *)raw, NULL))
    return refuse(error, 400, "cursor is not one this hub gave out: pass nextCursor back as is");
  for (const char *p = nl + 1; p < end; p++)
    if (!g_ascii_isdigit(*p))
      return refuse(error, 400, "cursor is not one this hub gave out: pass nextCursor back as is");
  g_autofree char *digits = g_strndup(nl + 1, end - (nl + 1));
  *id = g_ascii_strtoll(digits, NULL, 10);
  if (*id <= 0)
    return refuse(error, 400, "cursor is not one this hub gave out: pass nextCursor back as is");
  *name = g_strndup((const char *)raw, nl - (const char *)raw);
  return TRUE;
}

gboolean portal_limit_valid(gint32 limit, GError **error) {
  return (limit >= 1 && limit <= 100) || refuse(error, 400, "limit is 1 to 100");
}

gboolean portal_usage_range(const char *range, const char **canonical, gint64 *step, guint *n,
                            GError **error) {
  static const struct {
    const char *name;
    gint64 step;
    guint n;
  } ranges[] = {
      {"HOUR", 60, 60},
      {"DAY", 3600, 24},
      {"WEEK", 21600, 28},
  };
  for (guint i = 0; range != NULL && i < G_N_ELEMENTS(ranges); i++)
    if (g_ascii_strcasecmp(range, ranges[i].name) == 0) {
      *canonical = ranges[i].name;
      *step = ranges[i].step;
      *n = ranges[i].n;
      return TRUE;
    }
  return refuse(error, 400, "range is HOUR, DAY or WEEK");
}

gint64 portal_usage_from(gint64 now, gint64 step, guint n) {
  return now - now % step - step * (gint64)(n - 1);
}

gint64 portal_histogram_percentile(const gint64 *histogram, double q) {
  gint64 total = 0;
  for (guint i = 0; i < TG_LATENCY_BUCKETS; i++) total += histogram[i];
  if (total <= 0) return -1;
  /* the rank of the call at fraction q, 1-based: ceil(q * total) */
  gint64 rank = (gint64)(q * (double)total);
  if ((double)rank < q * (double)total || rank == 0) rank++;
  gint64 seen = 0;
  for (guint i = 0; i < TG_LATENCY_BUCKETS - 1; i++)
    if ((seen += histogram[i]) >= rank) return tg_latency_bounds_ms[i];
  return tg_latency_bounds_ms[TG_LATENCY_BUCKETS - 2] + 1; /* "over 5000" */
}
