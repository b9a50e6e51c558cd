/*
 * backend_answer: the backend answer's framing rules in one place (see
 * backend_answer.h). Lines may end in CRLF or a bare LF (RFC 9112 2.2); a
 * bare CR anywhere else is a control byte and refused.
 */
#include "backend_answer.h"

#include <string.h>

#include "http_header.h"

#define MAX_CHUNK_LINE 4096     /* a size line with its extensions */
#define MAX_TRAILERS 16384      /* the whole trailer section */
#define MAX_LENGTH_DIGITS 18    /* below 2^63 */

/* --- end of the head --- */

BackendAnswerResult backend_head_scan(BackendHeadScan *s, const char *p, gsize len, gsize max,
                                      gsize *head_len) {
  gsize i = s->scanned, end = MIN(len, max);
  while (i < end) {
    if (s->line_state == 0) { /* inside a line: jump to its LF */
      const char *nl = memchr(p + i, '\n', end - i);
      if (!nl) {
        i = end;
        break;
      }
      i = (gsize)(nl - p) + 1;
      s->line_state = 1;
      continue;
    }
    char c = p[i++];
    if (c == '\n') {
      s->scanned = i;
      *head_len = i;
      return BA_COMPLETE;
    }
    /* CR at a line's start may open the empty line; any other byte starts a line */
    s->line_state = c == '\r' && s->line_state == 1 ? 2 : 0;
  }
  s->scanned = i;
  if (len >= max) {
    s->error = "the head is too big";
    return BA_INVALID;
  }
  return BA_NEED_MORE;
}

/* --- the head's fields --- */

