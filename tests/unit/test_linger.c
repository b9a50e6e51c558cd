/*
 * test_linger: the one lingering close (common/tg_linger.c) on a real loopback TCP pair and
 * an event loop of its own: the answer and what the owner writes while closing (a TLS
 * close_notify) reach a client that is still sending, then a FIN, not a reset; what follows
 * is dropped up to the byte bound; the descriptor goes after the silence bound.
 */
#include <errno.h>
#include <glib.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tg_linger.h"

typedef struct {
  struct event_base *base;
  int client, server;
} Pair;

static void pair_open(Pair *p) {
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t alen = sizeof a;
  g_assert_cmpint(bind(lfd, (struct sockaddr *)&a, sizeof a), ==, 0);
  g_assert_cmpint(listen(lfd, 1), ==, 0);
  g_assert_cmpint(getsockname(lfd, (struct sockaddr *)&a, &alen), ==, 0);
  p->client = socket(AF_INET, SOCK_STREAM, 0);
  g_assert_cmpint(connect(p->client, (struct sockaddr *)&a, sizeof a), ==, 0);
  p->server = accept(lfd, NULL, NULL);
  g_assert_cmpint(p->server, >=, 0);
  close(lfd);
  p->base = event_base_new();
}

/* Runs the loop (the linger's callbacks) for ms milliseconds. */
static void pump(Pair *p, int ms) {
  gint64 end = g_get_monotonic_time() + ms * 1000;
  do {
    event_base_loop(p->base, EVLOOP_NONBLOCK);
    g_usleep(1000);
  } while (g_get_monotonic_time() < end);
}

/* The client's close ends a linger at once (its FIN is read): nothing left on the loop. */
static void pair_close(Pair *p) {
  close(p->client);
  pump(p, 100);
  g_assert_cmpint(event_base_get_num_events(p->base, EVENT_BASE_COUNT_ADDED), ==, 0);
  event_base_free(p->base);
}

