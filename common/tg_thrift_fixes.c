/*
 * tg_thrift_fixes: thrift 0.17 c_glib's ThriftApplicationException does not
 * chain up finalize, so each one leaks GObject's qdata. Built only where
 * configure's probe finds that (thrift/local.mk); tg_thrift_types_ensure()
 * then wraps the library's finalize with one that chains up, at start-up.
 */
#include "tg_thrift_setup.h"

#include <thrift/c_glib/thrift_application_exception.h>

static void (*library_finalize)(GObject *object);

static void application_exception_finalize(GObject *object) {
  library_finalize(object);
  GObjectClass *parent =
      g_type_class_peek_parent(g_type_class_peek(THRIFT_TYPE_APPLICATION_EXCEPTION));
  parent->finalize(object);
}

void tg_thrift_library_fix(void) {
  GObjectClass *cls = g_type_class_ref(THRIFT_TYPE_APPLICATION_EXCEPTION); /* kept for life */
  if (cls->finalize == application_exception_finalize) return;
  library_finalize = cls->finalize;
  cls->finalize = application_exception_finalize;
}
