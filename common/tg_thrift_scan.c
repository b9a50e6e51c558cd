/*
 * tg_thrift_scan: finds the end of one binary or compact Thrift message in a
 * buffer (see tg_thrift_scan.h). A cursor walks the message the way a
 * protocol would read it, skipping values instead of decoding them; running
 * out of bytes means NEED_MORE, a value no protocol could read means INVALID.
 */
#include "tg_thrift_scan.h"

#include <string.h>

/* Binary protocol type ids (compact ids are mapped to these) */
enum {
  T_STOP = 0, T_BOOL = 2, T_BYTE = 3, T_DOUBLE = 4, T_I16 = 6, T_I32 = 8, T_I64 = 10,
  T_STRING = 11, T_STRUCT = 12, T_MAP = 13, T_SET = 14, T_LIST = 15, T_UUID = 16,
};

#define STRICT_VERSION_MASK 0xffff0000u
#define STRICT_VERSION_1 0x80010000u
#define COMPACT_PROTOCOL_ID 0x82
#define COMPACT_VERSION 1

typedef struct {
  const guint8 *buf;
  gsize len, pos;
  guint32 depth;
  const TgThriftScanLimits *limits;
  TgThriftScanResult result; /* NEED_MORE or INVALID once a step failed */
  const char *error;
} Cursor;

static gboolean invalid(Cursor *c, const char *why)
{
  c->result = TG_THRIFT_SCAN_INVALID;
  c->error = why;
  return FALSE;
}

/* n more bytes: there, still to come, or past the message size limit. */
static gboolean need(Cursor *c, guint64 n)
{
  if (c->pos + n > c->limits->max_message)
    return invalid(c, "message larger than max_message_size");
  if (c->pos + n > c->len) {
    c->result = TG_THRIFT_SCAN_NEED_MORE;
    return FALSE;
  }
  return TRUE;
}

static gboolean skip(Cursor *c, guint64 n)
{
  if (!need(c, n))
    return FALSE;
  c->pos += n;
  return TRUE;
}

static gboolean read_byte(Cursor *c, guint8 *out)
{
  if (!need(c, 1))
    return FALSE;
  *out = c->buf[c->pos++];
  return TRUE;
}

static gboolean read_be32(Cursor *c, gint32 *out)
{
  if (!need(c, 4))
    return FALSE;
  const guint8 *p = c->buf + c->pos;
  *out = (gint32)((guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3]);
  c->pos += 4;
  return TRUE;
}

static gboolean read_varint(Cursor *c, guint max_bytes, guint64 *out)
{
  guint64 v = 0;
  for (guint i = 0; i < max_bytes; i++) {
    guint8 b;
    if (!read_byte(c, &b))
      return FALSE;
    v |= (guint64)(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      *out = v;
      return TRUE;
    }
  }
  return invalid(c, "varint too long");
}

static gboolean string_size_ok(Cursor *c, gint64 size)
{
  if (size < 0)
    return invalid(c, "negative string size");
  if ((guint64)size > c->limits->max_string)
    return invalid(c, "string larger than max_string_size");
  return TRUE;
}

static gboolean container_size_ok(Cursor *c, gint64 size)
{
  if (size < 0)
    return invalid(c, "negative container size");
  if ((guint64)size > c->limits->max_container)
    return invalid(c, "container larger than max_container_size");
  return TRUE;
}

static gboolean enter(Cursor *c)
{
  if (++c->depth > c->limits->max_depth)
    return invalid(c, "nesting deeper than recursion_limit");
  return TRUE;
}

/* What differs between the two protocols when skipping a value. */
typedef struct {
  gboolean (*integer)(Cursor *c, guint8 type); /* T_I16, T_I32, T_I64 */
  gboolean (*string)(Cursor *c);
  gboolean (*composite)(Cursor *c, guint8 type); /* T_STRUCT, T_MAP, T_SET, T_LIST */
} Wire;

