/*
 * pages: the route table each page module exports, listed by main.c.
 * A module defines `const RouteTable xxx_table = {xxx_routes, G_N_ELEMENTS(xxx_routes)};`
 * over a static array of Route (http/router.h).
 */
#ifndef PORTAL_PAGES_H
#define PORTAL_PAGES_H

#include "http/router.h"

extern const RouteTable account_table; /* store_account.c: login, sign-up, logout, sessions */
extern const RouteTable store_table;   /* store_*.c: catalogue, applications, keys, tokens */
extern const RouteTable api_table;     /* api_*.c: /api/auth/token, /api/openapi.json, /api/store/v1 */

#endif
