/*
 * backend_answer: the backend answer's framing (see backend_answer.h); the
 * byte classes, length digits, codings and chunk-size digits are the shared
 * ones of tg_http_syntax. Lines may end in CRLF or a bare LF (RFC 9112 2.2);
 * a bare CR anywhere else is a control byte and refused.
 */
#include "backend_answer.h"

#include <string.h>

#include "http_header.h"
#include "tg_http_syntax.h"

#define MAX_CHUNK_LINE 4096  /* a size line with its extensions */
#define MAX_TRAILERS   16384 /* the whole trailer section */

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
  if (*p && (*p != ' ' || !tg_http_field_value_ok(p, len - (gsize)(p - line)))) return FALSE;
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
  gboolean has_length;
  TgHttpCodings codings;
  gboolean keep_alive;
} Framing;

/* Content-Length: 1*DIGIT, or a list of one value repeated (RFC 9110 8.6);
   every field must agree with the first, whose value is cut to its digits
   (length fields never reach the client as they came). */
static gboolean note_length(BackendHeader *h, Framing *f, BackendHead *out) {
  char *p = (char *)h->value, *end = p + h->vlen, *first = NULL;
  gsize first_len = 0;
  while (TRUE) {
    char *comma = memchr(p, ',', (gsize)(end - p)), *e = comma ? comma : end;
    while (p < e && is_blank(*p)) p++;
    gsize n = (gsize)(e - p);
    while (n > 0 && is_blank(p[n - 1])) n--;
    guint64 v;
    if (!tg_http_content_length(p, n, &v) || (f->has_length && v != out->length)) return FALSE;
    f->has_length = TRUE;
    out->length = v;
    if (!first) first = p, first_len = n;
    if (!comma) break;
    p = comma + 1;
  }
  if (!out->content_length) {
    first[first_len] = '\0';
    out->content_length = h->value = first;
    h->vlen = (guint32)first_len;
  }
  return TRUE;
}

static const char *note_field(BackendHeader *h, Framing *f, BackendHead *out) {
  switch (h->kind) {
  case HTTP_H_CONTENT_LENGTH:
    return note_length(h, f, out) ? NULL : "a Content-Length that is not one decimal length";
  case HTTP_H_TRANSFER_ENCODING:
    tg_http_codings_add(&f->codings, h->value, h->vlen);
    return NULL;
  case HTTP_H_CONNECTION: {
    guint options = http_connection_options(h->value);
    if (!out->connection) {
      out->connection = h->value;
      out->connection_lists = (options & HTTP_CONN_LISTS) != 0;
    }
    if (options & HTTP_CONN_CLOSE) out->close = TRUE;
    if (options & HTTP_CONN_KEEP_ALIVE) f->keep_alive = TRUE;
    return NULL;
  }
  default:
    return NULL;
  }
}

/* "Name: value" into a BackendHeader; the reason when it is not one. */
static const char *parse_field(char *line, gsize len, BackendHeader *h) {
  if (is_blank(*line)) return "obs-fold (a line that continues the field before)";
  gsize nlen = 0; /* the line is NUL-terminated, and NUL is no tchar */
  while (tg_http_tchar((guchar)line[nlen])) nlen++;
  if (nlen == 0 || nlen == len || line[nlen] != ':') return "a field name that is not a token";
  line[nlen] = '\0';
  gsize vlen = len - nlen - 1;
  char *value = line + nlen + 1;
  if (!tg_http_field_value_ok(value, vlen)) return "a control byte in a field value";
  *h = (BackendHeader){.name = line, .nlen = (guint32)nlen};
  h->value = trim(value, &vlen);
  h->vlen = (guint32)vlen;
  h->kind = http_header_kind(h->name, nlen);
  return NULL;
}

