/*
 * tg_strpack: several strings copied into one block (see tg_strpack.h).
 */
#include "tg_strpack.h"

#include <string.h>

gpointer tg_strpack_len(gsize head, const char *const *src, const gsize *len, gsize n, char **out) {
  gsize size = head;
  for (gsize i = 0; i < n; i++) size += src[i] ? len[i] + 1 : 0;
  char *block = g_malloc(size ? size : 1);
  char *p = block + head;
  for (gsize i = 0; i < n; i++) {
    out[i] = src[i] ? p : NULL;
    if (!src[i]) continue;
    memcpy(p, src[i], len[i]);
    p[len[i]] = '\0';
    p += len[i] + 1;
  }
  return block;
}

gpointer tg_strpack(gsize head, const char *const *src, gsize n, char **out) {
  gsize *len = g_newa(gsize, n ? n : 1);
  for (gsize i = 0; i < n; i++) len[i] = src[i] ? strlen(src[i]) : 0;
  return tg_strpack_len(head, src, len, n, out);
}
