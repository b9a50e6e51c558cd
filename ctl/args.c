/*
 * args: option table parser and the small validators of tollgatectl arguments. Only GLib is
 * used, so the unit test links this file alone. Trade-off: only the shape is checked here (a
 * typo fails at once with exit status 2); what needs the hub's data is left to the hub.
 */
#include "args.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK(ctl - usage - error - quark, ctl_usage_error)

static gboolean usage_error(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean usage_error(GError **error, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error_literal(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID, msg);
  return FALSE;
}

static const CtlOpt *find_option(const CtlOpt *opts, const char *name, gsize len) {
  if (len == 0) return NULL;
  for (const CtlOpt *o = opts; o && o->name; o++)
    if (strlen(o->name) == len && strncmp(o->name, name, len) == 0) return o;
  return NULL;
}

static gboolean store_value(const CtlOpt *o, const char *value, GError **error) {
  if (strlen(value) > CTL_MAX_VALUE_LEN)
    return usage_error(error, "--%s: value longer than %d bytes", o->name, CTL_MAX_VALUE_LEN);
  if (o->kind == CTL_OPT_STRING) {
    *(const char **)o->target = value;
    return TRUE;
  }
  GPtrArray **list = o->target;
  if (!*list) *list = g_ptr_array_new_with_free_func(g_free);
  if ((*list)->len >= CTL_MAX_REPEAT)
    return usage_error(error, "--%s: more than %d values", o->name, CTL_MAX_REPEAT);
  g_ptr_array_add(*list, g_strdup(value));
  return TRUE;
}

/* Handles argv[*i] (a "--name[=value]"); advances *i past a separate value. */
static gboolean parse_one_option(const CtlOpt *opts, const CtlOpt *more_opts, int argc, char **argv,
                                 int *i, GError **error) {
  const char *arg = argv[*i] + 2;
  const char *eq = strchr(arg, '=');
  gsize len = eq ? (gsize)(eq - arg) : strlen(arg);
  const CtlOpt *o = find_option(opts, arg, len);
  if (!o) o = find_option(more_opts, arg, len);
  if (!o) return usage_error(error, "unknown option --%.*s", (int)len, arg);
  if (o->kind == CTL_OPT_FLAG) {
    if (eq) return usage_error(error, "--%s takes no value", o->name);
    *(gboolean *)o->target = TRUE;
    return TRUE;
  }
  if (eq) return store_value(o, eq + 1, error);
  if (*i + 1 >= argc) return usage_error(error, "--%s needs a value", o->name);
  *i += 1;
  return store_value(o, argv[*i], error);
}

gboolean ctl_parse_options(const CtlOpt *opts, const CtlOpt *more_opts, int argc, char **argv,
                           GPtrArray *positional, GError **error) {
  gboolean options_done = FALSE;
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    if (!options_done && strcmp(arg, "--") == 0) {
      options_done = TRUE;
    } else if (!options_done && g_str_has_prefix(arg, "--") && arg[2]) {
      if (!parse_one_option(opts, more_opts, argc, argv, &i, error)) return FALSE;
    } else if (!options_done && arg[0] == '-' && arg[1] && strcmp(arg, "-") != 0) {
      return usage_error(error, "unknown option %s (options are --long)", arg);
    } else {
      if (strlen(arg) > CTL_MAX_VALUE_LEN)
        return usage_error(error, "argument longer than %d bytes", CTL_MAX_VALUE_LEN);
      g_ptr_array_add(positional, (gpointer)arg);
    }
  }
  return TRUE;
}

int ctl_parse_leading_options(const CtlOpt *opts, int argc, char **argv, GError **error) {
  int i = 0;
  for (; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--") == 0) return i + 1;
    if (!g_str_has_prefix(arg, "--") || !arg[2]) break;
    if (!parse_one_option(opts, NULL, argc, argv, &i, error)) return -1;
  }
  return i;
}

static gboolean has_space_or_control(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p <= ' ' || *p == 0x7f) return TRUE;
  return FALSE;
}

char *ctl_normalize_context(const char *text, GError **error) {
  const char *body = text[0] == '/' ? text + 1 : text;
  if (!*body) {
    usage_error(error, "empty API context");
    return NULL;
  }
  if (has_space_or_control(text) || strchr(text, ':') || strchr(text, '?')) {
    usage_error(error, "bad API context '%s' (expected /name, no spaces, ':' or '?')", text);
    return NULL;
  }
  return g_strconcat("/", body, NULL);
}

