/*
 * request_scan: a byte-at-a-time state machine over a client's request
 * stream (see request_scan.h). Bodies are skipped by count, never copied.
 * Each refusal names its rule; the first refusal ends the connection. The
 * syntax rules themselves (byte classes, digits, codings) are tg_http_syntax's.
 */
#include "request_scan.h"

#include <string.h>

#include "http_header.h"
#include "tg_http_syntax.h"

enum {
  P_START, /* between requests: CRLF allowed, then a method */
  P_START_LF,
  P_METHOD,
  P_TARGET,
  P_VERSION, /* sub: index into "HTTP/1.x\r\n" */
  P_FIELD_START,
  P_HEAD_LF,
  P_NAME,
  P_VALUE,
  P_VALUE_LF,
  P_BODY,
  P_CHUNK_SIZE,
  P_CHUNK_SIZE_LF,
  P_CHUNK_DATA,
  P_CHUNK_DATA_CR,
  P_CHUNK_DATA_LF,
  P_LAST_CR,
  P_LAST_LF,
  P_DEAD,
};

enum { F_OTHER, F_CONTENT_LENGTH, F_TRANSFER_ENCODING, F_HOST };

/* the target's form, found as its bytes go by (sub of P_TARGET) */
enum { T_FIRST, T_SCHEME, T_COLON, T_SLASH1, T_AUTHORITY, T_PATH, T_OTHER };

void request_scan_init(RequestScan *s, gsize max_head) {
  memset(s, 0, sizeof *s);
  s->max_head = max_head;
  s->phase = P_START;
}

gboolean request_scan_idle(const RequestScan *s) { return s->phase == P_START; }

static RequestScanResult refuse(RequestScan *s, int status, const char *reason) {
  s->phase = P_DEAD;
  s->status = status;
  s->reason = reason;
  return RSCAN_INVALID;
}

static void head_begin(RequestScan *s) {
  s->head.method[0] = '\0';
  s->head.form = RTARGET_ORIGIN;
  s->head.authority[0] = '\0';
  s->head.https = s->head.chunked = s->head.http10 = FALSE;
  s->head.content_length = -1;
  s->head_bytes = 0;
  s->mlen = s->alen = 0;
  s->n_cl = s->n_te = s->n_host = 0;
  s->sub = T_FIRST;
}

/* --- fields --- */

static int field_kind(const RequestScan *s) {
  switch (http_header_kind(s->name, s->nlen)) {
  case HTTP_H_CONTENT_LENGTH:
    return F_CONTENT_LENGTH;
  case HTTP_H_TRANSFER_ENCODING:
    return F_TRANSFER_ENCODING;
  case HTTP_H_HOST:
    return F_HOST;
  default:
    return F_OTHER;
  }
}

static gsize trimmed_len(const RequestScan *s) {
  gsize n = s->vlen;
  while (n > 0 && (s->value[n - 1] == ' ' || s->value[n - 1] == '\t')) n--;
  return n;
}

static RequestScanResult content_length_field(RequestScan *s) {
  if (++s->n_cl > 1) return refuse(s, 400, "several Content-Length fields");
  guint64 v;
  if (s->value_long || s->value_lead_tab || !tg_http_content_length(s->value, trimmed_len(s), &v))
    return refuse(s, 400, "Content-Length is not a decimal length");
  s->head.content_length = (gint64)v;
  return RSCAN_NEED_MORE;
}

/* "chunked" alone, as evhtp frames it: leading blanks only, no trailing ones,
   and the two spellings its parser knows. Other spellings of a final chunked
   would be framed by us and not by evhtp: refused. Other codings before a
   final chunked: 501. */
