/*
 * tg_thrift_fixes: repairs to classes of the thrift 0.17 c_glib library
 * itself, applied once at start-up by tg_thrift_types_ensure().
 *
 * ThriftApplicationException's finalize does not chain up to GObject's, so
 * every exception object leaks what GObject keeps for it (its qdata: with
 * GLib 2.74, the notify queue that g_object_unref freezes before dispose).
 * The hub makes one whenever a handler fails without a declared exception,
 * gateways whenever a hub answers with one. The fix wraps the library's
 * finalize with one that chains up.
 */
#include "tg_thrift_setup.h"

#include <thrift/c_glib/thrift_application_exception.h>

static void (*library_finalize)(GObject *object);

static void application_exception_finalize(GObject *object)
{
  library_finalize(object);
  GObjectClass *parent =
      g_type_class_peek_parent(g_type_class_peek(THRIFT_TYPE_APPLICATION_EXCEPTION));
  parent->finalize(object);
}

void tg_thrift_library_fix(void)
{
  GObjectClass *cls = g_type_class_ref(THRIFT_TYPE_APPLICATION_EXCEPTION); /* kept for life */
  if (cls->finalize == application_exception_finalize)
    return;
  library_finalize = cls->finalize;
  cls->finalize = application_exception_finalize;
}
