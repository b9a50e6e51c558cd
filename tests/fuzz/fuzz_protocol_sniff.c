/*
 * fuzz_protocol_sniff: the hub's first-bytes classifier
 * (keyvalidator/protocol_sniff.c). Every answer is one of its values, an
 * answer once given does not change as more bytes arrive, and at
 * PROTOCOL_SNIFF_MAX_BYTES it has always decided (its callers rely on both).
 */
#include "config.h"

#include "protocol_sniff.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static void check_shape(const guint8 *b, gsize len, ProtocolSniff s) {
  switch (s) {
  case PROTOCOL_SNIFF_NEED_MORE:
    g_assert_cmpuint(len, <, PROTOCOL_SNIFF_MAX_BYTES);
    break;
  case PROTOCOL_SNIFF_TLS:
    g_assert_true(len >= 2 && b[0] == 0x16 && b[1] == 0x03);
    break;
  case PROTOCOL_SNIFF_BINARY:
    g_assert_true(len >= 4 && b[0] == 0x80 && b[1] == 0x01 && b[2] == 0);
    break;
  case PROTOCOL_SNIFF_COMPACT:
    g_assert_true(len >= 2 && b[0] == 0x82);
    break;
  case PROTOCOL_SNIFF_FRAMED_BINARY:
    g_assert_true(len >= 8 && b[0] < 0x80 && b[4] == 0x80 && b[5] == 0x01);
    break;
  case PROTOCOL_SNIFF_FRAMED_COMPACT:
    g_assert_true(len >= 6 && b[0] < 0x80 && b[4] == 0x82);
    break;
  case PROTOCOL_SNIFF_HTTP:
    g_assert_true(len >= 4 && b[0] >= 'A' && b[0] <= 'Z');
    break;
  case PROTOCOL_SNIFF_GARBAGE:
    g_assert_cmpuint(len, >, 0);
    break;
  default:
    g_error("protocol_sniff answered %d", (int)s);
  }
  g_assert_cmpstr(protocol_sniff_name(s), !=, "unknown");
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size) {
  ProtocolSniff full = protocol_sniff(data, size);
  check_shape(data, size, full);
  /* the transport hands over bytes as they come: every prefix either waits or agrees */
  ProtocolSniff decided = PROTOCOL_SNIFF_NEED_MORE;
  for (gsize k = 0; k <= size && k <= PROTOCOL_SNIFF_MAX_BYTES + 1; k++) {
    /* a copy of exactly k bytes, so ASan sees any read past the prefix */
    g_autofree guint8 *prefix = g_memdup2(data, k);
    ProtocolSniff s = protocol_sniff(prefix, k);
    check_shape(prefix, k, s);
    if (decided != PROTOCOL_SNIFF_NEED_MORE)
      g_assert_cmpint(s, ==, decided);
    else
      decided = s;
  }
  if (decided != PROTOCOL_SNIFF_NEED_MORE) g_assert_cmpint(full, ==, decided);
  return 0;
}
