/*
 * app_domains.c: the stored form of allowed domains (app_domains.h). Splitting
 * trims and skips empty entries, so a hand-edited row reads back cleanly.
 */
#include "config.h"

#include "app_domains.h"

char *app_domains_join(const GPtrArray *domains) {
  if (domains == NULL || domains->len == 0) return g_strdup(APP_DOMAINS_ALL);
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < domains->len; i++)
    g_string_append_printf(s, "%s%s", i ? "," : "", (char *)g_ptr_array_index(domains, i));
  return g_string_free(s, FALSE);
}

void app_domains_split(const char *stored, GPtrArray *out) {
  g_auto(GStrv) parts = g_strsplit(stored ? stored : "", ",", -1);
  for (guint i = 0; parts[i]; i++)
    if (*g_strstrip(parts[i]) != '\0') g_ptr_array_add(out, g_strdup(parts[i]));
}
