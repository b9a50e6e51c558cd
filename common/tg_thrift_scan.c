/*
 * tg_thrift_scan: finds the end of one binary or compact Thrift message in a buffer (see
 * tg_thrift_scan.h), skipping values instead of decoding them. Trade-off: a loop over an
 * explicit stack, each step kept or undone whole, so a resumed scan restarts only the step
 * that ran out of bytes. Design notes: docs/HACKING.md.
 */
#include "tg_thrift_scan.h"

#include <string.h>

/* Binary protocol type ids (compact ids are mapped to these) */
enum {
  T_STOP = 0,
  T_BOOL = 2,
  T_BYTE = 3,
  T_DOUBLE = 4,
  T_I16 = 6,
  T_I32 = 8,
  T_I64 = 10,
  T_STRING = 11,
  T_STRUCT = 12,
  T_MAP = 13,
  T_SET = 14,
  T_LIST = 15,
  T_UUID = 16,
};

#define STRICT_VERSION_MASK 0xffff0000u
#define STRICT_VERSION_1    0x80010000u
#define COMPACT_PROTOCOL_ID 0x82
#define COMPACT_VERSION     1

typedef struct {
  const guint8 *buf;
  gsize len, pos;
  guint32 depth;
  const TgThriftScanLimits *limits;
  TgThriftScanResult result; /* NEED_MORE or INVALID once a step failed */
  const char *error;
  const char *refused; /* this step's string refused, the walk still in step */
} Cursor;

static gboolean invalid(Cursor *c, const char *why) {
  c->result = TG_THRIFT_SCAN_INVALID;
  c->error = why;
  return FALSE;
}

/* n more bytes: there, still to come, or past the message size limit. */
static gboolean need(Cursor *c, guint64 n) {
  if (c->pos + n > c->limits->max_message)
    return invalid(c, "message larger than max_message_size");
  if (c->pos + n > c->len) {
    c->result = TG_THRIFT_SCAN_NEED_MORE;
    return FALSE;
  }
  return TRUE;
}

static gboolean skip(Cursor *c, guint64 n) {
  if (!need(c, n)) return FALSE;
  c->pos += n;
  return TRUE;
}

static gboolean read_byte(Cursor *c, guint8 *out) {
  if (!need(c, 1)) return FALSE;
  *out = c->buf[c->pos++];
  return TRUE;
}

static gboolean read_be32(Cursor *c, gint32 *out) {
  if (!need(c, 4)) return FALSE;
  const guint8 *p = c->buf + c->pos;
  *out = (gint32)((guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3]);
  c->pos += 4;
  return TRUE;
}

static gboolean read_varint(Cursor *c, guint max_bytes, guint64 *out) {
  guint64 v = 0;
  for (guint i = 0; i < max_bytes; i++) {
    guint8 b;
    if (!read_byte(c, &b)) return FALSE;
    v |= (guint64)(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      *out = v;
      return TRUE;
    }
  }
  return invalid(c, "varint too long");
}

static gboolean string_size_ok(Cursor *c, gint64 size) {
  if (size < 0) return invalid(c, "negative string size");
  if ((guint64)size > c->limits->max_string)
    return invalid(c, "string larger than max_string_size");
  return TRUE;
}

/* A string's size bytes, all there (a string is one step: its bytes are looked at once,
   when the last one has arrived). */
static gboolean string_body(Cursor *c, guint64 size) {
  if (!need(c, size)) return FALSE;
  if (c->limits->refuse_nul && memchr(c->buf + c->pos, 0, size) != NULL)
    return invalid(c, "NUL byte in a string");
  c->pos += size;
  return TRUE;
}

/* A string value (not the method name): one over max_string, if the message can still hold
   it, or holding a NUL, is walked past and the message REFUSED, so that the hub can answer
   the call instead of closing the connection. Past max_message the stream cannot be followed
   without buffering it: INVALID. */
static gboolean value_string(Cursor *c, gint64 size) {
  if (size < 0) return invalid(c, "negative string size");
  if (!need(c, (guint64)size)) return FALSE;
  if ((guint64)size > c->limits->max_string)
    c->refused = "string larger than max_string_size";
  else if (c->limits->refuse_nul && memchr(c->buf + c->pos, 0, (gsize)size) != NULL)
    c->refused = "NUL byte in a string";
  c->pos += (gsize)size;
  return TRUE;
}

static gboolean container_size_ok(Cursor *c, gint64 size) {
  if (size < 0) return invalid(c, "negative container size");
  if ((guint64)size > c->limits->max_container)
    return invalid(c, "container larger than max_container_size");
  return TRUE;
}

