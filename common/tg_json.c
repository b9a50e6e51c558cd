/*
 * tg_json: JSON string escaping and object-member helpers over GString.
 */
#include "tg_json.h"

void tg_json_append_string(GString *out, const char *s) {
  if (!s) {
    g_string_append(out, "null");
    return;
  }
  g_string_append_c(out, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"':
      g_string_append(out, "\\\"");
      break;
    case '\\':
      g_string_append(out, "\\\\");
      break;
    case '\n':
      g_string_append(out, "\\n");
      break;
    case '\r':
      g_string_append(out, "\\r");
      break;
    case '\t':
      g_string_append(out, "\\t");
      break;
    default:
      if (*p < 0x20)
        g_string_append_printf(out, "\\u%04x", *p);
      else
        g_string_append_c(out, (char)*p);
    }
  }
  g_string_append_c(out, '"');
}

void tg_json_member_key(GString *out, const char *key) {
  char last = out->len ? out->str[out->len - 1] : '{';
  if (last != '{' && last != '[') g_string_append_c(out, ',');
  tg_json_append_string(out, key);
  g_string_append_c(out, ':');
}

void tg_json_member_string(GString *out, const char *key, const char *value) {
  tg_json_member_key(out, key);
  tg_json_append_string(out, value);
}

const char *tg_int_text(gint64 value, char buf[TG_INT_TEXT_LEN]) {
  char *p = buf + TG_INT_TEXT_LEN - 1;
  guint64 v = value < 0 ? -(guint64)value : (guint64)value;
  *p = '\0';
  do {
    *--p = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  if (value < 0) *--p = '-';
  return p;
}

void tg_json_append_int(GString *out, gint64 value) {
  char buf[TG_INT_TEXT_LEN];
  const char *text = tg_int_text(value, buf);
  g_string_append_len(out, text, buf + TG_INT_TEXT_LEN - 1 - text);
}

void tg_json_member_int(GString *out, const char *key, gint64 value) {
  tg_json_member_key(out, key);
  tg_json_append_int(out, value);
}

void tg_json_member_bool(GString *out, const char *key, gboolean value) {
  tg_json_member_key(out, key);
  g_string_append(out, value ? "true" : "false");
}

int tg_json_depth(const char *text, gsize len, int limit) {
  int depth = 0, max = 0;
  gboolean in_str = FALSE;
  for (gsize i = 0; i < len; i++) {
    char c = text[i];
    if (in_str) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_str = FALSE;
    } else if (c == '"') {
      in_str = TRUE;
    } else if (c == '[' || c == '{') {
      if (++depth > max && (max = depth) > limit) return limit + 1;
    } else if (c == ']' || c == '}') {
      depth--;
    }
  }
  return max;
}
