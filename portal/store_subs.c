/*
 * store_subs: subscription hub calls (store_subs.h).
 */
#include "store_subs.h"

#include "page_kit.h"
#include "portal.h"

gboolean apps_subscriptions(PortalReq *r, const char *app, GPtrArray **subs, HubErr *he) {
  *subs = obj_list();
  HUB_CALL(r->portal->hub, he,
           (g_ptr_array_set_size(*subs, 0),
            tg_tollgate_if_list_subscriptions(HUB_IF, subs, req_hub_session(r), "", app, HUB_EXC,
                                              HUB_ERR)));
  return he->code == 0;
}

gboolean apps_subscribe(PortalReq *r, const char *app, const char *context, const char *version,
                        const char *tier, TgSubscription **sub, HubErr *he) {
  *sub = g_object_new(TG_TYPE_SUBSCRIPTION, NULL);
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_subscribe(HUB_IF, sub, req_hub_session(r), "", app ? app : "",
                                    context ? context : "", version ? version : "",
                                    tier ? tier : "", HUB_EXC, HUB_ERR));
  return he->code == 0;
}

gboolean apps_unsubscribe(PortalReq *r, const char *app, const char *context, const char *version,
                          HubErr *he) {
  HUB_CALL(
      r->portal->hub, he,
      tg_tollgate_if_unsubscribe(HUB_IF, req_hub_session(r), "", app ? app : "",
                                 context ? context : "", version ? version : "", HUB_EXC, HUB_ERR));
  return he->code == 0;
}
