/*
 * tg_cidr: an IPv4 or IPv6 address range ("ADDR" or "ADDR/PREFIX") parsed
 * with inet_pton, and the match of an address against it. The hub checks a
 * blocking condition's value with it; the gateway matches client addresses.
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) match IPv4 ranges.
 */
#ifndef TG_CIDR_H
#define TG_CIDR_H

#include <glib.h>

typedef struct TgCidr {
  guint8 addr[16]; /* IPv4 as ::ffff:a.b.c.d */
  guint prefix;    /* bits of addr that must match, 0..128 */
} TgCidr;

/* FALSE for anything but an address with an optional /PREFIX in range. */
gboolean tg_cidr_parse(const char *text, TgCidr *out);
/* TRUE when address (text) is inside range; FALSE also for a malformed address. */
gboolean tg_cidr_contains(const TgCidr *range, const char *address);

#endif
