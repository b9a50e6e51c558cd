/*
 * tg_names: the one rule for names an admin chooses for traffic management (tiers, custom
 * policies), and the lengths of user names and passwords every daemon checks. A tier name
 * travels into headers, paths, logs and the feed, so it is a plain identifier; trade-off:
 * rows stored before the rule are not checked (only new names are).
 */
#ifndef TG_NAMES_H
#define TG_NAMES_H

#include <glib.h>

#define TG_NAME_MAX 64

/* Bytes in a user name (UM_USER.user_name) and in a password, as the hub accepts them. */
#define TG_USER_NAME_MAX 255
#define TG_PASSWORD_MAX  1024

/* The rule in words, for refusals: "a tier name is " TG_NAME_RULE. */
#define TG_NAME_RULE \
  "1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or a digit"

/* Whether s follows the rule: [A-Za-z0-9][A-Za-z0-9._-]{0,63}, ASCII only. NULL: FALSE. */
gboolean tg_name_valid(const char *s);

/* Whether a and b are look-alikes: different, but equal ignoring ASCII case ("gold" and
   "Gold"). Lookups stay byte for byte; a new name must not be a look-alike of one that
   exists where the same reference could mean either. NULL: FALSE. */
gboolean tg_name_look_alike(const char *a, const char *b);

#endif
