/*
 * uri_template: parse and match resource templates (see uri_template.h).
 *
 * Matching walks the template segments and the path segments side by side
 * without allocating: a literal compares bytes, a {param} accepts any one
 * segment, a trailing "*" accepts the rest. The trade-off: no regular
 * expressions and no partial-segment parameters ("/a{b}c"), which WSO2's
 * resource templates do not need in practice.
 */
#include "gateway_error.h"
#include "uri_template.h"

#include <string.h>

typedef enum { SEG_LITERAL, SEG_PARAM, SEG_REST } SegKind;

typedef struct {
  SegKind kind;
  char *text; /* the literal, or the parameter name */
} Segment;

struct UriTemplate {
  char *text;
  GArray *segments; /* Segment */
  guint literals;
  guint params;
  gboolean rest;
};

static void segment_clear(gpointer p) {
  g_free(((Segment *)p)->text);
}

void uri_template_free(UriTemplate *t) {
  if (!t) return;
  g_array_unref(t->segments);
  g_free(t->text);
  g_free(t);
}

const char *uri_template_text(const UriTemplate *t) { return t->text; }

static gboolean add_segment(UriTemplate *t, const char *seg, gsize len, gboolean last,
                            GError **error) {
  Segment s = {0};
  if (len == 1 && seg[0] == '*') {
    if (!last) {
      g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_INVALID,
                  "template %s: '*' must be the last segment", t->text);
      return FALSE;
    }
    s.kind = SEG_REST;
    t->rest = TRUE;
  } else if (seg[0] == '{') {
    if (len < 3 || seg[len - 1] != '}' || memchr(seg + 1, '{', len - 2) ||
        memchr(seg + 1, '}', len - 2)) {
      g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_INVALID,
                  "template %s: malformed parameter segment", t->text);
      return FALSE;
    }
    s.kind = SEG_PARAM;
    s.text = g_strndup(seg + 1, len - 2);
    t->params++;
  } else {
    if (memchr(seg, '{', len) || memchr(seg, '}', len)) {
      g_set_error(error, TG_GATEWAY_ERROR, TG_GATEWAY_ERROR_INVALID,
                  "template %s: braces must enclose a whole segment", t->text);
      return FALSE;
    }
    s.kind = SEG_LITERAL;
    s.text = g_strndup(seg, len);
    t->literals++;
  }
  g_array_append_val(t->segments, s);
  return TRUE;
}

UriTemplate *uri_template_parse(const char *text, GError **error) {
  g_autoptr(UriTemplate) t = g_new0(UriTemplate, 1);
  t->text = g_strdup(text ? text : "");
  t->segments = g_array_new(FALSE, FALSE, sizeof(Segment));
  g_array_set_clear_func(t->segments, segment_clear);
  gsize end = strcspn(t->text, "?");
  const char *p = t->text, *stop = t->text + end;
  while (p < stop) {
    while (p < stop && *p == '/') p++;
    if (p >= stop) break;
    const char *q = p;
    while (q < stop && *q != '/') q++;
    const char *next = q;
    while (next < stop && *next == '/') next++;
    if (!add_segment(t, p, (gsize)(q - p), next >= stop, error)) return NULL;
    p = q;
  }
  return g_steal_pointer(&t);
}

/* Next non-empty segment of *path: returns its start and sets *len; NULL at the end. */
static const char *next_path_segment(const char **path, gsize *len) {
  const char *p = *path;
  while (*p == '/') p++;
  if (!*p) {
    *path = p;
    return NULL;
  }
  const char *q = p + strcspn(p, "/");
  *len = (gsize)(q - p);
  *path = q;
  return p;
}

gboolean uri_template_match(const UriTemplate *t, const char *path) {
  const char *cursor = path ? path : "";
  for (guint i = 0; i < t->segments->len; i++) {
    const Segment *s = &g_array_index(t->segments, Segment, i);
    if (s->kind == SEG_REST) return TRUE;
    gsize len = 0;
    const char *seg = next_path_segment(&cursor, &len);
    if (!seg) return FALSE;
    if (s->kind == SEG_LITERAL && (strlen(s->text) != len || memcmp(s->text, seg, len) != 0))
      return FALSE;
  }
  gsize len = 0;
  return next_path_segment(&cursor, &len) == NULL;
}

int uri_template_compare_specificity(const UriTemplate *a, const UriTemplate *b) {
  if (a->literals != b->literals) return a->literals > b->literals ? -1 : 1;
  if (a->rest != b->rest) return a->rest ? 1 : -1;
  if (a->segments->len != b->segments->len) return a->segments->len > b->segments->len ? -1 : 1;
  if (a->params != b->params) return a->params < b->params ? -1 : 1;
  return strcmp(a->text, b->text);
}
