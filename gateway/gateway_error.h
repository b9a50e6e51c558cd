/*
 * gateway_error: the GError domain of the gateway's own modules (GIO is not
 * linked, so G_IO_ERROR is not available). Header-only so pure modules and
 * their unit tests need no extra object.
 */
#ifndef TG_GATEWAY_ERROR_H
#define TG_GATEWAY_ERROR_H

#include <glib.h>

#define TG_GATEWAY_ERROR (tg_gateway_error_quark())
enum { TG_GATEWAY_ERROR_FAILED = 1, TG_GATEWAY_ERROR_INVALID, TG_GATEWAY_ERROR_NOT_FOUND };

static inline GQuark tg_gateway_error_quark(void) {
  return g_quark_from_static_string("tg-gateway-error");
}

#endif
