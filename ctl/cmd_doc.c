/*
 * cmd_doc: `tollgatectl doc ...`: an API's documents (kept in regdb by the
 * hub), inline text or a link.
 */
#include "handlers.h"
#include "output.h"

/* The Document of `doc add`. */
gboolean ctl_doc_add_check(CtlCall *c) {
  const char *api = ctl_opt(c, "api"), *name = ctl_opt(c, "name"), *type_arg = ctl_opt(c, "type");
  const char *content = ctl_opt(c, "content"), *url = ctl_opt(c, "url");
  if (!api || !name || !type_arg || !content == !url)
    return ctl_usage_error(&c->error,
                           "--api, --name, --type and one of --content or --url are needed");
  const char *type = ctl_check_doc_type(type_arg, &c->error);
  if (!type || !ctl_split_api_ref(api, &c->context, &c->version, &c->error)) return FALSE;
  TgDocument *doc =
      g_object_new(TG_TYPE_DOCUMENT, "apiContext", c->context, "apiVersion", c->version, "name",
                   name, "type", type, "sourceType", content ? "INLINE" : "URL", NULL);
  ctl_set_string(doc, "summary", ctl_opt(c, "summary"));
  ctl_set_string(doc, "content", content);
  ctl_set_string(doc, "sourceUrl", url);
  c->request = G_OBJECT(doc);
  return TRUE;
}

gboolean ctl_doc_add(CtlCall *c) {
  g_autoptr(TgDocument) added = g_object_new(TG_TYPE_DOCUMENT, NULL);
  return tg_tollgate_if_add_document(c->hub, &added, c->session, TG_DOCUMENT(c->request), &c->tex,
                                     &c->error) &&
         ctl_print_object(c->ctl, &ctl_shape_document, added);
}

gboolean ctl_doc_list_check(CtlCall *c) {
  const char *api = ctl_opt(c, "api");
  if (!api) return ctl_usage_error(&c->error, "--api is needed");
  return ctl_split_api_ref(api, &c->context, &c->version, &c->error);
}

gboolean ctl_doc_list(CtlCall *c) {
  g_autoptr(GPtrArray) docs = ctl_object_list();
  return tg_tollgate_if_list_documents(c->hub, &docs, c->session, c->context, c->version, &c->tex,
                                       &c->error) &&
         ctl_print_list(c->ctl, &ctl_shape_document, docs);
}

gboolean ctl_doc_delete_check(CtlCall *c) {
  return ctl_parse_int64(c->pos->pdata[0], "document id", 1, G_MAXINT64, &c->number, &c->error);
}

gboolean ctl_doc_delete(CtlCall *c) {
  return tg_tollgate_if_delete_document(c->hub, c->session, c->number, &c->tex, &c->error) &&
         ctl_print_done(c->ctl, "deleted document %" G_GINT64_FORMAT, c->number);
}
