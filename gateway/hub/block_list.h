/*
 * block_list: the blocking conditions a gateway enforces (API context,
 * application, user, client IP or range), replaced whole when the change
 * feed says they changed. Readers take a reference to the current snapshot,
 * so a request never waits for a reload. Trade-off: a linear scan; lists of
 * blocking conditions are short (an admin's hand-made list).
 */
#ifndef TG_GATEWAY_BLOCK_LIST_H
#define TG_GATEWAY_BLOCK_LIST_H

#include <glib.h>

typedef struct BlockList BlockList;

/* What a request is checked against. */
typedef struct {
  const char *api;         /* "/ctx:VERSION" */
  const char *application; /* "OWNER:NAME", NULL unauthenticated */
  const char *user;        /* NULL unauthenticated */
  const char *client_ip;
} BlockSubject;

BlockList *block_list_new(void);
void block_list_free(BlockList *list);
/* Replaces the conditions: kinds[i] (API APPLICATION USER IP), values[i]; n of them. An IP
   value that does not parse is skipped with a warning. */
void block_list_set(BlockList *list, const char *const *kinds, const char *const *values, guint n);
/* TRUE when a condition matches. */
gboolean block_list_match(BlockList *list, const BlockSubject *subject);
guint block_list_size(BlockList *list);
/* TRUE when there is no condition (one atomic read: the common case costs no lock). */
gboolean block_list_empty(BlockList *list);

#endif
