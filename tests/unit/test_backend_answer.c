/*
 * test_backend_answer: one table of backend answers (bytes as a backend
 * might send them) and the decision the gateway must reach: the status and
 * body framing, the body a chunked answer carries, or INVALID (a 502). Each
 * answer is fed whole, then one byte at a time, and must decide the same.
 */
#include <string.h>

#include "backend_answer.h"

typedef enum { D_NONE, D_LENGTH, D_CHUNKED, D_CLOSE, D_INVALID } Decision;

typedef struct {
  const char *name;
  const char *answer;
  Decision decision;
  int status;
  guint64 length;   /* D_LENGTH */
  const char *body; /* D_CHUNKED: the data, chunk framing removed */
  gboolean close;   /* the backend connection cannot be reused */
  gboolean head_request;
} Case;

static const Case cases[] = {
    /* well framed */
    {"length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", D_LENGTH, 200, 5},
    {"length zero", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", D_LENGTH, 200, 0},
    {"no reason", "HTTP/1.1 204\r\n\r\n", D_NONE, 204},
    {"bare LF", "HTTP/1.1 201 Created\nContent-Length: 3\nX-A:  b  \n\nyes", D_LENGTH, 201, 3},
    {"same length twice", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
     D_LENGTH, 200, 5},
    {"same length listed", "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", D_LENGTH, 200, 5},
    {"chunked",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
     D_CHUNKED, 200, 0, "hello world"},
    {"chunked any case", "HTTP/1.1 200 OK\r\ntransfer-encoding: ChUnKeD\r\n\r\n0\r\n\r\n",
     D_CHUNKED, 200, 0, ""},
    {"gzip then chunked",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
     "1\r\nx\r\n0\r\n\r\n",
     D_CHUNKED, 200, 0, "x"},
    {"chunk extension and trailer",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
     "3;name=\"v\"\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n",
     D_CHUNKED, 200, 0, "abc"},
    {"chunk lines with bare LF",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\n0\n\n", D_CHUNKED, 200, 0, "ab"},
    {"upper hex size",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", D_CHUNKED,
     200, 0, "0123456789"},
    {"until close", "HTTP/1.1 200 OK\r\nX-A: b\r\n\r\nrest", D_CLOSE, 200, 0, NULL, TRUE},
    {"connection close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx",
     D_LENGTH, 200, 1, NULL, TRUE},
    {"http 1.0", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", D_LENGTH, 200, 1, NULL, TRUE},
    {"http 1.0 keep-alive",
     "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", D_LENGTH, 200, 1,
     NULL, FALSE},
    {"head request", "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", D_NONE, 200, 0, NULL, FALSE,
     TRUE},
    {"304 with length", "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", D_NONE, 304},
    {"interim", "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n", D_NONE, 103},
    {"obs-text in a value", "HTTP/1.1 200 OK\r\nX-A: caf\xc3\xa9\r\nContent-Length: 0\r\n\r\n",
     D_LENGTH, 200},
    {"long value with tabs and obs-text",
     "HTTP/1.1 200 OK\r\nX-A: abcdefgh\tijklmnop\xc3\xa9\xc3\xa9\xc3\xa9"
     "\xff\x80qrstuvwx yz\r\nContent-Length: 0\r\n\r\n",
     D_LENGTH, 200},
    /* framing that two readers could take differently: 502 */
    {"differing lengths listed", "HTTP/1.1 200 OK\r\nContent-Length: 5, 500\r\n\r\n", D_INVALID},
    {"differing lengths repeated",
     "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 500\r\n\r\n", D_INVALID},
    {"negative length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", D_INVALID},
    {"plus sign", "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", D_INVALID},
    {"hex length", "HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", D_INVALID},
    {"empty length", "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", D_INVALID},
    {"empty list element", "HTTP/1.1 200 OK\r\nContent-Length: 5,\r\n\r\n", D_INVALID},
    {"huge length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", D_INVALID},
    {"length and chunked",
     "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", D_INVALID},
    {"chunked and length",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", D_INVALID},
    {"final coding gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", D_INVALID},
    {"coding only gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", D_INVALID},
    {"chunked twice", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", D_INVALID},
    {"chunked misspelt", "HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n", D_INVALID},
    {"chunked with a parameter", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked;q=1\r\n\r\n",
     D_INVALID},
    {"obs-fold", "HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 0\r\n\r\n", D_INVALID},
    {"obs-fold tab", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\tX-B: c\r\n\r\n", D_INVALID},
    {"blank before colon", "HTTP/1.1 200 OK\r\nTransfer-Encoding : chunked\r\n\r\n", D_INVALID},
    {"name with a slash", "HTTP/1.1 200 OK\r\nX/A: b\r\n\r\n", D_INVALID},
    {"no colon", "HTTP/1.1 200 OK\r\nX-A b\r\n\r\n", D_INVALID},
    {"empty name", "HTTP/1.1 200 OK\r\n: b\r\n\r\n", D_INVALID},
    {"bare CR in a value", "HTTP/1.1 200 OK\r\nX-A: b\rContent-Length: 9\r\n\r\n", D_INVALID},
    {"bare CR line", "HTTP/1.1 200 OK\r\n\rX: y\r\n\r\n", D_INVALID},
    {"NUL in a value", "HTTP/1.1 200 OK\r\nX-A: b\0c\r\n\r\n", D_INVALID},
    {"control deep in a long value",
     "HTTP/1.1 200 OK\r\nX-A: abcdefghijklmnopqrstuvw\x1fxyz0123456\r\n\r\n", D_INVALID},
    {"DEL deep in a long value",
     "HTTP/1.1 200 OK\r\nX-A: abcdefghijklmnop\x7fqrstuvwxyz0123456\r\n\r\n", D_INVALID},
    {"ESC after obs-text", "HTTP/1.1 200 OK\r\nX-A: \xff\xff\xff\xff\xff\xff\xff\xff\x1b\r\n\r\n",
     D_INVALID},
    {"DEL in a value", "HTTP/1.1 200 OK\r\nX-A: b\x7f\r\n\r\n", D_INVALID},
    {"control in the reason", "HTTP/1.1 200 O\x01K\r\n\r\n", D_INVALID},
    {"status not digits", "HTTP/1.1 2x0 Odd\r\nContent-Length: 2\r\n\r\nok", D_INVALID},
    {"status four digits", "HTTP/1.1 2000 Odd\r\n\r\n", D_INVALID},
    {"status too high", "HTTP/1.1 600 Odd\r\n\r\n", D_INVALID},
    {"not http", "SSH-2.0-OpenSSH_9.2\r\n\r\n", D_INVALID},
    {"http 2 version", "HTTP/2 200 OK\r\n\r\n", D_INVALID},
    {"protocol switch", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n", D_INVALID},
    {"chunk size not hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n", D_INVALID},
    {"chunk size negative", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n",
     D_INVALID},
    {"chunk size 0x",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", D_INVALID},
    {"chunk size overflow",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000001\r\n", D_INVALID},
    /* at most 15 hex digits, leading zeros counted, as the request scanner reads them */
    {"chunk size of 16 digits",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\n", D_INVALID},
    {"chunk size padded to 16 digits",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0000000000000005\r\nhello\r\n0\r\n\r\n",
     D_INVALID},
    {"chunk data longer than its size",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
     "2\r\nabc\r\n0\r\n\r\n",
     D_INVALID},
    {"blank after chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 \r\nab\r\n",
     D_INVALID},
    {"bare CR after size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\rab\r\n",
     D_INVALID},
    {"control in extension",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;a\x01\r\nab\r\n", D_INVALID},
    {"trailer obs-fold", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n x\r\n\r\n",
     D_INVALID},
};

typedef struct {
  Decision decision;
  int status;
  guint64 length;
  gboolean close;
  GString *body;
} Outcome;

/* The gateway's reading of answer[0..len), fed step bytes at a time. */
static Outcome decide(const Case *c, gsize len, gsize step) {
  Outcome o = {D_INVALID, 0, 0, FALSE, g_string_new("")};
  BackendHeadScan scan = {0};
  gsize have = 0, head_len = 0;
  BackendAnswerResult r = BA_NEED_MORE;
  while (r == BA_NEED_MORE && have < len) {
    have = MIN(len, have + step);
    r = backend_head_scan(&scan, c->answer, have, 65536, &head_len);
  }
  if (r != BA_COMPLETE) return o;
  g_autofree char *head = g_strndup(c->answer, head_len);
  g_autoptr(GArray) headers = g_array_new(FALSE, FALSE, sizeof(BackendHeader));
  BackendHead h;
  if (backend_head_parse(head, head_len, c->head_request, headers, &h) != BA_COMPLETE) return o;
  o.status = h.status;
  o.length = h.length;
  o.close = h.close;
  o.decision = h.mode == BA_BODY_NONE      ? D_NONE
               : h.mode == BA_BODY_LENGTH  ? D_LENGTH
               : h.mode == BA_BODY_CHUNKED ? D_CHUNKED
                                           : D_CLOSE;
  if (h.mode != BA_BODY_CHUNKED) return o;
  BackendChunks ch = {0};
  const char *p = c->answer + head_len;
  gsize left = len - head_len;
  while (TRUE) {
    gsize used = 0, n = MIN(left, step);
    r = backend_chunks_scan(&ch, p, n, &used);
    p += used, left -= used;
    if (r == BA_DATA) {
      gsize d = MIN((gsize)ch.remaining, MIN(left, step));
      g_string_append_len(o.body, p, (gssize)d);
      backend_chunks_data(&ch, d);
      p += d, left -= d;
      if (d == 0 && left == 0) break;
    } else if (r == BA_COMPLETE) {
      return o;
    } else if (r == BA_INVALID || left == 0) {
      break;
    }
  }
  o.decision = D_INVALID; /* a body that never ended well */
  return o;
}

static void check_case(gconstpointer data) {
  const Case *c = data;
  gsize len = strlen(c->answer);
  if (!strcmp(c->name, "NUL in a value")) len = sizeof "HTTP/1.1 200 OK\r\nX-A: b\0c\r\n\r\n" - 1;
  for (gsize step = len; step >= 1; step = step == len ? 1 : 0) {
    Outcome o = decide(c, len, step);
    g_assert_cmpint(o.decision, ==, c->decision);
    if (c->decision != D_INVALID) {
      g_assert_cmpint(o.status, ==, c->status);
      g_assert_cmpint(o.close, ==, c->close);
    }
    if (c->decision == D_LENGTH) g_assert_cmpuint(o.length, ==, c->length);
    if (c->decision == D_CHUNKED) g_assert_cmpstr(o.body->str, ==, c->body);
    g_string_free(o.body, TRUE);
    if (step == 1) break;
  }
}

static void test_head_too_big(void) {
  GString *a = g_string_new("HTTP/1.1 200 OK\r\n");
  while (a->len < 70000) g_string_append(a, "X-Huge: hhhhhhhhhhhhhhhhhhhhhhhhh\r\n");
  BackendHeadScan scan = {0};
  gsize n = 0;
  g_assert_cmpint(backend_head_scan(&scan, a->str, 1000, 65536, &n), ==, BA_NEED_MORE);
  g_assert_cmpint(backend_head_scan(&scan, a->str, a->len, 65536, &n), ==, BA_INVALID);
  g_assert_nonnull(scan.error);
  g_string_free(a, TRUE);
}

/* A head trickled byte by byte is looked at once: scanned only grows. */
static void test_head_scan_is_incremental(void) {
  const char *a = "HTTP/1.1 200 OK\r\nX-A: b\r\n\r\n";
  BackendHeadScan scan = {0};
  gsize n = 0, len = strlen(a);
  for (gsize i = 1; i < len; i++) {
    g_assert_cmpint(backend_head_scan(&scan, a, i, 65536, &n), ==, BA_NEED_MORE);
    g_assert_cmpuint(scan.scanned, ==, i);
  }
  g_assert_cmpint(backend_head_scan(&scan, a, len, 65536, &n), ==, BA_COMPLETE);
  g_assert_cmpuint(n, ==, len);
}

static void test_headers_and_length_value(void) {
  char head[] =
      "HTTP/1.1 200 OK\r\nX-A:  b c \r\nContent-Length: 7 , 7\r\nConnection: x, close\r\n\r\n";
  g_autoptr(GArray) headers = g_array_new(FALSE, FALSE, sizeof(BackendHeader));
  BackendHead h;
  g_assert_cmpint(backend_head_parse(head, strlen(head), FALSE, headers, &h), ==, BA_COMPLETE);
  g_assert_cmpuint(headers->len, ==, 3);
  BackendHeader *a = &g_array_index(headers, BackendHeader, 0);
  g_assert_cmpstr(a->name, ==, "X-A");
  g_assert_cmpstr(a->value, ==, "b c");
  g_assert_cmpuint(a->vlen, ==, 3);
  g_assert_cmpstr(h.content_length, ==, "7");
  g_assert_cmpstr(h.connection, ==, "x, close");
  g_assert_true(h.close);
}

static void test_chunk_line_bound(void) {
  GString *a = g_string_new("1;");
  while (a->len < 5000) g_string_append_c(a, 'e');
  BackendChunks c = {0};
  gsize used = 0;
  g_assert_cmpint(backend_chunks_scan(&c, a->str, a->len, &used), ==, BA_INVALID);
  g_string_free(a, TRUE);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *path = g_strdup_printf("/backend_answer/table/%s", cases[i].name);
    g_test_add_data_func(path, &cases[i], check_case);
  }
  g_test_add_func("/backend_answer/head_too_big", test_head_too_big);
  g_test_add_func("/backend_answer/head_scan_incremental", test_head_scan_is_incremental);
  g_test_add_func("/backend_answer/headers_and_length", test_headers_and_length_value);
  g_test_add_func("/backend_answer/chunk_line_bound", test_chunk_line_bound);
  return g_test_run();
}
