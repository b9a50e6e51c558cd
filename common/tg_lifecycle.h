/*
 * tg_lifecycle: the API lifecycle, one table for the hub (which enforces it) and the
 * portal (which offers only the moves it allows). States are the upper-case names the
 * hub stores; a lookup of anything else finds no state and no move.
 */
#ifndef TG_LIFECYCLE_H
#define TG_LIFECYCLE_H

#include <glib.h>

/* The states, NULL-terminated, in the order a publisher meets them. Static. */
const char *const *tg_lifecycle_states(void);

/* The canonical spelling of a state (case-insensitive), or NULL if text names none. */
const char *tg_lifecycle_state(const char *text);

/* The states an API may move to from status, NULL-terminated, static; empty for RETIRED
   and for an unknown status. */
const char *const *tg_lifecycle_next(const char *status);

/* Whether from -> to is a move the lifecycle allows (a state to itself is not a move). */
gboolean tg_lifecycle_allowed(const char *from, const char *to);

/* Whether moving to this state asks the publisher's password again (it cannot be undone). */
gboolean tg_lifecycle_needs_reauth(const char *to);

#endif
