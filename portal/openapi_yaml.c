/*
 * openapi_yaml: YAML events to a JsonNode tree (openapi_yaml.h). One pass over
 * libyaml's events with a stack of open mappings and sequences. An alias
 * shares its anchor's node (json_node_copy is shallow), so memory stays linear,
 * while its size counts as if it were copied: that count is what is bounded.
 * The emitter walks a tree the portal built itself (recursion is safe there).
 */
#include "openapi_yaml.h"

#include <gio/gio.h>
#include <string.h>
#include <yaml.h>

#define TAG_PREFIX "tag:yaml.org,2002:"

typedef struct Frame {
  JsonNode *node; /* an object or an array being filled */
  char *key;      /* a mapping's key waiting for its value; NULL: the next scalar is a key */
  char *anchor;   /* registered when the frame closes */
  guint nodes;    /* nodes in this subtree, aliases counted as copies */
  int height;     /* levels of containers below and including this one */
} Frame;

typedef struct Anchor {
  JsonNode *node;
  guint nodes;
  int height;
} Anchor;

typedef struct Builder {
  const YamlLimits *limits;
  GArray *stack;       /* of Frame */
  GHashTable *anchors; /* name -> Anchor */
  JsonNode *root;
  guint alias_nodes;
  int documents;
} Builder;

static void fail_at(GError **error, const yaml_event_t *ev, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
static void fail_at(GError **error, const yaml_event_t *ev, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "YAML line %zu: %s",
              ev->start_mark.line + 1, msg);
}

static void anchor_free(gpointer p) {
  Anchor *a = p;
  json_node_unref(a->node);
  g_free(a);
}

static void frame_clear(Frame *f) {
  if (f->node) json_node_unref(f->node);
  g_free(f->key);
  g_free(f->anchor);
}

static void remember(Builder *b, const char *anchor, JsonNode *node, guint nodes, int height) {
  if (!anchor) return;
  Anchor *a = g_new0(Anchor, 1);
  a->node = json_node_ref(node);
  a->nodes = nodes;
  a->height = height;
  g_hash_table_replace(b->anchors, g_strdup(anchor), a);
}

/* Puts a finished node (taken) where the open frame expects it, or makes it the root. */
static gboolean place(Builder *b, const yaml_event_t *ev, JsonNode *node, guint nodes, int height,
                      GError **error) {
  if (b->stack->len == 0) {
    b->root = node;
    return TRUE;
  }
  Frame *top = &g_array_index(b->stack, Frame, b->stack->len - 1);
  top->nodes += nodes;
  top->height = MAX(top->height, height + 1);
  if (JSON_NODE_HOLDS_ARRAY(top->node)) {
    json_array_add_element(json_node_get_array(top->node), node);
    return TRUE;
  }
  if (!top->key) {
    json_node_unref(node);
    fail_at(error, ev, "a mapping key must be a plain or quoted text (no list, mapping or alias)");
    return FALSE;
  }
  json_object_set_member(json_node_get_object(top->node), top->key, node);
  g_clear_pointer(&top->key, g_free);
  return TRUE;
}

/* TRUE when the open frame is a mapping waiting for a key. */
static gboolean wants_key(Builder *b) {
  if (b->stack->len == 0) return FALSE;
  Frame *top = &g_array_index(b->stack, Frame, b->stack->len - 1);
  return JSON_NODE_HOLDS_OBJECT(top->node) && !top->key;
}

static gboolean set_key(Builder *b, const yaml_event_t *ev, GError **error) {
  Frame *top = &g_array_index(b->stack, Frame, b->stack->len - 1);
  const char *k = (const char *)ev->data.scalar.value;
  if (json_object_has_member(json_node_get_object(top->node), k)) {
    fail_at(error, ev, "the key \"%s\" appears twice in one mapping", k);
    return FALSE;
  }
  top->key = g_strdup(k);
  return TRUE;
}

