/*
 * test_thrift_scan: tg_thrift_scan finds the end of messages written by c_glib's own binary
 * and compact protocols, refuses what is over a limit or not Thrift as soon as it can tell,
 * and scans incrementally without reading again what it has walked. Details: docs/HACKING.md.
 */
#include <glib-object.h>
#include <string.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/protocol/thrift_compact_protocol.h>
#include <thrift/c_glib/transport/thrift_memory_buffer.h>

#include "tg_thrift_scan.h"

static const TgThriftScanLimits limits = {
    .max_message = 1 << 20, .max_string = 1 << 16, .max_container = 1000, .max_depth = 8};

static ThriftProtocol *protocol_new(TgThriftWire wire, ThriftTransport *t) {
  GType type =
      wire == TG_THRIFT_WIRE_COMPACT ? THRIFT_TYPE_COMPACT_PROTOCOL : THRIFT_TYPE_BINARY_PROTOCOL;
  return g_object_new(type, "transport", t, NULL);
}

/* A call with every kind of value: bools in fields and in a list, a nested
   struct, a map, a set, numbers of each width, strings. */
static void write_call(ThriftProtocol *p, int depth) {
  thrift_protocol_write_message_begin(p, "validateKey", T_CALL, 7, NULL);
  thrift_protocol_write_struct_begin(p, "args", NULL);
  thrift_protocol_write_field_begin(p, "s", T_STRING, 1, NULL);
  thrift_protocol_write_string(p, "/items/{id}", NULL);
  thrift_protocol_write_field_begin(p, "b", T_BOOL, 2, NULL);
  thrift_protocol_write_bool(p, TRUE, NULL);
  thrift_protocol_write_field_begin(p, "far", T_I64, 300, NULL); /* long field id delta */
  thrift_protocol_write_i64(p, -1234567890123LL, NULL);
  thrift_protocol_write_field_begin(p, "l", T_LIST, 4, NULL);
  thrift_protocol_write_list_begin(p, T_BOOL, 20, NULL); /* 20: compact's long list header */
  for (int i = 0; i < 20; i++) thrift_protocol_write_bool(p, i % 2, NULL);
  thrift_protocol_write_field_begin(p, "m", T_MAP, 5, NULL);
  thrift_protocol_write_map_begin(p, T_STRING, T_I32, 2, NULL);
  thrift_protocol_write_string(p, "a", NULL);
  thrift_protocol_write_i32(p, 1, NULL);
  thrift_protocol_write_string(p, "b", NULL);
  thrift_protocol_write_i32(p, -2, NULL);
  thrift_protocol_write_field_begin(p, "e", T_MAP, 6, NULL);
  thrift_protocol_write_map_begin(p, T_STRING, T_I32, 0, NULL);
  thrift_protocol_write_field_begin(p, "set", T_SET, 7, NULL);
  thrift_protocol_write_set_begin(p, T_DOUBLE, 1, NULL);
  thrift_protocol_write_double(p, 2.5, NULL);
  for (int d = 0; d < depth; d++) {
    thrift_protocol_write_field_begin(p, "n", T_STRUCT, 8, NULL);
    thrift_protocol_write_struct_begin(p, "n", NULL);
    thrift_protocol_write_field_begin(p, "x", T_I16, 1, NULL);
    thrift_protocol_write_i16(p, -3, NULL);
  }
  for (int d = 0; d < depth; d++) thrift_protocol_write_field_stop(p, NULL);
  thrift_protocol_write_field_stop(p, NULL);
  thrift_protocol_write_message_end(p, NULL);
}

static GByteArray *serialize(TgThriftWire wire, int depth) {
  ThriftMemoryBuffer *buf = g_object_new(THRIFT_TYPE_MEMORY_BUFFER, NULL);
  ThriftProtocol *p = protocol_new(wire, THRIFT_TRANSPORT(buf));
  write_call(p, depth);
  GByteArray *out = g_byte_array_new();
  g_byte_array_append(out, buf->buf->data, buf->buf->len);
  g_object_unref(p);
  g_object_unref(buf);
  return out;
}

