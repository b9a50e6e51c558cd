/*
 * roles.c: role names <-> ROLE_* bits (roles.h). A linear scan of four entries:
 * cheaper than a hash table at this size.
 */
#include "config.h"

#include "roles.h"

static const struct {
  const char *name;
  guint bit;
} role_names[] = {
    {"admin", ROLE_ADMIN},
    {"publisher", ROLE_PUBLISHER},
    {"subscriber", ROLE_SUBSCRIBER},
    {"gateway", ROLE_GATEWAY},
};

guint hub_role_bit(const char *name) {
  for (guint i = 0; name && i < G_N_ELEMENTS(role_names); i++)
    if (g_ascii_strcasecmp(name, role_names[i].name) == 0) return role_names[i].bit;
  return 0;
}

guint hub_role_mask(const char *const *names) {
  guint mask = 0;
  for (guint i = 0; names && names[i]; i++) mask |= hub_role_bit(names[i]);
  return mask;
}

void store_role_names(guint mask, GPtrArray *out) {
  for (guint i = 0; i < G_N_ELEMENTS(role_names); i++)
    if (mask & role_names[i].bit) g_ptr_array_add(out, (gpointer)role_names[i].name);
}
