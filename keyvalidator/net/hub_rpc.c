/*
 * hub_rpc.c: the processor and the limited protocols both servers use (hub_rpc.h):
 * c_glib's binary and compact protocols with nesting, string and container limits
 * counted by us, and a transport over a request already in memory. Design notes:
 * docs/HACKING.md, "Thrift limits".
 */
#include "hub_rpc.h"

#include <string.h>

#include <thrift/c_glib/thrift_application_exception.h>
#include <thrift/c_glib/processor/thrift_dispatch_processor.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/protocol/thrift_compact_protocol.h>
#include <thrift/c_glib/transport/thrift_transport.h>

#include "handler.h"
#include "tg_tollgate.h"
#include "validate_wire.h"

typedef struct {
  int depth;
  int max_depth;
  guint32 max_container;
  guint32 max_string;
} Limits;

struct HubRpc {
  Hub *hub;
  TgTollgateProcessor *processor;
  ThriftConfiguration *conf;
  Limits limits;
  guint serial; /* tells one HubRpc's per-thread objects from another's */
};

/* ---- limited protocols ---- */

typedef struct {
  ThriftBinaryProtocol parent;
  Limits lim;
} HubBinaryProtocol;
typedef struct {
  ThriftBinaryProtocolClass parent;
} HubBinaryProtocolClass;

typedef struct {
  ThriftCompactProtocol parent;
  Limits lim;
} HubCompactProtocol;
typedef struct {
  ThriftCompactProtocolClass parent;
} HubCompactProtocolClass;

G_DEFINE_TYPE(HubBinaryProtocol, hub_binary_protocol, THRIFT_TYPE_BINARY_PROTOCOL)
G_DEFINE_TYPE(HubCompactProtocol, hub_compact_protocol, THRIFT_TYPE_COMPACT_PROTOCOL)

static gboolean is_binary(ThriftProtocol *p) {
  return G_TYPE_CHECK_INSTANCE_TYPE(p, hub_binary_protocol_get_type());
}

static Limits *limits_of(ThriftProtocol *p) {
  return is_binary(p) ? &((HubBinaryProtocol *)p)->lim : &((HubCompactProtocol *)p)->lim;
}

static ThriftProtocolClass *parent_of(ThriftProtocol *p) {
  return THRIFT_PROTOCOL_CLASS(is_binary(p) ? hub_binary_protocol_parent_class
                                            : hub_compact_protocol_parent_class);
}

static gint32 limit_error(GError **error, int code, const char *what, guint64 got, guint64 max) {
  g_set_error(error, THRIFT_PROTOCOL_ERROR, code,
              "%s %" G_GUINT64_FORMAT " over the limit %" G_GUINT64_FORMAT, what, got, max);
  return -1;
}

static gint32 enter(ThriftProtocol *p, GError **error) {
  Limits *l = limits_of(p);
  if (++l->depth > l->max_depth)
    return limit_error(error, THRIFT_PROTOCOL_ERROR_DEPTH_LIMIT, "nesting depth", l->depth,
                       l->max_depth);
  return 0;
}

static void leave(ThriftProtocol *p) { limits_of(p)->depth--; }

/* After a container header was read: its size within the limit, one level deeper. */
static gint32 opened(ThriftProtocol *p, gint32 ret, const guint32 *size, GError **error) {
  if (ret < 0) return ret;
  if (*size > limits_of(p)->max_container)
    return limit_error(error, THRIFT_PROTOCOL_ERROR_SIZE_LIMIT, "container size", *size,
                       limits_of(p)->max_container);
  return enter(p, error) < 0 ? -1 : ret;
}

static gint32 read_message_begin(ThriftProtocol *p, gchar **name, ThriftMessageType *type,
                                 gint32 *seqid, GError **error) {
  limits_of(p)->depth = 0;
  return parent_of(p)->read_message_begin(p, name, type, seqid, error);
}

static gint32 read_struct_begin(ThriftProtocol *p, gchar **name, GError **error) {
  return enter(p, error) < 0 ? -1 : parent_of(p)->read_struct_begin(p, name, error);
}

static gint32 read_struct_end(ThriftProtocol *p, GError **error) {
  leave(p);
  return parent_of(p)->read_struct_end(p, error);
}

static gint32 read_list_begin(ThriftProtocol *p, ThriftType *type, guint32 *size, GError **error) {
  return opened(p, parent_of(p)->read_list_begin(p, type, size, error), size, error);
}