/* Skips one value of a binary type id (compact ids are mapped first). */
static gboolean skip_value(Cursor *c, const Wire *w, guint8 type)
{
  switch (type) {
  case T_BOOL: /* in the compact protocol: a bool inside a container, one byte */
  case T_BYTE:
    return skip(c, 1);
  case T_I16:
  case T_I32:
  case T_I64:
    return w->integer(c, type);
  case T_DOUBLE:
    return skip(c, 8);
  case T_UUID:
    return skip(c, 16);
  case T_STRING:
    return w->string(c);
  case T_STRUCT:
  case T_MAP:
  case T_SET:
  case T_LIST: {
    if (!enter(c))
      return FALSE;
    gboolean ok = w->composite(c, type);
    c->depth--;
    return ok;
  }
  default:
    return invalid(c, "unknown field type");
  }
}

/* ---- binary ---- */

static gboolean binary_value(Cursor *c, guint8 type);

static gboolean binary_string(Cursor *c)
{
  gint32 size;
  return read_be32(c, &size) && string_size_ok(c, size) && skip(c, (guint64)size);
}

static gboolean binary_elements(Cursor *c, guint8 type, guint64 count)
{
  for (guint64 i = 0; i < count; i++)
    if (!binary_value(c, type))
      return FALSE;
  return TRUE;
}

static gboolean binary_type_known(guint8 type)
{
  return type == T_BOOL || type == T_BYTE || type == T_DOUBLE || type == T_I16 || type == T_I32 ||
         (type >= T_I64 && type <= T_UUID);
}

static gboolean binary_struct(Cursor *c)
{
  for (;;) {
    guint8 type;
    if (!read_byte(c, &type))
      return FALSE;
    if (type == T_STOP)
      return TRUE;
    if (!binary_type_known(type))
      return invalid(c, "unknown field type");
    if (!skip(c, 2) || !binary_value(c, type))
      return FALSE;
  }
}

static gboolean binary_container(Cursor *c, guint8 type)
{
  guint8 k = 0, v = 0;
  gint32 size;
  if (!read_byte(c, &k) || (type == T_MAP && !read_byte(c, &v)) || !read_be32(c, &size) ||
      !container_size_ok(c, size))
    return FALSE;
  if (type != T_MAP)
    return binary_elements(c, k, (guint64)size);
  for (gint32 i = 0; i < size; i++)
    if (!binary_value(c, k) || !binary_value(c, v))
      return FALSE;
  return TRUE;
}

static gboolean binary_integer(Cursor *c, guint8 type)
{
  return skip(c, type == T_I16 ? 2 : type == T_I32 ? 4 : 8);
}

static gboolean binary_composite(Cursor *c, guint8 type)
{
  return type == T_STRUCT ? binary_struct(c) : binary_container(c, type);
}

static const Wire binary_wire = {binary_integer, binary_string, binary_composite};

static gboolean binary_value(Cursor *c, guint8 type)
{
  return skip_value(c, &binary_wire, type);
}

static gboolean binary_name(Cursor *c, TgThriftScan *out)
{
  gint32 size;
  if (!read_be32(c, &size) || !string_size_ok(c, size) || !need(c, (guint64)size))
    return FALSE;
  out->name = c->buf + c->pos;
  out->name_len = (guint32)size;
  c->pos += (gsize)size;
  return TRUE;
}

/* Strict (version word first) or old (name first, then a type byte). */
static gboolean binary_header(Cursor *c, TgThriftScan *out)
{
  gint32 first;
  if (!read_be32(c, &first))
    return FALSE;
  if (first < 0) {
    if (((guint32)first & STRICT_VERSION_MASK) != STRICT_VERSION_1)
      return invalid(c, "bad binary protocol version");
    out->type = first & 0xff;
    return binary_name(c, out) && read_be32(c, &out->seqid);
  }
  c->pos -= 4;
  guint8 type;
  if (!binary_name(c, out) || !read_byte(c, &type))
    return FALSE;
  out->type = type;
  return read_be32(c, &out->seqid);
}

/* ---- compact ---- */

static gboolean compact_value(Cursor *c, guint8 ctype);

/* Compact type ids 1..13 as binary type ids (1 and 2 are bool true/false). */
static guint8 compact_to_type(guint8 ctype)
{
  static const guint8 map[] = {T_STOP,   T_BOOL, T_BOOL, T_BYTE, T_I16, T_I32,    T_I64,
                               T_DOUBLE, T_STRING, T_LIST, T_SET, T_MAP, T_STRUCT, T_UUID};
  return ctype < G_N_ELEMENTS(map) ? map[ctype] : 0xff;
}

