/*
 * test_validate_wire: the hub's in-place reader of validateKey calls and its reply writer
 * (keyvalidator/net/validate_wire.c), against c_glib's own encoder and decoder; every call
 * the reader is not sure of is declined. Details: docs/HACKING.md.
 */
#include "config.h"

#include <string.h>

#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/transport/thrift_memory_buffer.h>

#include "tg_a_p_i_key_validation_service.h"
#include "validate_wire.h"

typedef struct {
  GByteArray *out, *in;
  ThriftProtocol *out_proto, *in_proto;
  TgAPIKeyValidationServiceClient *client;
} Wire;

static ThriftProtocol *memory_protocol(GByteArray *bytes) {
  ThriftTransport *t = g_object_new(THRIFT_TYPE_MEMORY_BUFFER, "buf", bytes, "owner", FALSE, NULL);
  ThriftProtocol *p = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", t, NULL);
  g_object_unref(t);
  return p;
}

static void wire_init(Wire *w) {
  w->out = g_byte_array_new();
  w->in = g_byte_array_new();
  w->out_proto = memory_protocol(w->out);
  w->in_proto = memory_protocol(w->in);
  w->client = g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_SERVICE_CLIENT, "input_protocol",
                           w->in_proto, "output_protocol", w->out_proto, NULL);
}

static void wire_clear(Wire *w) {
  g_object_unref(w->client);
  g_object_unref(w->in_proto);
  g_object_unref(w->out_proto);
  g_byte_array_unref(w->out);
  g_byte_array_unref(w->in);
}

/* ---- hand-made messages ---- */

static void put_u32(GByteArray *b, guint32 v) {
  guint8 x[4] = {v >> 24, v >> 16, v >> 8, v};
  g_byte_array_append(b, x, 4);
}

static void put_string(GByteArray *b, const char *s) {
  put_u32(b, (guint32)strlen(s));
  g_byte_array_append(b, (const guint8 *)s, (guint)strlen(s));
}

static void put_field(GByteArray *b, guint8 type, gint16 id) {
  guint8 x[3] = {type, (guint8)(id >> 8), (guint8)id};
  g_byte_array_append(b, x, 3);
}

static void put_header(GByteArray *b, guint32 type, const char *method, guint32 seqid) {
  put_u32(b, 0x80010000u | type);
  put_string(b, method);
  put_u32(b, seqid);
}

/* A validateKey call with string fields 1..8, skipping field `skip` (0: none). */
static GByteArray *call_without(int skip) {
  static const char *values[] = {NULL,  "/ctx",      "1.0.0",    "tok", "sid",
                                 "Any", "a.example", "/items/1", "GET"};
  GByteArray *b = g_byte_array_new();
  put_header(b, 1, "validateKey", 7);
  for (int id = 1; id <= 8; id++) {
    if (id == skip) continue;
    put_field(b, 11, (gint16)id);
    put_string(b, values[id]);
  }
  guint8 stop = 0;
  g_byte_array_append(b, &stop, 1);
  return b;
}

static gboolean reads(GByteArray *b) {
  g_auto(ValidateKeyCall) call = {0};
  gboolean ok = validate_key_call_read(b->data, b->len, &call);
  g_assert_true(ok || call.block == NULL);
  return ok;
}

/* ---- tests ---- */

static void test_reads_what_c_glib_sends(void) {
  Wire w;
  wire_init(&w);
  g_autoptr(GError) error = NULL;
  g_assert_true(tg_a_p_i_key_validation_service_client_send_validate_key(
      TG_A_P_I_KEY_VALIDATION_SERVICE_IF(w.client), "/pets", "2.1.0", "t0ken'; DROP --",
      "session-id", "Application", "shop.example", "/pets/{id}", "DELETE", &error));
  g_auto(ValidateKeyCall) call = {0};
  g_assert_true(validate_key_call_read(w.out->data, w.out->len, &call));
  g_assert_cmpint(call.seqid, ==, 0); /* c_glib's first sequence id */
  g_assert_cmpstr(call.context, ==, "/pets");
  g_assert_cmpstr(call.version, ==, "2.1.0");
  g_assert_cmpstr(call.token, ==, "t0ken'; DROP --");
  g_assert_cmpstr(call.session, ==, "session-id");
  g_assert_cmpstr(call.auth_level, ==, "Application");
  g_assert_cmpstr(call.client_domain, ==, "shop.example");
  g_assert_cmpstr(call.resource, ==, "/pets/{id}");
  g_assert_cmpstr(call.verb, ==, "DELETE");
  wire_clear(&w);
}

