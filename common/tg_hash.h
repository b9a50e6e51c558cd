/*
 * tg_hash: the one string hash for hot hash tables (hub caches and sessions, the gateway's
 * token cache, credit keys, usage rows). Trade-off: a multiply-xorshift that reads 8 bytes a
 * step, several times cheaper than g_str_hash (a byte a step) on the 60-130 byte keys these
 * tables hold, and like g_str_hash not keyed: fit for keys a client only partly controls (a
 * token enters them as its SHA-256), not for tables keyed by raw client input.
 */
#ifndef TG_HASH_H
#define TG_HASH_H

#include <glib.h>
#include <string.h>

/* A hash of len bytes, every byte and the length counted. */
static inline guint tg_hash_bytes(const char *s, size_t len) {
  const guint64 k = G_GUINT64_CONSTANT(0x9E3779B97F4A7C15);
  guint64 h = len * k, w;
  for (; len >= 8; s += 8, len -= 8) {
    memcpy(&w, s, 8);
    h = (h ^ w) * k;
    h ^= h >> 32;
  }
  w = 0;
  memcpy(&w, s, len);
  h = (h ^ w) * k;
  h ^= h >> 29;
  return (guint)(h ^ (h >> 32));
}

/* tg_hash_bytes of a NUL-terminated string, as a GHashFunc (with g_str_equal). */
static inline guint tg_str_hash(gconstpointer key) { return tg_hash_bytes(key, strlen(key)); }

#endif
