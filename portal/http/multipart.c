/*
 * multipart: multipart/form-data splitting (multipart.h). One pass: the
 * dash-boundary, then per part a header block found within its bound, then
 * the content up to the next CRLF-dash-boundary, searched within the part
 * bound; every rule broken is a 400 with what is wrong, never a guess.
 */
#include "multipart.h"

#include <string.h>

#define MAX_NAME 128

G_DEFINE_QUARK(portal - multipart - error - quark, multipart_error)

struct Multipart {
  GPtrArray *parts;
};

static gboolean fail(GError **error, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static gboolean fail(GError **error, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error_literal(error, MULTIPART_ERROR, code, msg);
  return FALSE;
}

static void part_free(gpointer p) {
  MultipartPart *part = p;
  g_free(part->name);
  g_free(part->filename);
  g_free(part->content_type);
  g_free(part->data);
  g_free(part);
}

void multipart_free(Multipart *m) {
  if (!m) return;
  g_ptr_array_unref(m->parts);
  g_free(m);
}

guint multipart_count(const Multipart *m) { return m->parts->len; }

const MultipartPart *multipart_part(const Multipart *m, guint i) {
  return i < m->parts->len ? g_ptr_array_index(m->parts, i) : NULL;
}

const MultipartPart *multipart_get(const Multipart *m, const char *name) {
  for (guint i = 0; m && i < m->parts->len; i++) {
    const MultipartPart *p = g_ptr_array_index(m->parts, i);
    if (strcmp(p->name, name) == 0) return p;
  }
  return NULL;
}

/* ------------------------------------------------------------ parameters */

static gboolean is_tchar(char c) {
  return g_ascii_isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_ows(const char *s) {
  while (*s == ' ' || *s == '\t') s++;
  return s;
}

/* A token or a quoted-string (backslash taken literally, as browsers send
   file names) at *s; NULL when neither. Advances *s. */
static char *param_value(const char **s) {
  const char *p = *s;
  if (*p == '"') {
    const char *q = strchr(p + 1, '"');
    if (!q) return NULL;
    *s = q + 1;
    return g_strndup(p + 1, (gsize)(q - p - 1));
  }
  gsize n = 0;
  while (is_tchar(p[n])) n++;
  if (!n) return NULL;
  *s = p + n;
  return g_strndup(p, n);
}

/* "; name=value" pairs after a media or disposition type, names lower-cased,
   each at most once. */
static gboolean parse_params(const char *s, GHashTable *out, GError **error) {
  for (s = skip_ows(s); *s; s = skip_ows(s)) {
    if (*s != ';') return fail(error, MULTIPART_ERROR_SYNTAX, "a ';' must separate parameters");
    s = skip_ows(s + 1);
    if (!*s) break;
    gsize n = 0;
    while (is_tchar(s[n])) n++;
    if (!n || s[n] != '=')
      return fail(error, MULTIPART_ERROR_SYNTAX, "a parameter has no name=value");
    g_autofree char *name = g_ascii_strdown(s, (gssize)n);
    s += n + 1;
    char *value = param_value(&s);
    if (!value) return fail(error, MULTIPART_ERROR_SYNTAX, "the parameter %s has no value", name);
    if (g_hash_table_contains(out, name)) {
      g_free(value);
      return fail(error, MULTIPART_ERROR_SYNTAX, "the parameter %s appears twice", name);
    }
    g_hash_table_insert(out, g_steal_pointer(&name), value);
  }
  return TRUE;
}

static GHashTable *params_new(void) {
  return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

/* The type before the first ';', trimmed, compared without case. */
static gboolean type_is(const char *value, const char *want, const char **params) {
  const char *semi = strchr(value, ';');
  gsize n = semi ? (gsize)(semi - value) : strlen(value);
  while (n && (value[n - 1] == ' ' || value[n - 1] == '\t')) n--;
  *params = value + (semi ? (gsize)(semi - value) : strlen(value));
  return n == strlen(want) && g_ascii_strncasecmp(value, want, n) == 0;
}

static gboolean bchar(char c) { return g_ascii_isalnum(c) || (c && strchr("'()+_,-./:=? ", c)); }

char *multipart_boundary(const char *content_type, GError **error) {
  const char *params;
  if (!content_type || !type_is(skip_ows(content_type), "multipart/form-data", &params)) {
    fail(error, MULTIPART_ERROR_SYNTAX, "the Content-Type is not multipart/form-data");
    return NULL;
  }
  g_autoptr(GHashTable) p = params_new();
  if (!parse_params(params, p, error)) return NULL;
  const char *b = g_hash_table_lookup(p, "boundary");
  gsize n = b ? strlen(b) : 0;
  if (!n || n > MULTIPART_MAX_BOUNDARY || b[n - 1] == ' ') {
    fail(error, MULTIPART_ERROR_SYNTAX,
         "multipart/form-data needs a boundary of 1 to %d characters", MULTIPART_MAX_BOUNDARY);
    return NULL;
  }
  for (gsize i = 0; i < n; i++)
    if (!bchar(b[i])) {
      fail(error, MULTIPART_ERROR_SYNTAX, "the boundary has a character RFC 2046 does not allow");
      return NULL;
    }
  return g_strdup(b);
}

/* --------------------------------------------------------------- headers */

static gboolean header_disposition(MultipartPart *part, const char *value, GError **error) {
  const char *params;
  if (!type_is(value, "form-data", &params))
    return fail(error, MULTIPART_ERROR_SYNTAX, "a part's Content-Disposition must be form-data");
  g_autoptr(GHashTable) p = params_new();
  if (!parse_params(params, p, error)) return FALSE;
  const char *name = g_hash_table_lookup(p, "name");
  const char *filename = g_hash_table_lookup(p, "filename");
  if (!name || !*name || strlen(name) > MAX_NAME || !g_utf8_validate(name, -1, NULL))
    return fail(error, MULTIPART_ERROR_SYNTAX,
                "a part's Content-Disposition needs a name of 1 to %d UTF-8 bytes", MAX_NAME);
  if (filename && !g_utf8_validate(filename, -1, NULL))
    return fail(error, MULTIPART_ERROR_SYNTAX, "a file name is not UTF-8");
  part->name = g_strdup(name);
  part->filename = g_strdup(filename);
  return TRUE;
}

/* Checked for every line before any is read, so the reason given is the first rule broken. */
static gboolean line_ok(const char *line, GError **error) {
  for (const char *c = line; *c; c++)
    if ((guchar)*c < 0x20 && *c != '\t')
      return fail(error, MULTIPART_ERROR_SYNTAX,
                  "a part header has a control character (lines end with CRLF only)");
  if (*line == ' ' || *line == '\t')
    return fail(error, MULTIPART_ERROR_SYNTAX, "folded part header lines are not accepted");
  return TRUE;
}

static gboolean header_line(MultipartPart *part, const char *line, gboolean *seen_cd,
                            GError **error) {
  gsize n = 0;
  while (is_tchar(line[n])) n++;
  if (!n || line[n] != ':')
    return fail(error, MULTIPART_ERROR_SYNTAX, "a part header has no name:");
  g_autofree char *value = g_strstrip(g_strdup(line + n + 1));
  if (n == 19 && g_ascii_strncasecmp(line, "Content-Disposition", n) == 0) {
    if (*seen_cd)
      return fail(error, MULTIPART_ERROR_SYNTAX, "a part has two Content-Disposition headers");
    *seen_cd = TRUE;
    return header_disposition(part, value, error);
  }
  if (n == 12 && g_ascii_strncasecmp(line, "Content-Type", n) == 0) {
    if (part->content_type)
      return fail(error, MULTIPART_ERROR_SYNTAX, "a part has two Content-Type headers");
    part->content_type = g_steal_pointer(&value);
    return TRUE;
  }
  if (n == 25 && g_ascii_strncasecmp(line, "Content-Transfer-Encoding", n) == 0 &&
      g_ascii_strcasecmp(value, "binary") && g_ascii_strcasecmp(value, "8bit") &&
      g_ascii_strcasecmp(value, "7bit"))
    return fail(error, MULTIPART_ERROR_SYNTAX,
                "Content-Transfer-Encoding %s is not accepted: send the bytes as they are", value);
  return TRUE;
}

/* The header block [h, h + n) (lines joined by CRLF, without the blank line). */
static gboolean parse_headers(MultipartPart *part, const char *h, gsize n, GError **error) {
  g_autofree char *block = g_strndup(h, n);
  if (strlen(block) != n)
    return fail(error, MULTIPART_ERROR_SYNTAX, "a part header has a NUL byte");
  gboolean seen_cd = FALSE;
  g_auto(GStrv) lines = n ? g_strsplit(block, "\r\n", -1) : g_new0(char *, 1);
  for (guint i = 0; lines[i]; i++)
    if (!line_ok(lines[i], error)) return FALSE;
  for (guint i = 0; lines[i]; i++)
    if (!header_line(part, lines[i], &seen_cd, error)) return FALSE;
  if (!seen_cd)
    return fail(error, MULTIPART_ERROR_SYNTAX, "a part has no Content-Disposition: form-data");
  return TRUE;
}

/* ------------------------------------------------------------------ body */

/* After a dash-boundary at *pos: TRUE with *closed when "--" follows, else
   after optional blanks a CRLF, which is skipped. */
static gboolean after_boundary(const char *body, gsize len, gsize *pos, gboolean *closed,
                               GError **error) {
  gsize p = *pos;
  if (p + 2 <= len && body[p] == '-' && body[p + 1] == '-') {
    *closed = TRUE;
    return TRUE;
  }
  while (p < len && (body[p] == ' ' || body[p] == '\t')) p++;
  if (p + 2 > len || body[p] != '\r' || body[p + 1] != '\n')
    return fail(error, MULTIPART_ERROR_SYNTAX,
                "a boundary line must end with CRLF (or -- for the last one)");
  *pos = p + 2;
  return TRUE;
}

/* One part starting at *pos (its headers); *pos moves past the next boundary. */
static MultipartPart *parse_part(const char *body, gsize len, gsize *pos, const char *delim,
                                 gsize dlen, const MultipartLimits *lim, GError **error) {
  gsize p = *pos, hlen, start;
  if (len - p >= 2 && body[p] == '\r' && body[p + 1] == '\n') {
    hlen = 0;
    start = p + 2;
  } else {
    gsize window = MIN(len - p, lim->max_header_bytes);
    const char *end = memmem(body + p, window, "\r\n\r\n", 4);
    if (!end) {
      fail(error,
           len - p > lim->max_header_bytes ? MULTIPART_ERROR_TOO_BIG : MULTIPART_ERROR_SYNTAX,
           "a part's headers do not end with a blank line within %" G_GSIZE_FORMAT " bytes",
           lim->max_header_bytes);
      return NULL;
    }
    hlen = (gsize)(end - (body + p));
    start = hlen + p + 4;
  }
  MultipartPart *part = g_new0(MultipartPart, 1);
  if (!parse_headers(part, body + p, hlen, error)) goto bad;
  gsize window = MIN(len - start, lim->max_part_bytes + dlen);
  const char *d = memmem(body + start, window, delim, dlen);
  if (!d) {
    if (len - start >= lim->max_part_bytes + dlen)
      fail(error, MULTIPART_ERROR_TOO_BIG,
           "the part \"%s\" is larger than %" G_GSIZE_FORMAT " bytes", part->name,
           lim->max_part_bytes);
    else
      fail(error, MULTIPART_ERROR_SYNTAX,
           "the body ends without the closing boundary (--BOUNDARY--)");
    goto bad;
  }
  part->len = (gsize)(d - (body + start));
  if (part->len > lim->max_part_bytes) {
    fail(error, MULTIPART_ERROR_TOO_BIG, "the part \"%s\" is larger than %" G_GSIZE_FORMAT " bytes",
         part->name, lim->max_part_bytes);
    goto bad;
  }
  if (!part->filename && (memchr(body + start, '\0', part->len) ||
                          !g_utf8_validate(body + start, (gssize)part->len, NULL))) {
    fail(error, MULTIPART_ERROR_SYNTAX, "the field \"%s\" is not UTF-8 text", part->name);
    goto bad;
  }
  part->data = g_malloc(part->len + 1);
  memcpy(part->data, body + start, part->len);
  part->data[part->len] = '\0';
  *pos = (gsize)(d - body) + dlen;
  return part;
bad:
  part_free(part);
  return NULL;
}

Multipart *multipart_parse(const char *body, gsize len, const char *boundary,
                           const MultipartLimits *limits, GError **error) {
  MultipartLimits lim = {MULTIPART_MAX_PARTS, len, MULTIPART_MAX_HEADER_BYTES};
  if (limits) lim = *limits;
  gsize blen = boundary ? strlen(boundary) : 0;
  if (!blen || blen > MULTIPART_MAX_BOUNDARY) {
    fail(error, MULTIPART_ERROR_SYNTAX, "no boundary");
    return NULL;
  }
  if (len < blen + 2 || memcmp(body, "--", 2) != 0 || memcmp(body + 2, boundary, blen) != 0) {
    fail(error, MULTIPART_ERROR_SYNTAX,
         "the body does not start with --BOUNDARY (the boundary of its Content-Type)");
    return NULL;
  }
  g_autofree char *delim = g_strconcat("\r\n--", boundary, NULL);
  gsize dlen = blen + 4, pos = blen + 2;
  Multipart *m = g_new0(Multipart, 1);
  m->parts = g_ptr_array_new_with_free_func(part_free);
  for (gboolean closed = FALSE; !closed;) {
    if (!after_boundary(body, len, &pos, &closed, error)) goto bad;
    if (closed) break;
    if (m->parts->len >= lim.max_parts) {
      fail(error, MULTIPART_ERROR_TOO_BIG, "more than %u parts", lim.max_parts);
      goto bad;
    }
    MultipartPart *part = parse_part(body, len, &pos, delim, dlen, &lim, error);
    if (!part) goto bad;
    g_ptr_array_add(m->parts, part);
  }
  return m; /* an epilogue after the closing boundary is ignored (RFC 2046) */
bad:
  multipart_free(m);
  return NULL;
}
