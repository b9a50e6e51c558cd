/*
 * tg_lifecycle: the API lifecycle table (tg_lifecycle.h). A table rather than code so
 * that the hub's check, the portal's buttons and the unit test read one set of rows.
 */
#include "tg_lifecycle.h"

static const char *const states[] = {"CREATED", "PUBLISHED", "DEPRECATED",
                                     "RETIRED", "BLOCKED",   NULL};

/* From each state, the states it may go to; reauth: reaching it asks the password. */
static const struct {
  const char *state;
  const char *const next[4];
  gboolean reauth;
} lifecycle[] = {
    {"CREATED", {"PUBLISHED", NULL}, FALSE},
    {"PUBLISHED", {"DEPRECATED", "BLOCKED", "RETIRED", NULL}, FALSE},
    {"DEPRECATED", {"PUBLISHED", "BLOCKED", "RETIRED", NULL}, FALSE},
    {"BLOCKED", {"PUBLISHED", "DEPRECATED", NULL}, FALSE},
    {"RETIRED", {NULL}, TRUE},
};

const char *const *tg_lifecycle_states(void) { return states; }

const char *tg_lifecycle_state(const char *text) {
  for (guint i = 0; text != NULL && states[i]; i++)
    if (g_ascii_strcasecmp(states[i], text) == 0) return states[i];
  return NULL;
}

static gint row(const char *state) {
  for (guint i = 0; i < G_N_ELEMENTS(lifecycle); i++)
    if (g_strcmp0(state, lifecycle[i].state) == 0) return (gint)i;
  return -1;
}

const char *const *tg_lifecycle_next(const char *status) {
  static const char *const none[] = {NULL};
  gint i = row(status);
  return i < 0 ? none : lifecycle[i].next;
}

gboolean tg_lifecycle_allowed(const char *from, const char *to) {
  return to != NULL && g_strv_contains(tg_lifecycle_next(from), to);
}

gboolean tg_lifecycle_needs_reauth(const char *to) {
  gint i = row(to);
  return i >= 0 && lifecycle[i].reauth;
}