static RequestScanResult transfer_encoding_field(RequestScan *s) {
  if (++s->n_te > 1) return refuse(s, 400, "several Transfer-Encoding fields");
  TgHttpCodings codings = {0};
  if (!s->value_long) tg_http_codings_add(&codings, s->value, s->vlen);
  if (!tg_http_codings_chunked(&codings))
    return refuse(s, 400, "Transfer-Encoding whose final coding is not chunked");
  if (codings.codings > 1)
    return refuse(s, 501, "transfer codings other than chunked are not implemented");
  if (s->value_lead_tab || s->vlen != 7 ||
      (strncmp(s->value, "chunked", 7) != 0 && strncmp(s->value, "Chunked", 7) != 0))
    return refuse(s, 400, "Transfer-Encoding chunked in a spelling the gateway does not frame");
  s->head.chunked = TRUE;
  return RSCAN_NEED_MORE;
}

static RequestScanResult field_end(RequestScan *s) {
  switch (s->field) {
  case F_CONTENT_LENGTH:
    return content_length_field(s);
  case F_TRANSFER_ENCODING:
    return transfer_encoding_field(s);
  case F_HOST:
    if (++s->n_host > 1) return refuse(s, 400, "several Host fields");
    return RSCAN_NEED_MORE;
  default:
    return RSCAN_NEED_MORE;
  }
}

static void value_byte(RequestScan *s, unsigned char c) {
  if (s->field == F_OTHER || s->field == F_HOST) return;
  if (!s->value_started) {
    if (c == ' ') return;
    if (c == '\t') {
      s->value_lead_tab = TRUE;
      return;
    }
    s->value_started = TRUE;
  }
  if (s->vlen < sizeof s->value)
    s->value[s->vlen++] = (char)c;
  else
    s->value_long = TRUE;
}

/* The blank line: framing decided. */
static RequestScanResult head_end(RequestScan *s) {
  if (s->n_cl && s->n_te) return refuse(s, 400, "both Content-Length and Transfer-Encoding");
  if (!s->head.http10 && s->n_host == 0) return refuse(s, 400, "HTTP/1.1 request without Host");
  if (s->head.chunked)
    s->phase = P_CHUNK_SIZE;
  else if (s->head.content_length > 0)
    s->phase = P_BODY;
  else
    s->phase = P_START;
  s->left = s->head.content_length > 0 ? (guint64)s->head.content_length : 0;
  s->digits = 0;
  return RSCAN_HEAD;
}

/* --- request line --- */

static RequestScanResult target_byte(RequestScan *s, unsigned char c) {
  if (c == '#') return refuse(s, 400, "a fragment (#) in the request-target");
  if (c < 0x21 || c > 0x7e)
    return refuse(s, 400, "a byte outside visible ASCII in the request-target");
  switch (s->sub) {
  case T_FIRST:
    if (c == '/')
      s->sub = T_PATH, s->head.form = RTARGET_ORIGIN;
    else if (c == '*')
      s->sub = T_OTHER, s->head.form = RTARGET_ASTERISK;
    else
      s->sub = g_ascii_isalpha(c) ? T_SCHEME : T_OTHER, s->head.form = RTARGET_AUTHORITY;
    break;
  case T_SCHEME:
    if (c == ':') {
      s->sub = T_COLON;
      s->head.https = s->alen == 5 && !g_ascii_strncasecmp(s->head.authority, "https", 5);
    } else if (!g_ascii_isalnum(c) && c != '+' && c != '-' && c != '.')
      s->sub = T_OTHER;
    break;
  case T_COLON:
    s->sub = c == '/' ? T_SLASH1 : T_OTHER;
    break;
  case T_SLASH1:
    if (c == '/') {
      s->sub = T_AUTHORITY;
      s->head.form = RTARGET_ABSOLUTE;
      s->alen = 0;
      s->head.authority[0] = '\0';
      return RSCAN_NEED_MORE;
    }
    s->sub = T_OTHER;
    break;
  case T_AUTHORITY:
    if (c == '/' || c == '?') {
      s->sub = T_PATH;
      return RSCAN_NEED_MORE;
    }
    break;
  case T_OTHER:
    break;
  default:
    return RSCAN_NEED_MORE;
  }
  if (s->sub == T_PATH || (s->sub == T_OTHER && s->head.form != RTARGET_AUTHORITY))
    return RSCAN_NEED_MORE;
  if (s->alen + 1 >= sizeof s->head.authority) return refuse(s, 400, "authority too long");
  s->head.authority[s->alen++] = (char)c;
  s->head.authority[s->alen] = '\0';
  return RSCAN_NEED_MORE;
}

