/*
 * store_settings.h: portal settings in apimgtdb (AM_SETTING: name -> value, who set it,
 * when). Which names exist, their defaults and who may read them is the methods' rule
 * (portal_settings.c); the store keeps whatever it is given.
 */
#ifndef TOLLGATE_HUB_STORE_SETTINGS_H
#define TOLLGATE_HUB_STORE_SETTINGS_H

#include <glib.h>
#include <mysql.h>

/* Every stored setting into out (name -> value, both g_strdup'd). */
gboolean store_settings_read(MYSQL *conn, GHashTable *out, GError **error);
/* The stored value of name into *value (caller frees); NULL when never set. */
gboolean store_setting_get(MYSQL *conn, const char *name, char **value, GError **error);
gboolean store_setting_set(MYSQL *conn, const char *name, const char *value, const char *by,
                           GError **error);

#endif