/* ---- message headers ---- */

static gboolean binary_type_known(guint8 type) {
  return type == T_BOOL || type == T_BYTE || type == T_DOUBLE || type == T_I16 || type == T_I32 ||
         (type >= T_I64 && type <= T_UUID);
}

static gboolean binary_name(Cursor *c, TgThriftScan *out) {
  gint32 size;
  if (!read_be32(c, &size) || !string_size_ok(c, size)) return FALSE;
  out->name = c->buf + c->pos;
  out->name_len = (guint32)size;
  return string_body(c, (guint64)size);
}

/* Strict (version word first) or old (name first, then a type byte). */
static gboolean binary_header(Cursor *c, TgThriftScan *out) {
  gint32 first;
  if (!read_be32(c, &first)) return FALSE;
  if (first < 0) {
    if (((guint32)first & STRICT_VERSION_MASK) != STRICT_VERSION_1)
      return invalid(c, "bad binary protocol version");
    out->type = first & 0xff;
    return binary_name(c, out) && read_be32(c, &out->seqid);
  }
  c->pos -= 4;
  guint8 type;
  if (!binary_name(c, out) || !read_byte(c, &type)) return FALSE;
  out->type = type;
  return read_be32(c, &out->seqid);
}

/* Compact type ids 1..13 as binary type ids (1 and 2 are bool true/false). */
static guint8 compact_to_type(guint8 ctype) {
  static const guint8 map[] = {T_STOP,   T_BOOL,   T_BOOL, T_BYTE, T_I16, T_I32,    T_I64,
                               T_DOUBLE, T_STRING, T_LIST, T_SET,  T_MAP, T_STRUCT, T_UUID};
  return ctype < G_N_ELEMENTS(map) ? map[ctype] : 0xff;
}

static gboolean compact_header(Cursor *c, TgThriftScan *out) {
  guint8 id, version_type;
  guint64 seqid, size;
  if (!read_byte(c, &id) || !read_byte(c, &version_type)) return FALSE;
  if (id != COMPACT_PROTOCOL_ID || (version_type & 0x1f) != COMPACT_VERSION)
    return invalid(c, "bad compact protocol header");
  out->type = version_type >> 5;
  if (!read_varint(c, 5, &seqid) || !read_varint(c, 5, &size) || !string_size_ok(c, (gint64)size))
    return FALSE;
  out->seqid = (gint32)(guint32)seqid;
  out->name = c->buf + c->pos;
  out->name_len = (guint32)size;
  return string_body(c, size);
}

/* ---- one step: a value's first token ---- */

#define DEPTH_MAX_ONE_SHOT 1000

/* A value of binary type id `type` begins at the cursor: a scalar is skipped whole, a
   string too (its bytes must all be there), a struct or container has its header read and
   a frame pushed onto *push (committed by the caller with the step). */
static gboolean value_begin(Cursor *c, TgThriftWire wire, guint8 type, TgThriftScanFrame *push,
                            gboolean *pushed) {
  *pushed = FALSE;
  gboolean compact = wire == TG_THRIFT_WIRE_COMPACT;
  switch (type) {
  case T_BOOL:
  case T_BYTE:
    return skip(c, 1);
  case T_DOUBLE:
    return skip(c, 8);
  case T_UUID:
    return skip(c, 16);
  case T_I16:
  case T_I32:
  case T_I64: {
    if (!compact) return skip(c, type == T_I16 ? 2 : type == T_I32 ? 4 : 8);
    guint64 ignored;
    return read_varint(c, type == T_I16 ? 3 : type == T_I32 ? 5 : 10, &ignored);
  }
  case T_STRING: {
    if (compact) {
      guint64 size;
      return read_varint(c, 5, &size) && value_string(c, (gint64)size);
    }
    gint32 size;
    return read_be32(c, &size) && value_string(c, size);
  }
  case T_STRUCT:
    *push = (TgThriftScanFrame){.kind = T_STRUCT};
    break;
  case T_LIST:
  case T_SET:
    if (compact) {
      guint8 h;
      guint64 size;
      if (!read_byte(c, &h)) return FALSE;
      size = h >> 4;
      if (size == 15 && !read_varint(c, 5, &size)) return FALSE;
      if (!container_size_ok(c, (gint64)size)) return FALSE;
      *push = (TgThriftScanFrame){
          .kind = T_LIST, .key = compact_to_type(h & 0x0f), .left = (guint32)size};
    } else {
      guint8 k;
      gint32 size;
      if (!read_byte(c, &k) || !read_be32(c, &size) || !container_size_ok(c, size)) return FALSE;
      *push = (TgThriftScanFrame){.kind = T_LIST, .key = k, .left = (guint32)size};
    }
    break;
  case T_MAP:
    if (compact) {
      guint64 size;
      guint8 types = 0;
      if (!read_varint(c, 5, &size) || !container_size_ok(c, (gint64)size)) return FALSE;
      if (size > 0 && !read_byte(c, &types)) return FALSE;
      *push = (TgThriftScanFrame){.kind = T_MAP,
                                  .key = compact_to_type(types >> 4),
                                  .value = compact_to_type(types & 0x0f),
                                  .left = (guint32)size * 2};
    } else {
      guint8 k, v;
      gint32 size;
      if (!read_byte(c, &k) || !read_byte(c, &v) || !read_be32(c, &size) ||
          !container_size_ok(c, size))
        return FALSE;
      *push = (TgThriftScanFrame){.kind = T_MAP, .key = k, .value = v, .left = (guint32)size * 2};
    }
    break;
  default:
    return invalid(c, "unknown field type");
  }
  if (++c->depth > c->limits->max_depth) return invalid(c, "nesting deeper than recursion_limit");
  *pushed = TRUE;
  return TRUE;
}