static void test_optional_domain_and_required_rest(void) {
  g_autoptr(GByteArray) all = call_without(0);
  g_assert_true(reads(all));
  g_autoptr(GByteArray) no_domain = call_without(6);
  g_auto(ValidateKeyCall) call = {0};
  g_assert_true(validate_key_call_read(no_domain->data, no_domain->len, &call));
  g_assert_null(call.client_domain);
  g_assert_cmpstr(call.resource, ==, "/items/1");
  for (int id = 1; id <= 8; id++) {
    if (id == 6) continue;
    g_autoptr(GByteArray) b = call_without(id);
    g_assert_false(reads(b)); /* the generated processor answers PROTOCOL_ERROR */
  }
}

static void test_declines_what_it_does_not_expect(void) {
  /* another method */
  g_autoptr(GByteArray) other = g_byte_array_new();
  put_header(other, 1, "validateKeyforHandshake", 1);
  g_byte_array_append(other, (const guint8 *)"", 1);
  g_assert_false(reads(other));
  /* a oneway, a reply */
  for (guint32 type = 2; type <= 4; type += 2) {
    g_autoptr(GByteArray) b = call_without(0);
    b->data[3] = (guint8)type;
    g_assert_false(reads(b));
  }
  /* old-style header: name first, then the type byte */
  g_autoptr(GByteArray) old = g_byte_array_new();
  put_string(old, "validateKey");
  guint8 call_type = 1;
  g_byte_array_append(old, &call_type, 1);
  put_u32(old, 1);
  g_byte_array_append(old, (const guint8 *)"", 1);
  g_assert_false(reads(old));
  /* an i32 where a string is due, an unknown field id */
  g_autoptr(GByteArray) i32 = call_without(8);
  g_byte_array_set_size(i32, i32->len - 1);
  put_field(i32, 8, 8);
  put_u32(i32, 5);
  g_byte_array_append(i32, (const guint8 *)"", 1);
  g_assert_false(reads(i32));
  g_autoptr(GByteArray) extra = call_without(0);
  g_byte_array_set_size(extra, extra->len - 1);
  put_field(extra, 11, 9);
  put_string(extra, "x");
  g_byte_array_append(extra, (const guint8 *)"", 1);
  g_assert_false(reads(extra));
  /* bytes after the stop */
  g_autoptr(GByteArray) trailing = call_without(0);
  g_byte_array_append(trailing, (const guint8 *)"", 1);
  g_assert_false(reads(trailing));
  /* a string length past the end, or negative */
  g_autoptr(GByteArray) longer = call_without(0);
  longer->data[longer->len - 8] = 0x7f; /* high byte of "GET"'s length */
  g_assert_false(reads(longer));
  longer->data[longer->len - 8] = 0xff;
  g_assert_false(reads(longer));
}

/* A NUL byte in any argument, or in the method name, is declined (validateKey with token
   "tok\0x" must not be looked up as "tok"). */
static void test_nul_declined(void) {
  for (int id = 1; id <= 8; id++) {
    g_autoptr(GByteArray) b = call_without(id);
    g_byte_array_set_size(b, b->len - 1);
    put_field(b, 11, (gint16)id);
    put_u32(b, 5);
    g_byte_array_append(b, (const guint8 *)"tok\0x", 5);
    g_byte_array_append(b, (const guint8 *)"", 1);
    g_assert_false(reads(b));
  }
  g_autoptr(GByteArray) end = call_without(3);
  g_byte_array_set_size(end, end->len - 1);
  put_field(end, 11, 3);
  put_u32(end, 4);
  g_byte_array_append(end, (const guint8 *)"tok\0", 4);
  g_byte_array_append(end, (const guint8 *)"", 1);
  g_assert_false(reads(end));
  g_autoptr(GByteArray) name = call_without(0);
  name->data[4 + 4 + 10] = 0; /* validateKe\0 */
  g_assert_false(reads(name));
}

