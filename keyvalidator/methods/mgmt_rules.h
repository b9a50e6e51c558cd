/*
 * mgmt_rules.h: the vocabulary every management rule shares: refusals are GErrors
 * in MGMT_ERROR whose code is the TollgateException code to answer (400, 403,
 * 404, 409), the size limits of stored text, and the text checks.
 */
#ifndef TOLLGATE_HUB_MGMT_RULES_H
#define TOLLGATE_HUB_MGMT_RULES_H

#include <glib.h>

#include "tg_tollgate_types.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgApplication, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgApi, g_object_unref)

#define MGMT_ERROR (mgmt_error_quark())

/* Sets error to MGMT_ERROR / code with a formatted message; always FALSE. */
gboolean mgmt_refuse(GError **error, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
GQuark mgmt_error_quark(void);

#define MGMT_MAX_NAME         255   /* application, owner, end user names (bytes) */
#define MGMT_MAX_URL          2048  /* callback URL; also the stored domain list */
#define MGMT_MAX_DESCRIPTION  65535 /* TEXT */
#define MGMT_MAX_DOMAIN       253
#define MGMT_MAX_VALIDITY_S   315360000 /* ten years */
#define MGMT_DEFAULT_APP_TIER "Unlimited"

/* TRUE when s is a required name: non-empty UTF-8 of at most max bytes, no control characters.
   what names the field in the 400 message. */
gboolean mgmt_name_valid(const char *what, const char *s, gsize max, GError **error);

/* The owner a call acts for: requested, or the caller when requested is NULL or "". Only an
   admin may name someone else (403). Returns requested or caller (not a copy). */
const char *mgmt_owner_resolve(const char *caller, gboolean admin, const char *requested,
                               GError **error);

/* UTF-8 of at most max bytes; control characters only where multiline allows \t \n \r. */
gboolean mgmt_text_ok(const char *s, gsize max, gboolean multiline);

#endif
