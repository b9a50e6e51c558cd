/*
 * fuzz_oauth_form: the OAuth2 endpoints' request parsers (common/tg_form.c under
 * keyvalidator/oauth/form.c's bounds) on one input read three ways: as an x-www-form-urlencoded
 * body, as one form component and as an Authorization header value. Whatever a parser accepts is
 * within its bounds, and encoded again it parses to the same result.
 */
#include "config.h"

#include <string.h>

#include "form.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static char *escape(const char *s) { return g_uri_escape_string(s, NULL, FALSE); }

static void check_component(const char *s) {
  g_assert_true(g_utf8_validate(s, -1, NULL));
  g_assert_cmpuint(strlen(s), <=, HUB_FORM_MAX_VALUE);
}

static void check_form(const char *body, gsize len) {
  g_autoptr(GError) error = NULL;
  g_autoptr(TgForm) params = hub_form_parse(body, len, &error);
  if (params == NULL) {
    g_assert_error(error, TG_FORM_ERROR, error->code);
    return;
  }
  g_assert_no_error(error);
  g_assert_cmpuint(tg_form_count(params), <=, HUB_FORM_MAX_PARAMS);
  g_autoptr(GString) again = g_string_new(NULL);
  for (guint i = 0; i < tg_form_count(params); i++) {
    const char *name = tg_form_name(params, i), *value = tg_form_value(params, i);
    g_assert_cmpuint(strlen(name), <=, HUB_FORM_MAX_NAME);
    g_assert_cmpstr(tg_form_get(params, name), ==, value); /* names are unique */
    check_component(name);
    check_component(value);
    g_autofree char *n = escape(name), *v = escape(value);
    g_string_append_printf(again, "%s%s=%s", again->len ? "&" : "", n, v);
  }
  if (again->len > HUB_FORM_MAX_BODY) return; /* escaping can triple the size */
  g_autoptr(TgForm) reparsed = hub_form_parse(again->str, again->len, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(tg_form_count(reparsed), ==, tg_form_count(params));
  for (guint i = 0; i < tg_form_count(params); i++)
    g_assert_cmpstr(tg_form_get(reparsed, tg_form_name(params, i)), ==, tg_form_value(params, i));
}

static void check_component_decode(const char *s, gsize len) {
  g_autofree char *decoded = tg_form_decode(s, len, TRUE);
  if (decoded == NULL) return;
  g_assert_true(g_utf8_validate(decoded, -1, NULL));
  g_autofree char *escaped = escape(decoded);
  g_autofree char *again = tg_form_decode(escaped, strlen(escaped), TRUE);
  g_assert_cmpstr(again, ==, decoded);
}

static void check_basic(const char *header) {
  g_autofree char *id = NULL, *secret = NULL;
  HubBasicResult r = hub_basic_parse(header, &id, &secret);
  gboolean basic = g_ascii_strncasecmp(header, "Basic ", 6) == 0;
  g_assert_cmpint(r == HUB_BASIC_ABSENT, ==, !basic);
  if (r != HUB_BASIC_OK) {
    g_assert_null(id);
    g_assert_null(secret);
    return;
  }
  g_assert_cmpstr(id, !=, "");
  check_component(id);
  check_component(secret);
  g_autofree char *eid = escape(id), *esecret = escape(secret);
  g_autofree char *pair = g_strconcat(eid, ":", esecret, NULL);
  g_autofree char *b64 = g_base64_encode((const guchar *)pair, strlen(pair));
  g_autofree char *again = g_strconcat("Basic ", b64, NULL);
  g_autofree char *id2 = NULL, *secret2 = NULL;
  if (strlen(b64) > 4 * HUB_FORM_MAX_VALUE) return;
  g_assert_cmpint(hub_basic_parse(again, &id2, &secret2), ==, HUB_BASIC_OK);
  g_assert_cmpstr(id2, ==, id);
  g_assert_cmpstr(secret2, ==, secret);
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size) {
  /* exactly size bytes (not NUL-terminated), so ASan sees a read past the body */
  g_autofree char *body = size ? g_memdup2(data, size) : g_strdup("");
  check_form(body, size);
  check_component_decode(body, size);
  g_autofree char *header = g_strndup((const char *)data, size); /* a header stops at NUL */
  check_basic(header);
  return 0;
}
