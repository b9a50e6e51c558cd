/*
 * publisher_pages: the route tables of the publisher's and the admin's pages
 * and JSON API (roles publisher or admin; admin only for admin_*), and the
 * sections an API's publisher page is made of, one file each.
 */
#ifndef PUBLISHER_PAGES_H
#define PUBLISHER_PAGES_H

#include <glib.h>

#include "http/request.h"
#include "http/router.h"
#include "tg_tollgate_types.h"

extern const RouteTable
    publisher_apis_table; /* publisher_apis.c: list, create, import, edit, lifecycle */
extern const RouteTable publisher_docs_table; /* publisher_docs.c: documentation */
extern const RouteTable publisher_subs_table; /* publisher_subs.c: subscriptions of an API, usage */
extern const RouteTable admin_users_table;    /* admin_users.c: users and roles */
extern const RouteTable admin_traffic_table;  /* admin_traffic.c: tiers, blocking conditions */
extern const RouteTable admin_policies_table; /* admin_policies.c: custom policies */
extern const RouteTable admin_settings_table; /* admin_settings.c: sign-up on/off, the audit log */

/* The tabs of an API's publisher page other than its overview (api is the one shown). */
void publisher_docs_section(PortalReq *r, GString *out, const TgApi *api);
void publisher_subs_section(PortalReq *r, GString *out, const TgApi *api);
void publisher_usage_section(PortalReq *r, GString *out, const TgApi *api);

/* An admin page's start: the frame, its heading and the admin tabs (tab: "users",
   "tiers", "blocking", "settings" or "audit"). admin_users.c. */
void admin_page_begin(PortalReq *r, GString *out, const char *title, const char *tab);

#endif
