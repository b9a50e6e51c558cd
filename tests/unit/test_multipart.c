/*
 * test_multipart: multipart/form-data splitting (portal/http/multipart.c) as a
 * table: what browsers and curl send is accepted with its fields and files,
 * and every malformed body (bad or missing boundary, bare LF, folded or
 * oversized part headers, no closing boundary, too many or too big parts)
 * is refused with the reason. Adding a case is adding a row.
 */
#include <string.h>

#include "multipart.h"

#define B   "XyZ"
#define CD  "Content-Disposition: form-data; "
#define END "\r\n--" B "--\r\n"

typedef struct Case {
  const char *name;
  const char *body;
  const char *fields; /* expected "name=value|name=value"; files "name[filename:type]=value" */
  const char *error;  /* NULL: accepted */
} Case;

static const Case cases[] = {
    {"one field", "--" B "\r\n" CD "name=\"csrf\"\r\n\r\nabc" END, "csrf=abc", NULL},
    {"field and file",
     "--" B "\r\n" CD "name=\"csrf\"\r\n\r\ntok\r\n--" B "\r\n" CD
     "name=\"file\"; filename=\"api.yaml\"\r\nContent-Type: application/x-yaml\r\n\r\n"
     "openapi: 3.0.0\r\nx: 1" END,
     "csrf=tok|file[api.yaml:application/x-yaml]=openapi: 3.0.0\r\nx: 1", NULL},
    {"empty file input",
     "--" B "\r\n" CD "name=\"file\"; filename=\"\"\r\n"
     "Content-Type: application/octet-stream\r\n\r\n" END,
     "file[:application/octet-stream]=", NULL},
    {"no parts", "--" B "--\r\n", "", NULL},
    {"epilogue ignored", "--" B "\r\n" CD "name=a\r\n\r\n1" END "trailing words", "a=1", NULL},
    {"padding after boundary", "--" B " \t\r\n" CD "name=a\r\n\r\n1" END, "a=1", NULL},
    {"header names any case", "--" B "\r\ncontent-DISPOSITION: Form-Data; NAME=a\r\n\r\n1" END,
     "a=1", NULL},
    {"binary file", "--" B "\r\n" CD "name=f; filename=x.bin\r\n\r\n\xff\xfe\x01" END,
     "f[x.bin:]=\xff\xfe\x01", NULL},
    {"boundary-like content", "--" B "\r\n" CD "name=a\r\n\r\n--" B "x\r\n-" B END,
     "a=--" B "x\r\n-" B, NULL},
    {"backslash in file name", "--" B "\r\n" CD "name=f; filename=\"C:\\a.yaml\"\r\n\r\nx" END,
     "f[C:\\a.yaml:]=x", NULL},
    {"no closing boundary", "--" B "\r\n" CD "name=a\r\n\r\n1\r\n", NULL, "closing boundary"},
    {"closing boundary cut", "--" B "\r\n" CD "name=a\r\n\r\n1\r\n--" B, NULL, "CRLF"},
    {"wrong boundary", "--other\r\n" CD "name=a\r\n\r\n1\r\n--other--", NULL, "does not start"},
    {"preamble", "hello\r\n--" B "\r\n" CD "name=a\r\n\r\n1" END, NULL, "does not start"},
    {"bare LF after boundary", "--" B "\n" CD "name=a\r\n\r\n1" END, NULL, "CRLF"},
    {"bare LF in headers", "--" B "\r\n" CD "name=a\nX: y\r\n\r\n1" END, NULL, "control"},
    {"bare CR in headers", "--" B "\r\n" CD "name=a\rX: y\r\n\r\n1" END, NULL, "control"},
    {"folded header", "--" B "\r\n" CD "\r\n name=a\r\n\r\n1" END, NULL, "folded"},
    {"no disposition", "--" B "\r\nContent-Type: text/plain\r\n\r\n1" END, NULL,
     "no Content-Disposition"},
    {"no headers", "--" B "\r\n\r\n1" END, NULL, "no Content-Disposition"},
    {"not form-data", "--" B "\r\nContent-Disposition: attachment; name=a\r\n\r\n1" END, NULL,
     "form-data"},
    {"form-datax", "--" B "\r\nContent-Disposition: form-datax; name=a\r\n\r\n1" END, NULL,
     "form-data"},
    {"no name", "--" B "\r\n" CD "filename=a\r\n\r\n1" END, NULL, "needs a name"},
    {"empty name", "--" B "\r\n" CD "name=\"\"\r\n\r\n1" END, NULL, "needs a name"},
    {"two names", "--" B "\r\n" CD "name=a; NAME=b\r\n\r\n1" END, NULL, "twice"},
    {"two dispositions", "--" B "\r\n" CD "name=a\r\n" CD "name=b\r\n\r\n1" END, NULL, "two"},
    {"two types", "--" B "\r\n" CD "name=a\r\nContent-Type: a/b\r\nContent-Type: c/d\r\n\r\n1" END,
     NULL, "two Content-Type"},
    {"unterminated quote", "--" B "\r\n" CD "name=\"a\r\n\r\n1" END, NULL, "no value"},
    {"base64 part", "--" B "\r\n" CD "name=a\r\nContent-Transfer-Encoding: base64\r\n\r\nMQ==" END,
     NULL, "Transfer-Encoding"},
    {"header without colon", "--" B "\r\n" CD "name=a\r\nJunk\r\n\r\n1" END, NULL, "no name:"},
    {"NUL in header", "--" B "\r\n" CD "name=a\0b\r\n\r\n1" END, NULL, "NUL"},
    {"field not UTF-8", "--" B "\r\n" CD "name=a\r\n\r\n\xff" END, NULL, "not UTF-8"},
    {"field with NUL", "--" B "\r\n" CD "name=a\r\n\r\nx\0y" END, NULL, "not UTF-8"},
    {"file name not UTF-8", "--" B "\r\n" CD "name=a; filename=\"\xff\"\r\n\r\n1" END, NULL,
     "not UTF-8"},
    {"garbage after boundary", "--" B "x\r\n" CD "name=a\r\n\r\n1" END, NULL, "CRLF"},
    {"empty body", "", NULL, "does not start"},
};

