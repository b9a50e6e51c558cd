/*
 * test_http_header: header names classified in any case, names that only
 * look alike left alone, and the token lists of Connection-like values.
 */
#include <string.h>

#include "http_header.h"

static HttpHeaderKind kind(const char *name) { return http_header_kind(name, strlen(name)); }

static void test_known_names_in_any_case(void) {
  static const struct {
    const char *name;
    HttpHeaderKind kind;
  } cases[] = {
      {"Connection", HTTP_H_CONNECTION},
      {"KEEP-ALIVE", HTTP_H_KEEP_ALIVE},
      {"te", HTTP_H_TE},
      {"Trailer", HTTP_H_TRAILER},
      {"Transfer-Encoding", HTTP_H_TRANSFER_ENCODING},
      {"upgrade", HTTP_H_UPGRADE},
      {"Proxy-Authorization", HTTP_H_PROXY_ANY},
      {"proxy-connection", HTTP_H_PROXY_ANY},
      {"Content-Length", HTTP_H_CONTENT_LENGTH},
      {"HOST", HTTP_H_HOST},
      {"Expect", HTTP_H_EXPECT},
      {"x-request-id", HTTP_H_X_REQUEST_ID},
      {"Authorization", HTTP_H_AUTHORIZATION},
      {"X-Forwarded-For", HTTP_H_X_FORWARDED_FOR},
      {"x-forwarded-PROTO", HTTP_H_X_FORWARDED_PROTO},
      {"X-End-User", HTTP_H_X_END_USER},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_test_message("%s", cases[i].name);
    g_assert_cmpint(kind(cases[i].name), ==, cases[i].kind);
  }
}

static void test_look_alikes_are_other(void) {
  const char *names[] = {"Content-Type",
                         "Content-Lengthx",
                         "Connectio",
                         "Xonnection",
                         "Proxy-",
                         "proxy",
                         "Hosts",
                         "T",
                         "tf",
                         "X-Request-Ids",
                         "Authorisation",
                         "X-Forwarded-Host",
                         "Keep_Alive",
                         "",
                         "Origin"};
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
    g_test_message("%s", names[i]);
    g_assert_cmpint(kind(names[i]), ==, HTTP_H_OTHER);
  }
  /* the length given counts, not a terminator */
  g_assert_cmpint(http_header_kind("Hostname", 4), ==, HTTP_H_HOST);
}

static void test_hop_by_hop_kinds(void) {
  g_assert_true(http_header_hop_by_hop(HTTP_H_CONNECTION));
  g_assert_true(http_header_hop_by_hop(HTTP_H_PROXY_ANY));
  g_assert_true(http_header_hop_by_hop(HTTP_H_TRANSFER_ENCODING));
  g_assert_false(http_header_hop_by_hop(HTTP_H_CONTENT_LENGTH));
  g_assert_false(http_header_hop_by_hop(HTTP_H_HOST));
  g_assert_false(http_header_hop_by_hop(HTTP_H_OTHER));
}

static void test_token_lists(void) {
  g_assert_true(http_token_listed("keep-alive, Upgrade", "upgrade"));
  g_assert_true(http_token_listed(" close ", "close"));
  g_assert_true(http_token_listed(",,X-Foo\t,", "x-foo"));
  g_assert_false(http_token_listed("closed", "close"));
  g_assert_false(http_token_listed("", "close"));
  g_assert_false(http_token_listed(NULL, "close"));
  g_assert_false(http_token_listed("x-foo-bar", "x-foo"));
}

static void test_connection_lists_headers(void) {
  g_assert_false(http_connection_lists_headers(NULL));
  g_assert_false(http_connection_lists_headers("keep-alive"));
  g_assert_false(http_connection_lists_headers("Close"));
  g_assert_false(http_connection_lists_headers(" close , Keep-Alive ,"));
  g_assert_true(http_connection_lists_headers("keep-alive, X-Secret"));
  g_assert_true(http_connection_lists_headers("Upgrade"));
}

/* The headers the gateway sets for the backend, in every client spelling. */
/* One pass gives what http_token_listed gave for "close" and "keep-alive" and what
   http_connection_lists_headers gives, for each value (the backend answer reads it). */
static void test_connection_options(void) {
  const char *values[] = {NULL,
                          "",
                          "keep-alive",
                          "Keep-Alive",
                          "close",
                          "CLOSE",
                          " close , Keep-Alive ,",
                          "keep-alive, X-Secret",
                          "Upgrade",
                          "closed",
                          "keep-alive2",
                          ",,, ,",
                          "x, close",
                          "\tclose\t",
                          "close;q=1",
                          "keep-alive close"};
  for (gsize i = 0; i < G_N_ELEMENTS(values); i++) {
    guint o = http_connection_options(values[i]);
    g_assert_cmpint(!!(o & HTTP_CONN_CLOSE), ==, http_token_listed(values[i], "close"));
    g_assert_cmpint(!!(o & HTTP_CONN_KEEP_ALIVE), ==, http_token_listed(values[i], "keep-alive"));
    g_assert_cmpint(!!(o & HTTP_CONN_LISTS), ==, http_connection_lists_headers(values[i]));
  }
  g_assert_cmpuint(http_connection_options("Keep-Alive, close, TE"), ==,
                   HTTP_CONN_CLOSE | HTTP_CONN_KEEP_ALIVE | HTTP_CONN_LISTS);
  g_assert_cmpuint(http_connection_options("closed"), ==, HTTP_CONN_LISTS);
}

static void test_identity_spellings(void) {
  const char *yes[] = {"X-End-User",        "x-end-user",      "X_END_USER",
                       "X-End_User",        "X-End-User ",     "X-End-User\t",
                       "X-Forwarded-For",   "x_forwarded_for", "X-FORWARDED-PROTO",
                       "X_Forwarded-Proto", "X-JWT-Assertion", "x_jwt_assertion"};
  const char *no[] = {"X-End-Users",      "X-End-Use", "X-Forwarded-Host",
                      "Y-End-User",       "End-User",  "X-JWT",
                      "X-Forwarded-For2", "",          "X-Request-ID"};
  for (gsize i = 0; i < G_N_ELEMENTS(yes); i++) {
    g_test_message("%s", yes[i]);
    g_assert_true(http_header_is_identity(yes[i], strlen(yes[i])));
  }
  for (gsize i = 0; i < G_N_ELEMENTS(no); i++) {
    g_test_message("%s", no[i]);
    g_assert_false(http_header_is_identity(no[i], strlen(no[i])));
  }
  g_assert_true(http_header_same_name("X-JWT-Assertion", "x_jwt_assertion"));
  g_assert_true(http_header_same_name("X-Gateway", "X-GATEWAY"));
  g_assert_false(http_header_same_name("X-Gateway", "X-Gateways"));
  g_assert_false(http_header_same_name("X-Gateway", "X-Gatewax"));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/http_header/known_names", test_known_names_in_any_case);
  g_test_add_func("/http_header/look_alikes", test_look_alikes_are_other);
  g_test_add_func("/http_header/hop_by_hop", test_hop_by_hop_kinds);
  g_test_add_func("/http_header/token_lists", test_token_lists);
  g_test_add_func("/http_header/connection_lists_headers", test_connection_lists_headers);
  g_test_add_func("/http_header/connection_options", test_connection_options);
  g_test_add_func("/http_header/identity_spellings", test_identity_spellings);
  return g_test_run();
}
