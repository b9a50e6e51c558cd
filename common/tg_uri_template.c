/*
 * tg_uri_template: parse, match and order resource templates (rules in
 * tg_uri_template.h). A parsed template is a few counters over the borrowed
 * text; matching walks template and path in one byte loop and never allocates.
 * Trade-off: no segment array, so a template costs no memory and the hub parses
 * on the stack per call, while each match re-reads the template's bytes.
 */
#include "tg_uri_template.h"

#include <string.h>

G_DEFINE_QUARK(tg - uri - template - error - quark, tg_uri_template_error)

static gboolean refuse(GError **error, const char *text, const char *why) {
  g_autofree char *shown = g_strescape(text ? text : "(null)", NULL);
  g_set_error(error, TG_URI_TEMPLATE_ERROR, TG_URI_TEMPLATE_ERROR_INVALID,
              "uriTemplate \"%.80s\": %s", shown, why);
  return FALSE;
}

/* Byte classes for the match loop, one load per byte: the end of a path (NUL, or the start
   of its query or fragment) and the '/' between segments. */
enum { PATH_END = 1, SLASH = 2 };
static const guint8 byte_class[256] = {
    ['\0'] = PATH_END, ['?'] = PATH_END, ['#'] = PATH_END, ['/'] = SLASH};

static inline gboolean path_end(char c) { return byte_class[(guchar)c] == PATH_END; }

/* The end of a path segment. */
static inline gboolean segment_end(char c) { return byte_class[(guchar)c] != 0; }

/* "." or "..", also with a dot spelt "%2e" (RFC 3986 6.2.2.2: the same path) and followed by
   ";params" (which Tomcat and others drop before resolving dot segments). */
static gboolean is_dot_segment(const char *s, gsize len) {
  if (len == 0 || (s[0] != '.' && s[0] != '%')) return FALSE;
  guint dots = 0;
  gsize i = 0;
  while (i < len && s[i] != ';') {
    if (s[i] == '.')
      i++;
    else if (s[i] == '%' && i + 2 < len && s[i + 1] == '2' && (s[i + 2] | 0x20) == 'e')
      i += 3;
    else
      return FALSE;
    if (++dots > 2) return FALSE;
  }
  return dots > 0;
}

