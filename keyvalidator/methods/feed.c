/*
 * feed.c: the gateway change feed's decision rules (feed.h): when a gateway must
 * reload everything, which APIs a run of changes names, when to prune. Pure but
 * for the prune clock's mutex.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "tg_tollgate_types.h"

GPtrArray *feed_changed_api_subjects(const GPtrArray *changes) {
  GPtrArray *subjects = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; changes != NULL && i < changes->len; i++) {
    TgGatewayChange *c = g_ptr_array_index(changes, i);
    if (g_strcmp0(c->kind, "API_CHANGED") != 0 || c->subject == NULL ||
        g_hash_table_contains(seen, c->subject))
      continue;
    g_hash_table_add(seen, c->subject);
    g_ptr_array_add(subjects, g_strdup(c->subject));
  }
  return subjects;
}

gboolean feed_prune_due(gint64 now_us) {
  static GMutex lock;
  static gint64 last_us = G_MININT64;
  g_mutex_lock(&lock);
  gboolean due =
      last_us == G_MININT64 || now_us - last_us >= FEED_PRUNE_INTERVAL_S * G_USEC_PER_SEC;
  if (due) last_us = now_us;
  g_mutex_unlock(&lock);
  return due;
}
