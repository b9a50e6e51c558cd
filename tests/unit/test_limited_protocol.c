/*
 * test_limited_protocol: the hub's clients refuse a call that breaks the hub's limits before a
 * byte is sent (tg_limited_protocol): an error naming the field and the limit, the stream
 * still in step for the next call, and the limits the same numbers the hub's scanner uses.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thrift/c_glib/thrift_application_exception.h>
#include <thrift/c_glib/transport/thrift_memory_buffer.h>

#include "tg_limited_protocol.h"
#include "tg_socket_transport.h"
#include "tg_tollgate.h"

typedef struct {
  TgSocketTransport *t;
  ThriftProtocol *p;
  TgTollgateIf *client;
  int peer;
} Stack;

static void stack_open(Stack *s, const TgThriftScanLimits *limits) {
  int fds[2];
  g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  s->t = tg_socket_transport_new(fds[0], NULL, 1000, NULL);
  tg_socket_transport_hold_writes(s->t, limits ? limits->max_message : 1 << 20);
  s->p = tg_limited_protocol_new(THRIFT_TRANSPORT(s->t), limits);
  s->client =
      g_object_new(TG_TYPE_TOLLGATE_CLIENT, "input_protocol", s->p, "output_protocol", s->p, NULL);
  s->peer = fds[1];
}

static void stack_close(Stack *s) {
  g_object_unref(s->client);
  g_object_unref(s->p);
  g_object_unref(s->t);
  close(s->peer);
}

/* What the peer received so far (nothing: an empty array). */
static GByteArray *received(Stack *s) {
  GByteArray *got = g_byte_array_new();
  guint8 buf[65536];
  gssize n;
  while ((n = recv(s->peer, buf, sizeof buf, MSG_DONTWAIT)) > 0) g_byte_array_append(got, buf, n);
  return got;
}

/* What a plain binary protocol writes for authenticate(user, password): the reference. */
static GByteArray *reference_authenticate(const char *user, const char *password) {
  ThriftMemoryBuffer *buf = g_object_new(THRIFT_TYPE_MEMORY_BUFFER, NULL);
  ThriftProtocol *p = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", buf, NULL);
  TgTollgateIf *c =
      g_object_new(TG_TYPE_TOLLGATE_CLIENT, "input_protocol", p, "output_protocol", p, NULL);
  g_assert_true(tg_tollgate_client_send_authenticate(c, user, password, NULL));
  GByteArray *out = g_byte_array_new();
  g_byte_array_append(out, buf->buf->data, buf->buf->len);
  g_object_unref(c);
  g_object_unref(p);
  g_object_unref(buf);
  return out;
}

/* One byte over max_string: refused, naming the field and the limit; nothing sent. At the
   limit: sent as a plain binary protocol writes it. */
static void test_string_over_the_limit(void) {
  TgThriftScanLimits limits = tg_thrift_scan_default_limits();
  Stack s;
  stack_open(&s, &limits);
  g_autofree char *over = g_strnfill(limits.max_string + 1, 'p');
  g_autoptr(GError) error = NULL;
  g_assert_false(tg_tollgate_client_send_authenticate(s.client, "admin", over, &error));
  g_assert_error(error, TG_THRIFT_LIMIT_ERROR, TG_THRIFT_LIMIT_ERROR_STRING);
  g_assert_true(tg_thrift_limit_error_is(error));
  g_assert_nonnull(strstr(error->message, "password"));
  g_autofree char *limit = g_strdup_printf("%u bytes", limits.max_string);
  g_assert_nonnull(strstr(error->message, limit));
  g_autoptr(GByteArray) nothing = received(&s);
  g_assert_cmpuint(nothing->len, ==, 0);
  /* the next call goes out whole and alone: the refused one left no bytes behind */
  over[limits.max_string] = '\0';
  g_assert_true(tg_tollgate_client_send_authenticate(s.client, "admin", over, NULL));
  g_autoptr(GByteArray) got = received(&s);
  g_autoptr(GByteArray) want = reference_authenticate("admin", over);
  g_assert_cmpmem(got->data, got->len, want->data, want->len);
  stack_close(&s);
}

/* Many strings, each within max_string, together over max_message: refused as one call. */
static void test_message_over_the_limit(void) {
  TgThriftScanLimits limits = tg_thrift_scan_default_limits();
  limits.max_string = 100;
  limits.max_message = 150;
  Stack s;
  stack_open(&s, &limits);
  g_autofree char *a = g_strnfill(80, 'a');
  g_autoptr(GError) error = NULL;
  g_assert_false(tg_tollgate_client_send_authenticate(s.client, a, a, &error));
  g_assert_error(error, TG_THRIFT_LIMIT_ERROR, TG_THRIFT_LIMIT_ERROR_MESSAGE);
  g_assert_nonnull(strstr(error->message, "150 bytes"));
  g_autoptr(GByteArray) nothing = received(&s);
  g_assert_cmpuint(nothing->len, ==, 0);
  g_assert_true(tg_tollgate_client_send_authenticate(s.client, a, "short", NULL));
  g_autoptr(GByteArray) got = received(&s);
  g_autoptr(GByteArray) want = reference_authenticate(a, "short");
  g_assert_cmpmem(got->data, got->len, want->data, want->len);
  stack_close(&s);
}

