/*
 * form.c: the OAuth2 endpoints' form bounds over common/tg_form.c (one parser for the hub
 * and the portal), and HTTP Basic client credentials, whose halves are form-encoded.
 */
#include "config.h"

#include <string.h>

#include "form.h"

static const TgFormLimits oauth_limits = {
    .max_body = HUB_FORM_MAX_BODY,
    .max_fields = HUB_FORM_MAX_PARAMS,
    .max_name = HUB_FORM_MAX_NAME,
    .max_value = HUB_FORM_MAX_VALUE,
    .unique = TRUE,
};

TgForm *hub_form_parse(const char *body, gsize len, GError **error) {
  return tg_form_parse(body, len, &oauth_limits, error);
}

/* One %-encoded half of the Basic credentials, within the value bound, or NULL. */
static char *basic_half(const char *s, gsize len) {
  char *out = tg_form_decode(s, len, TRUE);
  if (out != NULL && strlen(out) > HUB_FORM_MAX_VALUE) g_clear_pointer(&out, g_free);
  return out;
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
  g_autofree char *id = basic_half((const char *)raw, id_len);
  g_autofree char *secret = basic_half(colon + 1, raw_len - id_len - 1);
  if (id == NULL || secret == NULL || *id == '\0') return HUB_BASIC_MALFORMED;
  *client_id = g_steal_pointer(&id);
  *client_secret = g_steal_pointer(&secret);
  return HUB_BASIC_OK;
}
