/*
 * output: how tollgatectl prints results. A result type is described once, as
 * a table of fields (key, kind, offset in the generated struct: shapes.c);
 * the same table gives the JSON object (--json), the "key: value" listing of
 * one object and the columns of a list. The trade-off: offsets into generated
 * structs instead of hand-written printers, so a new field is one table row.
 */
#ifndef CTL_OUTPUT_H
#define CTL_OUTPUT_H

#include "ctl.h"

typedef enum {
  CTL_F_STR,    /* gchar * */
  CTL_F_I64,    /* gint64 */
  CTL_F_I32,    /* gint32 */
  CTL_F_BOOL,   /* gboolean */
  CTL_F_TIME,   /* gint64 Unix seconds: a number in JSON, UTC date in text */
  CTL_F_STRV,   /* GPtrArray * of gchar * */
  CTL_F_STRSET, /* GHashTable * with gchar * keys (Thrift set<string>) */
  CTL_F_OBJV    /* GPtrArray * of structs described by nested */
} CtlFieldKind;

typedef struct CtlShape CtlShape;

typedef struct CtlField {
  const char *key; /* JSON key (snake_case) and text label */
  CtlFieldKind kind;
  gsize offset;
  const CtlShape *nested; /* CTL_F_OBJV only */
} CtlField;

struct CtlShape {
  const CtlField *fields;     /* ends with {NULL} */
  const char *const *columns; /* keys shown in a text table; NULL-terminated */
};

extern const CtlShape ctl_shape_user, ctl_shape_api, ctl_shape_resource, ctl_shape_application,
    ctl_shape_subscription, ctl_shape_key_set, ctl_shape_token_info, ctl_shape_tier,
    ctl_shape_document, ctl_shape_gateway_change, ctl_shape_gateway_config, ctl_shape_validation,
    ctl_shape_block_condition, ctl_shape_custom_policy;

/* Appends obj as a JSON object. */
void ctl_json_object(GString *out, const CtlShape *shape, gconstpointer obj);

/* Print one object / a list ({"items":[...]} in JSON, a table in text). Return TRUE, the
 * value a command's run returns on success. */
gboolean ctl_print_object(Ctl *ctl, const CtlShape *shape, gconstpointer obj);
gboolean ctl_print_list(Ctl *ctl, const CtlShape *shape, GPtrArray *items);
/* A result with no data: the text line, or {"ok":true} in JSON. Returns TRUE. */
gboolean ctl_print_done(Ctl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* A single string result: the text alone, or {"key":"value"} in JSON. Returns TRUE. */
gboolean ctl_print_value(Ctl *ctl, const char *key, const char *value);
/* An error: message on stderr and, with --json, {"error":...,"code":N} on stdout. Returns 1. */
int ctl_print_error(Ctl *ctl, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

#endif