static gint32 read_list_end(ThriftProtocol *p, GError **error) {
  leave(p);
  return parent_of(p)->read_list_end(p, error);
}

static gint32 read_set_begin(ThriftProtocol *p, ThriftType *type, guint32 *size, GError **error) {
  return opened(p, parent_of(p)->read_set_begin(p, type, size, error), size, error);
}

static gint32 read_set_end(ThriftProtocol *p, GError **error) {
  leave(p);
  return parent_of(p)->read_set_end(p, error);
}

static gint32 read_map_begin(ThriftProtocol *p, ThriftType *key, ThriftType *value, guint32 *size,
                             GError **error) {
  return opened(p, parent_of(p)->read_map_begin(p, key, value, size, error), size, error);
}

static gint32 read_map_end(ThriftProtocol *p, GError **error) {
  leave(p);
  return parent_of(p)->read_map_end(p, error);
}

/* Compact checks string_limit before allocating; this second check keeps the
   two protocols' limits identical. */
static gint32 read_string(ThriftProtocol *p, gchar **str, GError **error) {
  gint32 ret = parent_of(p)->read_string(p, str, error);
  gsize len = ret >= 0 && *str != NULL ? strlen(*str) : 0;
  if (len > limits_of(p)->max_string) {
    g_clear_pointer(str, g_free);
    return limit_error(error, THRIFT_PROTOCOL_ERROR_SIZE_LIMIT, "string length", len,
                       limits_of(p)->max_string);
  }
  return ret;
}

static gint32 read_binary(ThriftProtocol *p, gpointer *buf, guint32 *len, GError **error) {
  gint32 ret = parent_of(p)->read_binary(p, buf, len, error);
  if (ret >= 0 && *len > limits_of(p)->max_string) {
    g_clear_pointer(buf, g_free);
    return limit_error(error, THRIFT_PROTOCOL_ERROR_SIZE_LIMIT, "binary length", *len,
                       limits_of(p)->max_string);
  }
  return ret;
}

/* c_glib 0.17's binary read_string / read_binary allocate the declared length
   before reading a byte of it (2 GiB for a forged length): the binary class
   checks the length against the limit and the bytes left in the message first. */
static gint32 binary_read_length(ThriftProtocol *p, gint32 *len, GError **error) {
  gint32 ret = thrift_protocol_read_i32(p, len, error);
  if (ret < 0) return ret;
  if (*len < 0) {
    g_set_error(error, THRIFT_PROTOCOL_ERROR, THRIFT_PROTOCOL_ERROR_NEGATIVE_SIZE,
                "negative length %d", *len);
    return -1;
  }
  if ((guint32)*len > limits_of(p)->max_string)
    return limit_error(error, THRIFT_PROTOCOL_ERROR_SIZE_LIMIT, "string length", (guint32)*len,
                       limits_of(p)->max_string);
  ThriftTransport *t = p->transport;
  return THRIFT_TRANSPORT_GET_CLASS(t)->checkReadBytesAvailable(t, *len, error) ? ret : -1;
}

static gint32 binary_read_string(ThriftProtocol *p, gchar **str, GError **error) {
  gint32 len;
  gint32 ret = binary_read_length(p, &len, error);
  *str = NULL;
  if (ret < 0) return -1;
  *str = g_malloc((gsize)len + 1);
  if (len > 0 && thrift_transport_read_all(p->transport, *str, (guint32)len, error) < 0) {
    g_clear_pointer(str, g_free);
    return -1;
  }
  (*str)[len] = '\0';
  return ret + len;
}

static gint32 binary_read_binary(ThriftProtocol *p, gpointer *buf, guint32 *len, GError **error) {
  gint32 n;
  gint32 ret = binary_read_length(p, &n, error);
  *buf = NULL;
  *len = 0;
  if (ret < 0) return -1;
  if (n == 0) return ret;
  *buf = g_malloc((gsize)n);
  if (thrift_transport_read_all(p->transport, *buf, (guint32)n, error) < 0) {
    g_clear_pointer(buf, g_free);
    return -1;
  }
  *len = (guint32)n;
  return ret + n;
}

static void install_limits(ThriftProtocolClass *cls) {
  cls->read_message_begin = read_message_begin;
  cls->read_struct_begin = read_struct_begin;
  cls->read_struct_end = read_struct_end;
  cls->read_list_begin = read_list_begin;
  cls->read_list_end = read_list_end;
  cls->read_set_begin = read_set_begin;
  cls->read_set_end = read_set_end;
  cls->read_map_begin = read_map_begin;
  cls->read_map_end = read_map_end;
  cls->read_string = read_string;
  cls->read_binary = read_binary;
}

