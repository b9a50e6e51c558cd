/*
 * tg_strpack: copies of several strings in one allocation. A record read on
 * every request (a cached token validation, a request's auth fields) costs
 * one malloc and one free this way instead of one per string.
 */
#ifndef TG_STRPACK_H
#define TG_STRPACK_H

#include <glib.h>

/* Allocates head bytes (for the caller's struct, left uninitialised) followed
   by copies of src[0..n-1]; out[i] points at the copy of src[i], NULL for a
   NULL src[i]. Free the block with g_free. */
gpointer tg_strpack(gsize head, const char *const *src, gsize n, char **out);

/* The same for sources that are not NUL-terminated (bytes read in place from a
   message): src[i] has len[i] bytes, copied and terminated. */
gpointer tg_strpack_len(gsize head, const char *const *src, const gsize *len, gsize n, char **out);

#endif
