/*
 * tg_limited_protocol.c: c_glib's binary protocol with the hub's limits checked on write
 * (tg_limited_protocol.h). The last field begun names the value in the error, so a user
 * learns which input was too long. c_glib strings are C strings: only a binary can hold a
 * NUL byte.
 */
#include "tg_limited_protocol.h"

#include <string.h>

#include <thrift/c_glib/thrift_application_exception.h>

#include "tg_socket_transport.h"

G_DEFINE_QUARK(tg - thrift - limit - error - quark, tg_thrift_limit_error)

typedef struct {
  ThriftBinaryProtocol parent;
  TgThriftScanLimits limits;
  const char *field;    /* the last field begun (the generated code's static name) */
  guint64 string_bytes; /* of the message being written */
  gboolean in_string;   /* write_string is writing its bytes as a binary */
} TgLimitedProtocol;

typedef struct {
  ThriftBinaryProtocolClass parent;
} TgLimitedProtocolClass;

G_DEFINE_TYPE(TgLimitedProtocol, tg_limited_protocol, THRIFT_TYPE_BINARY_PROTOCOL)

#define PARENT THRIFT_PROTOCOL_CLASS(tg_limited_protocol_parent_class)

/* Refuses the call: its bytes so far are taken back (or, if some were sent, the
   connection is closed: the next call reconnects). */
static gint32 refuse(ThriftProtocol *p, GError **error, int code, const char *format, ...)
    G_GNUC_PRINTF(4, 5);

static gint32 refuse(ThriftProtocol *p, GError **error, int code, const char *format, ...) {
  TgLimitedProtocol *self = (TgLimitedProtocol *)p;
  va_list args;
  va_start(args, format);
  g_autofree char *why = g_strdup_vprintf(format, args);
  va_end(args);
  g_set_error(error, TG_THRIFT_LIMIT_ERROR, code, "%s%s%s", self->field ? self->field : "",
              self->field ? ": " : "", why);
  if (TG_IS_SOCKET_TRANSPORT(p->transport) &&
      !tg_socket_transport_drop_unsent(TG_SOCKET_TRANSPORT(p->transport)))
    thrift_transport_close(p->transport, NULL);
  return -1;
}

static gint32 check_bytes(ThriftProtocol *p, const void *buf, guint32 len, gboolean binary,
                          GError **error) {
  TgLimitedProtocol *self = (TgLimitedProtocol *)p;
  if (len > self->limits.max_string)
    return refuse(p, error, TG_THRIFT_LIMIT_ERROR_STRING,
                  "%u bytes, over the hub's limit of %u bytes in one value", len,
                  self->limits.max_string);
  if (binary && self->limits.refuse_nul && len > 0 && memchr(buf, 0, len) != NULL)
    return refuse(p, error, TG_THRIFT_LIMIT_ERROR_NUL, "a NUL byte, which the hub refuses");
  self->string_bytes += (guint64)len + 4;
  if (self->string_bytes > self->limits.max_message)
    return refuse(p, error, TG_THRIFT_LIMIT_ERROR_MESSAGE,
                  "the request is over the hub's limit of %u bytes in one call",
                  self->limits.max_message);
  return 0;
}

static gint32 write_message_begin(ThriftProtocol *p, const gchar *name, ThriftMessageType type,
                                  gint32 seqid, GError **error) {
  TgLimitedProtocol *self = (TgLimitedProtocol *)p;
  self->field = NULL;
  self->string_bytes = 0;
  self->in_string = FALSE;
  return PARENT->write_message_begin(p, name, type, seqid, error);
}

static gint32 write_field_begin(ThriftProtocol *p, const gchar *name, ThriftType type, gint16 id,
                                GError **error) {
  ((TgLimitedProtocol *)p)->field = name;
  return PARENT->write_field_begin(p, name, type, id, error);
}

static gint32 write_string(ThriftProtocol *p, const gchar *str, GError **error) {
  TgLimitedProtocol *self = (TgLimitedProtocol *)p;
  gsize len = str ? strlen(str) : 0;
  /* past 4 GiB: G_MAXUINT32, over any max_string */
  if (check_bytes(p, str, (guint32)MIN(len, G_MAXUINT32), FALSE, error) < 0) return -1;
  self->in_string = TRUE;
  gint32 ret = PARENT->write_string(p, str, error);
  self->in_string = FALSE;
  return ret;
}

static gint32 write_binary(ThriftProtocol *p, const gpointer buf, const guint32 len,
                           GError **error) {
  if (!((TgLimitedProtocol *)p)->in_string && check_bytes(p, buf, len, TRUE, error) < 0) return -1;
  return PARENT->write_binary(p, buf, len, error);
}

static gint32 check_container(ThriftProtocol *p, guint32 size, GError **error) {
  TgLimitedProtocol *self = (TgLimitedProtocol *)p;
  if (size <= self->limits.max_container) return 0;
  return refuse(p, error, TG_THRIFT_LIMIT_ERROR_CONTAINER,
                "%u elements, over the hub's limit of %u in one list", size,
                self->limits.max_container);
}

static gint32 write_list_begin(ThriftProtocol *p, const ThriftType type, const guint32 size,
                               GError **error) {
  if (check_container(p, size, error) < 0) return -1;
  return PARENT->write_list_begin(p, type, size, error);
}

static gint32 write_set_begin(ThriftProtocol *p, const ThriftType type, const guint32 size,
                              GError **error) {
  if (check_container(p, size, error) < 0) return -1;
  return PARENT->write_set_begin(p, type, size, error);
}

static gint32 write_map_begin(ThriftProtocol *p, const ThriftType key, const ThriftType value,
                              const guint32 size, GError **error) {
  if (check_container(p, size, error) < 0) return -1;
  return PARENT->write_map_begin(p, key, value, size, error);
}

static void tg_limited_protocol_class_init(TgLimitedProtocolClass *klass) {
  ThriftProtocolClass *cls = THRIFT_PROTOCOL_CLASS(klass);
  cls->write_message_begin = write_message_begin;
  cls->write_field_begin = write_field_begin;
  cls->write_string = write_string;
  cls->write_binary = write_binary;
  cls->write_list_begin = write_list_begin;
  cls->write_set_begin = write_set_begin;
  cls->write_map_begin = write_map_begin;
}

static void tg_limited_protocol_init(TgLimitedProtocol *self) {
  self->limits = tg_thrift_scan_default_limits();
}

ThriftProtocol *tg_limited_protocol_new(ThriftTransport *transport,
                                        const TgThriftScanLimits *limits) {
  TgLimitedProtocol *p = g_object_new(TG_TYPE_LIMITED_PROTOCOL, "transport", transport, NULL);
  if (limits) p->limits = *limits;
  return THRIFT_PROTOCOL(p);
}

gboolean tg_thrift_limit_error_is(const GError *error) {
  if (error == NULL) return FALSE;
  if (error->domain == TG_THRIFT_LIMIT_ERROR) return TRUE;
  return error->domain == THRIFT_APPLICATION_EXCEPTION_ERROR &&
         error->code == THRIFT_APPLICATION_EXCEPTION_ERROR_PROTOCOL_ERROR &&
         strstr(error->message, TG_THRIFT_LIMIT_ANSWER) != NULL; /* "application error: ..." */
}
