/*
 * handler.h: the hub's Thrift handler, a TgTollgateHandler subclass that
 * implements every method of the Tollgate service (WSO2-compatible ones
 * included). One instance serves every connection; it holds only the Hub.
 * Methods living outside handler.c (methods_ext.h) reach the Hub with
 * hub_handler_hub().
 */
#ifndef TOLLGATE_HUB_HANDLER_H
#define TOLLGATE_HUB_HANDLER_H

#include <glib-object.h>

#include "hub_error.h"
#include "tg_metrics.h"
#include "tg_tollgate.h"

typedef struct Hub Hub;

typedef struct {
  TgTollgateHandler parent;
  Hub *hub;
} HubHandler;

typedef struct {
  TgTollgateHandlerClass parent;
} HubHandlerClass;

GType hub_handler_get_type(void);
#define HUB_TYPE_HANDLER (hub_handler_get_type())

GObject *hub_handler_new(Hub *hub);
Hub *hub_handler_hub(TgTollgateIf *iface);
/* Declares the tollgate_hub_call* and validation cache metrics (once, at startup). */
void hub_handler_describe_metrics(TgMetrics *m);
/* Counts a finished call of method in the per-method series (calls, errors, seconds since
   start_us); a call deferred to a worker is counted there instead. */
void hub_count_call(Hub *hub, const char *method, gint64 start_us, gboolean ok);

#endif