/* The next step inside a struct: a field header and its value's first token, or the STOP
   byte (*stop). */
static gboolean struct_step(Cursor *c, TgThriftWire wire, TgThriftScanFrame *push, gboolean *pushed,
                            gboolean *stop) {
  guint8 header;
  *pushed = *stop = FALSE;
  if (!read_byte(c, &header)) return FALSE;
  if (header == T_STOP) {
    *stop = TRUE;
    return TRUE;
  }
  if (wire == TG_THRIFT_WIRE_BINARY) {
    if (!binary_type_known(header)) return invalid(c, "unknown field type");
    return skip(c, 2) && value_begin(c, wire, header, push, pushed);
  }
  guint64 id;
  if ((header >> 4) == 0 && !read_varint(c, 3, &id)) /* a full field id follows */
    return FALSE;
  guint8 ctype = header & 0x0f;
  if (ctype == 1 || ctype == 2) /* a bool field carries its value in the type */
    return TRUE;
  return value_begin(c, wire, compact_to_type(ctype), push, pushed);
}

/* ---- entry points ---- */

void tg_thrift_scan_begin(TgThriftScanState *st, TgThriftScanFrame *frames, guint32 capacity) {
  *st = (TgThriftScanState){.frames = frames, .capacity = capacity};
}

static void report(const TgThriftScanState *st, const guint8 *buf, TgThriftScan *out) {
  if (!st->started) return;
  out->name = buf + st->name_off;
  out->name_len = st->name_len;
  out->type = st->type;
  out->seqid = st->seqid;
}

static gboolean header_step(TgThriftScanState *st, Cursor *c, TgThriftWire wire,
                            TgThriftScan *out) {
  if (!(wire == TG_THRIFT_WIRE_COMPACT ? compact_header(c, out) : binary_header(c, out)))
    return FALSE;
  st->started = TRUE;
  st->name_off = (guint32)(out->name - c->buf);
  st->name_len = out->name_len;
  st->type = out->type;
  st->seqid = out->seqid;
  st->pos = c->pos;
  if (st->capacity == 0 || c->limits->max_depth == 0)
    return invalid(c, "nesting deeper than recursion_limit");
  st->frames[0] = (TgThriftScanFrame){.kind = T_STRUCT};
  st->depth = 1;
  return TRUE;
}

/* One step from the top frame; on success the state moves past it. */
static gboolean walk_step(TgThriftScanState *st, Cursor *c, TgThriftWire wire) {
  TgThriftScanFrame *top = &st->frames[st->depth - 1];
  TgThriftScanFrame push;
  gboolean pushed = FALSE, stop = FALSE;
  c->pos = st->pos;
  c->depth = st->depth;
  if (top->kind == T_STRUCT) {
    if (!struct_step(c, wire, &push, &pushed, &stop)) return FALSE;
  } else if (top->left == 0) {
    stop = TRUE;
  } else {
    guint8 type = top->kind == T_MAP && top->left % 2 == 1 ? top->value : top->key;
    if (!value_begin(c, wire, type, &push, &pushed)) return FALSE;
    top->left--;
  }
  if (pushed && st->depth >= st->capacity) return invalid(c, "nesting deeper than recursion_limit");
  st->pos = c->pos;
  if (st->refused == NULL) st->refused = c->refused;
  if (stop)
    st->depth--;
  else if (pushed)
    st->frames[st->depth++] = push;
  return TRUE;
}

