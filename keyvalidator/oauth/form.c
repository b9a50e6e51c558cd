/*
 * form.c: x-www-form-urlencoded bodies and HTTP Basic client credentials for
 * the OAuth2 endpoints. A hand-rolled splitter instead of g_uri_parse_params
 * because RFC 6749 3.2 forbids repeated parameters and g_uri_parse_params
 * silently keeps the last one; decoding itself is GLib's (no NUL, valid UTF-8).
 */
#include "config.h"

#include <string.h>

#include "form.h"

G_DEFINE_QUARK(hub - form - error - quark, hub_form_error)

char *hub_form_decode(const char *s, gsize len, GError **error) {
  if (len > HUB_FORM_MAX_VALUE * 3) {
    g_set_error(error, HUB_FORM_ERROR, HUB_FORM_ERROR_TOO_LARGE, "parameter too long");
    return NULL;
  }
  g_autofree char *plus = g_strndup(s, len);
  if (strlen(plus) != len) {
    g_set_error(error, HUB_FORM_ERROR, HUB_FORM_ERROR_MALFORMED, "NUL byte in form data");
    return NULL;
  }
  for (char *p = plus; *p; p++)
    if (*p == '+') *p = ' ';
  char *out = g_uri_unescape_segment(plus, NULL, NULL);
  if (out == NULL || !g_utf8_validate(out, -1, NULL)) {
    g_free(out);
    g_set_error(error, HUB_FORM_ERROR, HUB_FORM_ERROR_MALFORMED, "malformed form encoding");
    return NULL;
  }
  if (strlen(out) > HUB_FORM_MAX_VALUE) {
    g_free(out);
    g_set_error(error, HUB_FORM_ERROR, HUB_FORM_ERROR_TOO_LARGE, "parameter too long");
    return NULL;
  }
  return out;
}

static gboolean form_add_pair(GHashTable *params, const char *pair, gsize len, GError **error) {
  const char *eq = memchr(pair, '=', len);
  gsize name_len = eq ? (gsize)(eq - pair) : len;
  g_autofree char *name = hub_form_decode(pair, name_len, error);
  if (name == NULL) return FALSE;
  char *value = eq ? hub_form_decode(eq + 1, len - name_len - 1, error) : g_strdup("");
  if (value == NULL) return FALSE;
  if (g_hash_table_contains(params, name)) {
    g_free(value);
    g_set_error(error, HUB_FORM_ERROR, HUB_FORM_ERROR_DUPLICATE, "parameter %s repeated", name);
    return FALSE;
  }
  if (g_hash_table_size(params) >= HUB_FORM_MAX_PARAMS) {
    g_free(value);
    g_set_error(error, HUB_FORM_ERROR, HUB_FORM_ERROR_TOO_LARGE, "too many parameters");
    return FALSE;
  }
  g_hash_table_insert(params, g_steal_pointer(&name), value);
  return TRUE;
}

GHashTable *hub_form_parse(const char *body, gsize len, GError **error) {
  if (len > HUB_FORM_MAX_BODY) {
    g_set_error(error, HUB_FORM_ERROR, HUB_FORM_ERROR_TOO_LARGE, "body too large");
    return NULL;
  }
  g_autoptr(GHashTable) params = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  gsize start = 0;
  while (body != NULL && start <= len) {
    const char *amp = memchr(body + start, '&', len - start);
    gsize end = amp ? (gsize)(amp - body) : len;
    if (end > start && !form_add_pair(params, body + start, end - start, error)) return NULL;
    start = end + 1;
  }
  return g_steal_pointer(&params);
}

HubBasicResult hub_basic_parse(const char *authorization, char **client_id, char **client_secret) {
  *client_id = *client_secret = NULL;
  if (authorization == NULL || g_ascii_strncasecmp(authorization, "Basic ", 6) != 0)
    return HUB_BASIC_ABSENT;
  const char *b64 = authorization + 6;
  while (*b64 == ' ') b64++;
  gsize b64_len = strlen(b64);
  while (b64_len > 0 && b64[b64_len - 1] == ' ') b64_len--;
  if (b64_len == 0 || b64_len > 4 * HUB_FORM_MAX_VALUE || b64_len % 4 != 0)
    return HUB_BASIC_MALFORMED;
  for (gsize i = 0; i < b64_len; i++)
    if (!g_ascii_isalnum(b64[i]) && b64[i] != '+' && b64[i] != '/' && b64[i] != '=')
      return HUB_BASIC_MALFORMED;
  g_autofree char *copy = g_strndup(b64, b64_len);
  gsize raw_len = 0;
  g_autofree guchar *raw = g_base64_decode(copy, &raw_len);
  const char *colon = raw ? memchr(raw, ':', raw_len) : NULL;
  if (colon == NULL) return HUB_BASIC_MALFORMED;
  gsize id_len = (gsize)(colon - (const char *)raw);
  g_autofree char *id = hub_form_decode((const char *)raw, id_len, NULL);
  g_autofree char *secret = hub_form_decode(colon + 1, raw_len - id_len - 1, NULL);
  if (id == NULL || secret == NULL || *id == '\0') return HUB_BASIC_MALFORMED;
  *client_id = g_steal_pointer(&id);
  *client_secret = g_steal_pointer(&secret);
  return HUB_BASIC_OK;
}
