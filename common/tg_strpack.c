/*
 * tg_strpack: several strings copied into one block (see tg_strpack.h).
 */
#include "tg_strpack.h"

#include <string.h>

gpointer tg_strpack(gsize head, const char *const *src, gsize n, char **out) {
  gsize size = head;
  for (gsize i = 0; i < n; i++) size += src[i] ? strlen(src[i]) + 1 : 0;
  char *block = g_malloc(size ? size : 1);
  char *p = block + head;
  for (gsize i = 0; i < n; i++) {
    out[i] = src[i] ? p : NULL;
    if (src[i]) p = g_stpcpy(p, src[i]) + 1;
  }
  return block;
}