static gboolean param_name_ok(const char *s, gsize len) {
  if (len == 0) return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum(s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-') return FALSE;
  return TRUE;
}

/* Template bytes, one load each: refused anywhere; worth a second look in a segment; the end
   of a segment ('/', and the path part's end: NUL or '?'). */
enum { T_BAD = 1, T_BRACE = 2, T_STAR = 4, T_END = 8, T_PERCENT = 16 };
static const guint8 template_class[256] = {
    ['\0'] = T_END,  [1 ... 32] = T_BAD, [0x7f] = T_BAD, ['#'] = T_BAD, ['{'] = T_BRACE,
    ['}'] = T_BRACE, ['*'] = T_STAR,     ['/'] = T_END,  ['?'] = T_END, ['%'] = T_PERCENT,
};

/* TRUE when every '%' in s[0..len) starts an escape of a byte that is not unreserved
   (RFC 3986 2.3): the gateway decodes "%65" to "e" before routing, so a template holding
   "%65" could never match there. */
static gboolean escapes_ok(const char *s, gsize len) {
  for (gsize i = 0; i < len; i++) {
    if (s[i] != '%') continue;
    if (i + 2 >= len || !g_ascii_isxdigit(s[i + 1]) || !g_ascii_isxdigit(s[i + 2])) return FALSE;
    char c = (char)(g_ascii_xdigit_value(s[i + 1]) * 16 + g_ascii_xdigit_value(s[i + 2]));
    if (g_ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') return FALSE;
    i += 2;
  }
  return TRUE;
}

/* Segment s[0..len) of the path part, of byte classes flags; last: only the path part's end
   (or one '/' before it) follows. */
static gboolean segment_parse(TgUriTemplate *t, const char *s, gsize len, guint flags,
                              gboolean last, GError **error) {
  if (is_dot_segment(s, len)) return refuse(error, t->text, "a \".\" or \"..\" segment");
  if ((flags & T_PERCENT) && !escapes_ok(s, len))
    return refuse(error, t->text,
                  "a '%' that is not %XX, or an escaped letter, digit, '-', '.',"
                  " '_' or '~' (write the character itself)");
  if (flags & T_STAR) {
    if (len != 1 || !last)
      return refuse(error, t->text, "'*' only as the whole last segment (\"/items/*\")");
    t->wildcard = TRUE;
    return TRUE;
  }
  if (flags & T_BRACE) {
    if (s[0] != '{' || s[len - 1] != '}' || !param_name_ok(s + 1, len - 2))
      return refuse(error, t->text,
                    "a parameter is a whole segment {name} (letters, digits,"
                    " '_', '.', '-')");
  } else {
    t->literals++;
  }
  t->segments++;
  return TRUE;
}

static inline gboolean template_path_end(char c) { return c == '\0' || c == '?'; }

/* One pass: each byte is classified once; a segment is looked at again only when it holds a
   brace or a star (and for its name's characters). */
gboolean tg_uri_template_parse(TgUriTemplate *out, const char *text, GError **error) {
  memset(out, 0, sizeof *out);
  out->text = text;
  if (text == NULL || text[0] != '/') return refuse(error, text, "must start with '/'");
  const char *seg = text + 1, *p = text + 1;
  guint flags = 0;
  for (;; p++) {
    char c = *p;
    guint cls = template_class[(guchar)c];
    if (!(cls & (T_END | T_BAD))) {
      flags |= cls;
      continue;
    }
    if (cls & T_BAD) return refuse(error, text, "whitespace, a control byte or '#'");
    gsize len = (gsize)(p - seg);
    if (len == 0 && c == '/') return refuse(error, text, "an empty segment (\"//\")");
    gboolean last = c != '/' || template_path_end(p[1]);
    if (len > 0 && !segment_parse(out, seg, len, flags, last, error)) return FALSE;
    if (template_path_end(c)) {
      if ((gsize)(p - text) > G_MAXUINT) return refuse(error, text, "too long");
      /* "/menu/" is "/menu"; "/" has no segments */
      out->path_len = (guint)(len == 0 ? seg - 1 - text : p - text);
      break;
    }
    seg = p + 1;
    flags = 0;
  }
  for (; *p; p++) /* the query part: matched never, but the same bytes refused */
    if (template_class[(guchar)*p] & T_BAD)
      return refuse(error, text, "whitespace, a control byte or '#'");
  return TRUE;
}

/* path points at '/' or a path end: TRUE when what follows is in normal form (non-empty
   segments, none "." or "..", at most one '/' at the end). */
static gboolean rest_is_normal(const char *p) {
  for (;;) {
    if (path_end(*p)) return TRUE;
    const char *s = ++p; /* past the '/' */
    while (!segment_end(*p)) p++;
    if (p == s) return path_end(*p);
    if (is_dot_segment(s, (gsize)(p - s))) return FALSE;
  }
}

/* One pass over both strings, byte by byte: a literal is compared as it is walked (the
   template's bytes are never '/', '?', '#' or NUL, so a mismatch or the path's end stops
   it), a {name} skips one path segment, the final "*" checks the rest's form. */
gboolean tg_uri_template_match(const TgUriTemplate *t, const char *path) {
  const char *p = path == NULL || path_end(*path) ? "/" : path;
  if (*p != '/') return FALSE;
  const char *tp = t->text, *tend = t->text + t->path_len;
  while (tp < tend) {
    tp++;           /* the template's '/' */
    if (*tp == '*') /* only ever the whole last segment */
      return rest_is_normal(p);
    if (*p != '/') return FALSE; /* the path has fewer segments */
    p++;
    if (*tp == '{') {
      while (tp < tend && *tp != '/') tp++;
      const char *s = p;
      while (!segment_end(*p)) p++;
      if (p == s || is_dot_segment(s, (gsize)(p - s))) return FALSE;
    } else {
      for (; tp < tend && *tp != '/'; tp++, p++)
        if (*p != *tp) return FALSE;
      if (!segment_end(*p)) return FALSE;
    }
  }
  if (*p == '/') p++;
  return path_end(*p);
}

static int order(guint a, guint b) { return a > b ? -1 : a < b ? 1 : 0; }

int tg_uri_template_compare(const TgUriTemplate *a, const TgUriTemplate *b) {
  int c = order(a->literals, b->literals);
  if (c == 0) c = -order(a->wildcard, b->wildcard);
  if (c == 0) c = order(a->segments, b->segments);
  if (c == 0) c = order(a->path_len, b->path_len);
  if (c == 0) {
    int s = strcmp(a->text, b->text);
    c = s < 0 ? -1 : s > 0;
  }
  return c;
}

gboolean tg_uri_template_equivalent(const TgUriTemplate *a, const TgUriTemplate *b) {
  if (a->literals != b->literals || a->segments != b->segments || a->wildcard != b->wildcard)
    return FALSE;
  const char *pa = a->text, *ea = a->text + a->path_len;
  const char *pb = b->text, *eb = b->text + b->path_len;
  while (pa < ea && pb < eb) {
    const char *sa = pa + 1, *sb = pb + 1;
    const char *na = memchr(sa, '/', (gsize)(ea - sa)), *nb = memchr(sb, '/', (gsize)(eb - sb));
    gsize la = na ? (gsize)(na - sa) : (gsize)(ea - sa);
    gsize lb = nb ? (gsize)(nb - sb) : (gsize)(eb - sb);
    gboolean param_a = sa[0] == '{', param_b = sb[0] == '{';
    if (param_a != param_b || (!param_a && (la != lb || memcmp(sa, sb, la) != 0))) return FALSE;
    pa = sa + la;
    pb = sb + lb;
  }
  return pa >= ea && pb >= eb;
}

static inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* "*" or "ANY" in any case; read byte by byte, stopping at the first that differs. */
static gboolean verb_is_any(const char *v) {
  if (v[0] == '*') return v[1] == '\0';
  return (v[0] | 0x20) == 'a' && (v[1] | 0x20) == 'n' && (v[2] | 0x20) == 'y' && v[3] == '\0';
}

gboolean tg_uri_standard_method(const char *method) {
  static const char *const known[] = {"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                      "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  for (gsize i = 0; method != NULL && i < G_N_ELEMENTS(known); i++)
    if (g_ascii_strcasecmp(known[i], method) == 0) return TRUE;
  return FALSE;
}

gboolean tg_uri_verb_matches(const char *verb, const char *method) {
  if (verb == NULL || method == NULL || *verb == '\0' || *method == '\0') return FALSE;
  if (verb_is_any(verb)) return tg_uri_standard_method(method);
  /* g_ascii_strcasecmp, but equal bytes (the usual case) cost no case folding */
  for (;; verb++, method++) {
    if (*verb != *method && ascii_lower(*verb) != ascii_lower(*method)) return FALSE;
    if (*verb == '\0') return TRUE;
  }
}

int tg_uri_resource_compare(const TgUriTemplate *a, const char *verb_a, const TgUriTemplate *b,
                            const char *verb_b) {
  int c = tg_uri_template_compare(a, b);
  if (c != 0) return c;
  gboolean any_a = verb_a == NULL || verb_is_any(verb_a);
  gboolean any_b = verb_b == NULL || verb_is_any(verb_b);
  return any_a == any_b ? 0 : any_a ? 1 : -1;
}
