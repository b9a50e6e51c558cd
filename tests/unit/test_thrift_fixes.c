/*
 * test_thrift_fixes: after tg_thrift_types_ensure(), destroying a
 * ThriftApplicationException or a generated struct runs GObject's own
 * finalize exactly once (its qdata is cleared), whether or not configure's
 * probes found the thrift 0.17 leaks and applied the fixes.
 */
#include <glib-object.h>
#include <thrift/c_glib/thrift_application_exception.h>

#include "tg_thrift_setup.h"
#include "tg_tollgate_types.h"

static int destroyed;

static void count_destroy(gpointer data) { destroyed++; }

/* How many of n objects of type had their qdata freed by g_object_unref. */
static int freed_of(GType type, int n) {
  destroyed = 0;
  for (int i = 0; i < n; i++) {
    GObject *o = g_object_new(type, NULL);
    g_object_set_data_full(o, "probe", GINT_TO_POINTER(1), count_destroy);
    g_object_unref(o);
  }
  return destroyed;
}

static void test_application_exception_chains_up(void) {
  tg_thrift_types_ensure();
  tg_thrift_types_ensure(); /* a second call changes nothing */
  g_assert_cmpint(freed_of(THRIFT_TYPE_APPLICATION_EXCEPTION, 10), ==, 10);
}

static void test_generated_struct_chains_up(void) {
  tg_thrift_types_ensure();
  g_assert_cmpint(freed_of(TG_TYPE_USER, 10), ==, 10);
  g_assert_cmpint(freed_of(TG_TYPE_TOLLGATE_EXCEPTION, 10), ==, 10);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/thrift_fixes/application_exception_chains_up",
                  test_application_exception_chains_up);
  g_test_add_func("/thrift_fixes/generated_struct_chains_up", test_generated_struct_chains_up);
  return g_test_run();
}