static void hub_binary_protocol_class_init(HubBinaryProtocolClass *klass) {
  ThriftProtocolClass *cls = THRIFT_PROTOCOL_CLASS(klass);
  install_limits(cls);
  cls->read_string = binary_read_string;
  cls->read_binary = binary_read_binary;
}

static void hub_binary_protocol_init(HubBinaryProtocol *self) {}

static void hub_compact_protocol_class_init(HubCompactProtocolClass *klass) {
  install_limits(THRIFT_PROTOCOL_CLASS(klass));
}

static void hub_compact_protocol_init(HubCompactProtocol *self) {}

/* ---- request in memory ---- */

typedef struct {
  ThriftTransport parent;
  const guint8 *in;
  gsize in_len, in_pos;
  GByteArray *out; /* borrowed */
} HubSliceTransport;
typedef struct {
  ThriftTransportClass parent;
} HubSliceTransportClass;

G_DEFINE_TYPE(HubSliceTransport, hub_slice_transport, THRIFT_TYPE_TRANSPORT)

#define SLICE(t) ((HubSliceTransport *)(t))

static gint32 slice_read(ThriftTransport *t, gpointer buf, guint32 len, GError **error) {
  HubSliceTransport *s = SLICE(t);
  gsize n = MIN((gsize)len, s->in_len - s->in_pos);
  if (n == 0 && len > 0) {
    g_set_error(error, THRIFT_TRANSPORT_ERROR, THRIFT_TRANSPORT_ERROR_RECEIVE,
                "the request ends in the middle of a message");
    return -1;
  }
  memcpy(buf, s->in + s->in_pos, n);
  s->in_pos += n;
  return (gint32)n;
}

/* A declared size (string, container) must fit in what is left of the request. */
static gboolean slice_check_available(ThriftTransport *t, glong n, GError **error) {
  HubSliceTransport *s = SLICE(t);
  if (n >= 0 && (gsize)n <= s->in_len - s->in_pos) return TRUE;
  g_set_error(error, THRIFT_TRANSPORT_ERROR, THRIFT_TRANSPORT_ERROR_MAX_MESSAGE_SIZE_REACHED,
              "a size of %ld bytes goes past the end of the request", n);
  return FALSE;
}

static gboolean slice_write(ThriftTransport *t, const gpointer buf, const guint32 len,
                            GError **error) {
  g_byte_array_append(SLICE(t)->out, buf, len);
  return TRUE;
}

static gboolean slice_peek(ThriftTransport *t, GError **error) {
  return SLICE(t)->in_pos < SLICE(t)->in_len;
}

static gboolean slice_true(ThriftTransport *t, GError **error) { return TRUE; }

static gboolean slice_is_open(ThriftTransport *t) { return TRUE; }

static void hub_slice_transport_class_init(HubSliceTransportClass *klass) {
  ThriftTransportClass *tc = THRIFT_TRANSPORT_CLASS(klass);
  tc->is_open = slice_is_open;
  tc->peek = slice_peek;
  tc->open = slice_true;
  tc->close = slice_true;
  tc->read = slice_read;
  tc->read_end = slice_true;
  tc->write = slice_write;
  tc->write_end = slice_true;
  tc->flush = slice_true;
  tc->checkReadBytesAvailable = slice_check_available;
}

static void hub_slice_transport_init(HubSliceTransport *self) {}

/* ---- HubRpc ---- */

HubRpc *hub_rpc_new(Hub *hub, const HubConfig *cfg) {
  static gint serials;
  HubRpc *rpc = g_new0(HubRpc, 1);
  rpc->serial = (guint)g_atomic_int_add(&serials, 1) + 1;
  rpc->hub = hub;
  g_autoptr(GObject) handler = hub_handler_new(hub); /* one serves all connections */
  rpc->processor = g_object_new(TG_TYPE_TOLLGATE_PROCESSOR, "handler", handler, NULL);
  rpc->conf = g_object_new(THRIFT_TYPE_CONFIGURATION, "max_message_size",
                           (int)cfg->max_message_size, "max_frame_size", (int)cfg->max_message_size,
                           "recursion_limit", cfg->recursion_limit, NULL);
  rpc->limits = (Limits){.max_depth = cfg->recursion_limit,
                         .max_container = (guint32)cfg->max_container_size,
                         .max_string = (guint32)cfg->max_string_size};
  return rpc;
}