static void check_whole_and_prefixes(TgThriftWire wire) {
  g_autoptr(GByteArray) msg = serialize(wire, 3);
  TgThriftScan scan;
  for (guint n = 0; n < msg->len; n++)
    g_assert_cmpint(tg_thrift_scan(wire, msg->data, n, &limits, &scan), ==,
                    TG_THRIFT_SCAN_NEED_MORE);
  /* a second message right behind does not count */
  g_autoptr(GByteArray) two = g_byte_array_new();
  g_byte_array_append(two, msg->data, msg->len);
  g_byte_array_append(two, msg->data, msg->len);
  g_assert_cmpint(tg_thrift_scan(wire, two->data, two->len, &limits, &scan), ==,
                  TG_THRIFT_SCAN_COMPLETE);
  g_assert_cmpuint(scan.length, ==, msg->len);
  g_assert_true(tg_thrift_scan_name_is(&scan, "validateKey"));
  g_assert_false(tg_thrift_scan_name_is(&scan, "validateKeyforHandshake"));
  g_assert_cmpint(scan.seqid, ==, 7);
  g_assert_cmpint(scan.type, ==, T_CALL);
}

static void test_binary(void) { check_whole_and_prefixes(TG_THRIFT_WIRE_BINARY); }

static void test_compact(void) { check_whole_and_prefixes(TG_THRIFT_WIRE_COMPACT); }

/* The old binary form: name length first, then a type byte. */
static void test_binary_old_header(void) {
  static const guint8 msg[] = {0, 0, 0, 2, 'h', 'i', T_CALL, 0, 0, 0, 9, T_STOP};
  TgThriftScan scan;
  g_assert_cmpint(tg_thrift_scan(TG_THRIFT_WIRE_BINARY, msg, sizeof msg, &limits, &scan), ==,
                  TG_THRIFT_SCAN_COMPLETE);
  g_assert_cmpuint(scan.length, ==, sizeof msg);
  g_assert_true(tg_thrift_scan_name_is(&scan, "hi"));
  g_assert_cmpint(scan.seqid, ==, 9);
}

static void expect_invalid(TgThriftWire wire, const guint8 *msg, gsize len, const char *why) {
  TgThriftScan scan;
  g_assert_cmpint(tg_thrift_scan(wire, msg, len, &limits, &scan), ==, TG_THRIFT_SCAN_INVALID);
  g_assert_nonnull(scan.error);
  g_assert_nonnull(strstr(scan.error, why));
}

static void test_limits(void) {
  /* a 2 GiB string length is refused from its 4 bytes, without waiting for them: no message
     can hold it, so the stream cannot be followed past it */
  static const guint8 huge[] = {0x80, 1, 0, 1,        0, 0, 0,    1,    'x',  0,
                                0,    0, 1, T_STRING, 0, 1, 0x7f, 0xff, 0xff, 0xff};
  expect_invalid(TG_THRIFT_WIRE_BINARY, huge, sizeof huge, "max_message_size");
  /* so is a method name over max_string: there is no call to answer */
  static const guint8 name[] = {0x80, 1, 0, 1, 0, 1, 0, 1, 'x'};
  expect_invalid(TG_THRIFT_WIRE_BINARY, name, sizeof name, "max_string_size");
  static const guint8 negative[] = {0x80, 1, 0,      1, 0, 0,     0,    1,    'x',  0,   0,
                                    0,    1, T_LIST, 0, 1, T_I32, 0xff, 0xff, 0xff, 0xfe};
  expect_invalid(TG_THRIFT_WIRE_BINARY, negative, sizeof negative, "negative");
  static const guint8 many[] = {0x80, 1, 0,      1, 0, 0,     0, 1, 'x',  0, 0,
                                0,    1, T_LIST, 0, 1, T_I32, 0, 0, 0x10, 0};
  expect_invalid(TG_THRIFT_WIRE_BINARY, many, sizeof many, "max_container_size");
  g_autoptr(GByteArray) deep = serialize(TG_THRIFT_WIRE_COMPACT, 20);
  expect_invalid(TG_THRIFT_WIRE_COMPACT, deep->data, deep->len, "recursion_limit");
  /* a string that fits max_string but not the message */
  TgThriftScanLimits small = limits;
  small.max_message = 64;
  static const guint8 long_string[] = {0x80, 1, 0, 1,        0, 0, 0, 1, 'x', 0,
                                       0,    0, 1, T_STRING, 0, 1, 0, 0, 1,   0};
  TgThriftScan scan;
  g_assert_cmpint(
      tg_thrift_scan(TG_THRIFT_WIRE_BINARY, long_string, sizeof long_string, &small, &scan), ==,
      TG_THRIFT_SCAN_INVALID);
  g_assert_nonnull(strstr(scan.error, "max_message_size"));
}

