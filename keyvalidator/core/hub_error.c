/*
 * hub_error.c: hub_set_error (hub_error.h). The message is formatted once and
 * dropped when the caller passed no exception slot.
 */
#include "config.h"

#include <stdarg.h>

#include "hub_error.h"

void hub_set_error(TgTollgateException **err, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (err == NULL) return;
  if (*err == NULL) *err = g_object_new(TG_TYPE_TOLLGATE_EXCEPTION, NULL);
  g_object_set(*err, "message", msg, "code", code, NULL);
}
