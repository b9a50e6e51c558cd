/*
 * cmd_doc: `tollgatectl doc ...`: an API's documents (kept in regdb by the
 * hub), inline text or a link.
 */
#include "ctl.h"
#include "output.h"

typedef struct {
  const char *api, *name, *type, *summary, *content, *url;
} DocArgs;

/* The Document to send, or NULL with a usage error. */
static TgDocument *document_from_args(const DocArgs *a, GError **error) {
  g_autofree char *context = NULL, *version = NULL;
  if (!a->api || !a->name || !a->type || !a->content == !a->url) {
    g_set_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID,
                "--api, --name, --type and one of --content or --url are needed");
    return NULL;
  }
  const char *type = ctl_check_doc_type(a->type, error);
  if (!type || !ctl_split_api_ref(a->api, &context, &version, error)) return NULL;
  TgDocument *doc = g_object_new(TG_TYPE_DOCUMENT, "apiContext", context, "apiVersion", version,
                                 "name", a->name, "type", type, "sourceType",
                                 a->content ? "INLINE" : "URL", NULL);
  ctl_set_string(doc, "summary", a->summary);
  ctl_set_string(doc, "content", a->content);
  ctl_set_string(doc, "sourceUrl", a->url);
  return doc;
}

static int doc_add(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  DocArgs a = {0};
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {{"api", CTL_OPT_STRING, &a.api},
                         {"name", CTL_OPT_STRING, &a.name},
                         {"type", CTL_OPT_STRING, &a.type},
                         {"summary", CTL_OPT_STRING, &a.summary},
                         {"content", CTL_OPT_STRING, &a.content},
                         {"url", CTL_OPT_STRING, &a.url},
                         {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  g_autoptr(TgDocument) doc = document_from_args(&a, &error);
  if (!doc) return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgDocument) added = g_object_new(TG_TYPE_DOCUMENT, NULL);
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_add_document(hub, &added, ctl_session(ctl), doc, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_object(ctl, &ctl_shape_document, added);
}

static int doc_list(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  const char *api = NULL;
  g_autofree char *context = NULL, *version = NULL;
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  const CtlOpt opts[] = {{"api", CTL_OPT_STRING, &api}, {NULL}};
  if (!ctl_parse(ctl, cmd, opts, argc, argv, 0, 0, &pos)) return ctl->parse_status;
  if (!api)
    g_set_error(&error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID, "--api is needed");
  if (!api || !ctl_split_api_ref(api, &context, &version, &error))
    return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(GPtrArray) docs = ctl_object_list();
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_list_documents(hub, &docs, ctl_session(ctl), context, version, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_list(ctl, &ctl_shape_document, docs);
}

static int doc_delete(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_autoptr(GPtrArray) pos = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  if (!ctl_parse(ctl, cmd, NULL, argc, argv, 1, 1, &pos)) return ctl->parse_status;
  if (!ctl_parse_int64(pos->pdata[0], "document id", 1, G_MAXINT64, &id, &error))
    return ctl_usage_failed(ctl, cmd, error);
  TgTollgateIf *hub = ctl_hub(ctl);
  if (!hub) return CTL_EXIT_HUB;
  g_autoptr(TgTollgateException) tex = NULL;
  if (!tg_tollgate_if_delete_document(hub, ctl_session(ctl), id, &tex, &error))
    return ctl_call_failed(ctl, tex, error);
  return ctl_print_done(ctl, "deleted document %" G_GINT64_FORMAT, id);
}

const CtlCommand ctl_doc_commands[] = {
    {"doc", "add", doc_add,
     "--api CONTEXT:VERSION --name N --type HOWTO|SAMPLES|... [--summary S]\n"
     "      (--content TEXT | --url URL)",
     NULL},
    {"doc", "list", doc_list, "--api CONTEXT:VERSION", NULL},
    {"doc", "delete", doc_delete, "ID", NULL},
    {NULL},
};