/* The fast lane of a struct frame in the binary protocol: fields that are scalars or strings,
   walked in one tight loop while their bytes are there and every check passes, each one
   committed as it ends (a call's arguments are mostly these). Anything else (a nested value,
   the STOP byte, a string to refuse, a byte still to come, a limit) stops the lane and is
   left to walk_step, which decides it as it would have without the lane: the lane only ever
   commits a field walk_step would have committed, with the same end. */
static void binary_flat_fields(TgThriftScanState *st, const guint8 *buf, gsize len,
                               const TgThriftScanLimits *limits) {
  static const guint8 scalar_size[T_UUID + 1] = {
      [T_BOOL] = 1, [T_BYTE] = 1, [T_DOUBLE] = 8, [T_I16] = 2,
      [T_I32] = 4,  [T_I64] = 8,  [T_UUID] = 16};
  gsize pos = st->pos, end = MIN(len, (gsize)limits->max_message);
  while (pos <= end && end - pos >= 3) { /* type byte, field id */
    guint8 type = buf[pos];
    gsize n;
    if (type == T_STRING) {
      if (end - pos < 7) break;
      const guint8 *p = buf + pos + 3;
      guint32 size = (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
      if (size > (guint32)G_MAXINT32 || size > limits->max_string || size > end - pos - 7) break;
      if (limits->refuse_nul && memchr(p + 4, 0, size) != NULL) break;
      n = 7 + (gsize)size;
    } else if (type <= T_UUID && scalar_size[type] != 0) {
      n = 3 + (gsize)scalar_size[type];
      if (n > end - pos) break;
    } else {
      break;
    }
    pos += n;
  }
  st->pos = pos;
}

static TgThriftScanResult scan_more(TgThriftScanState *st, TgThriftWire wire, const guint8 *buf,
                                    gsize len, const TgThriftScanLimits *limits, TgThriftScan *out,
                                    gboolean lane) {
  Cursor c = {.buf = buf, .len = len, .limits = limits, .result = TG_THRIFT_SCAN_COMPLETE};
  memset(out, 0, sizeof *out);
  gboolean ok = st->started || header_step(st, &c, wire, out);
  lane = lane && wire == TG_THRIFT_WIRE_BINARY;
  while (ok && st->depth > 0) {
    if (lane && st->frames[st->depth - 1].kind == T_STRUCT)
      binary_flat_fields(st, buf, len, limits);
    ok = walk_step(st, &c, wire);
  }
  report(st, buf, out);
  if (ok) out->length = st->pos;
  out->error = ok ? st->refused : c.error;
  if (ok && st->refused) return TG_THRIFT_SCAN_REFUSED;
  return ok ? TG_THRIFT_SCAN_COMPLETE : c.result;
}

TgThriftScanResult tg_thrift_scan_more(TgThriftScanState *st, TgThriftWire wire, const guint8 *buf,
                                       gsize len, const TgThriftScanLimits *limits,
                                       TgThriftScan *out) {
  return scan_more(st, wire, buf, len, limits, out, TRUE);
}

TgThriftScanResult tg_thrift_scan_more_general(TgThriftScanState *st, TgThriftWire wire,
                                               const guint8 *buf, gsize len,
                                               const TgThriftScanLimits *limits,
                                               TgThriftScan *out) {
  return scan_more(st, wire, buf, len, limits, out, FALSE);
}

TgThriftScanResult tg_thrift_scan(TgThriftWire wire, const guint8 *buf, gsize len,
                                  const TgThriftScanLimits *limits, TgThriftScan *out) {
  TgThriftScanFrame frames[DEPTH_MAX_ONE_SHOT];
  TgThriftScanState st;
  tg_thrift_scan_begin(&st, frames, MIN(limits->max_depth, DEPTH_MAX_ONE_SHOT));
  return tg_thrift_scan_more(&st, wire, buf, len, limits, out);
}

TgThriftScanLimits tg_thrift_scan_default_limits(void) {
  return (TgThriftScanLimits){.max_message = TG_THRIFT_DEFAULT_MAX_MESSAGE,
                              .max_string = TG_THRIFT_DEFAULT_MAX_STRING,
                              .max_container = TG_THRIFT_DEFAULT_MAX_CONTAINER,
                              .max_depth = TG_THRIFT_DEFAULT_MAX_DEPTH,
                              .refuse_nul = TRUE};
}

gboolean tg_thrift_scan_name_is(const TgThriftScan *scan, const char *name) {
  gsize n = strlen(name);
  return scan->name != NULL && scan->name_len == n && memcmp(scan->name, name, n) == 0;
}