gboolean ctl_split_api_ref(const char *text, char **context, char **version, GError **error) {
  const char *colon = strrchr(text, ':');
  if (!colon || colon == text || !colon[1])
    return usage_error(
        error, "bad API reference '%s' (expected CONTEXT:VERSION, e.g. /pizza:1.0.0)", text);
  const char *ver = colon + 1;
  if (has_space_or_control(ver) || strchr(ver, '/'))
    return usage_error(error, "bad API version '%s'", ver);
  g_autofree char *ctx_text = g_strndup(text, colon - text);
  char *ctx = ctl_normalize_context(ctx_text, error);
  if (!ctx) return FALSE;
  *context = ctx;
  *version = g_strdup(ver);
  return TRUE;
}

static const char *const http_verbs[] = {"GET",   "POST", "PUT",     "DELETE",
                                         "PATCH", "HEAD", "OPTIONS", NULL};
static const char *const auth_types[] = {"Any", "Application", "Application_User", "None", NULL};
static const char *const key_types[] = {"PRODUCTION", "SANDBOX", NULL};
static const char *const doc_types[] = {
    "HOWTO", "SAMPLES", "PUBLIC_FORUM", "SUPPORT_FORUM", "API_MESSAGE_FORMAT", "OTHER", NULL};

/* The canonical spelling of text in names (compared without case), or NULL. */
static const char *canonical_name(const char *const *names, const char *text) {
  for (const char *const *n = names; *n; n++)
    if (g_ascii_strcasecmp(*n, text) == 0) return *n;
  return NULL;
}

static gboolean fail_choice(GError **error, const char *what, const char *text,
                            const char *const *names) {
  g_autofree char *choices = g_strjoinv(", ", (char **)names);
  return usage_error(error, "bad %s '%s' (one of %s)", what, text, choices);
}

void ctl_resource_spec_free(CtlResourceSpec *r) {
  if (!r) return;
  g_free(r->verb);
  g_free(r->uri_template);
  g_free(r->auth_type);
  g_free(r->tier);
  g_free(r->scope);
  g_free(r);
}

CtlResourceSpec *ctl_parse_resource_spec(const char *spec, GError **error) {
  g_auto(GStrv) words = g_strsplit_set(spec, " \t", -1);
  g_autoptr(GPtrArray) w = g_ptr_array_new();
  for (char **p = words; *p; p++)
    if (**p) g_ptr_array_add(w, *p);
  if (w->len < 2 || w->len > 5) {
    usage_error(
        error, "bad --resource '%s' (expected \"VERB /template [AUTHTYPE [TIER [SCOPE]]]\")", spec);
    return NULL;
  }
  const char *verb = canonical_name(http_verbs, w->pdata[0]);
  const char *auth = w->len > 2 ? canonical_name(auth_types, w->pdata[2]) : "Any";
  if (!verb) {
    fail_choice(error, "HTTP verb", w->pdata[0], http_verbs);
    return NULL;
  }
  if (((char *)w->pdata[1])[0] != '/') {
    usage_error(error, "bad URI template '%s' (must start with '/')", (char *)w->pdata[1]);
    return NULL;
  }
  if (!auth) {
    fail_choice(error, "auth type", w->pdata[2], auth_types);
    return NULL;
  }
  CtlResourceSpec *r = g_new0(CtlResourceSpec, 1);
  r->verb = g_strdup(verb);
  r->uri_template = g_strdup(w->pdata[1]);
  r->auth_type = g_strdup(auth);
  r->tier = g_strdup(w->len > 3 ? w->pdata[3] : "Unlimited");
  r->scope = g_strdup(w->len > 4 ? w->pdata[4] : "");
  return r;
}

const char *ctl_check_key_type(const char *text, GError **error) {
  const char *name = canonical_name(key_types, text);
  if (!name) fail_choice(error, "key type", text, key_types);
  return name;
}

const char *ctl_check_doc_type(const char *text, GError **error) {
  const char *name = canonical_name(doc_types, text);
  if (!name) fail_choice(error, "document type", text, doc_types);
  return name;
}

GPtrArray *ctl_split_list(const char *text, GError **error) {
  g_auto(GStrv) parts = g_strsplit(text, ",", -1);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
  for (char **p = parts; *p; p++) {
    g_strstrip(*p);
    if (!**p) continue;
    if (items->len >= CTL_MAX_REPEAT) {
      usage_error(error, "list with more than %d items", CTL_MAX_REPEAT);
      return NULL;
    }
    g_ptr_array_add(items, g_strdup(*p));
  }
  return g_steal_pointer(&items);
}

gboolean ctl_parse_int64(const char *text, const char *what, gint64 min, gint64 max, gint64 *out,
                         GError **error) {
  char *end = NULL;
  errno = 0;
  long long v = strtoll(text, &end, 10);
  gboolean starts_ok = g_ascii_isdigit(text[0]) || (text[0] == '-' && g_ascii_isdigit(text[1]));
  if (!starts_ok || *end || errno == ERANGE || v < min || v > max)
    return usage_error(error,
                       "bad %s '%s' (an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ")",
                       what, text, min, max);
  *out = v;
  return TRUE;
}
