/*
 * output: text and JSON printing of hub results from the field tables of
 * shapes.c (see output.h). JSON goes through common/tg_json.h; text tables
 * size their columns to the content and cut a cell past CELL_MAX characters.
 * Everything is written to stdout in one piece at the end, so a failing
 * command never leaves half an object behind.
 */
#include "output.h"

#include <stdio.h>
#include <string.h>

#include "tg_json.h"

#define CELL_MAX 60

static gconstpointer field_ptr(gconstpointer obj, const CtlField *f) {
  return (const char *)obj + f->offset;
}

static const char *field_str(gconstpointer obj, const CtlField *f) {
  return *(char *const *)field_ptr(obj, f);
}

static GPtrArray *field_array(gconstpointer obj, const CtlField *f) {
  return *(GPtrArray *const *)field_ptr(obj, f);
}

static gint compare_strings(gconstpointer a, gconstpointer b) {
  return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of a set<string>, sorted so output is stable. Caller frees the array only. */
static GPtrArray *sorted_set_keys(GHashTable *set) {
  GPtrArray *keys = g_ptr_array_new();
  if (set) {
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, set);
    while (g_hash_table_iter_next(&it, &k, NULL)) g_ptr_array_add(keys, k);
  }
  g_ptr_array_sort(keys, compare_strings);
  return keys;
}

static void json_string_array(GString *out, GPtrArray *items) {
  g_string_append_c(out, '[');
  for (guint i = 0; items && i < items->len; i++) {
    if (i) g_string_append_c(out, ',');
    tg_json_append_string(out, items->pdata[i]);
  }
  g_string_append_c(out, ']');
}

static void json_object_array(GString *out, const CtlShape *shape, GPtrArray *items) {
  g_string_append_c(out, '[');
  for (guint i = 0; items && i < items->len; i++) {
    if (i) g_string_append_c(out, ',');
    ctl_json_object(out, shape, items->pdata[i]);
  }
  g_string_append_c(out, ']');
}

static void json_field(GString *out, gconstpointer obj, const CtlField *f) {
  gconstpointer p = field_ptr(obj, f);
  switch (f->kind) {
  case CTL_F_STR:
    tg_json_member_string(out, f->key, field_str(obj, f));
    break;
  case CTL_F_I64:
  case CTL_F_TIME:
    tg_json_member_int(out, f->key, *(const gint64 *)p);
    break;
  case CTL_F_I32:
    tg_json_member_int(out, f->key, *(const gint32 *)p);
    break;
  case CTL_F_BOOL:
    tg_json_member_bool(out, f->key, *(const gboolean *)p);
    break;
  case CTL_F_STRV:
    tg_json_member_key(out, f->key);
    json_string_array(out, field_array(obj, f));
    break;
  case CTL_F_STRSET: {
    g_autoptr(GPtrArray) keys = sorted_set_keys(*(GHashTable *const *)p);
    tg_json_member_key(out, f->key);
    json_string_array(out, keys);
    break;
  }
  case CTL_F_OBJV:
    tg_json_member_key(out, f->key);
    json_object_array(out, f->nested, field_array(obj, f));
    break;
  }
}

void ctl_json_object(GString *out, const CtlShape *shape, gconstpointer obj) {
  g_string_append_c(out, '{');
  for (const CtlField *f = shape->fields; f->key; f++) json_field(out, obj, f);
  g_string_append_c(out, '}');
}

static char *join_strings(GPtrArray *items) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; items && i < items->len; i++)
    g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)items->pdata[i]);
  return g_string_free(s, FALSE);
}

static char *format_time(gint64 t) {
  if (t <= 0) return g_strdup("");
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(t);
  if (!dt) return g_strdup_printf("%" G_GINT64_FORMAT, t);
  return g_date_time_format(dt, "%Y-%m-%d %H:%M:%SZ");
}

/* One field as text (newly allocated). */
static char *field_text(gconstpointer obj, const CtlField *f) {
  gconstpointer p = field_ptr(obj, f);
  switch (f->kind) {
  case CTL_F_STR:
    return g_strdup(field_str(obj, f) ? field_str(obj, f) : "");
  case CTL_F_I64:
    return g_strdup_printf("%" G_GINT64_FORMAT, *(const gint64 *)p);
  case CTL_F_I32:
    return g_strdup_printf("%" G_GINT32_FORMAT, *(const gint32 *)p);
  case CTL_F_BOOL:
    return g_strdup(*(const gboolean *)p ? "yes" : "no");
  case CTL_F_TIME:
    return format_time(*(const gint64 *)p);
  case CTL_F_STRV:
    return join_strings(field_array(obj, f));
  case CTL_F_STRSET: {
    g_autoptr(GPtrArray) keys = sorted_set_keys(*(GHashTable *const *)p);
    return join_strings(keys);
  }
  case CTL_F_OBJV: {
    GPtrArray *a = field_array(obj, f);
    return g_strdup_printf("%u", a ? a->len : 0);
  }
  }
  return g_strdup("");
}

static const CtlField *find_field(const CtlShape *shape, const char *key) {
  for (const CtlField *f = shape->fields; f->key; f++)
    if (strcmp(f->key, key) == 0) return f;
  return NULL;
}

static char *column_title(const char *key) {
  char *t = g_ascii_strup(key, -1);
  for (char *c = t; *c; c++)
    if (*c == '_') *c = ' ';
  return t;
}

