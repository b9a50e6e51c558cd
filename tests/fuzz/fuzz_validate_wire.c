/*
 * fuzz_validate_wire: the hub's in-place validateKey reader
 * (keyvalidator/validate_wire.c) on arbitrary bytes. A message it takes is
 * read the same by c_glib's generated reader (the hub's other path), encoded
 * again it reads back to the same call, and a reply written for it frames the
 * DTO bytes exactly.
 */
#include "config.h"

#include <string.h>

#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/transport/thrift_memory_buffer.h>

#include "tg_thrift_setup.h"
#include "tg_wso2_types.h"
#include "validate_wire.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static void put_u32(GByteArray *b, guint32 v) {
  guint8 x[4] = {v >> 24, v >> 16, v >> 8, v};
  g_byte_array_append(b, x, 4);
}

static void put_string_field(GByteArray *b, gint16 id, const char *s) {
  guint8 head[3] = {11, (guint8)(id >> 8), (guint8)id};
  g_byte_array_append(b, head, 3);
  put_u32(b, (guint32)strlen(s));
  g_byte_array_append(b, (const guint8 *)s, (guint)strlen(s));
}

static const char *const *fields(const ValidateKeyCall *c, const char *out[8]) {
  const char *f[8] = {c->context,    c->version,       c->token,    c->session,
                      c->auth_level, c->client_domain, c->resource, c->verb};
  memcpy(out, f, sizeof f);
  return out;
}

/* The call as a strict binary message again, fields in id order. */
static GByteArray *encode(const ValidateKeyCall *c) {
  GByteArray *b = g_byte_array_new();
  const char *f[8];
  fields(c, f);
  put_u32(b, 0x80010001u);
  put_u32(b, 11);
  g_byte_array_append(b, (const guint8 *)"validateKey", 11);
  put_u32(b, (guint32)c->seqid);
  for (gint16 id = 1; id <= 8; id++)
    if (f[id - 1] != NULL) put_string_field(b, id, f[id - 1]);
  guint8 stop = 0;
  g_byte_array_append(b, &stop, 1);
  return b;
}

static void check_reply(gint32 seqid, const guint8 *dto, gsize len) {
  g_autoptr(GBytes) bytes = g_bytes_new(dto, len);
  g_autoptr(GByteArray) out = g_byte_array_new();
  validate_key_reply_write(out, seqid, bytes);
  /* version|reply, name, seqid, struct field 0, DTO, stop */
  g_assert_cmpuint(out->len, ==, 4 + 4 + 11 + 4 + 3 + len + 1);
  g_assert_cmpmem(out->data + 8, 11, "validateKey", 11);
  g_assert_cmpmem(out->data + 26, len, dto, len);
  g_assert_cmpuint(out->data[out->len - 1], ==, 0);
}

/* c_glib's reading side, made once: ThriftMemoryBuffer's finalize does not chain up
   to GObject's (thrift 0.17), so each one freed leaks GObject's qdata (32 bytes). */
typedef struct {
  GByteArray *bytes;
  ThriftProtocol *proto;
} Reader;

static Reader *c_glib_reader(void) {
  static Reader r;
  static gsize once;
  if (g_once_init_enter(&once)) {
    tg_thrift_types_ensure();
    r.bytes = g_byte_array_new();
    ThriftTransport *t = g_object_new(THRIFT_TYPE_MEMORY_BUFFER, "buf", r.bytes, "owner", FALSE,
                                      "buf_size", 1u << 20, NULL);
    r.proto = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", t, NULL);
    g_once_init_leave(&once, 1);
  }
  return &r;
}

/* The same message through c_glib: the generated args struct from a memory buffer. */
static void check_c_glib_agrees(const guint8 *data, gsize size, const ValidateKeyCall *call) {
  Reader *r = c_glib_reader();
  g_byte_array_set_size(r->bytes, 0);
  g_byte_array_append(r->bytes, data, (guint)size);
  ThriftProtocol *p = r->proto;
  GByteArray *bytes = r->bytes;
  TgAPIKeyValidationServiceValidateKeyArgs *args =
      g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_SERVICE_VALIDATE_KEY_ARGS, NULL);
  g_autofree char *name = NULL;
  ThriftMessageType type;
  gint32 seqid = -1;
  g_autoptr(GError) error = NULL;
  g_assert_cmpint(thrift_protocol_read_message_begin(p, &name, &type, &seqid, &error), >, 0);
  g_assert_no_error(error);
  g_assert_cmpstr(name, ==, "validateKey");
  g_assert_cmpint(type, ==, T_CALL);
  g_assert_cmpint(seqid, ==, call->seqid);
  g_assert_cmpint(thrift_struct_read(THRIFT_STRUCT(args), p, &error), >, 0);
  g_assert_no_error(error);
  g_assert_cmpstr(args->context, ==, call->context);
  g_assert_cmpstr(args->version, ==, call->version);
  g_assert_cmpstr(args->accessToken, ==, call->token);
  g_assert_cmpstr(args->sessionId, ==, call->session);
  g_assert_cmpstr(args->requiredAuthenticationLevel, ==, call->auth_level);
  if (call->client_domain != NULL)
    g_assert_cmpstr(args->clientDomain, ==, call->client_domain);
  else
    g_assert_false(args->__isset_clientDomain);
  g_assert_cmpstr(args->matchingResource, ==, call->resource);
  g_assert_cmpstr(args->httpVerb, ==, call->verb);
  g_assert_cmpuint(bytes->len, ==, 0); /* c_glib used every byte, as the reader did */
  g_object_unref(args);
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size) {
  g_auto(ValidateKeyCall) call;
  if (!validate_key_call_read(data, size, &call)) {
    g_assert_null(call.block);
    return 0;
  }
  const char *first[8], *again_f[8];
  fields(&call, first);
  for (int i = 0; i < 8; i++)
    g_assert_true(first[i] != NULL || i == 5); /* only clientDomain (6) is optional */
  check_c_glib_agrees(data, size, &call);
  g_autoptr(GByteArray) enc = encode(&call);
  g_auto(ValidateKeyCall) again;
  g_assert_true(validate_key_call_read(enc->data, enc->len, &again));
  g_assert_cmpint(again.seqid, ==, call.seqid);
  fields(&again, again_f);
  for (int i = 0; i < 8; i++) g_assert_cmpstr(again_f[i], ==, first[i]);
  /* the message minus its last byte (the stop) is never a call */
  g_auto(ValidateKeyCall) cut;
  g_assert_false(validate_key_call_read(data, size - 1, &cut));
  check_reply(call.seqid, data, MIN(size, 64));
  return 0;
}