/* Sends up to n bytes from the client without blocking; what the kernel took, or -errno. */
static gssize client_send(Pair *p, gsize n) {
  static char junk[65536];
  gsize sent = 0;
  while (sent < n) {
    ssize_t k = send(p->client, junk, MIN(n - sent, sizeof junk), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (k < 0) return errno == EAGAIN ? (gssize)sent : -errno;
    sent += (gsize)k;
  }
  return (gssize)sent;
}

/* Reads what the client is sent until the connection ends, running the loop meanwhile:
   0 on an orderly end (FIN), else the errno (ECONNRESET), ETIMEDOUT after 5 s. */
static int client_read_to_end(Pair *p, GString *got) {
  gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
  while (g_get_monotonic_time() < end) {
    char buf[65536];
    event_base_loop(p->base, EVLOOP_NONBLOCK);
    ssize_t n = recv(p->client, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0) return 0;
    if (n > 0) g_string_append_len(got, buf, n);
    if (n < 0 && errno != EAGAIN) return errno;
    if (n < 0) g_usleep(1000);
  }
  return ETIMEDOUT;
}

/* The server answers without reading the client's body, lingers, writes a last record while
   closing (as libevhtp's SSL_shutdown does) and closes; the client is still sending. Without
   the linger that send is reset; with a FIN sent at once, the last record cannot leave. */
static void refuse_and_close(Pair *p, const char *answer, const char *last) {
  g_assert_cmpint(client_send(p, 256 * 1024), >, 0); /* unread by the server */
  g_assert_cmpint(send(p->server, answer, strlen(answer), MSG_NOSIGNAL), ==, strlen(answer));
  tg_linger_close(p->base, p->server);
  g_assert_cmpint(send(p->server, last, strlen(last), MSG_NOSIGNAL), ==, strlen(last));
  close(p->server);
  g_assert_cmpint(client_send(p, 64 * 1024), >, 0); /* still uploading */
}

static void test_answer_then_fin(void) {
  Pair p;
  pair_open(&p);
  refuse_and_close(&p, "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n", "notify");
  g_autoptr(GString) got = g_string_new(NULL);
  g_assert_cmpint(client_read_to_end(&p, got), ==, 0);
  g_assert_cmpstr(got->str, ==,
                  "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\nnotify");
  pair_close(&p);
}

/* The client sends on after the FIN: dropped until TG_LINGER_MAX_BYTES, then a reset. */
static void test_byte_bound(void) {
  Pair p;
  pair_open(&p);
  refuse_and_close(&p, "answer", "");
  gsize total = 0;
  gssize k = 0;
  gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
  while (total < 8 * (gsize)TG_LINGER_MAX_BYTES && g_get_monotonic_time() < end) {
    k = client_send(&p, 1024 * 1024);
    if (k < 0) break;
    total += (gsize)k;
    event_base_loop(p.base, EVLOOP_NONBLOCK);
  }
  g_assert_cmpint(k, <, 0); /* the linger ended: the client's sends fail */
  g_assert_true(k == -ECONNRESET || k == -EPIPE);
  g_assert_cmpuint(total, >=, TG_LINGER_MAX_BYTES - 256 * 1024 - 64 * 1024);
  pair_close(&p);
}

/* Whether the client's socket is reset within ms. After a FIN recv only says 0, so a byte is
   sent now and then: a closed peer answers with a reset (at once, or to the next window probe
   when its receive buffer was full), which a later send reports. */
static gboolean client_reset_within(Pair *p, int ms) {
  gint64 end = g_get_monotonic_time() + ms * 1000;
  do {
    gssize k = client_send(p, 1);
    g_assert_true(k >= 0 || k == -EPIPE || k == -ECONNRESET);
    if (k < 0) return TRUE;
    pump(p, 50);
  } while (g_get_monotonic_time() < end);
  return FALSE;
}

/* Silence ends the linger; a byte from the client starts the wait again. */
static void test_silence_bound(void) {
  Pair p;
  pair_open(&p);
  refuse_and_close(&p, "answer", "");
  g_autoptr(GString) got = g_string_new(NULL);
  g_assert_cmpint(client_read_to_end(&p, got), ==, 0);
  int wait_ms = TG_LINGER_SILENCE_S * 1000;
  pump(&p, wait_ms / 2);
  g_assert_cmpint(client_send(&p, 1), ==, 1);
  pump(&p, wait_ms * 3 / 4); /* past the silence bound after the close, not after the byte */
  g_assert_false(client_reset_within(&p, 200));
  pump(&p, wait_ms + 500);
  g_assert_true(client_reset_within(&p, 2000));
  pair_close(&p);
}

/* A worker stopping ends the lingers on its loop at once: the client is reset, nothing left. */
static void test_drop_all(void) {
  Pair p;
  pair_open(&p);
  refuse_and_close(&p, "answer", "");
  g_autoptr(GString) got = g_string_new(NULL);
  g_assert_cmpint(client_read_to_end(&p, got), ==, 0);
  g_assert_cmpint(event_base_get_num_events(p.base, EVENT_BASE_COUNT_ADDED), >, 0);
  tg_linger_drop_all(p.base);
  g_assert_cmpint(event_base_get_num_events(p.base, EVENT_BASE_COUNT_ADDED), ==, 0);
  g_assert_true(client_reset_within(&p, 2000));
  tg_linger_drop_all(p.base); /* none left: nothing happens */
  pair_close(&p);
}

static void test_no_descriptor(void) {
  struct event_base *base = event_base_new();
  tg_linger_close(base, -1); /* a connection without a socket: nothing to linger on */
  g_assert_cmpint(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED), ==, 0);
  event_base_free(base);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/linger/answer_then_fin", test_answer_then_fin);
  g_test_add_func("/linger/byte_bound", test_byte_bound);
  g_test_add_func("/linger/silence_bound", test_silence_bound);
  g_test_add_func("/linger/drop_all", test_drop_all);
  g_test_add_func("/linger/no_descriptor", test_no_descriptor);
  return g_test_run();
}
