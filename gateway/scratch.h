/*
 * scratch: one reusable GString per thread, for keys built on hot paths
 * (token cache, usage rows) without an allocation per request.
 *
 *   static GPrivate buf = SCRATCH_STRING_INIT;
 *   GString *s = scratch_string(&buf);   // empty, valid until the thread's next call
 */
#ifndef TG_GATEWAY_SCRATCH_H
#define TG_GATEWAY_SCRATCH_H

#include <glib.h>

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

#endif