/* A binary with a NUL byte (a C string cannot carry one) is refused; without it, sent. */
static void test_nul_in_binary(void) {
  ThriftMemoryBuffer *buf = g_object_new(THRIFT_TYPE_MEMORY_BUFFER, NULL);
  ThriftProtocol *p = tg_limited_protocol_new(THRIFT_TRANSPORT(buf), NULL);
  g_autoptr(GError) error = NULL;
  g_assert_cmpint(thrift_protocol_write_message_begin(p, "addTier", T_CALL, 1, NULL), >, 0);
  g_assert_cmpint(thrift_protocol_write_field_begin(p, "name", T_STRING, 1, NULL), >, 0);
  g_assert_cmpint(thrift_protocol_write_binary(p, (gpointer) "a\0b", 3, &error), <, 0);
  g_assert_error(error, TG_THRIFT_LIMIT_ERROR, TG_THRIFT_LIMIT_ERROR_NUL);
  g_assert_nonnull(strstr(error->message, "name"));
  g_clear_error(&error);
  g_assert_cmpint(thrift_protocol_write_binary(p, (gpointer) "ab", 2, &error), >, 0);
  g_assert_no_error(error);
  g_object_unref(p);
  g_object_unref(buf);
}

/* A list, set or map of more elements than max_container is refused at its header. */
static void test_container_over_the_limit(void) {
  TgThriftScanLimits limits = tg_thrift_scan_default_limits();
  limits.max_container = 3;
  ThriftMemoryBuffer *buf = g_object_new(THRIFT_TYPE_MEMORY_BUFFER, NULL);
  ThriftProtocol *p = tg_limited_protocol_new(THRIFT_TRANSPORT(buf), &limits);
  g_assert_cmpint(thrift_protocol_write_message_begin(p, "setRoles", T_CALL, 1, NULL), >, 0);
  g_assert_cmpint(thrift_protocol_write_field_begin(p, "roles", T_LIST, 1, NULL), >, 0);
  g_autoptr(GError) error = NULL;
  g_assert_cmpint(thrift_protocol_write_list_begin(p, T_STRING, 4, &error), <, 0);
  g_assert_error(error, TG_THRIFT_LIMIT_ERROR, TG_THRIFT_LIMIT_ERROR_CONTAINER);
  g_assert_nonnull(strstr(error->message, "roles: 4 elements"));
  g_clear_error(&error);
  g_assert_cmpint(thrift_protocol_write_set_begin(p, T_STRING, 4, &error), <, 0);
  g_clear_error(&error);
  g_assert_cmpint(thrift_protocol_write_map_begin(p, T_STRING, T_STRING, 4, &error), <, 0);
  g_clear_error(&error);
  g_assert_cmpint(thrift_protocol_write_list_begin(p, T_STRING, 3, &error), >, 0);
  g_assert_no_error(error);
  g_object_unref(p);
  g_object_unref(buf);
}

/* A refusal after part of the call was sent (past the transport's hold) closes the
   connection rather than leave half a message on it; the next call reconnects. */
static void test_refusal_after_a_partial_send_closes(void) {
  TgThriftScanLimits limits = tg_thrift_scan_default_limits();
  limits.max_string = 100000;
  Stack s;
  stack_open(&s, &limits);
  tg_socket_transport_hold_writes(s.t, 0); /* back to the 64 KiB default */
  g_autofree char *first = g_strnfill(90000, 'u'), *second = g_strnfill(100001, 'p');
  g_autoptr(GError) error = NULL;
  g_assert_false(tg_tollgate_client_send_authenticate(s.client, first, second, &error));
  g_assert_true(tg_thrift_limit_error_is(error));
  g_assert_false(thrift_transport_is_open(THRIFT_TRANSPORT(s.t)));
  stack_close(&s);
}

/* The hub's answer to a call it refused for its limits is told from other failures. */
static void test_hub_answer_is_a_limit_error(void) {
  g_autoptr(GError) hub = g_error_new(
      THRIFT_APPLICATION_EXCEPTION_ERROR, THRIFT_APPLICATION_EXCEPTION_ERROR_PROTOCOL_ERROR,
      "application error: " TG_THRIFT_LIMIT_ANSWER "NUL byte in a string");
  g_assert_true(tg_thrift_limit_error_is(hub));
  g_autoptr(GError) missing = g_error_new(
      THRIFT_APPLICATION_EXCEPTION_ERROR, THRIFT_APPLICATION_EXCEPTION_ERROR_PROTOCOL_ERROR,
      "application error: authenticate: a required argument is missing");
  g_assert_false(tg_thrift_limit_error_is(missing));
  g_autoptr(GError) closed = g_error_new(THRIFT_TRANSPORT_ERROR, THRIFT_TRANSPORT_ERROR_RECEIVE,
                                         "read: connection closed by peer");
  g_assert_false(tg_thrift_limit_error_is(closed));
  g_assert_false(tg_thrift_limit_error_is(NULL));
}

/* The client's limits are the hub's defaults: one set of numbers. */
static void test_defaults_are_the_hubs(void) {
  TgThriftScanLimits d = tg_thrift_scan_default_limits();
  g_assert_cmpuint(d.max_string, ==, 65536);
  g_assert_cmpuint(d.max_message, ==, 1048576);
  g_assert_true(d.refuse_nul);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/limited_protocol/string_over_the_limit", test_string_over_the_limit);
  g_test_add_func("/limited_protocol/message_over_the_limit", test_message_over_the_limit);
  g_test_add_func("/limited_protocol/nul_in_binary", test_nul_in_binary);
  g_test_add_func("/limited_protocol/container_over_the_limit", test_container_over_the_limit);
  g_test_add_func("/limited_protocol/refusal_after_a_partial_send_closes",
                  test_refusal_after_a_partial_send_closes);
  g_test_add_func("/limited_protocol/hub_answer_is_a_limit_error",
                  test_hub_answer_is_a_limit_error);
  g_test_add_func("/limited_protocol/defaults_are_the_hubs", test_defaults_are_the_hubs);
  return g_test_run();
}