TgThriftScanLimits hub_rpc_scan_limits(const HubConfig *cfg) {
  return (TgThriftScanLimits){.max_message = (guint32)MIN(cfg->max_message_size, G_MAXINT32),
                              .max_string = (guint32)cfg->max_string_size,
                              .max_container = (guint32)cfg->max_container_size,
                              .max_depth = (guint32)cfg->recursion_limit,
                              .refuse_nul = TRUE};
}

Hub *hub_rpc_hub(HubRpc *rpc) { return rpc->hub; }

void hub_rpc_free(HubRpc *rpc) {
  if (rpc == NULL) return;
  g_object_unref(rpc->processor);
  g_object_unref(rpc->conf);
  g_free(rpc);
}

static ThriftProtocol *hub_rpc_protocol_new(HubRpc *rpc, ThriftTransport *transport,
                                            HubRpcProtocol kind) {
  ThriftProtocol *p;
  if (kind == HUB_RPC_COMPACT)
    p = g_object_new(hub_compact_protocol_get_type(), "transport", transport, "string_limit",
                     (gint32)rpc->limits.max_string, "container_limit",
                     (gint32)rpc->limits.max_container, NULL);
  else
    p = g_object_new(hub_binary_protocol_get_type(), "transport", transport, NULL);
  *limits_of(p) = rpc->limits;
  return p;
}

/* A method of our service or of the WSO2 one it extends. */
static gboolean known_method(HubRpc *rpc, const char *name) {
  TgAPIKeyValidationServiceProcessor *wso2 =
      TG_A_P_I_KEY_VALIDATION_SERVICE_PROCESSOR(rpc->processor);
  return g_hash_table_contains(rpc->processor->process_map, name) ||
         g_hash_table_contains(wso2->process_map, name);
}

/* The generated readers end a struct that lacks a required field with this error, once the
   whole struct has been read: the stream is still in step and the call can be answered. */
static gboolean is_missing_field(const GError *error) {
  return error != NULL &&
         g_error_matches(error, THRIFT_PROTOCOL_ERROR, THRIFT_PROTOCOL_ERROR_INVALID_DATA) &&
         strcmp(error->message, "missing field") == 0;
}

/* Ends an answer: the message end, then the transport's. */
static gboolean answer_end(ThriftProtocol *out, GError **error) {
  return thrift_protocol_write_message_end(out, error) >= 0 &&
         thrift_transport_write_end(out->transport, error) &&
         thrift_transport_flush(out->transport, error);
}

static gboolean answer_application_exception(ThriftProtocol *out, const char *method, gint32 seqid,
                                             int type, const char *message, GError **error) {
  g_autoptr(GObject) x =
      g_object_new(THRIFT_TYPE_APPLICATION_EXCEPTION, "type", type, "message", message, NULL);
  return thrift_protocol_write_message_begin(out, method, T_EXCEPTION, seqid, error) >= 0 &&
         thrift_struct_write(THRIFT_STRUCT(x), out, error) >= 0 && answer_end(out, error);
}

/* Answers method's call with TApplicationException PROTOCOL_ERROR, as Thrift's Java
   processors (WSO2's) do for arguments that lack a required field. */
static gboolean answer_protocol_error(ThriftProtocol *in, ThriftProtocol *out, const char *method,
                                      gint32 seqid, GError **error) {
  g_autofree char *message = g_strdup_printf("%s: a required argument is missing", method);
  return thrift_protocol_read_message_end(in, error) >= 0 &&
         answer_application_exception(
             out, method, seqid, THRIFT_APPLICATION_EXCEPTION_ERROR_PROTOCOL_ERROR, message, error);
}

/*
 * validateKey, the call gateways make most, answered as the generated processor answers
 * it (same reply, same exceptions) but with the arguments' fields read in place: the
 * generated code copies each one out through a GObject property and finds the transports
 * by property, about a tenth of a cached validation's time.
 */