/* One table cell: valid UTF-8 (widths are counted in characters), one line, cut. */
static char *cell_text(gconstpointer obj, const CtlField *f) {
  g_autofree char *raw = field_text(obj, f);
  char *text = g_utf8_make_valid(raw, -1);
  for (char *c = text; *c; c++)
    if (*c == '\n' || *c == '\t' || *c == '\r') *c = ' ';
  if (g_utf8_strlen(text, -1) > CELL_MAX) {
    char *cut = g_utf8_offset_to_pointer(text, CELL_MAX - 3);
    strcpy(cut, "...");
  }
  return text;
}

/* Appends items as a table of shape's columns, each line prefixed by indent. */
static void text_table(GString *out, const CtlShape *shape, GPtrArray *items, const char *indent) {
  guint ncol = g_strv_length((char **)shape->columns);
  g_autofree gsize *width = g_new0(gsize, ncol);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
  for (guint c = 0; c < ncol; c++) g_ptr_array_add(cells, column_title(shape->columns[c]));
  for (guint r = 0; items && r < items->len; r++)
    for (guint c = 0; c < ncol; c++) {
      const CtlField *f = find_field(shape, shape->columns[c]);
      g_ptr_array_add(cells, f ? cell_text(items->pdata[r], f) : g_strdup(""));
    }
  for (guint i = 0; i < cells->len; i++) {
    gsize w = g_utf8_strlen(cells->pdata[i], -1);
    width[i % ncol] = MAX(width[i % ncol], w);
  }
  g_autoptr(GString) line = g_string_new(NULL);
  for (guint i = 0; i < cells->len; i++) {
    const char *cell = cells->pdata[i];
    if (i % ncol == 0) g_string_assign(line, indent);
    g_string_append(line, cell);
    for (gsize pad = g_utf8_strlen(cell, -1); pad < width[i % ncol] + 2; pad++)
      g_string_append_c(line, ' ');
    if (i % ncol == ncol - 1) g_string_append_printf(out, "%s\n", g_strchomp(line->str));
  }
}

static void text_object(GString *out, const CtlShape *shape, gconstpointer obj) {
  gsize label = 0;
  for (const CtlField *f = shape->fields; f->key; f++) label = MAX(label, strlen(f->key));
  for (const CtlField *f = shape->fields; f->key; f++) {
    g_autofree char *name = g_strconcat(f->key, ":", NULL);
    GPtrArray *items = f->kind == CTL_F_OBJV ? field_array(obj, f) : NULL;
    if (f->kind == CTL_F_OBJV && items && items->len) {
      g_string_append_printf(out, "%s\n", name);
      text_table(out, f->nested, items, "  ");
      continue;
    }
    g_autofree char *text = f->kind == CTL_F_OBJV ? g_strdup("(none)") : field_text(obj, f);
    if (!*text) continue;
    /* A multi-line value (document content) keeps its lines under the value column. */
    g_autofree char *pad = g_strnfill(label + 2, ' ');
    g_autofree char *separator = g_strconcat("\n", pad, NULL);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_autofree char *indented = g_strjoinv(separator, lines);
    g_string_append_printf(out, "%-*s %s\n", (int)label + 1, name, indented);
  }
}

static void emit(GString *out) {
  fwrite(out->str, 1, out->len, stdout);
  fflush(stdout);
}

gboolean ctl_print_object(Ctl *ctl, const CtlShape *shape, gconstpointer obj) {
  g_autoptr(GString) out = g_string_new(NULL);
  if (ctl->json) {
    ctl_json_object(out, shape, obj);
    g_string_append_c(out, '\n');
  } else {
    text_object(out, shape, obj);
  }
  emit(out);
  return TRUE;
}

gboolean ctl_print_list(Ctl *ctl, const CtlShape *shape, GPtrArray *items) {
  g_autoptr(GString) out = g_string_new(NULL);
  if (ctl->json) {
    g_string_append(out, "{\"items\":");
    json_object_array(out, shape, items);
    g_string_append(out, "}\n");
  } else if (!items || items->len == 0) {
    g_string_append(out, "(none)\n");
  } else {
    text_table(out, shape, items, "");
  }
  emit(out);
  return TRUE;
}

gboolean ctl_print_done(Ctl *ctl, const char *fmt, ...) {
  g_autoptr(GString) out = g_string_new(NULL);
  if (ctl->json) {
    g_string_append(out, "{\"ok\":true}\n");
  } else {
    va_list ap;
    va_start(ap, fmt);
    g_string_append_vprintf(out, fmt, ap);
    va_end(ap);
    g_string_append_c(out, '\n');
  }
  emit(out);
  return TRUE;
}

gboolean ctl_print_value(Ctl *ctl, const char *key, const char *value) {
  g_autoptr(GString) out = g_string_new(NULL);
  if (ctl->json) {
    g_string_append_c(out, '{');
    tg_json_member_string(out, key, value);
    g_string_append(out, "}\n");
  } else {
    g_string_append_printf(out, "%s\n", value ? value : "");
  }
  emit(out);
  return TRUE;
}

int ctl_print_error(Ctl *ctl, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  fprintf(stderr, "tollgatectl: %s\n", msg);
  if (ctl->json) {
    g_autoptr(GString) out = g_string_new("{");
    tg_json_member_string(out, "error", msg);
    tg_json_member_int(out, "code", code);
    g_string_append(out, "}\n");
    emit(out);
  }
  return CTL_EXIT_HUB;
}
