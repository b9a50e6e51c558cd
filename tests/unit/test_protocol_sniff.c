/*
 * test_protocol_sniff: the first-bytes classifier of the hub's Thrift port.
 * Data-driven: a case is a row of bytes and the expected answer.
 */
#include <string.h>

#include "protocol_sniff.h"

typedef struct {
  const char *name;
  const guint8 bytes[PROTOCOL_SNIFF_MAX_BYTES + 4];
  gsize len;
  ProtocolSniff want;
} Case;

static const Case cases[] = {
    {"empty", {0}, 0, PROTOCOL_SNIFF_NEED_MORE},
    {"tls client hello", {0x16, 0x03, 0x01, 0x02, 0x00}, 5, PROTOCOL_SNIFF_TLS},
    {"tls, one byte", {0x16}, 1, PROTOCOL_SNIFF_NEED_MORE},
    {"0x16 then not 0x03", {0x16, 0x01}, 2, PROTOCOL_SNIFF_GARBAGE},
    {"binary call", {0x80, 0x01, 0x00, 0x01, 0x00, 0x00}, 6, PROTOCOL_SNIFF_BINARY},
    {"binary oneway", {0x80, 0x01, 0x00, 0x04}, 4, PROTOCOL_SNIFF_BINARY},
    {"binary, two bytes", {0x80, 0x01}, 2, PROTOCOL_SNIFF_NEED_MORE},
    {"binary reply (not from a client)", {0x80, 0x01, 0x00, 0x02}, 4, PROTOCOL_SNIFF_GARBAGE},
    {"binary, bad version", {0x80, 0x02, 0x00, 0x01}, 4, PROTOCOL_SNIFF_GARBAGE},
    {"compact call", {0x82, 0x21, 0x00, 0x08}, 4, PROTOCOL_SNIFF_COMPACT},
    {"compact oneway", {0x82, 0x81}, 2, PROTOCOL_SNIFF_COMPACT},
    {"compact, one byte", {0x82}, 1, PROTOCOL_SNIFF_NEED_MORE},
    {"compact, bad version", {0x82, 0x22}, 2, PROTOCOL_SNIFF_GARBAGE},
    {"framed binary",
     {0x00, 0x00, 0x00, 0x20, 0x80, 0x01, 0x00, 0x01},
     8,
     PROTOCOL_SNIFF_FRAMED_BINARY},
    {"framed binary, partial", {0x00, 0x00, 0x00, 0x20, 0x80, 0x01}, 6, PROTOCOL_SNIFF_NEED_MORE},
    {"framed compact", {0x00, 0x00, 0x01, 0x00, 0x82, 0x21}, 6, PROTOCOL_SNIFF_FRAMED_COMPACT},
    {"framed, length only", {0x00, 0x00, 0x00, 0x20}, 4, PROTOCOL_SNIFF_NEED_MORE},
    {"empty frame", {0x00, 0x00, 0x00, 0x00, 0x80}, 5, PROTOCOL_SNIFF_GARBAGE},
    {"framed garbage", {0x00, 0x00, 0x00, 0x20, 0x41, 0x42}, 6, PROTOCOL_SNIFF_GARBAGE},
    {"http get", {'G', 'E', 'T', ' ', '/', ' '}, 6, PROTOCOL_SNIFF_HTTP},
    {"http post", {'P', 'O', 'S', 'T', ' ', '/'}, 6, PROTOCOL_SNIFF_HTTP},
    {"http options", {'O', 'P', 'T', 'I', 'O', 'N', 'S', ' '}, 8, PROTOCOL_SNIFF_HTTP},
    {"http, partial method", {'G', 'E'}, 2, PROTOCOL_SNIFF_NEED_MORE},
    {"upper-case text", {'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'}, 8, PROTOCOL_SNIFF_GARBAGE},
    {"lower-case text", {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o'}, 8, PROTOCOL_SNIFF_GARBAGE},
    {"high byte", {0xff, 0xff}, 2, PROTOCOL_SNIFF_GARBAGE},
};

static void test_case(gconstpointer data) {
  const Case *c = data;
  ProtocolSniff got = protocol_sniff(c->bytes, c->len);
  if (got != c->want)
    g_test_message("%s: got %s, want %s", c->name, protocol_sniff_name(got),
                   protocol_sniff_name(c->want));
  g_assert_cmpint(got, ==, c->want);
}

/* Whatever the bytes, an answer never needs more than PROTOCOL_SNIFF_MAX_BYTES. */
static void test_bounded(void) {
  GRand *rand = g_rand_new_with_seed(42);
  for (int i = 0; i < 100000; i++) {
    guint8 buf[PROTOCOL_SNIFF_MAX_BYTES];
    for (gsize j = 0; j < sizeof buf; j++) buf[j] = (guint8)g_rand_int_range(rand, 0, 256);
    g_assert_cmpint(protocol_sniff(buf, sizeof buf), !=, PROTOCOL_SNIFF_NEED_MORE);
  }
  g_rand_free(rand);
}

static void test_names(void) {
  g_assert_cmpstr(protocol_sniff_name(PROTOCOL_SNIFF_FRAMED_COMPACT), ==, "framed-compact");
  g_assert_cmpstr(protocol_sniff_name((ProtocolSniff)99), ==, "unknown");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *path = g_strdup_printf("/protocol_sniff/%s", cases[i].name);
    g_test_add_data_func(path, &cases[i], test_case);
  }
  g_test_add_func("/protocol_sniff/bounded", test_bounded);
  g_test_add_func("/protocol_sniff/names", test_names);
  return g_test_run();
}
