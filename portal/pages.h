/*
 * pages: the route table each page module exports, listed by main.c.
 * A module defines `const RouteTable xxx_table = {xxx_routes, G_N_ELEMENTS(xxx_routes)};`
 * over a static array of Route (http/router.h).
 */
#ifndef PORTAL_PAGES_H
#define PORTAL_PAGES_H

#include "http/router.h"

#include "http/session.h"

/* Who may use the store's pages: subscribers (and admins, who may do anything). */
#define STORE_ROLES (ROLE_SUBSCRIBER | ROLE_ADMIN)

extern const RouteTable account_table;   /* store_account.c: login, sign-up, logout, sessions */
extern const RouteTable catalog_table;   /* store_catalog.c: browse, search, API page */
extern const RouteTable apps_table;      /* store_apps.c: applications, subscriptions */
extern const RouteTable keys_table;      /* store_keys.c: keys, secrets, tokens */
extern const RouteTable tryit_table;     /* store_tryit.c: the try-it console's proxy */
extern const RouteTable api_table;       /* api_auth.c: /api/auth/token */
extern const RouteTable api_store_table; /* api_store.c: /api/store/v1/..., /api/openapi.json */

/* api_openapi.c: the OpenAPI 3 document served at /api/openapi.json. */
const char *openapi_document(gsize *len);

#endif
