/*
 * publisher_form: the API form's text formats (see publisher_form.h). The lifecycle
 * the pages offer is common/tg_lifecycle.c's table, the one the hub enforces.
 */
#include "publisher_form.h"

#include <string.h>

G_DEFINE_QUARK(publisher - form - error - quark, publisher_form_error)

static const char *const VERBS[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
static const char *const AUTHS[] = {"Any", "Application", "Application_User", "None"};

static const char *canonical(const char *word, const char *const *set, guint n) {
  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp(word, set[i]) == 0) return set[i];
  return NULL;
}

static gboolean parse_line(const char *line, guint lineno, TgResource *r, GError **error) {
  g_auto(GStrv) w = g_strsplit_set(line, " \t", -1);
  const char *words[5] = {NULL};
  guint n = 0;
  for (guint i = 0; w[i]; i++) {
    if (!*w[i]) continue;
    if (n == G_N_ELEMENTS(words)) {
      g_set_error(error, PUBLISHER_FORM_ERROR, 1,
                  "resource line %u: at most 5 words "
                  "(VERB /template auth tier scope)",
                  lineno);
      return FALSE;
    }
    words[n++] = w[i];
  }
  const char *verb = canonical(words[0], VERBS, G_N_ELEMENTS(VERBS));
  if (!verb) {
    g_set_error(error, PUBLISHER_FORM_ERROR, 1,
                "resource line %u: \"%s\" is not one of GET POST PUT "
                "DELETE PATCH HEAD OPTIONS",
                lineno, words[0]);
    return FALSE;
  }
  if (n < 2 || words[1][0] != '/') {
    g_set_error(error, PUBLISHER_FORM_ERROR, 1,
                "resource line %u: the URI template must follow the verb "
                "and start with / (GET /items/{id})",
                lineno);
    return FALSE;
  }
  const char *auth = n > 2 ? canonical(words[2], AUTHS, G_N_ELEMENTS(AUTHS)) : "Any";
  if (!auth) {
    g_set_error(error, PUBLISHER_FORM_ERROR, 1,
                "resource line %u: auth type \"%s\" is not one of Any, "
                "Application, Application_User, None",
                lineno, words[2]);
    return FALSE;
  }
  r->verb = g_strdup(verb);
  r->uriTemplate = g_strdup(words[1]);
  r->authType = g_strdup(auth);
  r->throttlingTier = g_strdup(n > 3 ? words[3] : "Unlimited");
  r->scope = g_strdup(n > 4 ? words[4] : "");
  r->__isset_verb = r->__isset_uriTemplate = r->__isset_authType = TRUE;
  r->__isset_throttlingTier = r->__isset_scope = TRUE;
  return TRUE;
}

gboolean publisher_parse_resources(const char *text, GPtrArray *out, GError **error) {
  g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    char *line = g_strstrip(lines[i]);
    if (!*line) continue;
    if (out->len >= PUBLISHER_MAX_RESOURCES) {
      g_set_error(error, PUBLISHER_FORM_ERROR, 1, "more than %d resources",
                  PUBLISHER_MAX_RESOURCES);
      return FALSE;
    }
    TgResource *r = g_object_new(TG_TYPE_RESOURCE, NULL);
    if (!parse_line(line, i + 1, r, error)) {
      g_object_unref(r);
      return FALSE;
    }
    g_ptr_array_add(out, r);
  }
  return TRUE;
}

char *publisher_format_resources(const GPtrArray *resources) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; resources && i < resources->len; i++) {
    const TgResource *r = g_ptr_array_index(resources, i);
    g_string_append_printf(
        s, "%s %s %s %s", r->verb ? r->verb : "GET", r->uriTemplate ? r->uriTemplate : "/*",
        r->authType && *r->authType ? r->authType : "Any",
        r->throttlingTier && *r->throttlingTier ? r->throttlingTier : "Unlimited");
    if (r->scope && *r->scope) g_string_append_printf(s, " %s", r->scope);
    g_string_append_c(s, '\n');
  }
  return g_string_free(s, FALSE);
}

void publisher_parse_list(const char *text, GPtrArray *out, gboolean lower, guint max) {
  g_auto(GStrv) items = g_strsplit_set(text ? text : "", ",\n", -1);
  for (guint i = 0; items[i] && out->len < max; i++) {
    char *item = g_strstrip(items[i]);
    if (*item) g_ptr_array_add(out, lower ? g_utf8_strdown(item, -1) : g_strdup(item));
  }
}

char *publisher_join_list(const GPtrArray *items) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; items && i < items->len; i++)
    g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(items, i));
  return g_string_free(s, FALSE);
}

gboolean publisher_split_api_path(const char *rest, char **context, char **version) {
  const char *slash = rest ? strrchr(rest, '/') : NULL;
  if (!slash || slash == rest || !slash[1]) return FALSE;
  const char *start = rest[0] == '/' ? rest + 1 : rest;
  if (start >= slash) return FALSE;
  *context = g_strdup_printf("/%.*s", (int)(slash - start), start);
  *version = g_strdup(slash + 1);
  return TRUE;
}

char *publisher_api_path(const char *context, const char *version) {
  const char *c = context ? context : "";
  return g_strdup_printf("%s/%s", c[0] == '/' ? c + 1 : c, version ? version : "");
}