static gboolean all_digits(const char *s, const char *set) {
  if (!*s) return FALSE;
  for (; *s; s++)
    if (!strchr(set, *s)) return FALSE;
  return TRUE;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? (the core schema's float) */
static gboolean is_float(const char *s) {
  if (*s == '-' || *s == '+') s++;
  gsize lead = strspn(s, "0123456789");
  s += lead;
  gsize frac = 0;
  if (*s == '.') {
    frac = strspn(++s, "0123456789");
    s += frac;
  }
  if (!lead && !frac) return FALSE;
  if (*s == 'e' || *s == 'E') {
    s++;
    if (*s == '-' || *s == '+') s++;
    gsize exp = strspn(s, "0123456789");
    if (!exp) return FALSE;
    s += exp;
  }
  return *s == '\0';
}

/* An integer of the core schema into *out; FALSE when s is not one (or overflows). */
static gboolean core_int(const char *s, gint64 *out) {
  guint base = 10;
  const char *digits = s;
  if (g_str_has_prefix(s, "0o") && all_digits(s + 2, "01234567")) {
    base = 8;
    digits = s + 2;
  } else if (g_str_has_prefix(s, "0x") && all_digits(s + 2, "0123456789abcdefABCDEF")) {
    base = 16;
    digits = s + 2;
  } else if (!all_digits(s + (*s == '-' || *s == '+'), "0123456789")) {
    return FALSE;
  }
  return g_ascii_string_to_signed(digits, base, G_MININT64, G_MAXINT64, out, NULL);
}

/* The core schema's reading of a plain scalar. */
static JsonNode *plain_scalar(const char *s) {
  static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
  static const char *const trues[] = {"true", "True", "TRUE"};
  static const char *const falses[] = {"false", "False", "FALSE"};
  JsonNode *n = json_node_alloc();
  for (guint i = 0; i < G_N_ELEMENTS(nulls); i++)
    if (!strcmp(s, nulls[i])) return json_node_init_null(n);
  for (guint i = 0; i < G_N_ELEMENTS(trues); i++)
    if (!strcmp(s, trues[i])) return json_node_init_boolean(n, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS(falses); i++)
    if (!strcmp(s, falses[i])) return json_node_init_boolean(n, FALSE);
  gint64 v;
  if (core_int(s, &v)) return json_node_init_int(n, v);
  if (is_float(s) || all_digits(s + (*s == '-' || *s == '+'), "0123456789"))
    return json_node_init_double(n, g_ascii_strtod(s, NULL));
  return json_node_init_string(n, s);
}

/* A scalar with an explicit tag: only the core schema's, and the text must fit it. */
static JsonNode *tagged_scalar(const yaml_event_t *ev, const char *tag, GError **error) {
  const char *s = (const char *)ev->data.scalar.value;
  if (!strcmp(tag, "!") || !strcmp(tag, TAG_PREFIX "str"))
    return json_node_init_string(json_node_alloc(), s);
  if (g_str_has_prefix(tag, TAG_PREFIX)) {
    const char *t = tag + strlen(TAG_PREFIX);
    JsonNode *n = plain_scalar(s);
    JsonNodeType nt = json_node_get_node_type(n);
    GType vt = nt == JSON_NODE_VALUE ? json_node_get_value_type(n) : G_TYPE_INVALID;
    if ((!strcmp(t, "null") && nt == JSON_NODE_NULL) ||
        (!strcmp(t, "bool") && vt == G_TYPE_BOOLEAN) || (!strcmp(t, "int") && vt == G_TYPE_INT64) ||
        (!strcmp(t, "float") && (vt == G_TYPE_DOUBLE || vt == G_TYPE_INT64)))
      return n;
    json_node_unref(n);
    if (!strcmp(t, "null") || !strcmp(t, "bool") || !strcmp(t, "int") || !strcmp(t, "float")) {
      fail_at(error, ev, "\"%s\" is not a valid !!%s", s, t);
      return NULL;
    }
  }
  fail_at(error, ev,
          "the tag %s is not accepted: use plain YAML (only !!str, !!int, !!float, !!bool, "
          "!!null, !!map and !!seq)",
          tag);
  return NULL;
}

static gboolean on_scalar(Builder *b, const yaml_event_t *ev, GError **error) {
  const char *s = (const char *)ev->data.scalar.value;
  if (memchr(s, '\0', ev->data.scalar.length)) {
    fail_at(error, ev, "a text contains a NUL character");
    return FALSE;
  }
  const char *tag = (const char *)ev->data.scalar.tag;
  JsonNode *n = NULL;
  if (tag && !(n = tagged_scalar(ev, tag, error))) return FALSE;
  if (wants_key(b)) { /* a key is its text, whatever its tag said */
    if (n) json_node_unref(n);
    return set_key(b, ev, error);
  }
  if (!n)
    n = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
            ? plain_scalar(s)
            : json_node_init_string(json_node_alloc(), s);
  remember(b, (const char *)ev->data.scalar.anchor, n, 1, 0);
  return place(b, ev, n, 1, 0, error);
}

static gboolean collection_tag_ok(const yaml_event_t *ev, const char *tag, const char *want,
                                  GError **error) {
  if (!tag || !strcmp(tag, "!") || !strcmp(tag, want)) return TRUE;
  fail_at(error, ev,
          "the tag %s is not accepted: use plain YAML (only !!str, !!int, !!float, !!bool, "
          "!!null, !!map and !!seq)",
          tag);
  return FALSE;
}

static gboolean on_start(Builder *b, const yaml_event_t *ev, gboolean mapping, GError **error) {
  const char *tag =
      (const char *)(mapping ? ev->data.mapping_start.tag : ev->data.sequence_start.tag);
  const char *anchor =
      (const char *)(mapping ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor);
  if (!collection_tag_ok(ev, tag, mapping ? TAG_PREFIX "map" : TAG_PREFIX "seq", error))
    return FALSE;
  if ((int)b->stack->len >= b->limits->max_depth) {
    fail_at(error, ev, "the document nests deeper than %d levels", b->limits->max_depth);
    return FALSE;
  }
  if (b->stack->len) {
    Frame *top = &g_array_index(b->stack, Frame, b->stack->len - 1);
    if (JSON_NODE_HOLDS_OBJECT(top->node) && !top->key) {
      fail_at(error, ev,
              "a mapping key must be a plain or quoted text (no list, mapping or alias)");
      return FALSE;
    }
  }
  Frame f = {0};
  f.node = mapping ? json_node_init_object(json_node_alloc(), json_object_new())
                   : json_node_init_array(json_node_alloc(), json_array_new());
  if (mapping)
    json_object_unref(json_node_get_object(f.node));
  else
    json_array_unref(json_node_get_array(f.node));
  f.anchor = g_strdup(anchor);
  f.nodes = 1;
  f.height = 1;
  g_array_append_val(b->stack, f);
  return TRUE;
}

static gboolean on_end(Builder *b, const yaml_event_t *ev, GError **error) {
  Frame f = g_array_index(b->stack, Frame, b->stack->len - 1);
  g_array_set_size(b->stack, b->stack->len - 1);
  remember(b, f.anchor, f.node, f.nodes, f.height);
  g_free(f.anchor);
  g_free(f.key);
  return place(b, ev, f.node, f.nodes, f.height, error);
}

static gboolean on_alias(Builder *b, const yaml_event_t *ev, GError **error) {
  const char *name = (const char *)ev->data.alias.anchor;
  Anchor *a = g_hash_table_lookup(b->anchors, name);
  if (!a) {
    fail_at(error, ev, "the alias *%s names no anchor defined before it", name);
    return FALSE;
  }
  if ((int)b->stack->len + a->height > b->limits->max_depth) {
    fail_at(error, ev, "the alias *%s nests the document deeper than %d levels", name,
            b->limits->max_depth);
    return FALSE;
  }
  if (a->nodes > b->limits->max_alias_nodes - b->alias_nodes) {
    fail_at(error, ev,
            "aliases expand to more than %u nodes: write the repeated parts out, or use $ref",
            b->limits->max_alias_nodes);
    return FALSE;
  }
  b->alias_nodes += a->nodes;
  return place(b, ev, json_node_copy(a->node), a->nodes, a->height, error);
}

static gboolean on_event(Builder *b, const yaml_event_t *ev, GError **error) {
  switch (ev->type) {
  case YAML_DOCUMENT_START_EVENT:
    if (++b->documents > 1) {
      fail_at(error, ev, "a second YAML document (---): send one OpenAPI document at a time");
      return FALSE;
    }
    return TRUE;
  case YAML_SCALAR_EVENT:
    return on_scalar(b, ev, error);
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT:
    return on_start(b, ev, ev->type == YAML_MAPPING_START_EVENT, error);
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    return on_end(b, ev, error);
  case YAML_ALIAS_EVENT:
    return on_alias(b, ev, error);
  default:
    return TRUE;
  }
}

static void syntax_error(const yaml_parser_t *p, GError **error) {
  g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
              "not valid YAML: line %zu column %zu: %s%s%s", p->problem_mark.line + 1,
              p->problem_mark.column + 1, p->problem ? p->problem : "syntax error",
              p->context ? " " : "", p->context ? p->context : "");
}

JsonNode *openapi_yaml_parse(const char *text, gsize len, const YamlLimits *limits,
                             GError **error) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED, "out of memory");
    return NULL;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  Builder b = {.limits = limits,
               .stack = g_array_new(FALSE, TRUE, sizeof(Frame)),
               .anchors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, anchor_free)};
  gboolean ok = TRUE, done = FALSE;
  while (ok && !done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      syntax_error(&parser, error);
      ok = FALSE;
      break;
    }
    done = ev.type == YAML_STREAM_END_EVENT;
    ok = on_event(&b, &ev, error);
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  for (guint i = 0; i < b.stack->len; i++) frame_clear(&g_array_index(b.stack, Frame, i));
  g_array_free(b.stack, TRUE);
  g_hash_table_destroy(b.anchors);
  if (!ok) {
    if (b.root) json_node_unref(b.root);
    return NULL;
  }
  return b.root ? b.root : json_node_init_null(json_node_alloc());
}