/* "name=value|..." of the parsed parts, files as name[filename:type]=value. */
static char *describe(const Multipart *m) {
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < multipart_count(m); i++) {
    const MultipartPart *p = multipart_part(m, i);
    g_string_append_printf(out, "%s%s", i ? "|" : "", p->name);
    if (p->filename)
      g_string_append_printf(out, "[%s:%s]", p->filename, p->content_type ? p->content_type : "");
    g_string_append_c(out, '=');
    g_string_append_len(out, p->data, (gssize)p->len);
  }
  return g_string_free(out, FALSE);
}

static gsize body_len(const Case *c) {
  /* the NUL cases carry a NUL: their length runs to the closing boundary */
  const char *s = c->body;
  gsize n = strlen(s);
  if (strstr(c->name, "NUL") || strstr(c->name, "with NUL")) n += 1 + strlen(s + n + 1);
  return n;
}

static void test_table(void) {
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    const Case *c = &cases[i];
    g_autoptr(GError) error = NULL;
    g_autoptr(Multipart) m = multipart_parse(c->body, body_len(c), B, NULL, &error);
    if (c->error) {
      if (m) g_error("%s: accepted", c->name);
      if (!strstr(error->message, c->error))
        g_error("%s: \"%s\" does not say \"%s\"", c->name, error->message, c->error);
      continue;
    }
    if (!m) g_error("%s: refused: %s", c->name, error->message);
    g_autofree char *got = describe(m);
    if (strcmp(got, c->fields) != 0) g_error("%s: got \"%s\"", c->name, got);
  }
}

