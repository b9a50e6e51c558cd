/*
 * test_http_head: heads written in one piece, byte for byte: the first line
 * from its pieces, fields in order, a head with more fields than fit on the
 * stack; and response_head's choice of the backend's headers and framing, and where the
 * headers plugins added by reference go.
 */
#include <string.h>

#include "http_head.h"
#include "response_head.h"

static char *drain(struct evbuffer *b) {
  size_t n = evbuffer_get_length(b);
  char *s = g_malloc(n + 1);
  evbuffer_remove(b, s, n);
  s[n] = '\0';
  return s;
}

static void test_head_in_order(void) {
  struct evbuffer *b = evbuffer_new();
  evbuffer_add(b, "before|", 7);
  HttpHead h;
  http_head_init(&h, 2);
  http_head_line(&h, "GET", 3);
  http_head_line(&h, " /x?a=1", 7);
  http_head_line(&h, " HTTP/1.1", 9);
  HTTP_HEAD_FIELD_LIT(&h, "Host", "backend:81");
  http_head_field(&h, "X-Empty", 7, "", 0);
  g_assert_true(http_head_write(&h, b));
  http_head_clear(&h);
  g_autofree char *s = drain(b);
  g_assert_cmpstr(s, ==, "before|GET /x?a=1 HTTP/1.1\r\nHost: backend:81\r\nX-Empty: \r\n\r\n");
  evbuffer_free(b);
}

static void test_more_fields_than_the_stack_holds(void) {
  guint n = HTTP_HEAD_FIELDS_ON_STACK * 3;
  struct evbuffer *b = evbuffer_new();
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  HttpHead h;
  http_head_init(&h, n);
  http_head_line(&h, "HTTP/1.1 200 OK", 15);
  g_autoptr(GString) want = g_string_new("HTTP/1.1 200 OK\r\n");
  for (guint i = 0; i < n; i++) {
    char *name = g_strdup_printf("X-F%u", i);
    g_ptr_array_add(names, name);
    http_head_field(&h, name, strlen(name), "v", 1);
    g_string_append_printf(want, "%s: v\r\n", name);
  }
  g_string_append(want, "\r\n");
  g_assert_true(http_head_write(&h, b));
  http_head_clear(&h);
  g_autofree char *s = drain(b);
  g_assert_cmpstr(s, ==, want->str);
  g_ptr_array_unref(names);
  evbuffer_free(b);
}

static BackendHeader backend_header(const char *name, const char *value) {
  BackendHeader h = {.name = name, .value = value, .nlen = strlen(name), .vlen = strlen(value)};
  h.kind = http_header_kind(name, h.nlen);
  return h;
}

static void test_response_head_choices(void) {
  GArray *backend = g_array_new(FALSE, FALSE, sizeof(BackendHeader));
  BackendHeader hs[] = {
      backend_header("Server", "nginx"),  backend_header("Connection", "keep-alive, X-Hop"),
      backend_header("X-Hop", "secret"),  backend_header("Content-Length", "5"),
      backend_header("Proxy-Thing", "x"), backend_header("ETag", "\"1\"")};
  g_array_append_vals(backend, hs, G_N_ELEMENTS(hs));
  g_array_index(backend, BackendHeader, 5).removed = TRUE; /* a plugin's removal */
  evhtp_headers_t *added = evhtp_headers_new();
  evhtp_headers_add_header(added, evhtp_header_new("X-Request-ID", "r1", 0, 0));
  evhtp_headers_add_header(added, evhtp_header_new("Transfer-Encoding", "gzip", 0, 0));
  ResponseHead head = {.status = 200,
                       .reason = "OK",
                       .backend = backend,
                       .connection = "keep-alive, X-Hop",
                       .connection_lists = TRUE,
                       .added = added,
                       .content_length = "5"};
  struct evbuffer *b = evbuffer_new();
  g_assert_true(response_head_write(b, &head));
  g_autofree char *s = drain(b);
  g_assert_cmpstr(s, ==,
                  "HTTP/1.1 200 OK\r\nServer: nginx\r\nX-Request-ID: r1\r\n"
                  "Content-Length: 5\r\n\r\n");
  head.http10 = TRUE;
  head.status = 404;
  head.reason = "Not Found";
  head.content_length = NULL;
  head.connection_option = "keep-alive";
  g_assert_true(response_head_write(b, &head));
  g_autofree char *s10 = drain(b);
  g_assert_cmpstr(s10, ==,
                  "HTTP/1.0 404 Not Found\r\nServer: nginx\r\nX-Request-ID: r1\r\n"
                  "Connection: keep-alive\r\n\r\n");
  evbuffer_free(b);
  evhtp_headers_free(added);
  g_array_unref(backend);
}

/* Headers a plugin added by reference are written where they were added among the kv ones
   (after the X-Request-ID, before a later plugin's), unless removed; with no kv headers, after
   the backend's. */
static void test_response_head_refs(void) {
  evhtp_headers_t *added = evhtp_headers_new();
  evhtp_headers_add_header(added, evhtp_header_new("X-Request-ID", "r1", 0, 0));
  evhtp_headers_add_header(added, evhtp_header_new("Access-Control-Allow-Origin", "*", 0, 0));
  RefHeader refs[] = {{"RateLimit", "\"s\";r=9;t=1", 9, 11, 1, FALSE},
                      {"X-RateLimit-Limit", "10", 17, 2, 1, TRUE},
                      {"X-RateLimit-Remaining", "9", 21, 1, 1, FALSE},
                      {"X-Late", "z", 6, 1, 2, FALSE}};
  ResponseHead head = {.status = 200,
                       .reason = "OK",
                       .added = added,
                       .ref = refs,
                       .n_ref = G_N_ELEMENTS(refs),
                       .content_length = "0"};
  struct evbuffer *b = evbuffer_new();
  g_assert_true(response_head_write(b, &head));
  g_autofree char *s = drain(b);
  g_assert_cmpstr(s, ==,
                  "HTTP/1.1 200 OK\r\nX-Request-ID: r1\r\nRateLimit: \"s\";r=9;t=1\r\n"
                  "X-RateLimit-Remaining: 9\r\nAccess-Control-Allow-Origin: *\r\nX-Late: z\r\n"
                  "Content-Length: 0\r\n\r\n");
  evhtp_headers_free(added);
  added = evhtp_headers_new();
  head.added = added;
  refs[0].after = refs[2].after = refs[3].after = 0;
  g_assert_true(response_head_write(b, &head));
  g_autofree char *s2 = drain(b);
  g_assert_cmpstr(s2, ==,
                  "HTTP/1.1 200 OK\r\nRateLimit: \"s\";r=9;t=1\r\nX-RateLimit-Remaining: 9\r\n"
                  "X-Late: z\r\nContent-Length: 0\r\n\r\n");
  evbuffer_free(b);
  evhtp_headers_free(added);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/http_head/in_order", test_head_in_order);
  g_test_add_func("/http_head/many_fields", test_more_fields_than_the_stack_holds);
  g_test_add_func("/http_head/response_head_choices", test_response_head_choices);
  g_test_add_func("/http_head/response_head_refs", test_response_head_refs);
  return g_test_run();
}