static RequestScanResult version_byte(RequestScan *s, unsigned char c) {
  static const char want[] = "HTTP/1.";
  if (s->sub < 7) {
    if (c != (unsigned char)want[s->sub]) return refuse(s, 400, "not an HTTP/1.x request line");
  } else if (s->sub == 7) {
    if (c != '0' && c != '1') return refuse(s, 505, "HTTP version not supported");
    s->head.http10 = c == '0';
  } else if (s->sub == 8) {
    if (c != '\r') return refuse(s, 400, "request line not ended by CRLF");
  } else {
    if (c != '\n') return refuse(s, 400, "bare CR in the request line");
    s->phase = P_FIELD_START;
    return RSCAN_NEED_MORE;
  }
  s->sub++;
  return RSCAN_NEED_MORE;
}

/* --- one byte of a head --- */

static RequestScanResult head_byte(RequestScan *s, unsigned char c) {
  if (++s->head_bytes > s->max_head)
    return refuse(s, s->phase <= P_VERSION ? 414 : 431,
                  s->phase <= P_VERSION ? "request line too long" : "request head too large");
  switch (s->phase) {
  case P_METHOD:
    if (c == ' ') {
      if (s->mlen == 0) return refuse(s, 400, "empty method");
      s->phase = P_TARGET;
      s->sub = T_FIRST;
      return RSCAN_NEED_MORE;
    }
    if (!tg_http_tchar(c)) return refuse(s, 400, "a method outside RFC 9110 token");
    if (s->mlen + 1 >= sizeof s->head.method) return refuse(s, 501, "method not implemented");
    s->head.method[s->mlen++] = (char)c;
    s->head.method[s->mlen] = '\0';
    return RSCAN_NEED_MORE;
  case P_TARGET:
    if (c == ' ') {
      if (s->sub == T_FIRST) return refuse(s, 400, "empty request-target");
      if (s->head.form == RTARGET_ABSOLUTE && s->sub == T_SLASH1)
        return refuse(s, 400, "bad absolute-form");
      s->phase = P_VERSION;
      s->sub = 0;
      return RSCAN_NEED_MORE;
    }
    return target_byte(s, c);
  case P_VERSION:
    return version_byte(s, c);
  case P_FIELD_START:
    if (c == '\r') {
      s->phase = P_HEAD_LF;
      return RSCAN_NEED_MORE;
    }
    if (c == ' ' || c == '\t') return refuse(s, 400, "obs-fold or whitespace before a field name");
    if (!tg_http_tchar(c)) return refuse(s, 400, "a field name outside RFC 9110 token");
    s->phase = P_NAME;
    s->nlen = 0;
    s->name[s->nlen++] = (char)c;
    return RSCAN_NEED_MORE;
  case P_HEAD_LF:
    if (c != '\n') return refuse(s, 400, "bare CR in the head");
    return head_end(s);
  case P_NAME:
    if (c == ':') {
      s->field = s->nlen <= sizeof s->name ? field_kind(s) : F_OTHER;
      s->phase = P_VALUE;
      s->vlen = 0;
      s->value_long = s->value_lead_tab = s->value_started = FALSE;
      return RSCAN_NEED_MORE;
    }
    if (c == ' ' || c == '\t')
      return refuse(s, 400, "whitespace between a field name and the colon");
    if (!tg_http_tchar(c)) return refuse(s, 400, "a field name outside RFC 9110 token");
    if (s->nlen < sizeof s->name) s->name[s->nlen] = (char)c;
    s->nlen++;
    return RSCAN_NEED_MORE;
  case P_VALUE:
    if (c == '\r') {
      s->phase = P_VALUE_LF;
      return RSCAN_NEED_MORE;
    }
    if (!tg_http_value_byte(c)) return refuse(s, 400, "a control byte in a field value");
    value_byte(s, c);
    return RSCAN_NEED_MORE;
  case P_VALUE_LF:
    if (c != '\n') return refuse(s, 400, "bare CR in a field value");
    s->phase = P_FIELD_START;
    return field_end(s);
  default:
    return refuse(s, 400, "scanner state");
  }
}

