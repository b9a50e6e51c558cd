/*
 * hub_call: a generated call's outcome classified once (see hub_call.h): an
 * exception with code 401 or naming the session means log in again; any other
 * exception, a Thrift application exception, or a call refused before sending for the hub's
 * limits (tg_limited_protocol.h), is the hub refusing: final, the hub stays up.
 */
#include "hub_call.h"

#include <string.h>
#include <thrift/c_glib/thrift_application_exception.h>

#include "tg_limited_protocol.h"

HubCallResult hub_call_result(gboolean ok, const GError *error, GObject *exception,
                              const char *exc_message, int exc_code) {
  if (ok) return HUB_CALL_OK;
  if (exception) {
    if (exc_code == 401) return HUB_CALL_SESSION;
    if (exc_message && (strstr(exc_message, "session") || strstr(exc_message, "Session")))
      return HUB_CALL_SESSION;
    return HUB_CALL_REFUSED;
  }
  if (error && error->domain == THRIFT_APPLICATION_EXCEPTION_ERROR) return HUB_CALL_REFUSED;
  if (tg_thrift_limit_error_is(error)) return HUB_CALL_REFUSED;
  return HUB_CALL_TRANSPORT;
}
