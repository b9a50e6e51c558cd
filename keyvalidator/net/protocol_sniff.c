/*
 * protocol_sniff: first-bytes classification for the hub's Thrift port (see
 * protocol_sniff.h). Thrift messages from clients are calls or oneways, so
 * the message-type bits are checked too: that turns most garbage into a
 * refusal here instead of a confusing protocol error later.
 */
#include "protocol_sniff.h"

#define BINARY_VERSION_1    0x80, 0x01
#define COMPACT_PROTOCOL_ID 0x82
#define MSG_CALL            1
#define MSG_ONEWAY          4

static gboolean is_client_message_type(guint type) {
  return type == MSG_CALL || type == MSG_ONEWAY;
}

/* Strict binary header: 0x80 0x01, 0x00, message type. */
static ProtocolSniff binary(const guint8 *b, gsize len, ProtocolSniff yes) {
  static const guint8 version[] = {BINARY_VERSION_1, 0x00};
  for (gsize i = 0; i < sizeof version; i++) {
    if (i >= len) return PROTOCOL_SNIFF_NEED_MORE;
    if (b[i] != version[i]) return PROTOCOL_SNIFF_GARBAGE;
  }
  if (len < 4) return PROTOCOL_SNIFF_NEED_MORE;
  return is_client_message_type(b[3]) ? yes : PROTOCOL_SNIFF_GARBAGE;
}

/* Compact header: 0x82, then (type << 5) | version 1. */
static ProtocolSniff compact(const guint8 *b, gsize len, ProtocolSniff yes) {
  if (len < 2) return PROTOCOL_SNIFF_NEED_MORE;
  gboolean ok = (b[1] & 0x1f) == 1 && is_client_message_type(b[1] >> 5);
  return ok ? yes : PROTOCOL_SNIFF_GARBAGE;
}

/* Text: an HTTP request line is an upper-case method and a space. Frames of
   1 GiB and more are never valid, so a first byte 'A'..'Z' is text. */
static ProtocolSniff text(const guint8 *b, gsize len) {
  gsize n = MIN(len, PROTOCOL_SNIFF_MAX_BYTES);
  gsize i = 0;
  while (i < n && b[i] >= 'A' && b[i] <= 'Z') i++;
  if (i < n) return i >= 3 && b[i] == ' ' ? PROTOCOL_SNIFF_HTTP : PROTOCOL_SNIFF_GARBAGE;
  return n < PROTOCOL_SNIFF_MAX_BYTES ? PROTOCOL_SNIFF_NEED_MORE : PROTOCOL_SNIFF_GARBAGE;
}

static ProtocolSniff framed(const guint8 *b, gsize len) {
  if (len < 4) return PROTOCOL_SNIFF_NEED_MORE;
  guint32 size = (guint32)b[0] << 24 | (guint32)b[1] << 16 | (guint32)b[2] << 8 | b[3];
  if (size == 0) return PROTOCOL_SNIFF_GARBAGE;
  if (len < 5) return PROTOCOL_SNIFF_NEED_MORE;
  if (b[4] == COMPACT_PROTOCOL_ID) return compact(b + 4, len - 4, PROTOCOL_SNIFF_FRAMED_COMPACT);
  return binary(b + 4, len - 4, PROTOCOL_SNIFF_FRAMED_BINARY);
}

ProtocolSniff protocol_sniff(const guint8 *buf, gsize len) {
  if (len == 0) return PROTOCOL_SNIFF_NEED_MORE;
  if (buf[0] == 0x16)
    return len < 2          ? PROTOCOL_SNIFF_NEED_MORE
           : buf[1] == 0x03 ? PROTOCOL_SNIFF_TLS
                            : PROTOCOL_SNIFF_GARBAGE;
  if (buf[0] == 0x80) return binary(buf, len, PROTOCOL_SNIFF_BINARY);
  if (buf[0] == COMPACT_PROTOCOL_ID) return compact(buf, len, PROTOCOL_SNIFF_COMPACT);
  if (buf[0] >= 'A' && buf[0] <= 'Z') return text(buf, len);
  if (buf[0] >= 0x80) return PROTOCOL_SNIFF_GARBAGE;
  return framed(buf, len);
}

const char *protocol_sniff_name(ProtocolSniff s) {
  static const char *const names[] = {
      [PROTOCOL_SNIFF_NEED_MORE] = "incomplete",
      [PROTOCOL_SNIFF_TLS] = "tls",
      [PROTOCOL_SNIFF_BINARY] = "binary",
      [PROTOCOL_SNIFF_COMPACT] = "compact",
      [PROTOCOL_SNIFF_FRAMED_BINARY] = "framed-binary",
      [PROTOCOL_SNIFF_FRAMED_COMPACT] = "framed-compact",
      [PROTOCOL_SNIFF_HTTP] = "http",
      [PROTOCOL_SNIFF_GARBAGE] = "garbage",
  };
  return (guint)s < G_N_ELEMENTS(names) ? names[s] : "unknown";
}