/* --- bodies --- */

static RequestScanResult chunk_byte(RequestScan *s, unsigned char c) {
  switch (s->phase) {
  case P_CHUNK_SIZE:
    switch (tg_http_chunk_digit(&s->left, &s->digits, c)) {
    case TG_HTTP_CHUNK_DIGIT:
      return RSCAN_NEED_MORE;
    case TG_HTTP_CHUNK_TOO_BIG:
      return refuse(s, 400, "chunk size too large");
    default:
      break;
    }
    if (c == ';') return refuse(s, 400, "chunk extensions are not accepted");
    if (c != '\r' || s->digits == 0) return refuse(s, 400, "bad chunk size line");
    s->phase = P_CHUNK_SIZE_LF;
    return RSCAN_NEED_MORE;
  case P_CHUNK_SIZE_LF:
    if (c != '\n') return refuse(s, 400, "bare CR after a chunk size");
    s->phase = s->left ? P_CHUNK_DATA : P_LAST_CR;
    return RSCAN_NEED_MORE;
  case P_CHUNK_DATA_CR:
    if (c != '\r') return refuse(s, 400, "chunk data longer than its size");
    s->phase = P_CHUNK_DATA_LF;
    return RSCAN_NEED_MORE;
  case P_CHUNK_DATA_LF:
    if (c != '\n') return refuse(s, 400, "bare CR after chunk data");
    s->phase = P_CHUNK_SIZE;
    s->digits = 0;
    s->left = 0;
    return RSCAN_NEED_MORE;
  case P_LAST_CR:
    if (c != '\r') return refuse(s, 400, "trailer fields are not accepted");
    s->phase = P_LAST_LF;
    return RSCAN_NEED_MORE;
  case P_LAST_LF:
    if (c != '\n') return refuse(s, 400, "bare CR after the last chunk");
    s->phase = P_START;
    return RSCAN_NEED_MORE;
  default:
    return refuse(s, 400, "scanner state");
  }
}

/* Body bytes by count: the caller's n at once. */
static gsize skip_body(RequestScan *s, gsize n) {
  gsize take = s->left < n ? (gsize)s->left : n;
  s->left -= take;
  if (s->left == 0) s->phase = s->phase == P_BODY ? P_START : P_CHUNK_DATA_CR;
  return take;
}

/* Past the bytes of class cls from j. */
static inline gsize class_run(const char *p, gsize j, gsize n, guint8 cls) {
  const guchar *u = (const guchar *)p;
  while (j < n && (tg_http_byte_class[u[j]] & cls)) j++;
  return j;
}

/* Past the field-value bytes from j: 8 at a time while none is a control byte
   (below 0x20, or 0x7f), then by the table. */
static gsize value_run(const char *p, gsize j, gsize n) {
  while (j + 8 <= n && tg_http_word_clean(p + j)) j += 8;
  return class_run(p, j, n, TG_HTTP_VALUE);
}

/* A whole field line "name: value CRLF" of a field the gateway does not read the
   value of, at once; 0 (nothing consumed, the state machine takes it byte by byte)
   for anything else: a line not all here, a framing field, a second Host, a refusal. */
static gsize fast_field(RequestScan *s, const char *p, gsize i, gsize n) {
  gsize j = class_run(p, i, n, TG_HTTP_TCHAR);
  if (j == i || j >= n || p[j] != ':') return 0;
  gsize nlen = j - i;
  int field = F_OTHER;
  if (nlen == 4 || nlen == 14 || nlen == 17) {
    memcpy(s->name, p + i, nlen);
    s->nlen = nlen;
    field = field_kind(s);
    if (field == F_CONTENT_LENGTH || field == F_TRANSFER_ENCODING || (field == F_HOST && s->n_host))
      return 0;
  }
  j = value_run(p, j + 1, n);
  if (j + 1 >= n || p[j] != '\r' || p[j + 1] != '\n' || s->head_bytes + (j + 2 - i) > s->max_head)
    return 0;
  if (field == F_HOST) s->n_host++;
  return j + 2 - i;
}

