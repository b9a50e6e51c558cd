/*
 * app_domains.h: an application's allowed domains as AM_APPLICATION stores them,
 * one comma-separated string, APP_DOMAINS_ALL when the list is empty. Pure: the
 * store reads and writes this form, the methods check its length against the column.
 */
#ifndef TOLLGATE_HUB_APP_DOMAINS_H
#define TOLLGATE_HUB_APP_DOMAINS_H

#include <glib.h>

#define APP_DOMAINS_ALL "ALL"

/* The stored form of domains (APP_DOMAINS_ALL when NULL or empty). Caller frees. */
char *app_domains_join(const GPtrArray *domains);
/* Appends the non-empty, trimmed entries of stored (may be NULL) to out as new strings. */
void app_domains_split(const char *stored, GPtrArray *out);

#endif
