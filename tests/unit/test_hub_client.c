/*
 * test_hub_client: tg_hub_client_failure against a fake hub on a local plaintext port: a hub
 * that closes the connection on a call, and again on a new connection, refuses the call (not
 * down); one that cut an idle connection answers the call made again; one that takes no new
 * connection is down; a timeout is not a close.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tg_hub_client.h"

typedef enum {
  FAKE_CLOSE_ON_CALL, /* reads the call, closes without an answer (a refused call) */
  FAKE_CLOSE_IDLE,    /* closes a connection as soon as it is accepted, then answers */
  FAKE_ANSWER,        /* answers isAuthenticated: true */
  FAKE_SILENT,        /* reads the call, never answers */
} FakeMode;

typedef struct {
  int listen_fd;
  int port;
  gint mode; /* atomic FakeMode */
  gint accepted;
  GThread *thread;
  GPtrArray *held; /* silent connections, closed at the end */
} FakeHub;

/* isAuthenticated's reply, strict binary: message header, field 0 bool true, stop. */
static const guint8 reply[] = {0x80, 0x01, 0x00, 0x02, 0,   0,   0,   15,  'i', 's', 'A',
                               'u',  't',  'h',  'e',  'n', 't', 'i', 'c', 'a', 't', 'e',
                               'd',  0,    0,    0,    1,   2,   0,   0,   1,   0};

static gpointer fake_main(gpointer data) {
  FakeHub *f = data;
  for (;;) {
    int fd = accept(f->listen_fd, NULL, NULL);
    if (fd < 0) return NULL;
    g_atomic_int_inc(&f->accepted);
    FakeMode mode = g_atomic_int_get(&f->mode);
    if (mode == FAKE_CLOSE_IDLE) {
      g_atomic_int_set(&f->mode, FAKE_ANSWER);
      close(fd);
      continue;
    }
    guint8 buf[4096];
    gssize n;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0) {
      mode = g_atomic_int_get(&f->mode);
      if (mode == FAKE_ANSWER && send(fd, reply, sizeof reply, MSG_NOSIGNAL) < 0) break;
      if (mode != FAKE_ANSWER) break;
    }
    if (mode == FAKE_SILENT)
      g_ptr_array_add(f->held, GINT_TO_POINTER(fd));
    else
      close(fd);
  }
}

static void fake_start(FakeHub *f, FakeMode mode) {
  memset(f, 0, sizeof *f);
  f->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  g_assert_cmpint(bind(f->listen_fd, (struct sockaddr *)&a, sizeof a), ==, 0);
  g_assert_cmpint(listen(f->listen_fd, 16), ==, 0);
  socklen_t len = sizeof a;
  getsockname(f->listen_fd, (struct sockaddr *)&a, &len);
  f->port = ntohs(a.sin_port);
  f->mode = mode;
  f->held = g_ptr_array_new();
  f->thread = g_thread_new("fake-hub", fake_main, f);
}

/* Stops accepting: a new connection is refused from now on. */
static void fake_stop(FakeHub *f) {
  shutdown(f->listen_fd, SHUT_RDWR);
  close(f->listen_fd);
  g_thread_join(f->thread);
  for (guint i = 0; i < f->held->len; i++) close(GPOINTER_TO_INT(f->held->pdata[i]));
  g_ptr_array_free(f->held, TRUE);
}

static TgHubClient *client_for(FakeHub *f) {
  TgHubClientOptions o = {.host = "127.0.0.1", .port = f->port, .timeout_ms = 500};
  g_autoptr(GError) error = NULL;
  TgHubClient *c = tg_hub_client_connect(&o, &error);
  g_assert_no_error(error);
  return c;
}

static gboolean call(TgHubClient *c, GError **error) {
  gboolean authenticated = FALSE;
  return tg_tollgate_if_is_authenticated(tg_hub_client_iface(c), &authenticated, "sid", error) &&
         authenticated;
}

