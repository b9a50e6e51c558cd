/*
 * hub_error.h: the one way a hub method reports a failure to its Thrift caller,
 * a TollgateException with an HTTP-like code. Every layer above the store uses it.
 */
#ifndef TOLLGATE_HUB_ERROR_H
#define TOLLGATE_HUB_ERROR_H

#include <glib.h>

#include "tg_tollgate_types.h"

/* Fills the generated TollgateException (creating it when *err is NULL). code: 400 bad input,
   401 session, 403 role, 404 not found, 409 conflict, 503 database unavailable. */
void hub_set_error(TgTollgateException **err, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

#endif
