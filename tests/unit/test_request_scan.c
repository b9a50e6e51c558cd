/*
 * test_request_scan: one table of raw request streams and the gateway's
 * framing decision for each (heads seen, or the refusal's status), checked
 * fed at once and fed one byte at a time (a head split across packets).
 */
#include <string.h>

#include "request_scan.h"

typedef struct {
  const char *name;
  const char *raw;
  int status;         /* 0: accepted; else the refusal */
  guint heads;        /* heads completed (before a refusal too) */
  const char *method; /* of the last head */
  gint64 length;      /* of the last head */
  gboolean chunked;
  gboolean idle; /* accepted: the stream ends between requests */
} Case;

#define H "Host: gw\r\n"
static const Case cases[] = {
    {"get", "GET /a HTTP/1.1\r\n" H "\r\n", 0, 1, "GET", -1, FALSE, TRUE},
    {"http10 without host", "GET /a HTTP/1.0\r\n\r\n", 0, 1, "GET", -1, FALSE, TRUE},
    {"extension method", "PURGEX /a HTTP/1.1\r\n" H "\r\n", 0, 1, "PURGEX", -1, FALSE, TRUE},
    /* methods are read as runs: the longest that fits (31 bytes), one more refused, a
       pipelined second method after a body, and a method bytes split across feeds */
    {"method of 31 bytes", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA /a HTTP/1.1\r\n" H "\r\n", 0, 1,
     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", -1, FALSE, TRUE},
    {"method of 32 bytes", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA /a HTTP/1.1\r\n" H "\r\n", 501, 0,
     NULL, 0, FALSE, FALSE},
    {"method after a body",
     "POST /a HTTP/1.1\r\n" H "Content-Length: 2\r\n\r\nxyPROPFIND /b HTTP/1.1\r\n" H "\r\n", 0, 2,
     "PROPFIND", -1, FALSE, TRUE},
    {"method with a space inside", "GE T /a HTTP/1.1\r\n" H "\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"leading CRLF", "\r\n\r\nGET / HTTP/1.1\r\n" H "\r\n", 0, 1, "GET", -1, FALSE, TRUE},
    {"content-length body", "POST /a HTTP/1.1\r\n" H "Content-Length: 3\r\n\r\nabc", 0, 1, "POST",
     3, FALSE, TRUE},
    {"cl with OWS", "POST /a HTTP/1.1\r\n" H "Content-Length:  3 \r\n\r\nabc", 0, 1, "POST", 3,
     FALSE, TRUE},
    {"body not yet in", "POST /a HTTP/1.1\r\n" H "Content-Length: 4\r\n\r\nabc", 0, 1, "POST", 4,
     FALSE, FALSE},
    {"pipelined",
     "GET /a HTTP/1.1\r\n" H "\r\nPOST /b HTTP/1.1\r\n" H
     "Content-Length: 1\r\n\r\nxDELETE /c HTTP/1.1\r\n" H "\r\n",
     0, 3, "DELETE", -1, FALSE, TRUE},
    {"chunked",
     "POST /a HTTP/1.1\r\n" H
     "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n",
     0, 1, "POST", -1, TRUE, TRUE},
    {"chunked Chunked", "POST /a HTTP/1.1\r\n" H "Transfer-Encoding: Chunked\r\n\r\n0\r\n\r\n", 0,
     1, "POST", -1, TRUE, TRUE},
    {"chunked then pipelined",
     "POST /a HTTP/1.1\r\n" H
     "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\nGET /b HTTP/1.1\r\n" H "\r\n",
     0, 2, "GET", -1, FALSE, TRUE},
    {"absolute form", "GET http://gw:80/a?b HTTP/1.1\r\n" H "\r\n", 0, 1, "GET", -1, FALSE, TRUE},
    {"obs-text value", "GET / HTTP/1.1\r\n" H "X-A: caf\xc3\xa9\r\n\r\n", 0, 1, "GET", -1, FALSE,
     TRUE},
    {"underscore name", "GET / HTTP/1.1\r\n" H "X_End_User: a\r\n\r\n", 0, 1, "GET", -1, FALSE,
     TRUE},
    /* framing refusals */
    {"two content-lengths",
     "POST / HTTP/1.1\r\n" H "Content-Length: 1\r\nContent-Length: 68\r\n\r\n", 400, 0, NULL, 0,
     FALSE, FALSE},
    {"two equal content-lengths",
     "POST / HTTP/1.1\r\n" H "Content-Length: 1\r\ncontent-length: 1\r\n\r\n", 400, 0, NULL, 0,
     FALSE, FALSE},
    {"content-length list", "POST / HTTP/1.1\r\n" H "Content-Length: 1, 1\r\n\r\n", 400, 0, NULL, 0,
     FALSE, FALSE},
    {"content-length sign", "POST / HTTP/1.1\r\n" H "Content-Length: +1\r\n\r\n", 400, 0, NULL, 0,
     FALSE, FALSE},
    {"content-length hex", "POST / HTTP/1.1\r\n" H "Content-Length: 0x10\r\n\r\n", 400, 0, NULL, 0,
     FALSE, FALSE},
    {"content-length empty", "POST / HTTP/1.1\r\n" H "Content-Length: \r\n\r\n", 400, 0, NULL, 0,
     FALSE, FALSE},
    {"content-length tab", "POST / HTTP/1.1\r\n" H "Content-Length:\t1\r\n\r\n", 400, 0, NULL, 0,
     FALSE, FALSE},
    {"content-length huge", "POST / HTTP/1.1\r\n" H "Content-Length: 99999999999999999999\r\n\r\n",
     400, 0, NULL, 0, FALSE, FALSE},
    {"cl and te", "POST / HTTP/1.1\r\n" H "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
     400, 0, NULL, 0, FALSE, FALSE},
    {"te and cl", "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
     400, 0, NULL, 0, FALSE, FALSE},
    {"te chunked identity", "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked, identity\r\n\r\n",
     400, 0, NULL, 0, FALSE, FALSE},
    {"te xchunked", "POST / HTTP/1.1\r\n" H "Transfer-Encoding: xchunked\r\n\r\n", 400, 0, NULL, 0,
     FALSE, FALSE},
    {"te identity", "POST / HTTP/1.1\r\n" H "Transfer-Encoding: identity\r\n\r\n", 400, 0, NULL, 0,
     FALSE, FALSE},
    {"te gzip chunked", "POST / HTTP/1.1\r\n" H "Transfer-Encoding: gzip, chunked\r\n\r\n", 501, 0,
     NULL, 0, FALSE, FALSE},
    {"te chunked twice", "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked, chunked\r\n\r\n", 400,
     0, NULL, 0, FALSE, FALSE},
    {"te CHUNKED", "POST / HTTP/1.1\r\n" H "Transfer-Encoding: CHUNKED\r\n\r\n", 400, 0, NULL, 0,
     FALSE, FALSE},
    {"te trailing space", "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked \r\n\r\n", 400, 0,
     NULL, 0, FALSE, FALSE},
    {"te tab", "POST / HTTP/1.1\r\n" H "Transfer-Encoding:\tchunked\r\n\r\n", 400, 0, NULL, 0,
     FALSE, FALSE},
    {"two te",
     "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
     400, 0, NULL, 0, FALSE, FALSE},
    {"obs-fold", "GET / HTTP/1.1\r\n" H "X-A: a\r\n\tb\r\n\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"obs-fold space", "GET / HTTP/1.1\r\n" H "X-A: a\r\n b\r\n\r\n", 400, 0, NULL, 0, FALSE,
     FALSE},
    {"space before colon", "GET / HTTP/1.1\r\n" H "Content-Length : 5\r\n\r\n", 400, 0, NULL, 0,
     FALSE, FALSE},
    {"tab before colon", "GET / HTTP/1.1\r\n" H "Transfer-Encoding\t: chunked\r\n\r\n", 400, 0,
     NULL, 0, FALSE, FALSE},
    {"name not token", "GET / HTTP/1.1\r\n" H "X(A): b\r\n\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"name with NUL", "GET / HTTP/1.1\r\n" H "X\0A: b\r\n\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"no colon", "GET / HTTP/1.1\r\n" H "XA\r\n\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"bare CR in value", "GET / HTTP/1.1\r\n" H "X-A: a\rb\r\n\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"bare LF in value", "GET / HTTP/1.1\r\n" H "X-A: a\nb\r\n\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"NUL in value", "GET / HTTP/1.1\r\n" H "X-A: a\0b\r\n\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"control in value",
     "GET / HTTP/1.1\r\n" H "X-A: a\x01"
     "b\r\n\r\n",
     400, 0, NULL, 0, FALSE, FALSE},
    {"DEL in value", "GET / HTTP/1.1\r\n" H "X-A: a\x7f\r\n\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"LF line ends", "GET / HTTP/1.1\n" H "\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"bare LF head end", "GET / HTTP/1.1\r\n" H "\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"no host", "GET / HTTP/1.1\r\n\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"two hosts", "GET / HTTP/1.1\r\n" H H "\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    /* request line */
    {"fragment", "GET /a#b HTTP/1.1\r\n" H "\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"two spaces", "GET  /a HTTP/1.1\r\n" H "\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"tab in line", "GET\t/a HTTP/1.1\r\n" H "\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"no version", "GET /a\r\n" H "\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"http2", "GET /a HTTP/2.0\r\n" H "\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"http 1.2", "GET /a HTTP/1.2\r\n" H "\r\n", 505, 0, NULL, 0, FALSE, FALSE},
    {"method not token", "GE(T / HTTP/1.1\r\n" H "\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"method too long", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA / HTTP/1.1\r\n" H "\r\n", 501, 0,
     NULL, 0, FALSE, FALSE},
    {"non-ascii target", "GET /\xc3\xa9 HTTP/1.1\r\n" H "\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    {"starts with space", " GET / HTTP/1.1\r\n" H "\r\n", 400, 0, NULL, 0, FALSE, FALSE},
    /* chunks */
    {"chunk extension",
     "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n1;a=b\r\nx\r\n0\r\n\r\n", 400, 1,
     "POST", -1, TRUE, FALSE},
    {"chunk size overflow",
     "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n10000000000000001\r\nx\r\n", 400, 1,
     "POST", -1, TRUE, FALSE},
    {"chunk longer than size",
     "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n", 400, 1,
     "POST", -1, TRUE, FALSE},
    {"chunk size blank",
     "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n1 \r\nx\r\n0\r\n\r\n", 400, 1,
     "POST", -1, TRUE, FALSE},
    {"trailer", "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\n\r\n",
     400, 1, "POST", -1, TRUE, FALSE},
    {"smuggled after cl",
     "POST / HTTP/1.1\r\n" H "Content-Length: 5\r\n\r\nabcdeGET /x HTTP/1.1\r\nX: \x01\r\n\r\n",
     400, 1, "GET", -1, FALSE, FALSE},
};

/* Feeds raw in pieces of step bytes (0: at once); heads counted, last kept. */
static RequestScanResult run(const char *raw, gsize len, gsize step, guint *heads, RequestScan *s) {
  request_scan_init(s, 4096);
  *heads = 0;
  gsize at = 0;
  RequestScanResult r = RSCAN_NEED_MORE;
  while (at < len) {
    gsize piece = step ? MIN(step, len - at) : len - at;
    gsize used = 0;
    r = request_scan_feed(s, raw + at, piece, &used);
    g_assert_cmpuint(used, <=, piece);
    if (r == RSCAN_INVALID) return r;
    if (r == RSCAN_HEAD)
      (*heads)++;
    else
      g_assert_cmpuint(used, ==, piece);
    at += used;
  }
  return r;
}

static void check(const Case *c, gsize len, gsize step) {
  RequestScan s;
  guint heads = 0;
  RequestScanResult r = run(c->raw, len, step, &heads, &s);
  g_test_message("%s (step %zu): %d heads, status %d %s", c->name, step, heads, s.status,
                 s.reason ? s.reason : "");
  if (c->status) {
    g_assert_cmpint(r, ==, RSCAN_INVALID);
    g_assert_cmpint(s.status, ==, c->status);
    g_assert_nonnull(s.reason);
  } else {
    g_assert_cmpint(r, !=, RSCAN_INVALID);
    g_assert_cmpint(request_scan_idle(&s), ==, c->idle);
  }
  g_assert_cmpuint(heads, ==, c->heads);
  if (c->method) {
    g_assert_cmpstr(s.head.method, ==, c->method);
    g_assert_cmpint(s.head.content_length, ==, c->length);
    g_assert_cmpint(s.head.chunked, ==, c->chunked);
  }
}

static void test_table(void) {
  for (gsize k = 0; k < G_N_ELEMENTS(cases); k++) {
    gsize len = strlen(cases[k].raw);
    if (strstr(cases[k].name, "NUL"))
      len = strlen(cases[k].raw) + 1 + strlen(cases[k].raw + strlen(cases[k].raw) + 1);
    check(&cases[k], len, 0);
    check(&cases[k], len, 1);
    check(&cases[k], len, 7);
  }
}

static void test_absolute_form(void) {
  RequestScan s;
  guint heads;
  const char *raw = "GET https://Gw.example:8443/a/b?c HTTP/1.1\r\n" H "\r\n";
  g_assert_cmpint(run(raw, strlen(raw), 1, &heads, &s), ==, RSCAN_HEAD);
  g_assert_cmpint(s.head.form, ==, RTARGET_ABSOLUTE);
  g_assert_true(s.head.https);
  g_assert_cmpstr(s.head.authority, ==, "Gw.example:8443");
  raw = "CONNECT gw:443 HTTP/1.1\r\n" H "\r\n";
  g_assert_cmpint(run(raw, strlen(raw), 0, &heads, &s), ==, RSCAN_HEAD);
  g_assert_cmpint(s.head.form, ==, RTARGET_AUTHORITY);
  g_assert_cmpstr(s.head.authority, ==, "gw:443");
  raw = "OPTIONS * HTTP/1.1\r\n" H "\r\n";
  g_assert_cmpint(run(raw, strlen(raw), 0, &heads, &s), ==, RSCAN_HEAD);
  g_assert_cmpint(s.head.form, ==, RTARGET_ASTERISK);
  raw = "GET /a HTTP/1.1\r\n" H "\r\n";
  g_assert_cmpint(run(raw, strlen(raw), 0, &heads, &s), ==, RSCAN_HEAD);
  g_assert_cmpint(s.head.form, ==, RTARGET_ORIGIN);
  g_assert_cmpstr(s.head.authority, ==, "");
}

static void test_head_limit(void) {
  RequestScan s;
  GString *raw = g_string_new("GET /");
  for (int i = 0; i < 5000; i++) g_string_append_c(raw, 'a');
  gsize used;
  request_scan_init(&s, 4096);
  g_assert_cmpint(request_scan_feed(&s, raw->str, raw->len, &used), ==, RSCAN_INVALID);
  g_assert_cmpint(s.status, ==, 414);
  g_string_assign(raw, "GET / HTTP/1.1\r\n");
  for (int i = 0; i < 500; i++) g_string_append(raw, "X-Aaaaa: bbbbbbbb\r\n");
  request_scan_init(&s, 4096);
  g_assert_cmpint(request_scan_feed(&s, raw->str, raw->len, &used), ==, RSCAN_INVALID);
  g_assert_cmpint(s.status, ==, 431);
  /* a body does not count against the head limit */
  g_string_assign(raw, "POST / HTTP/1.1\r\n" H "Content-Length: 10000\r\n\r\n");
  for (int i = 0; i < 10000; i++) g_string_append_c(raw, 'x');
  request_scan_init(&s, 4096);
  g_assert_cmpint(request_scan_feed(&s, raw->str, raw->len, &used), ==, RSCAN_HEAD);
  g_assert_cmpint(request_scan_feed(&s, raw->str + used, raw->len - used, &used), ==,
                  RSCAN_NEED_MORE);
  g_assert_true(request_scan_idle(&s));
  g_string_free(raw, TRUE);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/request_scan/table", test_table);
  g_test_add_func("/request_scan/absolute_form", test_absolute_form);
  g_test_add_func("/request_scan/head_limit", test_head_limit);
  return g_test_run();
}