static gboolean process_validate_key(HubRpc *rpc, ThriftProtocol *in, ThriftProtocol *out,
                                     gint32 seqid, GError **error) {
  g_autoptr(GObject) args =
      g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_SERVICE_VALIDATE_KEY_ARGS, NULL);
  TgAPIKeyValidationServiceValidateKeyArgs *a = (TgAPIKeyValidationServiceValidateKeyArgs *)args;
  if (thrift_struct_read(THRIFT_STRUCT(a), in, error) < 0 ||
      thrift_protocol_read_message_end(in, error) < 0 ||
      !thrift_transport_read_end(in->transport, error))
    return FALSE;
  g_autoptr(GObject) result =
      g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_SERVICE_VALIDATE_KEY_RESULT, NULL);
  TgAPIKeyValidationServiceValidateKeyResult *r =
      (TgAPIKeyValidationServiceValidateKeyResult *)result;
  TgAPIKeyValidationServiceIf *handler = TG_A_P_I_KEY_VALIDATION_SERVICE_IF(
      TG_A_P_I_KEY_VALIDATION_SERVICE_PROCESSOR(rpc->processor)->handler);
  g_autoptr(GError) failure = NULL;
  if (tg_a_p_i_key_validation_service_handler_validate_key(
          handler, &r->success, a->context, a->version, a->accessToken, a->sessionId,
          a->requiredAuthenticationLevel, a->clientDomain, a->matchingResource, a->httpVerb,
          &r->api_key_mgt_exception, &r->api_mgt_exception, &failure))
    r->__isset_success = TRUE;
  else if (r->api_key_mgt_exception != NULL)
    r->__isset_api_key_mgt_exception = TRUE;
  else if (r->api_mgt_exception != NULL)
    r->__isset_api_mgt_exception = TRUE;
  else
    return answer_application_exception(
        out, "validateKey", seqid,
        failure ? failure->code : THRIFT_APPLICATION_EXCEPTION_ERROR_UNKNOWN,
        failure ? failure->message : "validateKey failed", error);
  return thrift_protocol_write_message_begin(out, "validateKey", T_REPLY, seqid, error) >= 0 &&
         thrift_struct_write(THRIFT_STRUCT(r), out, error) >= 0 && answer_end(out, error);
}

/*
 * thrift_dispatch_processor_process, with one change: c_glib's generated
 * processor of a service that extends another finds its parent class from
 * the instance, so for an unknown method the parent's dispatch_call calls
 * itself for ever (a thread at 100% CPU per call). Unknown methods go
 * straight to ThriftDispatchProcessor's default, which skips the arguments
 * and answers TApplicationException UNKNOWN_METHOD.
 */
static gboolean hub_rpc_process(HubRpc *rpc, ThriftProtocol *in, ThriftProtocol *out,
                                GError **error) {
  gchar *name = NULL;
  ThriftMessageType type;
  gint32 seqid;
  if (thrift_protocol_read_message_begin(in, &name, &type, &seqid, error) < 0) return FALSE;
  if (type != T_CALL && type != T_ONEWAY) {
    g_set_error(error, THRIFT_PROTOCOL_ERROR, THRIFT_PROTOCOL_ERROR_INVALID_DATA,
                "message type %d is not a call", type);
    g_free(name);
    return FALSE;
  }
  g_autofree char *method = g_strdup(name);
  GError *local = NULL;
  if (type == T_CALL && strcmp(name, "validateKey") == 0) {
    g_free(name);
    if (process_validate_key(rpc, in, out, seqid, &local)) return TRUE;
  } else {
    ThriftDispatchProcessorClass *cls = known_method(rpc, name)
                                            ? THRIFT_DISPATCH_PROCESSOR_GET_CLASS(rpc->processor)
                                            : g_type_class_peek(THRIFT_TYPE_DISPATCH_PROCESSOR);
    /* dispatch_call owns name */
    if (cls->dispatch_call(THRIFT_DISPATCH_PROCESSOR(rpc->processor), in, out, name, seqid, &local))
      return TRUE;
  }
  if (type == T_CALL && is_missing_field(local)) {
    g_clear_error(&local);
    return answer_protocol_error(in, out, method, seqid, error);
  }
  g_propagate_error(error, local);
  return FALSE;
}

/* The memory transport and the protocols over it, made once per thread and HubRpc: a
   call from memory then allocates only what the call itself needs. */
typedef struct {
  guint serial;
  HubSliceTransport *transport;
  ThriftProtocol *protocols[2][2]; /* [HubRpcProtocol][0 in, 1 out] */
} SliceSet;

static void slice_set_free(gpointer data) {
  SliceSet *set = data;
  for (int k = 0; k < 2; k++)
    for (int d = 0; d < 2; d++) g_object_unref(set->protocols[k][d]);
  g_object_unref(set->transport);
  g_free(set);
}

static GPrivate slice_sets = G_PRIVATE_INIT(slice_set_free);