/* The bulk of a head is runs of plain bytes: field lines the gateway does not
   read, a path. They are skipped with a table lookup per byte or less; the byte
   that ends a run goes through the state machine. Returns the run's length. */
static gsize fast_run(RequestScan *s, const char *p, gsize i, gsize n) {
  gsize j = i;
  switch (s->phase) {
  case P_FIELD_START:
    return fast_field(s, p, i, n);
  case P_VALUE:
    if (s->field != F_OTHER && s->field != F_HOST) return 0;
    return value_run(p, i, n) - i;
  case P_NAME:
    j = class_run(p, i, n, TG_HTTP_TCHAR);
    if (s->nlen < sizeof s->name)
      memcpy(s->name + s->nlen, p + i, MIN(j - i, sizeof s->name - s->nlen));
    s->nlen += j - i;
    return j - i;
  case P_METHOD: /* token bytes that fit; the byte after them (or a refusal) by the machine */
    j = class_run(p, i, n, TG_HTTP_TCHAR);
    if (s->mlen + (j - i) + 1 >= sizeof s->head.method) return 0;
    memcpy(s->head.method + s->mlen, p + i, j - i);
    s->mlen += j - i;
    s->head.method[s->mlen] = '\0';
    return j - i;
  case P_VERSION: /* the whole "HTTP/1.1\r\n" at once, else byte by byte */
    if (s->sub != 0 || n - i < 10 || memcmp(p + i, "HTTP/1.1\r\n", 10) != 0) return 0;
    s->phase = P_FIELD_START;
    return 10;
  case P_TARGET:
    if (s->sub != T_PATH) return 0;
    j = class_run(p, i, n, TG_HTTP_TARGET);
    if (j > i && s->target_len == 0) s->target_off = i;
    s->target_len += j - i;
    return j - i;
  default:
    return 0;
  }
}

RequestScanResult request_scan_feed(RequestScan *s, const char *p, gsize n, gsize *used) {
  gsize i = 0;
  RequestScanResult r = RSCAN_NEED_MORE;
  if (s->phase == P_DEAD) {
    *used = 0;
    return RSCAN_INVALID;
  }
  s->target_off = s->target_len = 0;
  while (i < n && r == RSCAN_NEED_MORE) {
    gsize run = fast_run(s, p, i, n);
    if (run) {
      i += run;
      if ((s->head_bytes += run) > s->max_head)
        r = s->phase <= P_VERSION ? refuse(s, 414, "request line too long")
                                  : refuse(s, 431, "request head too large");
      continue;
    }
    unsigned char c = (unsigned char)p[i];
    if (s->phase == P_TARGET && c != ' ') { /* contiguous within one call */
      if (s->target_len++ == 0) s->target_off = i;
    }
    switch (s->phase) {
    case P_BODY:
    case P_CHUNK_DATA:
      i += skip_body(s, n - i);
      continue;
    case P_START:
      if (c == '\r')
        s->phase = P_START_LF;
      else if (tg_http_tchar(c)) {
        head_begin(s);
        s->phase = P_METHOD;
        r = head_byte(s, c);
      } else
        r = refuse(s, 400, "a request line must start with a method");
      break;
    case P_START_LF:
      if (c != '\n')
        r = refuse(s, 400, "bare CR before a request");
      else
        s->phase = P_START;
      break;
    case P_CHUNK_SIZE:
    case P_CHUNK_SIZE_LF:
    case P_CHUNK_DATA_CR:
    case P_CHUNK_DATA_LF:
    case P_LAST_CR:
    case P_LAST_LF:
      r = chunk_byte(s, c);
      break;
    default:
      r = head_byte(s, c);
      break;
    }
    i++;
  }
  *used = i;
  return r;
}
