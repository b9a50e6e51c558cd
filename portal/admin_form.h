/*
 * admin_form: the admin's traffic forms (tiers, custom policies, blocking conditions): labelled
 * fields that, after a refusal, show what was sent and the reason next to the field it is about,
 * and strict readers of numbers, units and checkboxes. Trade-off: the rules stay in the hub; a
 * refusal is tied to a field by the words of the hub's message (a small table per form).
 */
#ifndef PORTAL_ADMIN_FORM_H
#define PORTAL_ADMIN_FORM_H

#include <glib.h>

#include "http/request.h"

/* Why a form was refused: the HTTP status, the field it is about (may be NULL), the message. */
typedef struct AdminRefusal {
  int status; /* 0: no refusal */
  char *field;
  char *message;
} AdminRefusal;

void admin_refusal_set(AdminRefusal *ar, int status, const char *field, const char *message);
void admin_refusal_clear(AdminRefusal *ar);

/* How fields are drawn: with the request's values and the refusal, or with defaults. */
typedef struct AdminForm {
  PortalReq *r;
  const AdminRefusal *refused; /* NULL: a fresh form */
} AdminForm;

typedef struct AdminOption {
  const char *value;
  const char *label;
} AdminOption; /* arrays end with {NULL, NULL} */

/* The refusal as an alert at the top of the form (nothing for a fresh form). */
void admin_form_alert(GString *out, const AdminForm *f);
/* <input>, <select> and checkbox with label, optional hint, and the refusal's message when it
   names this field. extra: literal attributes (may be NULL). */
void admin_input(GString *out, const AdminForm *f, const char *type, const char *name,
                 const char *label, const char *def, const char *extra, const char *hint);
void admin_select(GString *out, const AdminForm *f, const char *name, const char *label,
                  const AdminOption *options, const char *def, const char *hint);
void admin_check(GString *out, const AdminForm *f, const char *name, const char *label,
                 gboolean def);
/* The label of value among options (value itself when none). */
const char *admin_option_label(const AdminOption *options, const char *value);

/* A whole number: TRUE and *out set when given, TRUE and *out untouched when absent or empty;
   FALSE with a refusal naming the field when it is not a whole number. */
gboolean admin_arg_int(PortalReq *r, const char *name, gint64 *out, AdminRefusal *ar);
/* The argument's text, "" when absent (never NULL). */
const char *admin_arg_text(PortalReq *r, const char *name);
/* A checkbox or JSON boolean: 1 on (true, on, 1), 0 off, -1 absent. */
int admin_arg_flag(PortalReq *r, const char *name);
/* A window: unit_name ("second" "minute" "hour" "day") or seconds_name (whole seconds). TRUE
   with *out set, TRUE untouched when neither is given; FALSE with a refusal otherwise. */
gboolean admin_arg_unit(PortalReq *r, const char *unit_name, const char *seconds_name, gint64 *out,
                        AdminRefusal *ar);

/* The field a hub message is about: the field of the first row of map (pairs {words, field},
   ending with {NULL, NULL}) whose words the message contains, else NULL. */
const char *admin_field_of(const char *message, const char *const (*map)[2]);

/* "per minute" style name of a window in seconds ("per 90 s" otherwise). Caller frees. */
char *admin_unit_text(gint64 seconds);

#endif
