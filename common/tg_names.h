/*
 * tg_names: the one rule for names an admin chooses for traffic management (tiers, custom
 * policies). Such a name travels into HTTP headers, URL paths, log lines and the change
 * feed, so it is a plain identifier; trade-off: rows stored before the rule are not
 * checked (only new names are), so an upgraded database keeps working.
 */
#ifndef TG_NAMES_H
#define TG_NAMES_H

#include <glib.h>

#define TG_NAME_MAX 64

/* The rule in words, for refusals: "a tier name is " TG_NAME_RULE. */
#define TG_NAME_RULE \
  "1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or a digit"

/* Whether s follows the rule: [A-Za-z0-9][A-Za-z0-9._-]{0,63}, ASCII only. NULL: FALSE. */
gboolean tg_name_valid(const char *s);

#endif
