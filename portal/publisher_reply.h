/*
 * publisher_reply: how the publisher and admin handlers end, the same way on
 * every page and in the JSON API: a hub error becomes the error answer; a
 * state change answers JSON to scripts and redirects a browser with a flash
 * message (post/redirect/get), so a reload never repeats a POST.
 */
#ifndef PUBLISHER_REPLY_H
#define PUBLISHER_REPLY_H

#include <glib.h>

#include "hub_conn.h"
#include "http/request.h"
#include "render.h"

/* When he holds an error: answers it (status and message), clears it, TRUE. */
gboolean pub_hub_failed(PortalReq *r, HubErr *he);

/* A change that worked: JSON clients get json (or {"ok":true} when NULL; json
   is freed either way), browsers a 303 to back with flash shown there. */
void pub_done(PortalReq *r, const char *flash, const char *back, GString *json);

/* An argument that must be there: NULL after answering 400 "NAME is required". */
const char *pub_required(PortalReq *r, const char *name, const char *label);

/* The context and version named by the route's remainder ("pizza/1.0.0"); FALSE
   after answering 404. Free both. */
gboolean pub_api_from_path(PortalReq *r, char **context, char **version);

#endif
