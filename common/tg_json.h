/*
 * tg_json: the small JSON writer the daemons need for HTTP answers, faults
 * and tollgatectl --json output. Appends to a GString; no parser, only the
 * nesting check that must run before json-glib's (recursive) parser does.
 */
#ifndef TG_JSON_H
#define TG_JSON_H

#include <glib.h>

/* Appends s as a quoted, escaped JSON string; NULL appends null. */
void tg_json_append_string(GString *out, const char *s);
/* Appends "key": then the escaped string value (a leading comma when out does not end in '{' or
 * '['). */
void tg_json_member_string(GString *out, const char *key, const char *value);
void tg_json_member_int(GString *out, const char *key, gint64 value);
/* Appends value in decimal (no printf: callers use it per request). */
void tg_json_append_int(GString *out, gint64 value);
/* value in decimal at the end of buf; returns its start (NUL-terminated). */
#define TG_INT_TEXT_LEN 24
const char *tg_int_text(gint64 value, char buf[TG_INT_TEXT_LEN]);
void tg_json_member_bool(GString *out, const char *key, gboolean value);
/* Appends "key": and leaves the value to the caller (comma handled as above). */
void tg_json_member_key(GString *out, const char *key);

/* The deepest nesting of [ and { in len bytes of JSON text, outside strings; stops
   counting once past limit (returns limit + 1). Check it before json-glib parses
   untrusted text: its parser recurses once per level. */
int tg_json_depth(const char *text, gsize len, int limit);

#endif