/* Closed on the call, and again on a new connection: the call is refused, the hub up. */
static void test_closed_twice_is_the_call(void) {
  FakeHub f;
  fake_start(&f, FAKE_CLOSE_ON_CALL);
  TgHubClient *c = client_for(&f);
  g_autoptr(GError) error = NULL, why = NULL;
  g_assert_false(call(c, &error));
  g_assert_cmpint(tg_hub_client_failure(c, error, FALSE, &why), ==, TG_HUB_FAILURE_RETRY);
  g_assert_no_error(why);
  g_clear_error(&error);
  g_assert_false(call(c, &error));
  g_assert_cmpint(tg_hub_client_failure(c, error, TRUE, &why), ==, TG_HUB_FAILURE_CALL);
  g_assert_error(why, TG_THRIFT_LIMIT_ERROR, TG_THRIFT_LIMIT_ERROR_CLOSED);
  g_assert_true(tg_thrift_limit_error_is(why));
  g_assert_cmpint(g_atomic_int_get(&f.accepted), ==, 3);
  /* the hub answers the next call on the connection made for it */
  g_atomic_int_set(&f.mode, FAKE_ANSWER);
  g_clear_error(&error);
  g_assert_true(call(c, &error));
  g_assert_no_error(error);
  tg_hub_client_free(c);
  fake_stop(&f);
}

/* An idle connection the hub had cut: the call made again is answered. */
static void test_idle_cut_is_retried(void) {
  FakeHub f;
  fake_start(&f, FAKE_CLOSE_IDLE);
  TgHubClient *c = client_for(&f);
  g_usleep(50000); /* the hub's close arrives before the call */
  g_autoptr(GError) error = NULL, why = NULL;
  g_assert_false(call(c, &error));
  g_assert_cmpint(tg_hub_client_failure(c, error, FALSE, &why), ==, TG_HUB_FAILURE_RETRY);
  g_clear_error(&error);
  g_assert_true(call(c, &error));
  g_assert_no_error(error);
  tg_hub_client_free(c);
  fake_stop(&f);
}

/* Closed, and no new connection taken: down. */
static void test_closed_and_gone_is_down(void) {
  FakeHub f;
  fake_start(&f, FAKE_CLOSE_ON_CALL);
  TgHubClient *c = client_for(&f);
  g_autoptr(GError) error = NULL, why = NULL;
  g_assert_false(call(c, &error));
  fake_stop(&f);
  g_assert_cmpint(tg_hub_client_failure(c, error, FALSE, &why), ==, TG_HUB_FAILURE_DOWN);
  g_assert_nonnull(why);
  g_assert_false(tg_thrift_limit_error_is(why));
  tg_hub_client_free(c);
}

/* A hub that does not answer in time is not a hub that closed: the caller's own handling. */
static void test_timeout_is_not_a_close(void) {
  FakeHub f;
  fake_start(&f, FAKE_SILENT);
  TgHubClient *c = client_for(&f);
  g_autoptr(GError) error = NULL, why = NULL;
  g_assert_false(call(c, &error));
  g_assert_nonnull(strstr(error->message, "timed out"));
  g_assert_cmpint(tg_hub_client_failure(c, error, FALSE, &why), ==, TG_HUB_FAILURE_OTHER);
  g_assert_no_error(why);
  g_assert_cmpint(g_atomic_int_get(&f.accepted), ==, 1); /* no reconnection */
  tg_hub_client_free(c);
  fake_stop(&f);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/hub_client/closed_twice_is_the_call", test_closed_twice_is_the_call);
  g_test_add_func("/hub_client/idle_cut_is_retried", test_idle_cut_is_retried);
  g_test_add_func("/hub_client/closed_and_gone_is_down", test_closed_and_gone_is_down);
  g_test_add_func("/hub_client/timeout_is_not_a_close", test_timeout_is_not_a_close);
  return g_test_run();
}
