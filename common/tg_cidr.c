/*
 * tg_cidr: address ranges for blocking conditions (tg_cidr.h). Both families
 * are held as 16 bytes (IPv4 mapped into ::ffff:0:0/96) so one prefix
 * comparison serves both.
 */
#include "tg_cidr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static gboolean address_parse(const char *text, guint8 out[16], gboolean *v4) {
  struct in_addr a4;
  *v4 = FALSE;
  if (inet_pton(AF_INET, text, &a4) == 1) {
    memset(out, 0, 10);
    out[10] = out[11] = 0xff;
    memcpy(out + 12, &a4, 4);
    *v4 = TRUE;
    return TRUE;
  }
  return inet_pton(AF_INET6, text, out) == 1;
}

gboolean tg_cidr_parse(const char *text, TgCidr *out) {
  if (!text || !*text || strlen(text) > 64) return FALSE;
  char buf[65];
  g_strlcpy(buf, text, sizeof buf);
  char *slash = strchr(buf, '/');
  if (slash) *slash = '\0';
  gboolean v4 = FALSE;
  if (!address_parse(buf, out->addr, &v4)) return FALSE;
  guint max = v4 ? 32 : 128;
  guint prefix = max;
  if (slash) {
    const char *p = slash + 1;
    if (!*p || strlen(p) > 3) return FALSE;
    for (const char *q = p; *q; q++)
      if (!g_ascii_isdigit(*q)) return FALSE;
    prefix = (guint)atoi(p);
    if (prefix > max) return FALSE;
  }
  out->prefix = v4 ? prefix + 96 : prefix;
  return TRUE;
}

gboolean tg_cidr_contains(const TgCidr *range, const char *address) {
  guint8 a[16];
  gboolean v4 = FALSE;
  if (!address || !address_parse(address, a, &v4)) return FALSE;
  guint full = range->prefix / 8, bits = range->prefix % 8;
  if (memcmp(a, range->addr, full) != 0) return FALSE;
  if (bits == 0) return TRUE;
  guint8 mask = (guint8)(0xff << (8 - bits));
  return (a[full] & mask) == (range->addr[full] & mask);
}
