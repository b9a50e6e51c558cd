/*
 * validate_wire.c: validateKey's call read in place and its reply written, in
 * the binary protocol (see validate_wire.h). The message is complete and
 * within the hub's limits already (tg_thrift_scan checked it on the way in);
 * this reader still checks every length against the bytes it has.
 */
#include "validate_wire.h"

#include <string.h>

#include "tg_strpack.h"

#define T_STOP       0
#define T_STRUCT     12
#define T_STRING     11
#define MSG_CALL     1
#define MSG_REPLY    2
#define VERSION_1    0x80010000u
#define VERSION_MASK 0xffff0000u
#define N_ARGS       8

static const char METHOD[] = "validateKey";

typedef struct {
  const guint8 *p, *end;
} Cursor;

static gboolean take(Cursor *c, gsize n, const guint8 **at) {
  if ((gsize)(c->end - c->p) < n) return FALSE;
  *at = c->p;
  c->p += n;
  return TRUE;
}

static gboolean read_u8(Cursor *c, guint8 *v) {
  const guint8 *at;
  return take(c, 1, &at) && (*v = at[0], TRUE);
}

static gboolean read_i16(Cursor *c, gint16 *v) {
  const guint8 *at;
  return take(c, 2, &at) && (*v = (gint16)(at[0] << 8 | at[1]), TRUE);
}

static gboolean read_u32(Cursor *c, guint32 *v) {
  const guint8 *at;
  if (!take(c, 4, &at)) return FALSE;
  *v = (guint32)at[0] << 24 | (guint32)at[1] << 16 | (guint32)at[2] << 8 | at[3];
  return TRUE;
}

/* A string's bytes: an i32 length (not negative) and that many bytes, none of them NUL (the
   handler sees C strings: a NUL would cut what was checked short of what was sent). */
static gboolean read_string(Cursor *c, const guint8 **s, guint32 *len) {
  return read_u32(c, len) && *len <= G_MAXINT32 && take(c, *len, s) && memchr(*s, 0, *len) == NULL;
}

/* The message header, strict (version word first): what WSO2's and our clients send.
   An old-style header (name first) is left to c_glib. */
static gboolean read_header(Cursor *c, gint32 *seqid) {
  guint32 first, seq, name_len;
  const guint8 *name;
  if (!read_u32(c, &first) || (first & VERSION_MASK) != VERSION_1 || (first & 0xff) != MSG_CALL ||
      !read_string(c, &name, &name_len) || name_len != sizeof METHOD - 1 ||
      memcmp(name, METHOD, name_len) != 0 || !read_u32(c, &seq))
    return FALSE;
  *seqid = (gint32)seq;
  return TRUE;
}

typedef struct {
  const guint8 *at;
  guint32 len;
  gboolean set;
} Arg;

/* The argument struct: string fields 1..8 only (a repeated one: the last wins, as in
   c_glib), then the stop, then the end of the message. */
static gboolean read_args(Cursor *c, Arg args[N_ARGS + 1]) {
  for (;;) {
    guint8 type;
    gint16 id;
    if (!read_u8(c, &type)) return FALSE;
    if (type == T_STOP) return c->p == c->end;
    if (type != T_STRING || !read_i16(c, &id) || id < 1 || id > N_ARGS) return FALSE;
    Arg *a = &args[id];
    if (!read_string(c, &a->at, &a->len)) return FALSE;
    a->set = TRUE;
  }
}

gboolean validate_key_call_read(const guint8 *msg, gsize len, ValidateKeyCall *call) {
  memset(call, 0, sizeof *call);
  Cursor c = {msg, msg + len};
  Arg args[N_ARGS + 1] = {0};
  if (!read_header(&c, &call->seqid) || !read_args(&c, args)) return FALSE;
  const char *src[N_ARGS];
  gsize lens[N_ARGS];
  char *copies[N_ARGS + 1]; /* by field id: copies[0] unused */
  for (int id = 1; id <= N_ARGS; id++) {
    if (!args[id].set && id != 6) /* clientDomain is the one optional argument */
      return FALSE;
    src[id - 1] = args[id].set ? (const char *)args[id].at : NULL;
    lens[id - 1] = args[id].len;
  }
  call->block = tg_strpack_len(0, src, lens, N_ARGS, copies + 1);
  call->context = copies[1];
  call->version = copies[2];
  call->token = copies[3];
  call->session = copies[4];
  call->auth_level = copies[5];
  call->client_domain = copies[6];
  call->resource = copies[7];
  call->verb = copies[8];
  return TRUE;
}

void validate_key_call_clear(ValidateKeyCall *call) { g_clear_pointer(&call->block, g_free); }

static void put_u32(GByteArray *out, guint32 v) {
  guint8 b[4] = {v >> 24, v >> 16, v >> 8, v};
  g_byte_array_append(out, b, 4);
}

void validate_key_reply_write(GByteArray *out, gint32 seqid, GBytes *dto) {
  static const guint8 success_field[] = {T_STRUCT, 0, 0};
  static const guint8 stop = T_STOP;
  gsize dto_len = 0;
  const guint8 *dto_bytes = g_bytes_get_data(dto, &dto_len);
  put_u32(out, VERSION_1 | MSG_REPLY);
  put_u32(out, sizeof METHOD - 1);
  g_byte_array_append(out, (const guint8 *)METHOD, sizeof METHOD - 1);
  put_u32(out, (guint32)seqid);
  g_byte_array_append(out, success_field, sizeof success_field);
  g_byte_array_append(out, dto_bytes, (guint)dto_len);
  g_byte_array_append(out, &stop, 1);
}
