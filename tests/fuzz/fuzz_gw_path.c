/*
 * fuzz_gw_path: libFuzzer target for the gateway's path normalisation
 * (gateway/http/path_norm.c). Checks, besides memory safety: the output is never
 * longer than the input, starts with '/', holds no dot segment, no "//", no
 * %2F/%5C unless kept, and normalising it again changes nothing; the same
 * holds when the output is written over the input (the gateway works in place).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "path_norm.h"

static void check_normal(const char *out, gsize len, gboolean keep) {
  if (len == 0 || out[0] != '/' || strlen(out) != len) abort();
  if (strstr(out, "//") || strstr(out, "/./") || strstr(out, "/../")) abort();
  if (len >= 2 && !strcmp(out + len - 2, "/.")) abort();
  if (len >= 3 && !strcmp(out + len - 3, "/..")) abort();
  if (!keep && (strstr(out, "%2F") || strstr(out, "%5C"))) abort();
  if (strstr(out, "%00") || strchr(out, '\\')) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  gboolean keep = data[0] & 1;
  const char *path = (const char *)data + 1;
  gsize len = size - 1;
  char *out = malloc(len + 1);
  PathNorm res;
  if (path_normalize(path, len, keep, out, &res)) {
    if (res.len > len) abort();
    check_normal(out, res.len, keep);
    char *again = malloc(res.len + 1);
    PathNorm res2;
    if (!path_normalize(out, res.len, keep, again, &res2) || strcmp(again, out) != 0) abort();
    free(again);
    /* in place, as the gateway does it */
    char *inplace = malloc(len + 1);
    memcpy(inplace, path, len);
    PathNorm res3;
    if (!path_normalize(inplace, len, keep, inplace, &res3) || strcmp(inplace, out) != 0) abort();
    free(inplace);
  } else if (!res.reason) {
    abort();
  }
  free(out);
  return 0;
}
