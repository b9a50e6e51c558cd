/*
 * test_upstream_timer: the lazy read timer of a plain backend connection (upstream_pool.c)
 * on a real loopback socket: a timer left from a shorter timeout fires early and is not taken
 * for a timeout (the byte waiting is read), and the reader's own timeout still comes on time.
 */
#include <arpa/inet.h>
#include <event2/event.h>
#include <glib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "endpoint.h"
#include "upstream_pool.h"

typedef struct {
  short what;
  int calls;
  gint64 at_us;
} Seen;

static void reader(UpstreamConn *c, short what, void *arg) {
  Seen *s = arg;
  s->what = what;
  s->calls++;
  s->at_us = g_get_monotonic_time();
  if (what & EV_READ) upstream_conn_read(c);
}

static int listener(int *port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  g_assert_cmpint(bind(fd, (struct sockaddr *)&a, sizeof a), ==, 0);
  g_assert_cmpint(listen(fd, 4), ==, 0);
  g_assert_cmpint(getsockname(fd, (struct sockaddr *)&a, &len), ==, 0);
  *port = ntohs(a.sin_port);
  return fd;
}

static void test_early_timer_with_read(void) {
  struct event_base *base = event_base_new();
  UpstreamPool *pool = upstream_pool_new(base, 4, NULL);
  int port = 0, lfd = listener(&port);
  g_autofree char *url = g_strdup_printf("http://127.0.0.1:%d", port);
  g_autoptr(Endpoint) ep = endpoint_new(url);
  g_autoptr(GError) error = NULL;
  UpstreamConn *c = upstream_pool_get(pool, ep, &error);
  g_assert_no_error(error);
  int server = accept(lfd, NULL, NULL);
  g_assert_cmpint(server, >=, 0);
  Seen seen = {0};
  struct timeval short_tv = {0, 100000}, long_tv = {0, 400000};
  g_assert_cmpint(write(server, "x", 1), ==, 1);                 /* readable before the loop runs */
  upstream_conn_set_reader(c, reader, &seen, &short_tv, 100000); /* the timer: 100 ms */
  upstream_conn_set_reader(c, reader, &seen, &long_tv, 400000);  /* kept: it fires early */
  g_usleep(150000);
  while (seen.calls < 1) event_base_loop(base, EVLOOP_ONCE); /* the early timer, the byte */
  g_assert_cmpint(seen.what, ==, EV_READ); /* not EV_TIMEOUT: only 150 ms of 400 went by */
  gint64 read_at = seen.at_us;
  while (seen.calls < 2) event_base_loop(base, EVLOOP_ONCE);
  g_assert_cmpint(seen.what & EV_TIMEOUT, !=, 0);
  gint64 silent_ms = (seen.at_us - read_at) / 1000;
  g_assert_cmpint(silent_ms, >=, 395); /* 400 ms after the read, not after the early timer */
  g_assert_cmpint(silent_ms, <, 1500);
  upstream_conn_free(c);
  upstream_pool_free(pool);
  close(server);
  close(lfd);
  event_base_free(base);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/upstream_timer/early_timer_with_read", test_early_timer_with_read);
  return g_test_run();
}
