/*
 * page_kit: small helpers every page module shares: answering a hub error,
 * lists for Thrift results, naming an API in a URL, splitting user lists.
 */
#ifndef PORTAL_PAGE_KIT_H
#define PORTAL_PAGE_KIT_H

#include "http/request.h"
#include "hub_conn.h"

/* Answers he (and clears it). A 401 from the hub means the user's hub session
   ended (expired, logged out elsewhere, user changed): the portal session ends
   too and a browser is sent to sign in again. */
void reply_hub_error(PortalReq *r, HubErr *he);

/* A GPtrArray for a Thrift list<struct> result (elements unref'd). */
GPtrArray *obj_list(void);
/* A GPtrArray of strings (g_free), from "a, b c" (commas or spaces). */
GPtrArray *str_list_parse(const char *text);
/* "a, b" from a list of strings (NULL: ""). Caller frees. */
char *str_list_join(const GPtrArray *list);

/* "pizza/1.0.0" (a URL's rest) -> context "/pizza", version "1.0.0". */
gboolean api_ref_parse(const char *rest, char **context, char **version);
/* Appends "/store/apis/pizza/1.0.0" for context and version (URL-encoded). */
void api_href(GString *out, const char *context, const char *version);
/* Appends "/store/apps/NAME" (URL-encoded). */
void app_href(GString *out, const char *name);

/* The user's flash + redirect in one. */
void redirect_with_flash(PortalReq *r, const char *path, const char *flash);

#endif