/* ------------------------------------------------------------------ emit */

static int append_output(void *data, unsigned char *buffer, size_t size) {
  g_string_append_len(data, (const char *)buffer, (gssize)size);
  return 1;
}

/* Plain only when the core schema reads it back as this text and a YAML 1.1
   reader would too (no yes/no/on/off, nothing that starts like a number). */
static gboolean plain_is_text(const char *s) {
  static const char *const words[] = {"y", "n", "yes", "no", "on", "off"};
  if (!*s || g_ascii_isdigit(*s) || strchr("+-.", *s)) return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS(words); i++)
    if (g_ascii_strcasecmp(s, words[i]) == 0) return FALSE;
  JsonNode *n = plain_scalar(s);
  gboolean text = JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING;
  json_node_unref(n);
  return text;
}

static gboolean emit_scalar(yaml_emitter_t *e, const char *s, gboolean text) {
  yaml_event_t ev;
  yaml_scalar_style_t style =
      !text || plain_is_text(s) ? YAML_ANY_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE;
  yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1, style);
  return yaml_emitter_emit(e, &ev);
}

static gboolean emit_node(yaml_emitter_t *e, JsonNode *n);

static gboolean emit_object(yaml_emitter_t *e, JsonObject *o) {
  yaml_event_t ev;
  yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
  if (!yaml_emitter_emit(e, &ev)) return FALSE;
  g_autoptr(GList) names = json_object_get_members(o);
  for (GList *l = names; l; l = l->next)
    if (!emit_scalar(e, l->data, TRUE) || !emit_node(e, json_object_get_member(o, l->data)))
      return FALSE;
  yaml_mapping_end_event_initialize(&ev);
  return yaml_emitter_emit(e, &ev);
}