static void test_not_thrift(void) {
  static const guint8 http[] = "GET / HTTP/1.1\r\n\r\n";
  expect_invalid(TG_THRIFT_WIRE_COMPACT, http, sizeof http - 1, "compact protocol header");
  static const guint8 version[] = {0x80, 2, 0, 1, 0, 0, 0, 0};
  expect_invalid(TG_THRIFT_WIRE_BINARY, version, sizeof version, "version");
  static const guint8 type[] = {0x80, 1, 0, 1, 0, 0, 0, 1, 'x', 0, 0, 0, 1, 99};
  expect_invalid(TG_THRIFT_WIRE_BINARY, type, sizeof type, "unknown field type");
  static const guint8 varint[] = {0x82, 0x21, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  expect_invalid(TG_THRIFT_WIRE_COMPACT, varint, sizeof varint, "varint");
}

/* One byte more per call, one state: NEED_MORE until the last byte, then the same length.
   After every step the bytes already walked (past the header) are scribbled over: a scan
   that went back to byte 0 would find garbage and fail. */
static void check_incremental(TgThriftWire wire) {
  g_autoptr(GByteArray) msg = serialize(wire, 5);
  g_autoptr(GByteArray) copy = g_byte_array_new();
  g_byte_array_append(copy, msg->data, msg->len);
  TgThriftScanFrame frames[8];
  TgThriftScanState st;
  TgThriftScan scan;
  tg_thrift_scan_begin(&st, frames, G_N_ELEMENTS(frames));
  gsize header_end = 0;
  for (guint n = 0; n < msg->len; n++) {
    g_assert_cmpint(tg_thrift_scan_more(&st, wire, copy->data, n, &limits, &scan), ==,
                    TG_THRIFT_SCAN_NEED_MORE);
    g_assert_cmpuint(st.pos, <=, n);
    if (st.started && header_end == 0)
      header_end = st.name_off + st.name_len + 8; /* seqid and slack: left alone */
    for (gsize k = header_end; header_end > 0 && k < st.pos; k++) copy->data[k] = 0xAA;
  }
  g_assert_cmpint(tg_thrift_scan_more(&st, wire, copy->data, msg->len, &limits, &scan), ==,
                  TG_THRIFT_SCAN_COMPLETE);
  g_assert_cmpuint(scan.length, ==, msg->len);
  g_assert_true(tg_thrift_scan_name_is(&scan, "validateKey"));
  g_assert_cmpint(scan.seqid, ==, 7);
}

static void test_incremental(void) {
  check_incremental(TG_THRIFT_WIRE_BINARY);
  check_incremental(TG_THRIFT_WIRE_COMPACT);
}

/* A message of 100,000 i32 in 20 lists, scanned again at every 16 bytes that arrive:
   the incremental scan's whole cost stays within a small multiple of one scan of the
   whole message (a scan from byte 0 each time would be about 6,000 whole scans). */
static void test_trickle_cost(void) {
  TgThriftScanLimits big = {
      .max_message = 1 << 20, .max_string = 1 << 16, .max_container = 10000, .max_depth = 8};
  g_autoptr(GByteArray) msg = g_byte_array_new();
  static const guint8 head[] = {0x80, 1, 0,      1, 0, 0,      0, 1, 'x', 0, 0,
                                0,    1, T_LIST, 0, 1, T_LIST, 0, 0, 0,   20};
  g_byte_array_append(msg, head, sizeof head);
  for (int l = 0; l < 20; l++) {
    static const guint8 list[] = {T_I32, 0, 0, 0x13, 0x88}; /* 5000 */
    g_byte_array_append(msg, list, sizeof list);
    for (int i = 0; i < 5000; i++) g_byte_array_append(msg, (const guint8 *)"\0\0\0\1", 4);
  }
  g_byte_array_append(msg, (const guint8 *)"\0", 1);
  TgThriftScan scan;
  gint64 t0 = g_get_monotonic_time();
  for (int r = 0; r < 10; r++)
    g_assert_cmpint(tg_thrift_scan(TG_THRIFT_WIRE_BINARY, msg->data, msg->len, &big, &scan), ==,
                    TG_THRIFT_SCAN_COMPLETE);
  gint64 whole = (g_get_monotonic_time() - t0) / 10;
  TgThriftScanFrame frames[8];
  TgThriftScanState st;
  tg_thrift_scan_begin(&st, frames, G_N_ELEMENTS(frames));
  t0 = g_get_monotonic_time();
  TgThriftScanResult r = TG_THRIFT_SCAN_NEED_MORE;
  for (gsize n = 16; r == TG_THRIFT_SCAN_NEED_MORE; n = MIN(n + 16, msg->len))
    r = tg_thrift_scan_more(&st, TG_THRIFT_WIRE_BINARY, msg->data, n, &big, &scan);
  gint64 trickled = g_get_monotonic_time() - t0;
  g_assert_cmpint(r, ==, TG_THRIFT_SCAN_COMPLETE);
  g_assert_cmpuint(scan.length, ==, msg->len);
  g_test_message("whole %" G_GINT64_FORMAT " us, trickled %" G_GINT64_FORMAT " us", whole,
                 trickled);
  g_assert_cmpint(trickled, <=, 20 * whole + 20000);
}

/* ---- refuse_nul: a string c_glib would cut at its first NUL ---- */

static const TgThriftScanLimits hub_limits = {.max_message = 1 << 20,
                                              .max_string = 1 << 16,
                                              .max_container = 1000,
                                              .max_depth = 8,
                                              .refuse_nul = TRUE};

typedef enum { IN_ARG, IN_NESTED, IN_MAP_KEY, IN_MAP_VALUE, IN_LIST } Where;

/* addTier(name) with the string s (n bytes, NULs allowed) at `where`, written by c_glib.
   One protocol per wire for the whole program: c_glib 0.17 leaks a little at each memory
   buffer's finalize once both protocols have written maps and lists. */
static GByteArray *serialize_string(TgThriftWire wire, Where where, const char *s, guint32 n) {
  static ThriftMemoryBuffer *bufs[2];
  static ThriftProtocol *protocols[2];
  if (bufs[wire] == NULL) {
    bufs[wire] = g_object_new(THRIFT_TYPE_MEMORY_BUFFER, NULL);
    protocols[wire] = protocol_new(wire, THRIFT_TRANSPORT(bufs[wire]));
  }
  ThriftMemoryBuffer *buf = bufs[wire];
  ThriftProtocol *p = protocols[wire];
  g_byte_array_set_size(buf->buf, 0);
  thrift_protocol_write_message_begin(p, "addTier", T_CALL, 3, NULL);
  thrift_protocol_write_struct_begin(p, "args", NULL);
  thrift_protocol_write_field_begin(p, "ok", T_STRING, 1, NULL);
  thrift_protocol_write_string(p, "plain", NULL);
  switch (where) {
  case IN_ARG:
    thrift_protocol_write_field_begin(p, "name", T_STRING, 2, NULL);
    thrift_protocol_write_binary(p, (gpointer)s, n, NULL);
    break;
  case IN_NESTED:
    thrift_protocol_write_field_begin(p, "tier", T_STRUCT, 2, NULL);
    thrift_protocol_write_struct_begin(p, "tier", NULL);
    thrift_protocol_write_field_begin(p, "x", T_I32, 1, NULL);
    thrift_protocol_write_i32(p, 5, NULL);
    thrift_protocol_write_field_begin(p, "name", T_STRING, 2, NULL);
    thrift_protocol_write_binary(p, (gpointer)s, n, NULL);
    thrift_protocol_write_field_stop(p, NULL);
    thrift_protocol_write_struct_end(p, NULL);
    break;
  case IN_MAP_KEY:
  case IN_MAP_VALUE:
    thrift_protocol_write_field_begin(p, "m", T_MAP, 2, NULL);
    thrift_protocol_write_map_begin(p, T_STRING, T_STRING, 2, NULL);
    thrift_protocol_write_string(p, "k", NULL);
    thrift_protocol_write_string(p, "v", NULL);
    thrift_protocol_write_binary(p, (gpointer)(where == IN_MAP_KEY ? s : "k2"),
                                 where == IN_MAP_KEY ? n : 2, NULL);
    thrift_protocol_write_binary(p, (gpointer)(where == IN_MAP_VALUE ? s : "v2"),
                                 where == IN_MAP_VALUE ? n : 2, NULL);
    break;
  case IN_LIST:
    thrift_protocol_write_field_begin(p, "l", T_LIST, 2, NULL);
    thrift_protocol_write_list_begin(p, T_STRING, 2, NULL);
    thrift_protocol_write_string(p, "a", NULL);
    thrift_protocol_write_binary(p, (gpointer)s, n, NULL);
    break;
  }
  thrift_protocol_write_field_begin(p, "after", T_I32, 3, NULL);
  thrift_protocol_write_i32(p, 1, NULL);
  thrift_protocol_write_field_stop(p, NULL);
  thrift_protocol_write_struct_end(p, NULL);
  thrift_protocol_write_message_end(p, NULL);
  GByteArray *out = g_byte_array_new();
  g_byte_array_append(out, buf->buf->data, buf->buf->len);
  return out;
}

/* Where the (only) NUL of the message is. */
static gsize nul_at(const GByteArray *msg) {
  const guint8 *z = memchr(msg->data + 12, 0xEE, msg->len - 12); /* marker next to the NUL */
  g_assert_nonnull(z);
  return (gsize)(z - msg->data);
}

static void check_nul(TgThriftWire wire, Where where, const char *s, guint32 n) {
  g_autoptr(GByteArray) msg = serialize_string(wire, where, s, n);
  TgThriftScan scan;
  /* one shot: REFUSED with the reason, the whole message walked (the call can be answered
     and the stream goes on); without the flag the same bytes are a message */
  g_assert_cmpint(tg_thrift_scan(wire, msg->data, msg->len, &hub_limits, &scan), ==,
                  TG_THRIFT_SCAN_REFUSED);
  g_assert_nonnull(strstr(scan.error, "NUL"));
  g_assert_cmpuint(scan.length, ==, msg->len);
  g_assert_true(tg_thrift_scan_name_is(&scan, "addTier"));
  g_assert_cmpint(scan.seqid, ==, 3);
  g_assert_cmpint(tg_thrift_scan(wire, msg->data, msg->len, &limits, &scan), ==,
                  TG_THRIFT_SCAN_COMPLETE);
  g_assert_cmpuint(scan.length, ==, msg->len);
  /* two feeds, split at every byte: NEED_MORE until the message's last byte, then REFUSED
     (never COMPLETE, whether the NUL came in the first feed or the second) */
  for (gsize split = 1; split < msg->len; split++) {
    TgThriftScanFrame frames[8];
    TgThriftScanState st;
    tg_thrift_scan_begin(&st, frames, G_N_ELEMENTS(frames));
    TgThriftScanResult r = tg_thrift_scan_more(&st, wire, msg->data, split, &hub_limits, &scan);
    if (r == TG_THRIFT_SCAN_NEED_MORE)
      r = tg_thrift_scan_more(&st, wire, msg->data, msg->len, &hub_limits, &scan);
    g_assert_cmpint(r, ==, TG_THRIFT_SCAN_REFUSED);
    g_assert_nonnull(strstr(scan.error, "NUL"));
    g_assert_cmpuint(scan.length, ==, msg->len);
  }
}

static void check_nul_everywhere(TgThriftWire wire) {
  static const Where wheres[] = {IN_ARG, IN_NESTED, IN_MAP_KEY, IN_MAP_VALUE, IN_LIST};
  for (gsize w = 0; w < G_N_ELEMENTS(wheres); w++) {
    check_nul(wire, wheres[w], "\0\xEE<b>", 5);   /* at the start */
    check_nul(wire, wheres[w], "a\0\xEE<b>", 6);  /* in the middle */
    check_nul(wire, wheres[w], "admin\xEE\0", 7); /* at the end */
    check_nul(wire, wheres[w], "\0", 1);          /* nothing else */
  }
}

static void test_nul_binary(void) { check_nul_everywhere(TG_THRIFT_WIRE_BINARY); }

static void test_nul_compact(void) { check_nul_everywhere(TG_THRIFT_WIRE_COMPACT); }

/* The NUL arrives in a later packet than the string's first bytes: found when its byte
   arrives, from where the scan stood (the walked bytes are scribbled over first). */
static void test_nul_later_packet(void) {
  for (int w = 0; w < 2; w++) {
    TgThriftWire wire = w ? TG_THRIFT_WIRE_COMPACT : TG_THRIFT_WIRE_BINARY;
    g_autoptr(GByteArray) msg = serialize_string(wire, IN_NESTED, "abc\xEE\0def", 8);
    gsize nul = nul_at(msg) + 1;
    TgThriftScanFrame frames[8];
    TgThriftScanState st;
    TgThriftScan scan;
    tg_thrift_scan_begin(&st, frames, G_N_ELEMENTS(frames));
    g_assert_cmpint(tg_thrift_scan_more(&st, wire, msg->data, nul, &hub_limits, &scan), ==,
                    TG_THRIFT_SCAN_NEED_MORE);
    g_assert_cmpuint(st.pos, >, 12); /* past the header and the first argument */
    memset(msg->data + 12, 0xAA, st.pos - 12);
    g_assert_cmpint(tg_thrift_scan_more(&st, wire, msg->data, msg->len, &hub_limits, &scan), ==,
                    TG_THRIFT_SCAN_REFUSED);
    g_assert_nonnull(strstr(scan.error, "NUL"));
  }
}

/* A string argument over max_string that the message can still hold: walked past and the
   call REFUSED (name, seqid, length known), so the hub answers it instead of closing the
   connection, which its clients would take for "hub down". One byte less is a message. */
static void test_long_string_refused_in_step(void) {
  TgThriftScanLimits small = hub_limits;
  small.max_string = 100;
  g_autofree char *s = g_strnfill(101, 'x');
  for (int w = 0; w < 2; w++) {
    TgThriftWire wire = w ? TG_THRIFT_WIRE_COMPACT : TG_THRIFT_WIRE_BINARY;
    static const Where wheres[] = {IN_ARG, IN_NESTED, IN_MAP_KEY, IN_MAP_VALUE, IN_LIST};
    for (gsize i = 0; i < G_N_ELEMENTS(wheres); i++) {
      g_autoptr(GByteArray) msg = serialize_string(wire, wheres[i], s, 101);
      TgThriftScan scan;
      g_assert_cmpint(tg_thrift_scan(wire, msg->data, msg->len, &small, &scan), ==,
                      TG_THRIFT_SCAN_REFUSED);
      g_assert_nonnull(strstr(scan.error, "max_string_size"));
      g_assert_cmpuint(scan.length, ==, msg->len);
      g_assert_true(tg_thrift_scan_name_is(&scan, "addTier"));
      g_assert_cmpint(scan.seqid, ==, 3);
      /* byte by byte: NEED_MORE, then REFUSED once the last byte is there */
      TgThriftScanFrame frames[8];
      TgThriftScanState st;
      tg_thrift_scan_begin(&st, frames, G_N_ELEMENTS(frames));
      for (gsize n = 1; n < msg->len; n++)
        g_assert_cmpint(tg_thrift_scan_more(&st, wire, msg->data, n, &small, &scan), ==,
                        TG_THRIFT_SCAN_NEED_MORE);
      g_assert_cmpint(tg_thrift_scan_more(&st, wire, msg->data, msg->len, &small, &scan), ==,
                      TG_THRIFT_SCAN_REFUSED);
      g_assert_cmpuint(scan.length, ==, msg->len);
      g_autoptr(GByteArray) ok = serialize_string(wire, wheres[i], s, 100);
      g_assert_cmpint(tg_thrift_scan(wire, ok->data, ok->len, &small, &scan), ==,
                      TG_THRIFT_SCAN_COMPLETE);
    }
    /* past max_message the string cannot be walked: INVALID, the connection closes */
    small.max_message = 110;
    g_autoptr(GByteArray) big = serialize_string(wire, IN_ARG, s, 101);
    TgThriftScan scan;
    g_assert_cmpint(tg_thrift_scan(wire, big->data, big->len, &small, &scan), ==,
                    TG_THRIFT_SCAN_INVALID);
    g_assert_nonnull(strstr(scan.error, "max_message_size"));
    small.max_message = hub_limits.max_message;
  }
}

/* A method name with a NUL ("addTier\0x" would dispatch as addTier). */
static void test_nul_in_name(void) {
  static const guint8 binary[] = {0x80, 1,   0,   1,   0, 0,   0, 9, 'a', 'd', 'd',
                                  'T',  'i', 'e', 'r', 0, 'x', 0, 0, 0,   1,   T_STOP};
  TgThriftScan scan;
  g_assert_cmpint(tg_thrift_scan(TG_THRIFT_WIRE_BINARY, binary, sizeof binary, &hub_limits, &scan),
                  ==, TG_THRIFT_SCAN_INVALID);
  g_assert_nonnull(strstr(scan.error, "NUL"));
  static const guint8 old[] = {0, 0, 0, 3, 'a', 0, 'b', T_CALL, 0, 0, 0, 1, T_STOP};
  g_assert_cmpint(tg_thrift_scan(TG_THRIFT_WIRE_BINARY, old, sizeof old, &hub_limits, &scan), ==,
                  TG_THRIFT_SCAN_INVALID);
  static const guint8 compact[] = {0x82, 0x21, 1, 3, 'a', 0, 'b', 0};
  g_assert_cmpint(
      tg_thrift_scan(TG_THRIFT_WIRE_COMPACT, compact, sizeof compact, &hub_limits, &scan), ==,
      TG_THRIFT_SCAN_INVALID);
  g_assert_nonnull(strstr(scan.error, "NUL"));
}

/* Strings without a NUL (empty, high bytes, UTF-8) are messages as before, and so is the
   whole test message, by prefixes and one byte at a time. */
static void test_nul_free_strings(void) {
  for (int w = 0; w < 2; w++) {
    TgThriftWire wire = w ? TG_THRIFT_WIRE_COMPACT : TG_THRIFT_WIRE_BINARY;
    static const char *const ok[] = {"", "a", "\xff\x01<b>", "caf\xc3\xa9"};
    for (gsize i = 0; i < G_N_ELEMENTS(ok); i++) {
      g_autoptr(GByteArray) msg = serialize_string(wire, IN_MAP_KEY, ok[i], strlen(ok[i]));
      TgThriftScan scan;
      g_assert_cmpint(tg_thrift_scan(wire, msg->data, msg->len, &hub_limits, &scan), ==,
                      TG_THRIFT_SCAN_COMPLETE);
      g_assert_cmpuint(scan.length, ==, msg->len);
    }
    g_autoptr(GByteArray) call = serialize(wire, 3);
    TgThriftScan scan;
    g_assert_cmpint(tg_thrift_scan(wire, call->data, call->len, &hub_limits, &scan), ==,
                    TG_THRIFT_SCAN_COMPLETE);
  }
}

/* The binary fast lane (flat fields walked in one loop) decides as the general walk alone
   does: same result, length and reason, for every prefix of messages with strings at and
   past max_string, a NUL, nested values, and under a max_message the message outgrows. */
static void test_fast_lane_agrees(void) {
  TgThriftScanLimits small = hub_limits, tight = hub_limits;
  small.max_string = 16;
  tight.max_message = 60;
  const TgThriftScanLimits *sets[] = {&limits, &hub_limits, &small, &tight};
  g_autofree char *s16 = g_strnfill(16, 'x'), *s17 = g_strnfill(17, 'y');
  char with_nul[] = "ab\0cd";
  GByteArray *msgs[] = {serialize(TG_THRIFT_WIRE_BINARY, 3),
                        serialize_string(TG_THRIFT_WIRE_BINARY, IN_ARG, s16, 16),
                        serialize_string(TG_THRIFT_WIRE_BINARY, IN_ARG, s17, 17),
                        serialize_string(TG_THRIFT_WIRE_BINARY, IN_ARG, with_nul, 5),
                        serialize_string(TG_THRIFT_WIRE_BINARY, IN_NESTED, s17, 17)};
  TgThriftScanFrame frames[8];
  for (gsize m = 0; m < G_N_ELEMENTS(msgs); m++) {
    for (gsize k = 0; k < G_N_ELEMENTS(sets); k++) {
      for (guint n = 0; n <= msgs[m]->len; n++) {
        TgThriftScan lane, general;
        TgThriftScanState st;
        tg_thrift_scan_begin(&st, frames, G_N_ELEMENTS(frames));
        TgThriftScanResult a =
            tg_thrift_scan_more(&st, TG_THRIFT_WIRE_BINARY, msgs[m]->data, n, sets[k], &lane);
        tg_thrift_scan_begin(&st, frames, G_N_ELEMENTS(frames));
        TgThriftScanResult b = tg_thrift_scan_more_general(&st, TG_THRIFT_WIRE_BINARY,
                                                           msgs[m]->data, n, sets[k], &general);
        g_assert_cmpint(a, ==, b);
        g_assert_cmpstr(lane.error, ==, general.error);
        if (a == TG_THRIFT_SCAN_COMPLETE || a == TG_THRIFT_SCAN_REFUSED)
          g_assert_cmpuint(lane.length, ==, general.length);
      }
    }
    g_byte_array_unref(msgs[m]);
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/thrift_scan/binary", test_binary);
  g_test_add_func("/thrift_scan/compact", test_compact);
  g_test_add_func("/thrift_scan/binary_old_header", test_binary_old_header);
  g_test_add_func("/thrift_scan/limits", test_limits);
  g_test_add_func("/thrift_scan/not_thrift", test_not_thrift);
  g_test_add_func("/thrift_scan/incremental", test_incremental);
  g_test_add_func("/thrift_scan/trickle_cost", test_trickle_cost);
  g_test_add_func("/thrift_scan/nul_binary", test_nul_binary);
  g_test_add_func("/thrift_scan/nul_compact", test_nul_compact);
  g_test_add_func("/thrift_scan/long_string_refused_in_step", test_long_string_refused_in_step);
  g_test_add_func("/thrift_scan/nul_later_packet", test_nul_later_packet);
  g_test_add_func("/thrift_scan/nul_in_name", test_nul_in_name);
  g_test_add_func("/thrift_scan/nul_free_strings", test_nul_free_strings);
  g_test_add_func("/thrift_scan/fast_lane_agrees", test_fast_lane_agrees);
  return g_test_run();
}
