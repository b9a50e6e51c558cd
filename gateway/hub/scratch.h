/*
 * scratch: one reusable GString per thread, for keys built on hot paths (token cache, usage
 * rows) without an allocation per request (their hash: tg_hash.h).
 * Usage: docs/HACKING.md.
 */
#ifndef TG_GATEWAY_SCRATCH_H
#define TG_GATEWAY_SCRATCH_H

#include <glib.h>
#include <string.h>

static inline void scratch_string_free(gpointer p) { g_string_free(p, TRUE); }

#define SCRATCH_STRING_INIT G_PRIVATE_INIT(scratch_string_free)

static inline GString *scratch_string(GPrivate *slot) {
  GString *s = g_private_get(slot);
  if (!s) {
    s = g_string_sized_new(256);
    g_private_set(slot, s);
  }
  g_string_truncate(s, 0);
  return s;
}

/* s becomes parts[0..n) joined by sep (a NULL part counts as ""). */
static inline void scratch_join(GString *s, const char *const *parts, guint n, char sep) {
  size_t len[16], total = n ? n - 1 : 0;
  g_return_if_fail(n <= G_N_ELEMENTS(len));
  for (guint i = 0; i < n; i++) total += len[i] = parts[i] ? strlen(parts[i]) : 0;
  g_string_set_size(s, total);
  char *p = s->str;
  for (guint i = 0; i < n; i++) {
    if (i) *p++ = sep;
    if (len[i]) memcpy(p, parts[i], len[i]);
    p += len[i];
  }
}

#endif
