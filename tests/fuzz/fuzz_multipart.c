/*
 * fuzz_multipart: multipart/form-data splitting (portal/http/multipart.c) on
 * any bytes: the first line is the Content-Type (its boundary), the rest the
 * body, parsed with the default limits and with tight ones. Whatever is
 * accepted lies within the body and the limits, and text fields are clean
 * UTF-8 with a name.
 */
#include "config.h"

#include <string.h>

#include "multipart.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static void check(const char *body, gsize len, const char *boundary, const MultipartLimits *lim) {
  g_autoptr(GError) error = NULL;
  g_autoptr(Multipart) m = multipart_parse(body, len, boundary, lim, &error);
  if (!m) {
    g_assert_nonnull(error);
    return;
  }
  g_assert_cmpuint(multipart_count(m), <=, lim ? lim->max_parts : MULTIPART_MAX_PARTS);
  gsize total = 0;
  for (guint i = 0; i < multipart_count(m); i++) {
    const MultipartPart *p = multipart_part(m, i);
    g_assert_true(p->name && *p->name);
    g_assert_cmpint(p->data[p->len], ==, '\0');
    if (lim) g_assert_cmpuint(p->len, <=, lim->max_part_bytes);
    if (!p->filename) g_assert_true(g_utf8_validate(p->data, (gssize)p->len, NULL));
    total += p->len;
  }
  g_assert_cmpuint(total, <=, len);
  g_assert_true(multipart_get(m, multipart_count(m) ? multipart_part(m, 0)->name : "x") ==
                (multipart_count(m) ? multipart_part(m, 0) : NULL));
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size) {
  const char *s = (const char *)data;
  const char *nl = memchr(s, '\n', size);
  if (!nl) return 0;
  g_autofree char *type = g_strndup(s, (gsize)(nl - s));
  g_autofree char *boundary = multipart_boundary(type, NULL);
  if (!boundary) return 0;
  const char *body = nl + 1;
  gsize len = size - (gsize)(body - s);
  check(body, len, boundary, NULL);
  MultipartLimits tight = {3, 16, 48};
  check(body, len, boundary, &tight);
  return 0;
}