static void test_every_truncation_declined(void) {
  g_autoptr(GByteArray) b = call_without(0);
  for (guint n = 0; n < b->len; n++) {
    g_auto(ValidateKeyCall) call = {0};
    g_assert_false(validate_key_call_read(b->data, n, &call));
    g_assert_null(call.block);
  }
}

static void test_repeated_field_last_wins(void) {
  g_autoptr(GByteArray) b = call_without(0);
  g_byte_array_set_size(b, b->len - 1);
  put_field(b, 11, 3);
  put_string(b, "second");
  g_byte_array_append(b, (const guint8 *)"", 1);
  g_auto(ValidateKeyCall) call = {0};
  g_assert_true(validate_key_call_read(b->data, b->len, &call));
  g_assert_cmpstr(call.token, ==, "second");
}

/* The DTO's fields and stop, as c_glib's binary protocol writes a struct. */
static GBytes *encode(TgAPIKeyValidationInfoDTO *dto) {
  g_autoptr(GByteArray) bytes = g_byte_array_new();
  ThriftProtocol *p = memory_protocol(bytes);
  g_autoptr(GError) error = NULL;
  g_assert_cmpint(thrift_struct_write(THRIFT_STRUCT(dto), p, &error), >, 0);
  g_object_unref(p);
  return g_bytes_new(bytes->data, bytes->len);
}

static void test_reply_decodes_with_c_glib(void) {
  Wire w;
  wire_init(&w);
  g_autoptr(GError) error = NULL;
  /* a call first: c_glib's client expects the reply to the seqid it sent */
  g_assert_true(tg_a_p_i_key_validation_service_client_send_validate_key(
      TG_A_P_I_KEY_VALIDATION_SERVICE_IF(w.client), "/c", "1", "t", "s", "Any", "", "/", "GET",
      &error));
  g_autoptr(GObject) sent =
      g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_INFO_D_T_O, "authorized", TRUE, "subscriber",
                   "alice", "type", "PRODUCTION", "validityPeriod", (gint64)3600000, NULL);
  g_hash_table_add(((TgAPIKeyValidationInfoDTO *)sent)->scopes, g_strdup("read"));
  ((TgAPIKeyValidationInfoDTO *)sent)->__isset_scopes = TRUE;
  g_autoptr(GBytes) dto = encode((TgAPIKeyValidationInfoDTO *)sent);
  g_auto(ValidateKeyCall) call = {0};
  g_assert_true(validate_key_call_read(w.out->data, w.out->len, &call));
  validate_key_reply_write(w.in, call.seqid, dto);
  TgAPIKeyValidationInfoDTO *got = g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_INFO_D_T_O, NULL);
  TgAPIKeyMgtException *keymgt = NULL;
  TgAPIManagementException *apimgt = NULL;
  g_assert_true(tg_a_p_i_key_validation_service_client_recv_validate_key(
      TG_A_P_I_KEY_VALIDATION_SERVICE_IF(w.client), &got, &keymgt, &apimgt, &error));
  g_assert_no_error(error);
  g_assert_null(keymgt);
  g_assert_null(apimgt);
  g_assert_true(got->authorized);
  g_assert_cmpstr(got->subscriber, ==, "alice");
  g_assert_cmpstr(got->type, ==, "PRODUCTION");
  g_assert_cmpint(got->validityPeriod, ==, 3600000);
  g_assert_true(g_hash_table_contains(got->scopes, "read"));
  g_object_unref(got);
  wire_clear(&w);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/validate_wire/reads_what_c_glib_sends", test_reads_what_c_glib_sends);
  g_test_add_func("/validate_wire/nul_declined", test_nul_declined);
  g_test_add_func("/validate_wire/optional_domain_and_required_rest",
                  test_optional_domain_and_required_rest);
  g_test_add_func("/validate_wire/declines_what_it_does_not_expect",
                  test_declines_what_it_does_not_expect);
  g_test_add_func("/validate_wire/every_truncation_declined", test_every_truncation_declined);
  g_test_add_func("/validate_wire/repeated_field_last_wins", test_repeated_field_last_wins);
  g_test_add_func("/validate_wire/reply_decodes_with_c_glib", test_reply_decodes_with_c_glib);
  return g_test_run();
}