static void test_limits(void) {
  MultipartLimits lim = {2, 8, 64};
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
  const char *three = "--" B "\r\n" CD "name=a\r\n\r\n1\r\n--" B "\r\n" CD "name=b\r\n\r\n2\r\n--" B
                      "\r\n" CD "name=c\r\n\r\n3" END;
  g_assert_null(multipart_parse(three, strlen(three), B, &lim, &e1));
  g_assert_error(e1, MULTIPART_ERROR, MULTIPART_ERROR_TOO_BIG);
  const char *big = "--" B "\r\n" CD "name=a\r\n\r\n123456789" END;
  g_assert_null(multipart_parse(big, strlen(big), B, &lim, &e2));
  g_assert_error(e2, MULTIPART_ERROR, MULTIPART_ERROR_TOO_BIG);
  const char *fits = "--" B "\r\n" CD "name=a\r\n\r\n12345678" END;
  g_autoptr(Multipart) ok = multipart_parse(fits, strlen(fits), B, &lim, NULL);
  g_assert_nonnull(ok);
  g_assert_cmpstr(multipart_get(ok, "a")->data, ==, "12345678");
  g_assert_null(multipart_get(ok, "b"));
  /* a header block over the bound, whether or not it ends later */
  g_autoptr(GString) hdr = g_string_new("--" B "\r\n" CD "name=a\r\nX-Pad: ");
  for (int i = 0; i < 80; i++) g_string_append_c(hdr, 'p');
  g_string_append(hdr, "\r\n\r\n1" END);
  g_assert_null(multipart_parse(hdr->str, hdr->len, B, &lim, &e3));
  g_assert_error(e3, MULTIPART_ERROR, MULTIPART_ERROR_TOO_BIG);
  /* the default bound (MULTIPART_MAX_HEADER_BYTES) */
  g_autoptr(GString) h2 = g_string_new("--" B "\r\n" CD "name=a\r\nX-Pad: ");
  for (int i = 0; i < MULTIPART_MAX_HEADER_BYTES; i++) g_string_append_c(h2, 'p');
  g_string_append(h2, "\r\n\r\n1" END);
  g_assert_null(multipart_parse(h2->str, h2->len, B, NULL, &e4));
  g_assert_error(e4, MULTIPART_ERROR, MULTIPART_ERROR_TOO_BIG);
  /* default part count */
  g_autoptr(GString) many = g_string_new(NULL);
  for (int i = 0; i <= MULTIPART_MAX_PARTS; i++)
    g_string_append_printf(many, "--" B "\r\n" CD "name=f%d\r\n\r\nv\r\n", i);
  g_string_append(many, "--" B "--");
  g_autoptr(GError) e5 = NULL;
  g_assert_null(multipart_parse(many->str, many->len, B, NULL, &e5));
  g_assert_nonnull(strstr(e5->message, "more than"));
}

static void test_boundary(void) {
  static const struct {
    const char *type, *want;
  } cases[] = {
      {"multipart/form-data; boundary=XyZ", "XyZ"},
      {"Multipart/Form-Data;boundary=\"a b:c\"", "a b:c"},
      {"multipart/form-data; charset=utf-8; BOUNDARY=----WebKitFormBoundaryabc",
       "----WebKitFormBoundaryabc"},
      {"multipart/form-data", NULL},
      {"multipart/form-data; boundary=", NULL},
      {"multipart/form-data; boundary=\"\"", NULL},
      {"multipart/form-data; boundary=\"ends in space \"", NULL},
      {"multipart/form-data; boundary=\"has\\\"quote\"", NULL},
      {"multipart/form-data; boundary=a; boundary=b", NULL},
      {"multipart/form-data; boundary=\"semi;colon\"", NULL},
      {"multipart/mixed; boundary=a", NULL},
      {"multipart/form-dataX; boundary=a", NULL},
      {"application/x-www-form-urlencoded", NULL},
      {"multipart/form-data; boundary=12345678901234567890123456789012345678901234567890123456789"
       "012345678901",
       NULL},
      {NULL, NULL},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *b = multipart_boundary(cases[i].type, &error);
    if (g_strcmp0(b, cases[i].want) != 0)
      g_error("%s: got %s", cases[i].type ? cases[i].type : "(null)", b ? b : "(null)");
    if (!b) g_assert_error(error, MULTIPART_ERROR, MULTIPART_ERROR_SYNTAX);
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/multipart/table", test_table);
  g_test_add_func("/multipart/limits", test_limits);
  g_test_add_func("/multipart/boundary", test_boundary);
  return g_test_run();
}