static SliceSet *slice_set_for(HubRpc *rpc) {
  SliceSet *set = g_private_get(&slice_sets);
  if (set != NULL && set->serial == rpc->serial) return set;
  set = g_new0(SliceSet, 1);
  set->serial = rpc->serial;
  /* ThriftTransport's finalize drops a configuration reference it never took. */
  set->transport =
      g_object_new(hub_slice_transport_get_type(), "configuration", g_object_ref(rpc->conf), NULL);
  for (int k = 0; k < 2; k++)
    for (int d = 0; d < 2; d++)
      set->protocols[k][d] = hub_rpc_protocol_new(rpc, THRIFT_TRANSPORT(set->transport), k);
  g_private_replace(&slice_sets, set);
  return set;
}

gboolean hub_rpc_answer_refused(HubRpc *rpc, HubRpcProtocol kind, const TgThriftScan *scan,
                                GByteArray *response, GError **error) {
  if (scan->type == T_ONEWAY) return TRUE;
  if (scan->type != T_CALL) {
    g_set_error(error, THRIFT_PROTOCOL_ERROR, THRIFT_PROTOCOL_ERROR_INVALID_DATA,
                "message type %d is not a call", scan->type);
    return FALSE;
  }
  SliceSet *set = slice_set_for(rpc);
  g_autofree char *method = g_strndup((const char *)scan->name, scan->name_len);
  g_autofree char *message = strstr(scan->error, "max_string_size")
                                 ? g_strdup_printf(TG_THRIFT_LIMIT_ANSWER "%s (%u bytes)",
                                                   scan->error, rpc->limits.max_string)
                                 : g_strdup_printf(TG_THRIFT_LIMIT_ANSWER "%s", scan->error);
  set->transport->out = response;
  gboolean ok = answer_application_exception(set->protocols[kind][1], method, scan->seqid,
                                             THRIFT_APPLICATION_EXCEPTION_ERROR_PROTOCOL_ERROR,
                                             message, error);
  set->transport->out = NULL;
  if (!ok) g_private_replace(&slice_sets, NULL);
  return ok;
}

/* HubDtoEncoder: the DTO in the binary protocol, through this thread's protocol. */
static GBytes *encode_dto_binary(TgAPIKeyValidationInfoDTO *dto, gpointer data) {
  SliceSet *set = slice_set_for(data);
  GByteArray *bytes = g_byte_array_sized_new(512);
  set->transport->out = bytes;
  gboolean ok =
      thrift_struct_write(THRIFT_STRUCT(dto), set->protocols[HUB_RPC_BINARY][1], NULL) >= 0;
  set->transport->out = NULL;
  if (ok) return g_byte_array_free_to_bytes(bytes);
  g_byte_array_unref(bytes);
  return NULL;
}

/*
 * validateKey answered from the validation cache without c_glib's objects (args, result,
 * DTO, about two thirds of a cached call's own time): the arguments read in place, the
 * DTO's encoding kept with the cache entry. FALSE when the call is anything else (another
 * method, the compact protocol, a cache miss, a refused session...): the full path runs.
 */
static gboolean process_cached_validate_key(HubRpc *rpc, HubRpcProtocol kind, const guint8 *request,
                                            gsize len, GByteArray *response) {
  g_auto(ValidateKeyCall) call = {0};
  if (kind != HUB_RPC_BINARY || !validate_key_call_read(request, len, &call)) return FALSE;
  gint64 start = g_get_monotonic_time();
  g_autoptr(GBytes) dto =
      hub_validate_cached(rpc->hub, call.context, call.version, call.token, call.session,
                          call.client_domain, call.resource, call.verb, encode_dto_binary, rpc);
  if (dto == NULL) return FALSE;
  validate_key_reply_write(response, call.seqid, dto);
  hub_count_call(rpc->hub, "validateKey", start, TRUE);
  return TRUE;
}

gboolean hub_rpc_process_buffer(HubRpc *rpc, HubRpcProtocol kind, const guint8 *request, gsize len,
                                GByteArray *response, GError **error) {
  if (process_cached_validate_key(rpc, kind, request, len, response)) return TRUE;
  SliceSet *set = slice_set_for(rpc);
  HubSliceTransport *t = set->transport;
  t->in = request;
  t->in_len = len;
  t->in_pos = 0;
  t->out = response;
  gboolean ok = hub_rpc_process(rpc, set->protocols[kind][0], set->protocols[kind][1], error);
  t->in = NULL;
  t->out = NULL;
  if (!ok) /* a protocol may be left inside a message: the next call gets new ones */
    g_private_replace(&slice_sets, NULL);
  return ok;
}
