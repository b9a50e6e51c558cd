/*
 * validate_wire.h: validateKey read and answered on the wire, in the binary protocol, without
 * c_glib's generated objects: the hub's fast path (hub_rpc.c) for cached validations.
 * Trade-off: anything the reader does not expect makes it decline, and the call goes the
 * generated processor's way. Design notes: docs/HACKING.md.
 */
#ifndef TOLLGATE_HUB_VALIDATE_WIRE_H
#define TOLLGATE_HUB_VALIDATE_WIRE_H

#include <glib.h>

/* validateKey's arguments by field id (1..8), NUL-terminated copies in one block;
   client_domain (6, optional) is NULL when absent. */
typedef struct {
  gint32 seqid;
  const char *context, *version, *token, *session, *auth_level, *client_domain, *resource, *verb;
  char *block;
} ValidateKeyCall;

/* TRUE with call filled when msg (one whole binary-protocol message with a strict
   header, no frame header) is a validateKey call this reader can take; clear it with
   validate_key_call_clear. FALSE, call empty, otherwise. */
gboolean validate_key_call_read(const guint8 *msg, gsize len, ValidateKeyCall *call);
void validate_key_call_clear(ValidateKeyCall *call);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ValidateKeyCall, validate_key_call_clear)

/* Appends validateKey's reply (strict binary protocol, as c_glib writes it) whose
   success field is the binary-encoded APIKeyValidationInfoDTO dto (its fields and stop). */
void validate_key_reply_write(GByteArray *out, gint32 seqid, GBytes *dto);

#endif
