/*
 * path_norm: one pass over the path, segment by segment (see path_norm.h).
 * Each segment is decoded straight into the output after its '/', then
 * looked at: a dot segment is taken back out, ".." also removes the segment
 * before it.
 */
#include "path_norm.h"

#include <string.h>

static gboolean unreserved(unsigned char c) {
  return g_ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static gboolean refuse(PathNorm *res, const char *reason) {
  res->reason = reason;
  return FALSE;
}

/* Decodes the segment at path[*i] (up to '/' or the end) to out + o; returns
   its output length or -1 (res->reason set). */
static gssize decode_segment(const char *path, gsize len, gsize *i, gboolean keep, char *out,
                             gsize o, PathNorm *res) {
  static const char hex[] = "0123456789ABCDEF";
  gsize start = o;
  while (*i < len && path[*i] != '/') {
    unsigned char c = (unsigned char)path[*i];
    if (c == '\\') return refuse(res, "a backslash in the path"), -1;
    if (c == '?' || c == '#' || c < 0x21 || c > 0x7e)
      return refuse(res, "a byte that does not belong in a path"), -1;
    if (c != '%') {
      out[o++] = (char)c;
      (*i)++;
      continue;
    }
    if (*i + 2 >= len || !g_ascii_isxdigit(path[*i + 1]) || !g_ascii_isxdigit(path[*i + 2]))
      return refuse(res, "a bad percent-escape"), -1;
    unsigned char v = (unsigned char)(g_ascii_xdigit_value(path[*i + 1]) * 16 +
                                      g_ascii_xdigit_value(path[*i + 2]));
    *i += 3;
    if (v == 0) return refuse(res, "%00 in the path"), -1;
    if ((v == '/' || v == '\\') && !keep)
      return refuse(res, "an escaped slash (%2F or %5C) in the path"), -1;
    if (unreserved(v)) {
      out[o++] = (char)v;
      continue;
    }
    out[o++] = '%';
    out[o++] = hex[v >> 4];
    out[o++] = hex[v & 15];
  }
  return (gssize)(o - start);
}

/* 1 for ".", 2 for "..", 0 otherwise; -1 for a dot segment with ";params". */
static int dot_segment(const char *seg, gsize n) {
  gsize dots = 0;
  while (dots < n && dots < 3 && seg[dots] == '.') dots++;
  if (dots == 0 || dots > 2) return 0;
  if (dots == n) return (int)dots;
  return seg[dots] == ';' ? -1 : 0;
}

/* Bytes that never change a path's form: unreserved but '.', sub-delims, ':' and '@'. */
static gboolean plain_byte(unsigned char c) {
  static const guint32 punct = /* bits for '!' (0x21) .. '@' (0x40) */
      1u << ('!' - 0x21) | 1u << ('$' - 0x21) | 1u << ('&' - 0x21) | 1u << ('\'' - 0x21) |
      1u << ('(' - 0x21) | 1u << (')' - 0x21) | 1u << ('*' - 0x21) | 1u << ('+' - 0x21) |
      1u << (',' - 0x21) | 1u << ('-' - 0x21) | 1u << (':' - 0x21) | 1u << (';' - 0x21) |
      1u << ('=' - 0x21) | 1u << ('@' - 0x21);
  if (g_ascii_isalnum(c) || c == '_' || c == '~') return TRUE;
  return c >= 0x21 && c <= 0x40 && (punct >> (c - 0x21)) & 1;
}

/* The common path needs no work: plain bytes, single slashes, no segment starting
   with '.'. One pass; TRUE when out is a copy of path. */
static gboolean already_normal(const char *path, gsize len, char *out) {
  for (gsize i = 1; i < len; i++) {
    unsigned char c = (unsigned char)path[i];
    if (c == '/' ? path[i - 1] == '/' : !plain_byte(c) && !(c == '.' && path[i - 1] != '/'))
      return FALSE;
  }
  memmove(out, path, len);
  out[len] = '\0';
  return TRUE;
}

gboolean path_normalize(const char *path, gsize len, gboolean keep_escaped_slashes, char *out,
                        PathNorm *res) {
  res->len = 0;
  res->low_water = G_MAXSIZE;
  res->reason = NULL;
  if (len == 0 || path[0] != '/') return refuse(res, "a path must start with '/'");
  if (already_normal(path, len, out)) {
    res->len = len;
    return TRUE;
  }
  gsize i = 0, o = 0;
  gboolean trailing = FALSE;
  while (i < len) {
    while (i < len && path[i] == '/') i++;
    if (i == len) {
      trailing = o > 0 || trailing;
      break;
    }
    out[o] = '/';
    gssize n = decode_segment(path, len, &i, keep_escaped_slashes, out, o + 1, res);
    if (n < 0) return FALSE;
    int dots = dot_segment(out + o + 1, (gsize)n);
    if (dots < 0) return refuse(res, "a dot segment with ;parameters");
    trailing = dots > 0;
    if (dots == 2) {
      if (o == 0) return refuse(res, "the path climbs above the root");
      while (o > 0 && out[o - 1] != '/') o--;
      o = o > 0 ? o - 1 : 0;
      res->low_water = MIN(res->low_water, o);
    } else if (dots == 0) {
      o += 1 + (gsize)n;
    }
  }
  if (o == 0 || trailing) out[o++] = '/';
  out[o] = '\0';
  res->len = o;
  return TRUE;
}
