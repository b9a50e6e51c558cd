/*
 * test_admin_form: the admin traffic forms' readers and fields: numbers read strictly (no
 * "1e3", "0x10" or spaces), units by name or seconds, checkboxes, a hub refusal tied to its
 * field, and a refused form refilled with what was sent, escaped (no reflected markup).
 */
#include <string.h>

#include "admin_form.h"

static PortalReq *req_of(const char *body) {
  PortalReq *r = g_new0(PortalReq, 1);
  r->form = form_parse(body, strlen(body), NULL);
  g_assert_nonnull(r->form);
  r->query = tg_form_new();
  return r;
}

static void req_free(PortalReq *r) {
  tg_form_free(r->form);
  tg_form_free(r->query);
  g_free(r);
}

static void test_int_is_strict(void) {
  PortalReq *r = req_of("a=-5&b=1e3&c=0x10&d=+5+&e=&f=99999999999999999999&g=42");
  AdminRefusal ar = {0};
  gint64 n = 7;
  g_assert_true(admin_arg_int(r, "a", &n, &ar));
  g_assert_cmpint(n, ==, -5);
  n = 7;
  g_assert_true(admin_arg_int(r, "e", &n, &ar)); /* empty: untouched */
  g_assert_true(admin_arg_int(r, "missing", &n, &ar));
  g_assert_cmpint(n, ==, 7);
  for (const char *const *bad = (const char *const[]){"b", "c", "d", "f", NULL}; *bad; bad++) {
    g_assert_false(admin_arg_int(r, *bad, &n, &ar));
    g_assert_cmpint(ar.status, ==, 400);
    g_assert_cmpstr(ar.field, ==, *bad);
    g_assert_nonnull(strstr(ar.message, "whole number"));
    admin_refusal_clear(&ar);
  }
  g_assert_cmpint(n, ==, 7);
  g_assert_true(admin_arg_int(r, "g", &n, &ar));
  g_assert_cmpint(n, ==, 42);
  req_free(r);
}

static void test_units(void) {
  AdminRefusal ar = {0};
  gint64 s = 0;
  PortalReq *r = req_of("unit=Minute&unitTime=5");
  g_assert_true(admin_arg_unit(r, "unit", "unitTime", &s, &ar));
  g_assert_cmpint(s, ==, 60); /* the name wins */
  req_free(r);
  r = req_of("unitTime=90");
  g_assert_true(admin_arg_unit(r, "unit", "unitTime", &s, &ar));
  g_assert_cmpint(s, ==, 90);
  req_free(r);
  r = req_of("unit=fortnight");
  g_assert_false(admin_arg_unit(r, "unit", "unitTime", &s, &ar));
  g_assert_cmpstr(ar.field, ==, "unit");
  g_assert_nonnull(strstr(ar.message, "second, minute, hour or day"));
  admin_refusal_clear(&ar);
  req_free(r);
  r = req_of("unitTime=1h");
  g_assert_false(admin_arg_unit(r, "unit", "unitTime", &s, &ar));
  g_assert_cmpstr(ar.field, ==, "unit"); /* the form's field for either spelling */
  admin_refusal_clear(&ar);
  req_free(r);
  s = 3;
  r = req_of("other=1");
  g_assert_true(admin_arg_unit(r, "unit", "unitTime", &s, &ar));
  g_assert_cmpint(s, ==, 3);
  req_free(r);
}

static void test_flags(void) {
  PortalReq *r = req_of("a=true&b=on&c=1&d=TRUE&e=false&f=&g=yes");
  g_assert_cmpint(admin_arg_flag(r, "a"), ==, 1);
  g_assert_cmpint(admin_arg_flag(r, "b"), ==, 1);
  g_assert_cmpint(admin_arg_flag(r, "c"), ==, 1);
  g_assert_cmpint(admin_arg_flag(r, "d"), ==, 1);
  g_assert_cmpint(admin_arg_flag(r, "e"), ==, 0);
  g_assert_cmpint(admin_arg_flag(r, "f"), ==, 0);
  g_assert_cmpint(admin_arg_flag(r, "g"), ==, 0);
  g_assert_cmpint(admin_arg_flag(r, "missing"), ==, -1);
  req_free(r);
}

static void test_field_of(void) {
  static const char *const map[][2] = {
      {"headerName", "headerName"}, {"keyBy", "keyBy"}, {NULL, NULL}};
  g_assert_cmpstr(admin_field_of("headerName is needed with keyBy HEADER", map), ==, "headerName");
  g_assert_cmpstr(admin_field_of("keyBy is USER, ...", map), ==, "keyBy");
  g_assert_null(admin_field_of("something else", map));
  g_assert_null(admin_field_of(NULL, map));
}

static void test_refilled_field_is_escaped(void) {
  PortalReq *r = req_of("name=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&sliding=true");
  AdminRefusal ar = {0};
  admin_refusal_set(&ar, 400, "name", "a name <b>without</b> spaces");
  AdminForm f = {r, &ar};
  GString *out = g_string_new(NULL);
  admin_form_alert(out, &f);
  admin_input(out, &f, "text", "name", "Name", "default", NULL, "a hint");
  admin_check(out, &f, "sliding", "Sliding", FALSE);
  admin_check(out, &f, "stop", "Stop", TRUE); /* refused form: absent means unchecked */
  g_assert_null(strstr(out->str, "<script>"));
  g_assert_null(strstr(out->str, "<b>"));
  g_assert_nonnull(strstr(out->str, "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
  g_assert_nonnull(
      strstr(out->str, "aria-describedby=\"hint-name err-name\" aria-invalid=\"true\""));
  g_assert_nonnull(strstr(out->str,
                          "<p class=\"field-error\" id=\"err-name\">a name "
                          "&lt;b&gt;without&lt;/b&gt; spaces</p>"));
  g_assert_nonnull(strstr(out->str, "name=\"sliding\" value=\"true\" checked"));
  g_assert_null(strstr(out->str, "name=\"stop\" value=\"true\" checked"));
  g_assert_null(strstr(out->str, "default"));
  /* a fresh form: defaults, no alert, nothing marked invalid */
  AdminForm fresh = {r, NULL};
  g_string_truncate(out, 0);
  admin_form_alert(out, &fresh);
  admin_input(out, &fresh, "text", "name", "Name", "default", NULL, NULL);
  admin_check(out, &fresh, "stop", "Stop", TRUE);
  g_assert_nonnull(strstr(out->str, "value=\"default\""));
  g_assert_nonnull(strstr(out->str, "name=\"stop\" value=\"true\" checked"));
  g_assert_null(strstr(out->str, "invalid"));
  g_assert_null(strstr(out->str, "role=\"alert\""));
  g_string_free(out, TRUE);
  admin_refusal_clear(&ar);
  req_free(r);
}

static void test_unit_text(void) {
  g_autofree char *m = admin_unit_text(60);
  g_autofree char *o = admin_unit_text(90);
  g_assert_cmpstr(m, ==, "per minute");
  g_assert_cmpstr(o, ==, "per 90 s");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/admin_form/int_is_strict", test_int_is_strict);
  g_test_add_func("/admin_form/units", test_units);
  g_test_add_func("/admin_form/flags", test_flags);
  g_test_add_func("/admin_form/field_of", test_field_of);
  g_test_add_func("/admin_form/refilled_field_is_escaped", test_refilled_field_is_escaped);
  g_test_add_func("/admin_form/unit_text", test_unit_text);
  return g_test_run();
}