static const char *choose_mode(const Framing *f, gboolean head_request, BackendHead *out) {
  if (out->status == 101) return "a protocol switch the gateway never asks for";
  gboolean has_coding = f->codings.codings > 0;
  if (has_coding && f->has_length) return "both Content-Length and Transfer-Encoding";
  if (has_coding && !tg_http_codings_chunked(&f->codings))
    return "a Transfer-Encoding whose final coding is not chunked";
  if (head_request || out->status < 200 || out->status == 204 || out->status == 304)
    out->mode = BA_BODY_NONE;
  else if (has_coding)
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
  C_SIZE,      /* the first hex digit of a size line */
  C_SIZE_MORE, /* more hex digits, ';', CR or LF */
  C_EXT_BLANK, /* blanks after the size: only ';' may follow */
  C_EXT,       /* extensions, to the line's end */
  C_SIZE_CR,   /* CR seen: LF must follow */
  C_DATA,      /* remaining bytes of data */
  C_DATA_END,  /* CR or LF after the data */
  C_DATA_CR,   /* CR seen after the data: LF must follow */
  C_TRAILER_START,
  C_TRAILER,
  C_TRAILER_CR,
  C_END_CR,
  C_DONE,
};

static BackendAnswerResult chunk_fail(BackendChunks *c, const char *why) {
  c->error = why;
  return BA_INVALID;
}

/* The size line ended: data, or the trailer section after the last chunk. */
static void size_line_done(BackendChunks *c) {
  c->line = c->digits = 0;
  c->state = c->remaining ? C_DATA : C_TRAILER_START;
}

/* One framing byte; BA_NEED_MORE to go on. */
static BackendAnswerResult chunk_byte(BackendChunks *c, char ch) {
  guchar u = (guchar)ch;
  if (c->state <= C_SIZE_CR && ++c->line > MAX_CHUNK_LINE)
    return chunk_fail(c, "a chunk line too long");
  if (c->state >= C_TRAILER_START && c->state <= C_END_CR && ++c->trailers > MAX_TRAILERS)
    return chunk_fail(c, "trailers too long");
  switch (c->state) {
  case C_SIZE:
  case C_SIZE_MORE:
    switch (tg_http_chunk_digit(&c->remaining, &c->digits, u)) {
    case TG_HTTP_CHUNK_DIGIT:
      c->state = C_SIZE_MORE;
      return BA_NEED_MORE;
    case TG_HTTP_CHUNK_TOO_BIG:
      return chunk_fail(c, "a chunk size too big");
    default:
      break;
    }
    if (c->state == C_SIZE) {
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
    if (ch == ';')
      c->state = C_EXT;
    else if (!is_blank(ch))
      return chunk_fail(c, "blanks after a chunk size");
    return BA_NEED_MORE;
  case C_EXT:
    if (ch == '\r')
      c->state = C_SIZE_CR;
    else if (ch == '\n')
      size_line_done(c);
    else if (!tg_http_value_byte(u))
      return chunk_fail(c, "a control byte in a chunk extension");
    return BA_NEED_MORE;
  case C_SIZE_CR:
    if (ch != '\n') return chunk_fail(c, "a bare CR in a chunk line");
    size_line_done(c);
    return BA_NEED_MORE;
  case C_DATA_END:
    if (ch == '\r')
      c->state = C_DATA_CR;
    else if (ch == '\n')
      c->state = C_SIZE;
    else
      return chunk_fail(c, "chunk data longer than its size");
    return BA_NEED_MORE;
  case C_DATA_CR:
    if (ch != '\n') return chunk_fail(c, "a bare CR after chunk data");
    c->state = C_SIZE;
    return BA_NEED_MORE;
  case C_TRAILER_START:
    if (ch == '\n') return c->state = C_DONE, BA_COMPLETE;
    if (ch == '\r')
      c->state = C_END_CR;
    else if (!tg_http_tchar(u))
      return chunk_fail(c, "a trailer field that is not a field");
    else
      c->state = C_TRAILER;
    return BA_NEED_MORE;
  case C_TRAILER:
    if (ch == '\r')
      c->state = C_TRAILER_CR;
    else if (ch == '\n')
      c->state = C_TRAILER_START;
    else if (!tg_http_value_byte(u))
      return chunk_fail(c, "a control byte in a trailer");
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