/* RFC 9110 tchar: ALPHA, DIGIT and !#$%&'*+-.^_`|~ (NUL is not one). */
static const guint8 tchar[256] = {
    ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1, ['*'] = 1, ['+'] = 1,
    ['-'] = 1, ['.'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1, ['|'] = 1, ['~'] = 1,
    ['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1,
};

static gboolean is_tchar(guchar c) { return tchar[c]; }

static gboolean byte_ok(guchar c) { return (c >= 0x20 || c == '\t') && c != 0x7f; }

static gboolean bytes_ok(const char *s, gsize n) {
  for (gsize i = 0; i < n; i++)
    if (!byte_ok((guchar)s[i])) return FALSE;
  return TRUE;
}

/* TRUE when none of the 8 bytes at s is below 0x20 or a DEL. */
static gboolean word_clean(const char *s) {
  guint64 w;
  memcpy(&w, s, 8);
  guint64 del = w ^ 0x7f7f7f7f7f7f7f7fULL; /* a DEL byte is a zero byte here */
  guint64 below_space = (w - 0x2020202020202020ULL) & ~w;
  guint64 zero = (del - 0x0101010101010101ULL) & ~del;
  return ((below_space | zero) & 0x8080808080808080ULL) == 0;
}

/* Field values and reason phrases: HTAB, SP, VCHAR, obs-text; no other control
   byte. Eight bytes a step, the last step overlapping the one before (a word
   with a byte below 0x20 or a DEL is looked at byte by byte): every header
   value of every answer passes here. */
static gboolean text_ok(const char *s, gsize n) {
  if (n < 8) return bytes_ok(s, n);
  for (gsize i = 0;; i += 8) {
    gsize at = MIN(i, n - 8);
    if (!word_clean(s + at) && !bytes_ok(s + at, 8)) return FALSE;
    if (at == n - 8) return TRUE;
  }
}

static gboolean is_blank(char c) { return c == ' ' || c == '\t'; }

/* Cuts the line at *cursor (CRLF or LF) and moves past it; its length in *len. */
static char *next_line(char **cursor, char *end, gsize *len) {
  char *line = *cursor, *nl = memchr(line, '\n', (gsize)(end - line));
  if (!nl) return NULL;
  *nl = '\0';
  *cursor = nl + 1;
  if (nl > line && nl[-1] == '\r') *--nl = '\0';
  *len = (gsize)(nl - line);
  return line;
}

/* "HTTP/1.x SSS[ reason]" */
static gboolean parse_status_line(const char *line, gsize len, BackendHead *out) {
  if (len < 12 || strncmp(line, "HTTP/1.", 7) != 0 || !g_ascii_isdigit(line[7]) || line[8] != ' ')
    return FALSE;
  const char *p = line + 9;
  if (!g_ascii_isdigit(p[0]) || !g_ascii_isdigit(p[1]) || !g_ascii_isdigit(p[2])) return FALSE;
  int status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
  if (status < 100 || status > 599) return FALSE;
  p += 3;
  if (*p && (*p != ' ' || !text_ok(p, len - (gsize)(p - line)))) return FALSE;
  out->status = status;
  out->http10 = line[7] == '0';
  return TRUE;
}

/* Trims blanks around s[0..*len) in place; its new start. */
static char *trim(char *s, gsize *len) {
  gsize n = *len;
  while (n > 0 && is_blank(*s)) s++, n--;
  while (n > 0 && is_blank(s[n - 1])) n--;
  s[n] = '\0';
  *len = n;
  return s;
}

typedef struct {
  gboolean has_length, has_coding, chunked_last;
  int chunked_seen;
  gboolean keep_alive;
} Framing;

/* Content-Length: 1*DIGIT, or a list of one value repeated (RFC 9110 8.6);
   every field must agree with the first, whose value is cut to its digits
   (length fields never reach the client as they came). */
static gboolean note_length(BackendHeader *h, Framing *f, BackendHead *out) {
  char *p = (char *)h->value, *first = NULL;
  gsize first_len = 0;
  while (TRUE) {
    while (is_blank(*p)) p++;
    char *digits = p;
    guint64 n = 0;
    while (g_ascii_isdigit(*p) && p - digits < MAX_LENGTH_DIGITS) n = n * 10 + (guint64)(*p++ - '0');
    if (p == digits || g_ascii_isdigit(*p)) return FALSE;
    if (f->has_length && n != out->length) return FALSE;
    f->has_length = TRUE;
    out->length = n;
    if (!first) first = digits, first_len = (gsize)(p - digits);
    while (is_blank(*p)) p++;
    if (*p != ',') break;
    p++;
  }
  if (*p) return FALSE;
  if (!out->content_length) {
    first[first_len] = '\0';
    out->content_length = h->value = first;
    h->vlen = (guint32)first_len;
  }
  return TRUE;
}

/* Transfer-Encoding: codings in order, across fields; chunked once and last. */
static void note_codings(const char *value, Framing *f) {
  const char *p = value;
  while (*p) {
    while (is_blank(*p) || *p == ',') p++;
    if (!*p) break;
    const char *start = p;
    while (*p && *p != ',') p++;
    const char *e = p;
    while (e > start && is_blank(e[-1])) e--;
    gboolean chunked = e - start == 7 && !g_ascii_strncasecmp(start, "chunked", 7);
    f->has_coding = TRUE;
    f->chunked_seen += chunked;
    f->chunked_last = chunked;
  }
}

static const char *note_field(BackendHeader *h, Framing *f, BackendHead *out) {
  switch (h->kind) {
    case HTTP_H_CONTENT_LENGTH:
      return note_length(h, f, out) ? NULL : "a Content-Length that is not one decimal length";
    case HTTP_H_TRANSFER_ENCODING:
      note_codings(h->value, f);
      return NULL;
    case HTTP_H_CONNECTION:
      if (!out->connection) out->connection = h->value;
      if (http_token_listed(h->value, "close")) out->close = TRUE;
      if (http_token_listed(h->value, "keep-alive")) f->keep_alive = TRUE;
      return NULL;
    default:
      return NULL;
  }
}

/* "Name: value" into a BackendHeader; the reason when it is not one. */
static const char *parse_field(char *line, gsize len, BackendHeader *h) {
  if (is_blank(*line)) return "obs-fold (a line that continues the field before)";
  gsize nlen = 0; /* the line is NUL-terminated, and NUL is no tchar */
  while (tchar[(guchar)line[nlen]]) nlen++;
  if (nlen == 0 || nlen == len || line[nlen] != ':') return "a field name that is not a token";
  line[nlen] = '\0';
  gsize vlen = len - nlen - 1;
  char *value = line + nlen + 1;
  if (!text_ok(value, vlen)) return "a control byte in a field value";
  *h = (BackendHeader){.name = line, .nlen = (guint32)nlen};
  h->value = trim(value, &vlen);
  h->vlen = (guint32)vlen;
  h->kind = http_header_kind(h->name, nlen);
  return NULL;
}

static const char *choose_mode(const Framing *f, gboolean head_request, BackendHead *out) {
  if (out->status == 101) return "a protocol switch the gateway never asks for";
  if (f->has_coding && f->has_length) return "both Content-Length and Transfer-Encoding";
  if (f->has_coding && (!f->chunked_last || f->chunked_seen != 1))
    return "a Transfer-Encoding whose final coding is not chunked";
  if (head_request || out->status < 200 || out->status == 204 || out->status == 304)
    out->mode = BA_BODY_NONE;
  else if (f->has_coding)
    out->mode = BA_BODY_CHUNKED;
  else if (f->has_length)
    out->mode = BA_BODY_LENGTH;
  else
    out->mode = BA_BODY_UNTIL_CLOSE;
  if (out->mode == BA_BODY_UNTIL_CLOSE || (out->http10 && !f->keep_alive)) out->close = TRUE;
  return NULL;
}

BackendAnswerResult backend_head_parse(char *head, gsize len, gboolean head_request,
                                       GArray *headers, BackendHead *out) {
  *out = (BackendHead){0};
  g_array_set_size(headers, 0);
  char *cursor = head, *end = head + len;
  gsize n = 0;
  char *line = next_line(&cursor, end, &n);
  if (!line || !parse_status_line(line, n, out)) {
    out->error = "not an HTTP/1.x status line";
    return BA_INVALID;
  }
  Framing f = {0};
  BackendHeader batch[16]; /* appended 16 at a time: one call for most heads */
  guint batched = 0;
  while ((line = next_line(&cursor, end, &n)) && n > 0) {
    BackendHeader *h = &batch[batched];
    out->error = parse_field(line, n, h);
    if (!out->error) out->error = note_field(h, &f, out);
    if (out->error) return BA_INVALID;
    if (++batched == G_N_ELEMENTS(batch)) g_array_append_vals(headers, batch, batched), batched = 0;
  }
  g_array_append_vals(headers, batch, batched);
  if (!line || cursor != end) {
    out->error = "bytes after the head's end";
    return BA_INVALID;
  }
  out->error = choose_mode(&f, head_request, out);
  return out->error ? BA_INVALID : BA_COMPLETE;
}

/* --- chunked body --- */

enum {
  C_SIZE,       /* the first hex digit of a size line */
  C_SIZE_MORE,  /* more hex digits, ';', CR or LF */
  C_EXT_BLANK,  /* blanks after the size: only ';' may follow */
  C_EXT,        /* extensions, to the line's end */
  C_SIZE_CR,    /* CR seen: LF must follow */
  C_DATA,       /* remaining bytes of data */
  C_DATA_END,   /* CR or LF after the data */
  C_DATA_CR,    /* CR seen after the data: LF must follow */
  C_TRAILER_START,
  C_TRAILER,
  C_TRAILER_CR,
  C_END_CR,
  C_DONE,
};

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = g_ascii_tolower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static BackendAnswerResult chunk_fail(BackendChunks *c, const char *why) {
  c->error = why;
  return BA_INVALID;
}

/* The size line ended: data, or the trailer section after the last chunk. */
static void size_line_done(BackendChunks *c) {
  c->line = 0;
  c->state = c->remaining ? C_DATA : C_TRAILER_START;
}

/* One framing byte; BA_NEED_MORE to go on. */
static BackendAnswerResult chunk_byte(BackendChunks *c, char ch) {
  guchar u = (guchar)ch;
  int hex;
  if (c->state <= C_SIZE_CR && ++c->line > MAX_CHUNK_LINE) return chunk_fail(c, "a chunk line too long");
  if (c->state >= C_TRAILER_START && c->state <= C_END_CR && ++c->trailers > MAX_TRAILERS)
    return chunk_fail(c, "trailers too long");
  switch (c->state) {
    case C_SIZE:
    case C_SIZE_MORE:
      if ((hex = hex_value(ch)) >= 0) {
        if (c->remaining >> 59) return chunk_fail(c, "a chunk size too big");
        c->remaining = c->remaining << 4 | (guint64)hex;
        c->state = C_SIZE_MORE;
      } else if (c->state == C_SIZE) {
        return chunk_fail(c, "a chunk size that is not hexadecimal");
      } else if (ch == ';') {
        c->state = C_EXT;
      } else if (is_blank(ch)) {
        c->state = C_EXT_BLANK;
      } else if (ch == '\r') {
        c->state = C_SIZE_CR;
      } else if (ch == '\n') {
        size_line_done(c);
      } else {
        return chunk_fail(c, "a chunk size that is not hexadecimal");
      }
      return BA_NEED_MORE;
    case C_EXT_BLANK:
      if (ch == ';') c->state = C_EXT;
      else if (!is_blank(ch)) return chunk_fail(c, "blanks after a chunk size");
      return BA_NEED_MORE;
    case C_EXT:
      if (ch == '\r') c->state = C_SIZE_CR;
      else if (ch == '\n') size_line_done(c);
      else if (!byte_ok(u)) return chunk_fail(c, "a control byte in a chunk extension");
      return BA_NEED_MORE;
    case C_SIZE_CR:
      if (ch != '\n') return chunk_fail(c, "a bare CR in a chunk line");
      size_line_done(c);
      return BA_NEED_MORE;
    case C_DATA_END:
      if (ch == '\r') c->state = C_DATA_CR;
      else if (ch == '\n') c->state = C_SIZE;
      else return chunk_fail(c, "chunk data longer than its size");
      return BA_NEED_MORE;
    case C_DATA_CR:
      if (ch != '\n') return chunk_fail(c, "a bare CR after chunk data");
      c->state = C_SIZE;
      return BA_NEED_MORE;
    case C_TRAILER_START:
      if (ch == '\n') return c->state = C_DONE, BA_COMPLETE;
      if (ch == '\r') c->state = C_END_CR;
      else if (is_blank(ch) || !is_tchar(u)) return chunk_fail(c, "a trailer field that is not a field");
      else c->state = C_TRAILER;
      return BA_NEED_MORE;
    case C_TRAILER:
      if (ch == '\r') c->state = C_TRAILER_CR;
      else if (ch == '\n') c->state = C_TRAILER_START;
      else if (!byte_ok(u)) return chunk_fail(c, "a control byte in a trailer");
      return BA_NEED_MORE;
    case C_TRAILER_CR:
      if (ch != '\n') return chunk_fail(c, "a bare CR in a trailer");
      c->state = C_TRAILER_START;
      return BA_NEED_MORE;
    case C_END_CR:
      if (ch != '\n') return chunk_fail(c, "a bare CR after the trailers");
      return c->state = C_DONE, BA_COMPLETE;
    default:
      return chunk_fail(c, "bytes after the last chunk");
  }
}

BackendAnswerResult backend_chunks_scan(BackendChunks *c, const char *p, gsize len, gsize *used) {
  gsize i = 0;
  BackendAnswerResult r = BA_NEED_MORE;
  if (c->error) return BA_INVALID;
  while (i < len && c->state != C_DATA) {
    r = chunk_byte(c, p[i++]);
    if (r != BA_NEED_MORE) break;
  }
  *used = i;
  if (r == BA_NEED_MORE && c->state == C_DATA) return BA_DATA;
  return r;
}

void backend_chunks_data(BackendChunks *c, guint64 n) {
  if (c->state != C_DATA) return;
  c->remaining -= MIN(n, c->remaining);
  if (c->remaining == 0) c->state = C_DATA_END;
}
