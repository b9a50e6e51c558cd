/*
 * store_tryit: the try-it console's handler, also mounted by the JSON API.
 */
#ifndef PORTAL_STORE_TRYIT_H
#define PORTAL_STORE_TRYIT_H

#include "http/request.h"

void tryit_post(PortalReq *r);
/* TRUE for a path the console may send (unit-tested). */
gboolean tryit_path_ok(const char *path);

#endif
