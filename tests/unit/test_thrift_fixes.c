/*
 * test_thrift_fixes: after tg_thrift_types_ensure(), destroying a
 * ThriftApplicationException runs GObject's own finalize (its qdata is
 * cleared), which the thrift 0.17 library class alone does not.
 */
#include <glib-object.h>
#include <thrift/c_glib/thrift_application_exception.h>

#include "tg_thrift_setup.h"

static int destroyed;

static void count_destroy(gpointer data) { destroyed++; }

static void test_application_exception_chains_up(void) {
  tg_thrift_types_ensure();
  tg_thrift_library_fix(); /* a second call changes nothing */
  for (int i = 0; i < 10; i++) {
    GObject *e = g_object_new(THRIFT_TYPE_APPLICATION_EXCEPTION, "type", 6, "message", "boom", NULL);
    g_object_set_data_full(e, "probe", GINT_TO_POINTER(1), count_destroy);
    g_object_unref(e);
  }
  g_assert_cmpint(destroyed, ==, 10);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/thrift_fixes/application_exception_chains_up",
                  test_application_exception_chains_up);
  return g_test_run();
}
