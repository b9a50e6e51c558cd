/*
 * tg_log: a GLib structured-log writer printing one line per record with a
 * UTC timestamp, component, level, domain, message and any extra fields.
 */
#include "tg_log.h"

#include <stdio.h>
#include <string.h>

static char *log_component;
static GLogLevelFlags log_threshold = G_LOG_LEVEL_INFO;

static const char *level_name(GLogLevelFlags level) {
  if (level & G_LOG_LEVEL_ERROR) return "ERROR";
  if (level & G_LOG_LEVEL_CRITICAL) return "CRITICAL";
  if (level & G_LOG_LEVEL_WARNING) return "WARNING";
  if (level & G_LOG_LEVEL_MESSAGE) return "INFO";
  if (level & G_LOG_LEVEL_INFO) return "INFO";
  return "DEBUG";
}

static int level_rank(GLogLevelFlags level) {
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) return 0;
  if (level & G_LOG_LEVEL_WARNING) return 1;
  if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO)) return 2;
  return 3;
}

static gboolean is_plain_field(const char *key) {
  return !strcmp(key, "MESSAGE") || !strcmp(key, "GLIB_DOMAIN") || !strcmp(key, "PRIORITY") ||
         !strcmp(key, "CODE_FILE") || !strcmp(key, "CODE_LINE") || !strcmp(key, "CODE_FUNC") ||
         !strcmp(key, "GLIB_OLD_LOG_API");
}

static GLogWriterOutput write_line(GLogLevelFlags level, const GLogField *fields, gsize n,
                                   gpointer user_data) {
  if (level_rank(level) > level_rank(log_threshold)) return G_LOG_WRITER_HANDLED;
  const char *domain = NULL, *message = "";
  g_autoptr(GString) extra = g_string_new(NULL);
  for (gsize i = 0; i < n; i++) {
    if (!strcmp(fields[i].key, "MESSAGE"))
      message = fields[i].value;
    else if (!strcmp(fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
    else if (!is_plain_field(fields[i].key) && fields[i].length < 0)
      g_string_append_printf(extra, " %s=%s", fields[i].key, (const char *)fields[i].value);
  }
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S");
  fprintf(stderr, "%s.%03dZ %s %s [%s] %s%s\n", stamp, g_date_time_get_microsecond(now) / 1000,
          log_component ? log_component : "tollgate", level_name(level), domain ? domain : "-",
          message, extra->str);
  fflush(stderr);
  return G_LOG_WRITER_HANDLED;
}

void tg_log_init(const char *component, const char *level) {
  g_free(log_component);
  log_component = g_strdup(component);
  if (level) {
    if (!g_ascii_strcasecmp(level, "error"))
      log_threshold = G_LOG_LEVEL_CRITICAL;
    else if (!g_ascii_strcasecmp(level, "warning"))
      log_threshold = G_LOG_LEVEL_WARNING;
    else if (!g_ascii_strcasecmp(level, "debug"))
      log_threshold = G_LOG_LEVEL_DEBUG;
    else
      log_threshold = G_LOG_LEVEL_INFO;
  }
  g_log_set_writer_func(write_line, NULL, NULL);
}