static gboolean emit_array(yaml_emitter_t *e, JsonArray *a) {
  yaml_event_t ev;
  yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
  if (!yaml_emitter_emit(e, &ev)) return FALSE;
  for (guint i = 0; i < json_array_get_length(a); i++)
    if (!emit_node(e, json_array_get_element(a, i))) return FALSE;
  yaml_sequence_end_event_initialize(&ev);
  return yaml_emitter_emit(e, &ev);
}

static gboolean emit_node(yaml_emitter_t *e, JsonNode *n) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  switch (json_node_get_node_type(n)) {
  case JSON_NODE_OBJECT:
    return emit_object(e, json_node_get_object(n));
  case JSON_NODE_ARRAY:
    return emit_array(e, json_node_get_array(n));
  case JSON_NODE_NULL:
    return emit_scalar(e, "null", FALSE);
  case JSON_NODE_VALUE:
    break;
  }
  GType t = json_node_get_value_type(n);
  if (t == G_TYPE_STRING) return emit_scalar(e, json_node_get_string(n), TRUE);
  if (t == G_TYPE_BOOLEAN)
    return emit_scalar(e, json_node_get_boolean(n) ? "true" : "false", FALSE);
  if (t == G_TYPE_INT64) {
    g_snprintf(buf, sizeof buf, "%" G_GINT64_FORMAT, json_node_get_int(n));
    return emit_scalar(e, buf, FALSE);
  }
  return emit_scalar(e, g_ascii_dtostr(buf, sizeof buf, json_node_get_double(n)), FALSE);
}

char *openapi_yaml_emit(JsonNode *root) {
  yaml_emitter_t e;
  yaml_event_t ev;
  GString *out = g_string_new(NULL);
  yaml_emitter_initialize(&e);
  yaml_emitter_set_output(&e, append_output, out);
  yaml_emitter_set_unicode(&e, 1);
  yaml_emitter_set_width(&e, -1);
  yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
  gboolean ok = yaml_emitter_emit(&e, &ev);
  yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
  ok = ok && yaml_emitter_emit(&e, &ev) && emit_node(&e, root);
  yaml_document_end_event_initialize(&ev, 1);
  ok = ok && yaml_emitter_emit(&e, &ev);
  yaml_stream_end_event_initialize(&ev);
  ok = ok && yaml_emitter_emit(&e, &ev) && yaml_emitter_flush(&e);
  if (!ok) g_critical("YAML export failed: %s", e.problem ? e.problem : "?");
  yaml_emitter_delete(&e);
  return g_string_free(out, FALSE);
}
