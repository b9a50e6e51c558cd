/*
 * tg_uri_template: parse, match and order resource templates (the rules are in
 * tg_uri_template.h). A parsed template is a few counters over the borrowed
 * text; matching walks the template text and the path side by side, one
 * segment at a time, without allocating. The trade-off: a template segment's
 * end is found again on every match (a memchr over a few bytes) instead of
 * keeping a segment array, so a template costs no memory of its own.
 */
#include "tg_uri_template.h"

#include <string.h>

G_DEFINE_QUARK(tg-uri-template-error-quark, tg_uri_template_error)

static gboolean refuse(GError **error, const char *text, const char *why)
{
  g_autofree char *shown = g_strescape(text ? text : "(null)", NULL);
  g_set_error(error, TG_URI_TEMPLATE_ERROR, TG_URI_TEMPLATE_ERROR_INVALID,
              "uriTemplate \"%.80s\": %s", shown, why);
  return FALSE;
}

/* The end of a path: NUL, or the start of its query or fragment. */
static inline gboolean path_end(char c)
{
  return c == '\0' || c == '?' || c == '#';
}

static inline gboolean is_dot_segment(const char *s, gsize len)
{
  return (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.');
}

static gboolean param_name_ok(const char *s, gsize len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum(s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
      return FALSE;
  return TRUE;
}

/* One segment s[0..len) of the template's path part; last: nothing follows it. */
static gboolean segment_parse(TgUriTemplate *t, const char *s, gsize len, gboolean last,
                              GError **error)
{
  if (len == 0)
    return refuse(error, t->text, "an empty segment (\"//\")");
  if (is_dot_segment(s, len))
    return refuse(error, t->text, "a \".\" or \"..\" segment");
  if (len == 1 && s[0] == '*') {
    if (!last)
      return refuse(error, t->text, "'*' only as the whole last segment (\"/items/*\")");
    t->wildcard = TRUE;
    return TRUE;
  }
  if (memchr(s, '{', len) || memchr(s, '}', len)) {
    if (s[0] != '{' || s[len - 1] != '}' || !param_name_ok(s + 1, len - 2))
      return refuse(error, t->text, "a parameter is a whole segment {name} (letters, digits,"
                    " '_', '.', '-')");
  } else if (memchr(s, '*', len)) {
    return refuse(error, t->text, "'*' only as the whole last segment (\"/items/*\")");
  } else {
    t->literals++;
  }
  t->segments++;
  return TRUE;
}

gboolean tg_uri_template_parse(TgUriTemplate *out, const char *text, GError **error)
{
  memset(out, 0, sizeof *out);
  out->text = text;
  if (text == NULL || text[0] != '/')
    return refuse(error, text, "must start with '/'");
  gsize n = 0;
  for (; text[n]; n++)
    if ((guchar)text[n] <= ' ' || text[n] == 0x7f || text[n] == '#')
      return refuse(error, text, "whitespace, a control byte or '#'");
  gsize end = strcspn(text, "?");
  if (end > G_MAXUINT / 2)
    return refuse(error, text, "too long");
  if (text[end - 1] == '/')
    end--; /* "/menu/" is "/menu"; "/" has no segments */
  out->path_len = (guint)end;
  for (gsize pos = 0; pos < end;) {
    const char *s = text + pos + 1;
    const char *slash = memchr(s, '/', end - pos - 1);
    gsize len = slash ? (gsize)(slash - s) : end - pos - 1;
    if (!segment_parse(out, s, len, slash == NULL, error))
      return FALSE;
    pos += len + 1;
  }
  return TRUE;
}

/* path points at '/' or a path end: TRUE when what follows is in normal form (non-empty
   segments, none "." or "..", at most one '/' at the end). */
static gboolean rest_is_normal(const char *p)
{
  while (!path_end(*p)) {
    p++; /* the '/' */
    gsize len = 0;
    while (p[len] != '/' && !path_end(p[len]))
      len++;
    if (len == 0)
      return path_end(*p);
    if (is_dot_segment(p, len))
      return FALSE;
    p += len;
  }
  return TRUE;
}

gboolean tg_uri_template_match(const TgUriTemplate *t, const char *path)
{
  const char *p = path == NULL || path_end(*path) ? "/" : path;
  if (*p != '/')
    return FALSE;
  const char *tp = t->text, *tend = t->text + t->path_len;
  while (tp < tend) {
    const char *seg = tp + 1;
    const char *slash = memchr(seg, '/', (gsize)(tend - seg));
    gsize seglen = slash ? (gsize)(slash - seg) : (gsize)(tend - seg);
    if (seglen == 1 && seg[0] == '*')
      return rest_is_normal(p);
    if (*p != '/')
      return FALSE; /* the path has fewer segments */
    const char *ps = p + 1;
    gsize plen = 0;
    while (ps[plen] != '/' && !path_end(ps[plen]))
      plen++;
    if (plen == 0 || is_dot_segment(ps, plen))
      return FALSE;
    if (seg[0] != '{' && (plen != seglen || memcmp(seg, ps, plen) != 0))
      return FALSE;
    p = ps + plen;
    tp = seg + seglen;
  }
  if (*p == '/')
    p++;
  return path_end(*p);
}

static int order(guint a, guint b)
{
  return a > b ? -1 : a < b ? 1 : 0;
}

int tg_uri_template_compare(const TgUriTemplate *a, const TgUriTemplate *b)
{
  int c = order(a->literals, b->literals);
  if (c == 0)
    c = -order(a->wildcard, b->wildcard);
  if (c == 0)
    c = order(a->segments, b->segments);
  if (c == 0)
    c = order(a->path_len, b->path_len);
  if (c == 0) {
    int s = strcmp(a->text, b->text);
    c = s < 0 ? -1 : s > 0;
  }
  return c;
}

gboolean tg_uri_template_equivalent(const TgUriTemplate *a, const TgUriTemplate *b)
{
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
    if (param_a != param_b || (!param_a && (la != lb || memcmp(sa, sb, la) != 0)))
      return FALSE;
    pa = sa + la;
    pb = sb + lb;
  }
  return pa >= ea && pb >= eb;
}

static gboolean verb_is_any(const char *verb)
{
  return g_ascii_strcasecmp(verb, "ANY") == 0 || strcmp(verb, "*") == 0;
}

gboolean tg_uri_verb_matches(const char *verb, const char *method)
{
  if (verb == NULL || method == NULL || *verb == '\0' || *method == '\0')
    return FALSE;
  return verb_is_any(verb) || g_ascii_strcasecmp(verb, method) == 0;
}

int tg_uri_resource_compare(const TgUriTemplate *a, const char *verb_a, const TgUriTemplate *b,
                            const char *verb_b)
{
  int c = tg_uri_template_compare(a, b);
  if (c != 0)
    return c;
  gboolean any_a = verb_a == NULL || verb_is_any(verb_a);
  gboolean any_b = verb_b == NULL || verb_is_any(verb_b);
  return any_a == any_b ? 0 : any_a ? 1 : -1;
}
