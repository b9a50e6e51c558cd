/*
 * test_socket_transport: TgSocketTransport over a socketpair (prefix bytes,
 * buffered reads, flush, per-message size limit, read timeout, peer close)
 * and tg_parse_host_port (also from many threads at once).
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thrift/c_glib/protocol/thrift_binary_protocol.h>

#include "tg_hub_client.h"
#include "tg_socket_transport.h"

typedef struct {
  TgSocketTransport *t;
  int peer;
} Pair;

static void pair_open(Pair *p, int timeout_ms, ThriftConfiguration *conf) {
  int fds[2];
  g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  p->t = tg_socket_transport_new(fds[0], NULL, timeout_ms, conf);
  p->peer = fds[1];
}

static void pair_close(Pair *p) {
  g_object_unref(p->t);
  if (p->peer >= 0) close(p->peer);
}

static void test_prefix_then_socket(void) {
  Pair p;
  pair_open(&p, 1000, NULL);
  tg_socket_transport_push_prefix(p.t, (const guint8 *)"ab", 2);
  g_assert_cmpint(write(p.peer, "cdef", 4), ==, 4);
  char buf[8] = {0};
  g_autoptr(GError) error = NULL;
  gint32 n = thrift_transport_read_all(THRIFT_TRANSPORT(p.t), buf, 6, &error);
  g_assert_no_error(error);
  g_assert_cmpint(n, ==, 6);
  g_assert_cmpstr(buf, ==, "abcdef");
  pair_close(&p);
}

static void test_write_needs_flush(void) {
  Pair p;
  pair_open(&p, 1000, NULL);
  g_autoptr(GError) error = NULL;
  g_assert_true(thrift_transport_write(THRIFT_TRANSPORT(p.t), (gpointer) "hello", 5, &error));
  char buf[8] = {0};
  g_assert_cmpint(recv(p.peer, buf, sizeof buf, MSG_DONTWAIT), ==, -1);
  g_assert_true(thrift_transport_flush(THRIFT_TRANSPORT(p.t), &error));
  g_assert_cmpint(recv(p.peer, buf, sizeof buf, 0), ==, 5);
  g_assert_cmpstr(buf, ==, "hello");
  pair_close(&p);
}

static void test_read_timeout(void) {
  Pair p;
  pair_open(&p, 100, NULL);
  char buf[4];
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time();
  g_assert_cmpint(thrift_transport_read(THRIFT_TRANSPORT(p.t), buf, 4, &error), ==, -1);
  g_assert_error(error, THRIFT_TRANSPORT_ERROR, THRIFT_TRANSPORT_ERROR_RECEIVE);
  g_assert_nonnull(strstr(error->message, "timed out"));
  g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
  pair_close(&p);
}

static void test_peer_close(void) {
  Pair p;
  pair_open(&p, 1000, NULL);
  close(p.peer);
  p.peer = -1;
  char buf[4];
  g_autoptr(GError) error = NULL;
  g_assert_cmpint(thrift_transport_read(THRIFT_TRANSPORT(p.t), buf, 4, &error), ==, -1);
  g_assert_nonnull(strstr(error->message, "closed"));
  pair_close(&p);
}

/* A 2 GiB string length is refused before anything is allocated. */
static void test_huge_string_refused(void) {
  ThriftConfiguration *conf =
      g_object_new(THRIFT_TYPE_CONFIGURATION, "max_message_size", 1024, NULL);
  Pair p;
  pair_open(&p, 1000, conf);
  const guint8 len[4] = {0x7f, 0xff, 0xff, 0xf0};
  g_assert_cmpint(write(p.peer, len, 4), ==, 4);
  ThriftProtocol *proto = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", p.t, NULL);
  g_autofree char *s = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_cmpint(thrift_protocol_read_string(proto, &s, &error), <, 0);
  g_assert_nonnull(error);
  g_assert_null(s);
  g_object_unref(proto);
  pair_close(&p);
  g_object_unref(conf);
}

/* The size limit counts per message: read_end starts it again. */
static void test_limit_is_per_message(void) {
  ThriftConfiguration *conf = g_object_new(THRIFT_TYPE_CONFIGURATION, "max_message_size", 64, NULL);
  Pair p;
  pair_open(&p, 1000, conf);
  char block[48];
  memset(block, 'x', sizeof block);
  g_autoptr(GError) error = NULL;
  for (int i = 0; i < 4; i++) {
    g_assert_cmpint(write(p.peer, block, sizeof block), ==, sizeof block);
    g_assert_cmpint(thrift_transport_read_all(THRIFT_TRANSPORT(p.t), block, sizeof block, &error),
                    ==, sizeof block);
    g_assert_no_error(error);
    g_assert_true(thrift_transport_read_end(THRIFT_TRANSPORT(p.t), &error));
  }
  pair_close(&p);
  g_object_unref(conf);
}

static void test_parse_host_port(void) {
  g_autofree char *host = NULL;
  int port = 0;
  g_autoptr(GError) error = NULL;
  g_assert_true(tg_parse_host_port("hub.example:10400", 10397, &host, &port, &error));
  g_assert_cmpstr(host, ==, "hub.example");
  g_assert_cmpint(port, ==, 10400);
  g_clear_pointer(&host, g_free);
  g_assert_true(tg_parse_host_port("[::1]", 10397, &host, &port, &error));
  g_assert_cmpstr(host, ==, "::1");
  g_assert_cmpint(port, ==, 10397);
  g_clear_pointer(&host, g_free);
  const char *bad[] = {"",     ":10397", "h:0", "h:65536", "h:x",   "::1:5",
                       "[::1", "[::1]x", "h:",  "h:+80",   "h:80x", "h:99999999999"};
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_assert_false(tg_parse_host_port(bad[i], 10397, &host, &port, &error));
    g_assert_nonnull(error);
    g_clear_error(&error);
  }
}

static gpointer parse_many(gpointer failures) {
  for (guint i = 0; i < 1000; i++) {
    g_autofree char *host = NULL;
    int port = 0;
    if (!tg_parse_host_port("127.0.0.1:10447", 10397, &host, &port, NULL) || port != 10447)
      g_atomic_int_inc((gint *)failures);
  }
  return NULL;
}

/* Regression: the first calls from many threads at once must all parse (it
   runs first in this program, so it is the process's first parse). */
static void test_parse_host_port_threads(void) {
  gint failures = 0;
  GThread *threads[32];
  for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
    threads[i] = g_thread_new("parse", parse_many, &failures);
  for (guint i = 0; i < G_N_ELEMENTS(threads); i++) g_thread_join(threads[i]);
  g_assert_cmpint(failures, ==, 0);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/hub_client/parse_host_port_threads", test_parse_host_port_threads);
  g_test_add_func("/socket_transport/prefix", test_prefix_then_socket);
  g_test_add_func("/socket_transport/flush", test_write_needs_flush);
  g_test_add_func("/socket_transport/timeout", test_read_timeout);
  g_test_add_func("/socket_transport/peer_close", test_peer_close);
  g_test_add_func("/socket_transport/huge_string", test_huge_string_refused);
  g_test_add_func("/socket_transport/limit_per_message", test_limit_is_per_message);
  g_test_add_func("/hub_client/parse_host_port", test_parse_host_port);
  return g_test_run();
}
