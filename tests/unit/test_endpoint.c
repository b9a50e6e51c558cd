/*
 * test_endpoint: backend URLs split once for the proxy: default ports, the
 * base path without trailing '/', queries joined, and URLs refused.
 */
#include "endpoint.h"

static void test_http_default_port(void) {
  g_autoptr(Endpoint) ep = endpoint_new("http://backend.local/api/");
  g_assert_true(ep->valid);
  g_assert_false(ep->tls);
  g_assert_cmpstr(ep->host, ==, "backend.local");
  g_assert_cmpint(ep->port, ==, 80);
  g_assert_cmpstr(ep->base_path, ==, "/api");
  g_assert_cmpstr(ep->pool_key, ==, "http://backend.local:80");
  g_assert_cmpstr(ep->host_header, ==, "backend.local");
  g_autofree char *t = endpoint_target(ep, "/items/3", "");
  g_assert_cmpstr(t, ==, "/api/items/3");
}

static void test_https_port_and_queries(void) {
  g_autoptr(Endpoint) ep = endpoint_new("HTTPS://10.0.0.1:8443?key=1");
  g_assert_true(ep->valid);
  g_assert_true(ep->tls);
  g_assert_cmpint(ep->port, ==, 8443);
  g_assert_cmpstr(ep->base_path, ==, "");
  g_assert_cmpstr(ep->pool_key, ==, "https://10.0.0.1:8443");
  g_assert_cmpstr(ep->host_header, ==, "10.0.0.1:8443");
  g_autofree char *both = endpoint_target(ep, "items", "a=b");
  g_assert_cmpstr(both, ==, "/items?key=1&a=b");
  g_autofree char *root = endpoint_target(ep, "", NULL);
  g_assert_cmpstr(root, ==, "/?key=1");
}

static void test_https_default_port(void) {
  g_autoptr(Endpoint) ep = endpoint_new("https://secure.example");
  g_assert_true(ep->valid);
  g_assert_cmpint(ep->port, ==, 443);
  g_autofree char *t = endpoint_target(ep, "/x", "q=1");
  g_assert_cmpstr(t, ==, "/x?q=1");
}

/* The pieces the proxy writes are the target, in every shape; the longest fits. */
static void test_target_pieces(void) {
  g_autoptr(Endpoint) ep = endpoint_new("http://b.example/base?key=1");
  EndpointPiece p[ENDPOINT_TARGET_PIECES];
  guint n = endpoint_target_pieces(ep, "items", "a=b", p);
  g_assert_cmpuint(n, ==, ENDPOINT_TARGET_PIECES);
  g_autoptr(GString) joined = g_string_new(NULL);
  for (guint i = 0; i < n; i++) g_string_append_len(joined, p[i].s, (gssize)p[i].len);
  g_assert_cmpstr(joined->str, ==, "/base/items?key=1&a=b");
  g_autofree char *t = endpoint_target(ep, "items", "a=b");
  g_assert_cmpstr(t, ==, joined->str);
  g_autoptr(Endpoint) bare = endpoint_new("http://b.example");
  n = endpoint_target_pieces(bare, NULL, NULL, p);
  g_assert_cmpuint(n, ==, 1);
  g_assert_cmpstr(p[0].s, ==, "/");
}

/* A connection made without certificate checks is pooled apart from verified ones. */
static void test_unverified_tls_pooled_apart(void) {
  g_autoptr(Endpoint) strict = endpoint_new("https://b.example:8443/x");
  g_autoptr(Endpoint) lax = endpoint_new_tls("https://b.example:8443/x", FALSE);
  g_autoptr(Endpoint) plain = endpoint_new_tls("http://b.example:8443/x", FALSE);
  g_assert_true(strict->tls_verify);
  g_assert_false(lax->tls_verify);
  g_assert_cmpstr(strict->pool_key, !=, lax->pool_key);
  g_assert_cmpstr(plain->pool_key, ==, "http://b.example:8443");
}

static void test_refused(void) {
  const char *bad[] = {"ftp://host/x", "http://", "not a url", "/relative/path"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(Endpoint) ep = endpoint_new(bad[i]);
    g_assert_false(ep->valid);
    g_assert_cmpstr(ep->url, ==, bad[i]);
  }
  g_autoptr(Endpoint) none = endpoint_new(NULL);
  g_assert_false(none->valid);
  g_assert_cmpstr(none->url, ==, "");
  g_assert_cmpstr(none->query, ==, "");
}

static void test_host_header_of_ipv6_literal(void) {
  g_autoptr(Endpoint) ep = endpoint_new("http://[::1]:9800/x");
  g_assert_true(ep->valid);
  g_assert_cmpstr(ep->host_header, ==, "[::1]:9800");
  g_autoptr(Endpoint) std = endpoint_new("https://[fe80::1]/");
  g_assert_cmpstr(std->host_header, ==, "[fe80::1]");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/endpoint/http_default_port", test_http_default_port);
  g_test_add_func("/endpoint/target_pieces", test_target_pieces);
  g_test_add_func("/endpoint/https_port_and_queries", test_https_port_and_queries);
  g_test_add_func("/endpoint/https_default_port", test_https_default_port);
  g_test_add_func("/endpoint/refused", test_refused);
  g_test_add_func("/endpoint/unverified_tls_pooled_apart", test_unverified_tls_pooled_apart);
  g_test_add_func("/endpoint/host_header_ipv6", test_host_header_of_ipv6_literal);
  return g_test_run();
}