static gboolean compact_binary(Cursor *c)
{
  guint64 size;
  return read_varint(c, 5, &size) && string_size_ok(c, (gint64)size) && skip(c, size);
}

static gboolean compact_struct(Cursor *c)
{
  for (;;) {
    guint8 header;
    guint64 id;
    if (!read_byte(c, &header))
      return FALSE;
    if (header == 0)
      return TRUE;
    if ((header >> 4) == 0 && !read_varint(c, 3, &id)) /* a full field id follows */
      return FALSE;
    guint8 ctype = header & 0x0f;
    if (ctype == 1 || ctype == 2) /* a bool field carries its value in the type */
      continue;
    if (!compact_value(c, ctype))
      return FALSE;
  }
}

static gboolean compact_elements(Cursor *c, guint8 ctype, guint64 count)
{
  for (guint64 i = 0; i < count; i++)
    if (!compact_value(c, ctype))
      return FALSE;
  return TRUE;
}

static gboolean compact_list(Cursor *c)
{
  guint8 header;
  guint64 size;
  if (!read_byte(c, &header))
    return FALSE;
  size = header >> 4;
  if (size == 15 && !read_varint(c, 5, &size))
    return FALSE;
  return container_size_ok(c, (gint64)size) && compact_elements(c, header & 0x0f, size);
}

static gboolean compact_map(Cursor *c)
{
  guint64 size;
  guint8 types = 0;
  if (!read_varint(c, 5, &size) || !container_size_ok(c, (gint64)size))
    return FALSE;
  if (size > 0 && !read_byte(c, &types))
    return FALSE;
  for (guint64 i = 0; i < size; i++)
    if (!compact_value(c, types >> 4) || !compact_value(c, types & 0x0f))
      return FALSE;
  return TRUE;
}

static gboolean compact_integer(Cursor *c, guint8 type)
{
  guint64 ignored;
  return read_varint(c, type == T_I16 ? 3 : type == T_I32 ? 5 : 10, &ignored);
}

static gboolean compact_composite(Cursor *c, guint8 type)
{
  return type == T_STRUCT ? compact_struct(c) : type == T_MAP ? compact_map(c) : compact_list(c);
}

static const Wire compact_wire = {compact_integer, compact_binary, compact_composite};

static gboolean compact_value(Cursor *c, guint8 ctype)
{
  return skip_value(c, &compact_wire, compact_to_type(ctype));
}

static gboolean compact_header(Cursor *c, TgThriftScan *out)
{
  guint8 id, version_type;
  guint64 seqid, size;
  if (!read_byte(c, &id) || !read_byte(c, &version_type))
    return FALSE;
  if (id != COMPACT_PROTOCOL_ID || (version_type & 0x1f) != COMPACT_VERSION)
    return invalid(c, "bad compact protocol header");
  out->type = version_type >> 5;
  if (!read_varint(c, 5, &seqid) || !read_varint(c, 5, &size) ||
      !string_size_ok(c, (gint64)size) || !need(c, size))
    return FALSE;
  out->seqid = (gint32)(guint32)seqid;
  out->name = c->buf + c->pos;
  out->name_len = (guint32)size;
  c->pos += size;
  return TRUE;
}

/* ---- entry points ---- */

TgThriftScanResult tg_thrift_scan(TgThriftWire wire, const guint8 *buf, gsize len,
                                  const TgThriftScanLimits *limits, TgThriftScan *out)
{
  Cursor c = {.buf = buf, .len = len, .limits = limits, .result = TG_THRIFT_SCAN_COMPLETE};
  memset(out, 0, sizeof *out);
  gboolean ok;
  if (wire == TG_THRIFT_WIRE_COMPACT)
    ok = compact_header(&c, out) && compact_value(&c, 12);
  else
    ok = binary_header(&c, out) && binary_value(&c, T_STRUCT);
  if (ok)
    out->length = c.pos;
  out->error = c.error;
  return ok ? TG_THRIFT_SCAN_COMPLETE : c.result;
}

gboolean tg_thrift_scan_name_is(const TgThriftScan *scan, const char *name)
{
  gsize n = strlen(name);
  return scan->name != NULL && scan->name_len == n && memcmp(scan->name, name, n) == 0;
}
